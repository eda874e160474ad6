/**
 * The real wx-server-sdk in the benchmark process, pointed at an emulator in another process,
 * so load generator and server do not share an event loop.
 */
export function sdkFor(url: string) {
  process.env.TENCENTCLOUD = 'true';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when called, after the emulator's address is in the environment
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  cloud.init({ env: 'local-env', serviceUrl: `${url}/admin`, secretId: 'x', secretKey: 'y' } as Parameters<
    typeof cloud.init
  >[0]);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's typings lack throwOnNotFound and type get() as a union
  const db = cloud.database({ throwOnNotFound: false } as any) as any;
  return { cloud, db, _: db.command };
}
