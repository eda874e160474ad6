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
}
