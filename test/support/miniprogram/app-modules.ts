import { appModule } from './built-app';

/** Shapes of the built Mini Program modules the tests drive (they run as CommonJS from the build). */
export interface ServiceErrorShape extends Error {
  code: string;
}
export interface CloudModule {
  call(fn: string, action: string, input: object, options?: { retries?: number; backoffMs?: number }): Promise<unknown>;
  ServiceError: new (code: string, message: string) => ServiceErrorShape;
  isNetworkFailure(err: unknown): boolean;
  callsMade(): number;
  resetCallCount(): void;
}
export interface LaunchContext {
  scene?: number | string;
  path?: string;
  query?: Record<string, unknown>;
}
export interface SessionModule {
  startSession(launch?: LaunchContext): Promise<Record<string, unknown>>;
  session(): Promise<Record<string, unknown>>;
  refreshSession(): Promise<Record<string, unknown>>;
  loginInput(launch?: LaunchContext): Record<string, unknown>;
  resetSession(): void;
}
export interface I18nModule {
  t(key: string, params?: Record<string, string | number>, lang?: 'zh' | 'en'): string;
  getLang(): 'zh' | 'en';
  setLang(lang: 'zh' | 'en'): void;
  langOf(tag: string | undefined): 'zh' | 'en';
  resetLang(): void;
  dict(lang?: 'zh' | 'en'): Record<string, Record<string, string>>;
}

export interface TrackerModule {
  flush(): Promise<void>;
  pendingEvents(): readonly Record<string, unknown>[];
}

export const cloud = () => appModule<CloudModule>('services/cloud');
export const sessions = () => appModule<SessionModule>('services/session');
export const i18n = () => appModule<I18nModule>('i18n/index');
export const tracker = () => appModule<TrackerModule>('services/tracker');

/** Forget the launch login, the language choice and the call count (module state lives across tests of a file). */
export function resetApp(): void {
  sessions().resetSession();
  i18n().resetLang();
  cloud().resetCallCount();
}
