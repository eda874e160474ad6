import type { OrderChannel } from '../../core/orders/schema';
import { isDevelopment, devSecret } from './secrets';
import { loadBrandConfig, type LoadedBrandConfig } from '../config/load';

/** A configured source as the signed endpoints check it. */
export interface SignedSource {
  name: string;
  channel: OrderChannel;
  /** Secrets a signature may be made with: the current one, then one being rotated out. Empty when unset. */
  secrets: string[];
  maxClockSkewSeconds: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The source `name` of the brand configuration (`orderSync.sources`), or undefined when the brand
 * has none by that name: only configured sources are ever accepted, in every mode. Outside
 * production a configured source whose variable is unset signs with its development secret.
 */
export function configuredSource(
  name: string,
  loaded: LoadedBrandConfig = loadBrandConfig(),
  env: Env = process.env,
): SignedSource | undefined {
  const s = loaded.config.orderSync.sources.find((x) => x.name === name);
  if (!s) return undefined;
  const current = loaded.orderSyncSecrets[name] ?? (isDevelopment(env) ? devSecret(s.secretEnv) : undefined);
  const previous = loaded.previousOrderSyncSecrets[name];
  const secrets = [current, previous].filter((x): x is string => Boolean(x));
  return { name, channel: s.channel, secrets, maxClockSkewSeconds: s.maxClockSkewSeconds };
}

/** The channel kind of an order source; a source no longer configured is taken as its own kind. */
export function channelOfSource(source: string, loaded: LoadedBrandConfig = loadBrandConfig()): string {
  return loaded.config.orderSync.sources.find((s) => s.name === source)?.channel ?? source;
}

/** How a source is named to people (`label`, else its id). */
export function labelOfSource(source: string, loaded: LoadedBrandConfig = loadBrandConfig()): string {
  return loaded.config.orderSync.sources.find((s) => s.name === source)?.label ?? source;
}
