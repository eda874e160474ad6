import type { EmulatorOptions } from '../emulator/options';
import { collections } from '../server/db/schema';
import { httpRoutes } from '../server/db/routes';
import { spawnEmulator } from '../test/support/emulator-process';

/**
 * An emulator in its own process serving the product's collections, HTTP routes and the functions of
 * `functionsDir`, with `latencyMs` added to every database call and invocation (0: none).
 */
export function spawnFunctions(
  functionsDir: string,
  latencyMs: number,
  options: Partial<EmulatorOptions> = {},
): ReturnType<typeof spawnEmulator> {
  const latency = latencyMs > 0 ? { databaseMs: latencyMs, invocationMs: latencyMs } : undefined;
  return spawnEmulator({ functionsDir, collections, httpRoutes, latency, ...options });
}
