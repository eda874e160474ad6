import { randomBytes } from 'node:crypto';

/** The Official Account the emulator stands for: what function instances get as OA_APP_ID / OA_APP_SECRET. */
export const EMULATOR_OA_APP_ID = 'wx0e0a0e0a0e0a0e0a';
export const EMULATOR_OA_APP_SECRET = 'emulator-oa-app-secret';

export function emulatorOaCredentials(env: Readonly<Record<string, string | undefined>> = process.env): {
  appId: string;
  secret: string;
} {
  return { appId: env.OA_APP_ID || EMULATOR_OA_APP_ID, secret: env.OA_APP_SECRET || EMULATOR_OA_APP_SECRET };
}

export interface OaUser {
  oaOpenid: string;
  /** null: the Official Account is not bound to an Open Platform account, so WeChat sends none */
  unionid: string | null;
  subscribed: boolean;
}

const TOKEN_LIFETIME_S = 7200;
/** WeChat keeps the previous token working this long after a new one is issued. */
const OLD_TOKEN_GRACE_MS = 5 * 60_000;

/**
 * What the fake WeChat knows about Official Account followers (set by tests and the console
 * through `POST /openapi/oa-users`) and the access tokens it issued, with their expiry on the
 * emulator clock.
 */
export class OaUserRegistry {
  private readonly users = new Map<string, OaUser>();
  private readonly tokens = new Map<string, { appid: string; expiresAt: number }>();

  set(user: OaUser): OaUser {
    this.users.set(user.oaOpenid, user);
    return user;
  }

  get(oaOpenid: string): OaUser | undefined {
    return this.users.get(oaOpenid);
  }

  list(): OaUser[] {
    return [...this.users.values()];
  }

  clear(): void {
    this.users.clear();
  }

  issueToken(appid: string, now: Date): { access_token: string; expires_in: number } {
    for (const t of this.tokens.values())
      if (t.appid === appid) t.expiresAt = Math.min(t.expiresAt, now.getTime() + OLD_TOKEN_GRACE_MS);
    const token = `emu_oa_at_${randomBytes(12).toString('hex')}`;
    this.tokens.set(token, { appid, expiresAt: now.getTime() + TOKEN_LIFETIME_S * 1000 });
    return { access_token: token, expires_in: TOKEN_LIFETIME_S };
  }

  /** 0 when the token works now, else WeChat's errcode (40001 unknown, 42001 expired). */
  checkToken(token: string, now: Date): { errcode: 0; appid: string } | { errcode: 40001 | 42001 } {
    const t = this.tokens.get(token);
    if (!t) return { errcode: 40001 };
    return t.expiresAt > now.getTime() ? { errcode: 0, appid: t.appid } : { errcode: 42001 };
  }
}

const registries = new WeakMap<object, OaUserRegistry>();

/** One registry per emulator, kept beside its OpenAPI recorder. */
export function oaUsersOf(owner: object): OaUserRegistry {
  let r = registries.get(owner);
  if (!r) {
    r = new OaUserRegistry();
    registries.set(owner, r);
  }
  return r;
}
