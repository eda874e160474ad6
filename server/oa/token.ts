import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../runtime/cloud';
import type { Logger } from '../kit/logger';
import { inTransaction } from '../db/transaction';
import { readDoc } from '../db/documents';
import { OaApiError } from './errors';
import { getJson } from './http';
import type { OaCredentials } from './config';
import { LEASE_MS, decideToken, type CachedToken } from './token-cache';

export const OA_TOKENS = 'oa_tokens';
const API = 'cgi-bin/token';
const WAIT_STEP_MS = 150;

export interface OaDeps {
  db: Database;
  now: () => Date;
  log: Logger;
  creds: OaCredentials;
  /** real-time ms (Date.now) after which no call to WeChat starts */
  deadline: number;
  /** per HTTP call */
  callTimeoutMs: number;
}

/** A WeChat failure answer; success answers carry no errcode (or 0). */
export const wechatError = z.object({
  errcode: z
    .number()
    .int()
    .refine((c) => c !== 0),
  errmsg: z.string().default(''),
});
const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

const holder = `${process.pid}_${randomBytes(4).toString('hex')}`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const timeLeft = (deps: OaDeps) => Math.min(deps.callTimeoutMs, deps.deadline - Date.now());

/** Parses a WeChat answer with `schema`, or throws OA_API_FAILED naming the errcode. */
export function readAnswer<T>(api: string, body: unknown, schema: z.ZodType<T>): T {
  const err = wechatError.safeParse(body);
  if (err.success) throw new OaApiError(api, err.data.errcode, 'errcode', err.data.errmsg);
  const ok = schema.safeParse(body);
  if (!ok.success)
    throw new OaApiError(
      api,
      null,
      'bad_response',
      ok.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  return ok.data;
}

async function fetchToken(deps: OaDeps): Promise<{ token: string; expiresInS: number }> {
  const { apiBase, appId, secret } = deps.creds;
  const q = new URLSearchParams({ grant_type: 'client_credential', appid: appId, secret });
  const body = await getJson(API, `${apiBase}/cgi-bin/token?${q}`, timeLeft(deps));
  const a = readAnswer(API, body, tokenAnswer);
  return { token: a.access_token, expiresInS: a.expires_in };
}

type Claim = { kind: 'use'; token: string } | { kind: 'claimed' } | { kind: 'wait' };

/** Takes the refresh lease if the document still needs a refresh and nobody holds it. */
function claimLease(deps: OaDeps, rejected: string | undefined): Promise<Claim> {
  const id = deps.creds.appId;
  return inTransaction(deps.db, async (tx) => {
    const ref = tx.collection(OA_TOKENS).doc(id);
    const doc = (await ref.get()).data as CachedToken | null;
    const now = deps.now();
    const d = decideToken(doc, now, rejected);
    if (d.kind !== 'refresh') return d;
    const lease = { leaseHolder: holder, leaseUntil: new Date(now.getTime() + LEASE_MS) };
    if (doc) await ref.update({ data: lease });
    else await ref.set({ data: { accessToken: null, expiresAt: null, fetchedAt: null, ...lease } });
    return { kind: 'claimed' };
  });
}

async function releaseLease(deps: OaDeps, data: Record<string, unknown>): Promise<void> {
  await inTransaction(deps.db, async (tx) => {
    const ref = tx.collection(OA_TOKENS).doc(deps.creds.appId);
    const doc = (await ref.get()).data as CachedToken | null;
    if (doc?.leaseHolder !== holder) return;
    await ref.update({ data: { ...data, leaseHolder: null, leaseUntil: null } });
  });
}

/**
 * The Official Account access token: the cached one while it has more than five minutes left,
 * else one instance refreshes it (under a lease) while the others wait for it or keep using the
 * old one while it still works. `rejected`: a token WeChat just refused, refreshed even if unexpired.
 */
export async function accessToken(deps: OaDeps, rejected?: string): Promise<string> {
  for (;;) {
    const d = decideToken(await readDoc<CachedToken>(deps.db, OA_TOKENS, deps.creds.appId), deps.now(), rejected);
    if (d.kind === 'use') return d.token;
    const claim = d.kind === 'refresh' ? await claimLease(deps, rejected) : d;
    if (claim.kind === 'use') return claim.token;
    if (claim.kind === 'wait') {
      if (Date.now() + WAIT_STEP_MS >= deps.deadline)
        throw new OaApiError(API, null, 'timeout', 'another instance is refreshing the token');
      await sleep(WAIT_STEP_MS);
      continue;
    }
    try {
      const fetchedAt = deps.now();
      const { token, expiresInS } = await fetchToken(deps);
      await releaseLease(deps, {
        accessToken: token,
        expiresAt: new Date(fetchedAt.getTime() + expiresInS * 1000),
        fetchedAt,
      });
      deps.log.info('oa access token refreshed', { appId: deps.creds.appId, expiresInS });
      return token;
    } catch (e) {
      await releaseLease(deps, {}).catch(() => undefined);
      throw e;
    }
  }
}
