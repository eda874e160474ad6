import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** `<file>.import-progress.json`: the lines already applied, so a stopped import resumes after them. */
export interface Progress {
  fileSha256: string;
  doneThroughLine: number;
  counts: Record<string, number>;
  /** the size of the rejected rows file when this progress was saved */
  rejectedBytes?: number;
}

export const progressFile = (input: string): string => `${input}.import-progress.json`;

export async function sha256Of(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The saved progress of this very file (a changed file starts over). */
export function loadProgress(input: string, sha: string): Progress | null {
  const f = progressFile(input);
  if (!existsSync(f)) return null;
  const p = JSON.parse(readFileSync(f, 'utf8')) as Progress;
  return p.fileSha256 === sha ? p : null;
}

/** Written aside, then renamed over the old one: a kill mid-write leaves the previous progress whole. */
export function saveProgress(input: string, p: Progress): void {
  const aside = `${progressFile(input)}.tmp`;
  writeFileSync(aside, JSON.stringify(p, null, 2));
  renameSync(aside, progressFile(input));
}
export const clearProgress = (input: string): void => rmSync(progressFile(input), { force: true });

/** A one-line progress bar on stderr (redrawn in place on a terminal, a line per update elsewhere). */
type Bar = (done: number, note?: string) => void;

export function progressBar(total: number, out: NodeJS.WriteStream = process.stderr): Bar {
  return (done, note = '') => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    const text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${note}`;
    out.write(out.isTTY ? `\r${text}` : `${text}\n`);
  };
}
