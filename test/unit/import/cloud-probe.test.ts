import { probeCloudOnce } from '../../../scripts/import/client';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own module, as the import client reaches it
const metadata = require('@cloudbase/node-sdk/dist/utils/metadata') as { lookupAppId: () => Promise<string> };

test('the import asks once per process whether it runs inside Tencent Cloud, and keeps the answer it got', async () => {
  probeCloudOnce();
  probeCloudOnce();
  const first = metadata.lookupAppId();
  // the SDK asks before each call it makes: later calls get the first answer, not a request of their own
  expect(metadata.lookupAppId()).toBe(first);
  // outside Tencent Cloud (this machine) the answer is no app id
  await expect(first).resolves.toBe('');
  expect(metadata.lookupAppId()).toBe(first);
});
