/**
 * Failures production has around functions, injected by tests (`POST /functions/faults`):
 * - `kill`: the instance running `fn` is killed `afterMs` into an invocation (out of memory, a host
 *   going away): whatever the function did so far stays done, the rest never happens;
 * - `lostAnswer`: a database call (`action`, e.g. `database.commitTransaction`, optionally only on
 *   `collection` or from `fn`) is carried out and committed, then its answer is lost (the connection
 *   drops, as after a client timeout): the caller sees an error for a write that happened.
 * `times` defaults to 1.
 */
export type RuntimeFault =
  | { kind: 'kill'; fn: string; afterMs: number; times?: number }
  | { kind: 'lostAnswer'; action: string; collection?: string; fn?: string; times?: number };

interface Armed {
  fault: RuntimeFault;
  left: number;
}

export class RuntimeFaults {
  private armed: Armed[] = [];

  inject(fault: RuntimeFault): void {
    const times = fault.times ?? 1;
    if (!(times >= 1)) throw new Error(`fault times must be at least 1, got ${String(fault.times)}`);
    this.armed.push({ fault, left: times });
  }

  clear(): void {
    this.armed = [];
  }

  pending(): { fault: RuntimeFault; left: number }[] {
    return this.armed.map((a) => ({ fault: a.fault, left: a.left }));
  }

  /** The ms after which to kill this invocation of `fn`, if a kill fault is armed for it (used up by one). */
  takeKill(fn: string): number | undefined {
    const a = this.take((f) => f.kind === 'kill' && f.fn === fn);
    return a?.kind === 'kill' ? a.afterMs : undefined;
  }

  /** Whether the answer to this (successful) database call is to be lost (used up by one). */
  takeLostAnswer(call: { action: string; collection?: string; fn?: string }): boolean {
    return !!this.take(
      (f) =>
        f.kind === 'lostAnswer' &&
        f.action === call.action &&
        (!f.collection || f.collection === call.collection) &&
        (!f.fn || f.fn === call.fn),
    );
  }

  private take(match: (f: RuntimeFault) => boolean): RuntimeFault | undefined {
    const a = this.armed.find((x) => match(x.fault));
    if (!a) return undefined;
    a.left -= 1;
    if (a.left <= 0) this.armed.splice(this.armed.indexOf(a), 1);
    return a.fault;
  }
}
