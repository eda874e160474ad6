import cloud from 'wx-server-sdk';

let ready = false;

/**
 * The one place that initialises wx-server-sdk. DYNAMIC_CURRENT_ENV picks the environment the
 * function runs in; locally the emulator provides it (and the service URL) through the environment.
 */
export function sdk(): typeof cloud {
  if (!ready) {
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
    ready = true;
  }
  return cloud;
}

export type Database = ReturnType<typeof cloud.database>;
/** The database without the SDK's types, for queries whose get() the SDK types as string | void | IQueryResult. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: aggregate and command chains are untyped
export type AnyDb = any;

/** `doc().get()` of a missing document answers `{ data: null }` instead of throwing. */
export const database = (): Database =>
  sdk().database({ throwOnNotFound: false } as Parameters<typeof cloud.database>[0]);
