/**
 * One function instance: a child process that runs one invocation at a time, as a CloudBase
 * instance does. getWXContext() reads process.env, so each invocation's context is set here
 * before `main` runs and cleared after.
 */
import { format } from 'node:util';

interface InvokeMessage {
  type: 'invoke';
  id: string;
  entry: string;
  /** the event as JSON text, parsed here as the platform's runtime parses it */
  eventJson: string;
  env: Record<string, string>;
  context: Record<string, unknown>;
}

const PER_INVOCATION = [
  'WX_CONTEXT_KEYS',
  'WX_OPENID',
  'WX_APPID',
  'WX_UNIONID',
  'WX_CLIENTIP',
  'WX_API_TOKEN',
  'TCB_SOURCE',
  'TRIGGER_SRC',
  'MEMBER_CENTRE_CLOCK_OFFSET_MS',
];
let logs: string[] = [];

for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    logs.push(`${level === 'log' ? 'info' : level} ${format(...args)}`);
    if (process.env.EMULATOR_ECHO_LOGS === '1') original(...args);
  };
}

/** Cold start happens before the first invocation, as on the platform: load the code, then report ready. */
const preload = process.argv[2];
if (preload) {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads a file chosen at run time by path
    require(preload);
    process.send?.({ type: 'ready' });
  } catch (e) {
    process.send?.({ type: 'ready', error: (e as Error).message });
  }
}

process.on('message', async (msg: InvokeMessage) => {
  if (msg?.type !== 'invoke') return;
  for (const k of PER_INVOCATION) delete process.env[k];
  Object.assign(process.env, msg.env);
  logs = [];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads a file chosen at run time by path
    const mod = require(msg.entry) as { main?: (event: unknown, context: unknown) => unknown };
    if (typeof mod.main !== 'function') throw new Error(`${msg.entry} does not export main`);
    const result = await mod.main(JSON.parse(msg.eventJson), msg.context);
    process.send?.({ type: 'done', id: msg.id, ok: true, result: result === undefined ? null : result, logs });
  } catch (e) {
    const err = e as Error;
    process.send?.({
      type: 'done',
      id: msg.id,
      ok: false,
      error: { message: err?.message ?? String(e), stack: err?.stack },
      logs,
    });
  }
});

// profiled (EMULATOR_CPU_PROF_DIR): a stop is an exit, so that the profile is written
if (process.execArgv.includes('--cpu-prof')) process.on('SIGTERM', () => process.exit(0));

process.on('unhandledRejection', (reason) => {
  logs.push(`error unhandled rejection: ${format(reason)}`);
});
