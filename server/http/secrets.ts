/**
 * Secrets come from the function's environment only. Outside production (NODE_ENV test or
 * development, as in the local emulator) a missing secret falls back to a fixed, public development
 * value so the demo and the tests run without configuration; production never does.
 */
const DEV_ENVS = new Set(['test', 'development']);

export const devSecret = (name: string): string => `local-dev-only:${name}`;

type Env = Readonly<Record<string, string | undefined>>;

export const isDevelopment = (env: Env = process.env): boolean => DEV_ENVS.has(env.NODE_ENV ?? '');

export function secretFromEnv(
  name: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const value = env[name];
  if (value) return value;
  return isDevelopment(env) ? devSecret(name) : undefined;
}

/**
 * `ORDER_SYNC_SECRET_<SOURCE>` for a source id like `pos` (the name brand config and deploy use by default).
 * Signed sources are the brand's configured ones only (server/http/sources.ts).
 */
export const syncSecretName = (source: string): string => `ORDER_SYNC_SECRET_${source.toUpperCase()}`;

export const MEMBER_CODE_SECRET = 'MEMBER_CENTRE_MEMBER_CODE_SECRET';
export const OA_TOKEN = 'MEMBER_CENTRE_OA_TOKEN';
export const OA_APP_SECRET = 'OA_APP_SECRET';
export const OA_ENCODING_AES_KEY = 'OA_ENCODING_AES_KEY';
export const EMAIL_LINK_SECRET = 'MEMBER_CENTRE_EMAIL_SECRET';

/** Secrets other than order-sync keys, and the functions that read them: deploy ships each to those functions. */
export const FUNCTION_SECRETS: readonly { env: string; functions: readonly string[]; purpose: string }[] = [
  {
    env: MEMBER_CODE_SECRET,
    functions: ['member', 'coupons', 'points', 'appointments'],
    purpose: 'signs the rotating member code staff scan',
  },
  { env: OA_TOKEN, functions: ['oa'], purpose: 'Official Account callback token' },
  {
    env: OA_ENCODING_AES_KEY,
    functions: ['oa'],
    purpose: 'Official Account EncodingAESKey: decrypts safe-mode callbacks and encrypts replies',
  },
  {
    env: OA_APP_SECRET,
    functions: ['oa', 'messaging'],
    purpose:
      'Official Account AppSecret: the access token for user/info (UnionID of followers) and for template and customer-service messages',
  },
  { env: 'MEMBER_CENTRE_REFERRAL_SECRET', functions: ['referral'], purpose: 'signs referral share tokens' },
  { env: EMAIL_LINK_SECRET, functions: ['member'], purpose: 'signs the links of email confirmation mails' },
];
