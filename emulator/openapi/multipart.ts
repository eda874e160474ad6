import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { TcbCodes, TcbError } from '../db/errors';

export interface MultipartBody {
  fields: Record<string, string>;
  /** parts sent as application/octet-stream or with a filename (requestData), raw bytes */
  files: Record<string, Buffer>;
}

export interface MultipartLimits {
  /** the largest part, text or binary */
  maxPartBytes: number;
  maxParts: number;
}

const DEFAULT_LIMITS: MultipartLimits = { maxPartBytes: 6 * 1024 * 1024, maxParts: 64 };

/**
 * Reads the multipart/form-data body the SDK sends for wx.openApi (form-data v4, chunked).
 * Rejects with a TcbError (INVALID_PARAM, or EXCEED_REQUEST_LIMIT naming the limit) instead of throwing later.
 */
export function readMultipart(req: IncomingMessage, limits: MultipartLimits = DEFAULT_LIMITS): Promise<MultipartBody> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fieldSize: limits.maxPartBytes, fileSize: limits.maxPartBytes, parts: limits.maxParts },
      });
    } catch (e) {
      req.resume(); // busboy refuses before reading (e.g. no boundary); drain so the connection stays usable
      reject(new TcbError(TcbCodes.invalidParam, `malformed multipart request: ${(e as Error).message}`));
      return;
    }
    const body: MultipartBody = { fields: {}, files: {} };
    let settled = false;
    const fail = (err: TcbError) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.resume();
      reject(err);
    };
    const tooLarge = (name: string) =>
      fail(new TcbError(TcbCodes.limit, `multipart part "${name}" exceeds the limit of ${limits.maxPartBytes} bytes`));

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) tooLarge(name);
      else body.fields[name] = value;
    });
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => tooLarge(name));
      stream.on('end', () => {
        body.files[name] = Buffer.concat(chunks);
      });
    });
    parser.on('partsLimit', () =>
      fail(new TcbError(TcbCodes.limit, `multipart request has more than ${limits.maxParts} parts`)),
    );
    parser.on('error', (e: Error) =>
      fail(new TcbError(TcbCodes.invalidParam, `malformed multipart request: ${e.message}`)),
    );
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      resolve(body);
    });
    req.on('error', (e) => fail(new TcbError(TcbCodes.invalidParam, `request stream failed: ${e.message}`)));
    req.pipe(parser);
  });
}
