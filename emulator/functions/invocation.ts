/** One function call as the runtime logs it; the console reads the same shape from /api/invocations. */
export interface Invocation {
  id: string;
  fn: string;
  source: string;
  openid?: string;
  at: string;
  durationMs: number;
  input: unknown;
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
  logs: string[];
  dbCalls: number;
  /** of `dbCalls`: reads (get, count, aggregate) and writes (insert, update, set, remove); the rest start or end transactions */
  dbReads: number;
  dbWrites: number;
}

/** The failure a call reports: a thrown error, or the product's `{ ok: false, error }` envelope answered normally. */
export function failureOf(inv: Pick<Invocation, 'ok' | 'result' | 'error'>): Invocation['error'] {
  if (!inv.ok) return inv.error ?? { code: 'error', message: '' };
  const r = inv.result as { ok?: unknown; error?: { code?: unknown; message?: unknown } } | null | undefined;
  if (!r || typeof r !== 'object' || r.ok !== false) return undefined;
  const { code, message } = r.error ?? {};
  return { code: typeof code === 'string' ? code : 'ok:false', message: typeof message === 'string' ? message : '' };
}

/** What the console's "show" filter keeps: every call, calls made by users, timer runs, or failures. */
export type InvocationKind = 'all' | 'user' | 'timer' | 'errors';

export function isKind(inv: Invocation, kind: InvocationKind): boolean {
  if (kind === 'user') return inv.source === 'wx_client';
  if (kind === 'timer') return inv.source === 'timer';
  if (kind === 'errors') return failureOf(inv) !== undefined;
  return true;
}
