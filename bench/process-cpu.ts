import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // Linux USER_HZ is 100

function ownCpuMs(pid: number): number {
  try {
    // fields after the command's closing parenthesis: utime and stime are the 12th and 13th
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/**
 * CPU milliseconds used so far by a process and by each of its descendants (the emulator and its
 * function instances), read from /proc: figures that other work on a shared machine does not
 * inflate the way it inflates wall time. Processes that ended are not counted. With `only`, the
 * descendants counted are those whose command line holds it (one function's instances).
 */
export function processTreeCpu(pid: number, only?: string): { own: number; descendants: number } {
  let descendants = 0;
  const stack = childrenOf(pid);
  while (stack.length) {
    const p = stack.pop()!;
    if (!only || commandOf(p).includes(only)) descendants += ownCpuMs(p);
    stack.push(...childrenOf(p));
  }
  return { own: ownCpuMs(pid), descendants };
}
