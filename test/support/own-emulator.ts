import { rmSync } from 'node:fs';
import type { Emulator } from '../../emulator/emulator';
import { functionsDirWith, separateEmulator, setClock } from '../integration/orders/support';
import { connectSdk, type Sdk } from './sdk';

export interface OwnEmulator {
  emu: Emulator;
  db: Sdk['db'];
  /** Stops the emulator and removes its functions folder. */
  close(): Promise<void>;
}

/** An emulator of the test file's own: only the functions `fns` (and the orders timers named), its clock at `at`. */
export async function ownEmulator(
  fns: string[],
  ordersTimers: string[],
  at: Date | string,
  opts: { throwOnNotFound?: boolean } = {},
): Promise<OwnEmulator> {
  const dir = functionsDirWith(fns, ordersTimers);
  const emu = await separateEmulator(dir);
  const { db } = connectSdk(emu, opts);
  await setClock(emu, { set: new Date(at).toISOString() });
  const close = async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { emu, db, close };
}
