import { pool } from './harness';
import { sdkFor } from './sdk-client';

/**
 * A load generator process: `count` single-document SDK writes with `concurrency` in flight.
 * Several run side by side, as several function instances would write at once.
 * Prints `DONE <ms>`.
 */
async function main() {
  const [url, coll, count, concurrency] = process.argv.slice(2);
  const { db } = sdkFor(url as string);
  await db.collection(coll).add({ data: { warmup: true } });
  process.stdout.write('READY\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const ms = await pool(Number(count), Number(concurrency), (i) =>
    db.collection(coll).add({ data: { i, at: new Date(), tags: ['a', 'b'] } }),
  );
  process.stdout.write(`DONE ${ms}\n`);
  process.exit(0);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
