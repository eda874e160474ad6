import type { IncomingMessage, ServerResponse } from 'node:http';
import { TcbCodes, TcbError } from '../db/errors';

let requests = 0;
export const requestId = (): string => `${process.pid.toString(36)}-${(++requests).toString(36)}`;

/** Reads a body up to `max` bytes; a larger one is refused with the platform's kind of error, naming the limit. */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // an oversize body is read to its end (and dropped) so the error can still be answered
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) chunks.push(c);
    });
    req.on('end', () =>
      size > max
        ? reject(new TcbError(TcbCodes.limit, `request body of ${size} bytes exceeds the limit of ${max} bytes`))
        : resolve(Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}

export function parseJson(buf: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8') || '{}');
  } catch (e) {
    throw new TcbError(TcbCodes.invalidParam, `body is not valid JSON: ${(e as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new TcbError(TcbCodes.invalidParam, 'body must be a JSON object');
  return value as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The TCB error channel: always HTTP 200, with a string code the SDK maps (docs/emulator-wire.md#errors). */
export function sendTcbError(res: ServerResponse, e: unknown): void {
  const err = e instanceof TcbError ? e : new TcbError(TcbCodes.requestFailed, (e as Error)?.message ?? String(e));
  sendJson(res, 200, { code: err.code, message: err.message, requestId: requestId() });
}
