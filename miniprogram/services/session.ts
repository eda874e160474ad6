import { call, type CallInput, type CallOutput } from './cloud';

/** What `member.login` tells the pages about the person using the Mini Program. */
export type MemberView = CallOutput<'member', 'login'>;
type LoginInput = CallInput<'member', 'login'>;

/** The launch as WeChat reports it (`App.onLaunch` options), before it is fitted to the contract. */
export interface LaunchContext {
  scene?: number | string;
  path?: string;
  query?: Record<string, unknown>;
}

let pending: Promise<MemberView> | undefined;
let latest: MemberView | undefined;

/** Fits launch options to the login contract: strings only, within its length limits. */
/**
 * The launch options as `member.login` takes them: a Mini Program code's `scene` arrives URL-encoded
 * in `query.scene`; the platform's launch scene number (1047 = scanned code) is `entryScene`.
 */
export function loginInput(launch: LaunchContext = {}): LoginInput {
  const input: LoginInput = {};
  const entry = Number(launch.scene);
  if (launch.scene !== undefined && launch.scene !== '' && Number.isInteger(entry) && entry >= 0 && entry <= 99999)
    input.entryScene = entry;
  if (launch.path) input.path = launch.path.slice(0, 256);
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(launch.query ?? {})) if (typeof v === 'string') query[k] = v.slice(0, 128);
  if (typeof query.scene === 'string') input.scene = safeDecode(query.scene).slice(0, 64);
  if (Object.keys(query).length > 0) input.query = query;
  return input;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function login(launch: LaunchContext): Promise<MemberView> {
  const attempt = call('member', 'login', loginInput(launch)).then((view) => {
    latest = view;
    clockOffsetMs = Date.parse(view.lastSeenAt) - Date.now();
    return view;
  });
  pending = attempt;
  // A failed login is forgotten so the next page (or retry) tries again.
  attempt.catch(() => {
    if (pending === attempt) pending = undefined;
  });
  return attempt;
}

/** Called once from `App.onLaunch`: the launch's single cloud call. */
export function startSession(launch: LaunchContext = {}): Promise<MemberView> {
  return pending ?? login(launch);
}

/** What pages await: the launch login (started now if the app did not start it). */
export function session(): Promise<MemberView> {
  return pending ?? login({});
}

/** Pull-to-refresh and "retry": a fresh login call. */
export function refreshSession(): Promise<MemberView> {
  return login({});
}

let clockOffsetMs = 0;
/**
 * The server's clock, as the last login saw it (`lastSeenAt` is stamped by the server), moved on by
 * the phone's: what decides "today" for ranges the server computes, whatever the phone's clock says.
 */
export const serverNow = (): Date => new Date(Date.now() + clockOffsetMs);

export function currentMember(): MemberView | undefined {
  return latest;
}

export type StaffRole = NonNullable<CallOutput<'admin', 'staff.me'>['staff']>['role'];
let staffCheck: Promise<StaffRole | null> | undefined;
/**
 * This person's staff role (`admin staff.me`), null for everyone else; asked once per launch and
 * only by the pages that offer the staff entrance, so the launch itself stays one call. A failed
 * check counts as "not staff" and is asked again next time.
 */
export function staffRole(): Promise<StaffRole | null> {
  staffCheck ??= call('admin', 'staff.me', {}).then(
    (r) => r.staff?.role ?? null,
    () => {
      staffCheck = undefined;
      return null;
    },
  );
  return staffCheck;
}

export function resetSession(): void {
  pending = undefined;
  latest = undefined;
  staffCheck = undefined;
}
