import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/emulator';
import { collections } from '../../server/db/schema';
import { httpRoutes } from '../../server/db/routes';
import { FUNCTIONS_DIR } from '../../scripts/build-functions';

/** A fresh emulator for one test file: in-memory database, the built functions, the product's schema. */
export function testEmulator(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({ functionsDir: FUNCTIONS_DIR, collections, httpRoutes, ...options });
}

/** An emulator with no functions and no product schema: for conformance tests of the emulator itself. */
export function bareEmulator(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({ functionsDir: '/nonexistent', ...options });
}
