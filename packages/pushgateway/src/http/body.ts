import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { CodecError, snappyFramedDecode } from '@pyrometer/codec';
import { HttpError, readBody as readRawBody } from '@pyrometer/http-server';
import { PushgatewayError } from '../errors.js';

const gunzipAsync = promisify(gunzip);

/**
 * Reads a request body, refusing more than `limit` bytes before and after decompression (an
 * HttpError, 413), and decodes `Content-Encoding: gzip` or `snappy` (the framing format, as
 * upstream's snappy reader, at most 64 KiB per chunk). Other encodings are refused with a
 * `bad_request` error naming them.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const raw = await readRawBody(req, limit);
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return raw;
  if (encoding === 'snappy') return snappyBody(raw, limit);
  if (encoding !== 'gzip') throw new PushgatewayError('bad_request', `unsupported Content-Encoding ${JSON.stringify(encoding)} (supported: gzip, snappy)`);
  try {
    return await gunzipAsync(raw, { maxOutputLength: limit });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limit, err);
    throw new PushgatewayError('bad_request', `invalid gzip body: ${(err as Error).message}`, { cause: err });
  }
}

function snappyBody(raw: Buffer, limit: number): Buffer {
  try {
    const decoded = snappyFramedDecode(raw, limit);
    return Buffer.from(decoded.buffer, decoded.byteOffset, decoded.length);
  } catch (err) {
    if (!(err instanceof CodecError)) throw err;
    if (err.code === 'too_large') throw tooLarge(limit, err);
    throw new PushgatewayError('bad_request', `invalid snappy body: ${err.message}`, { cause: err });
  }
}

function tooLarge(limit: number, cause: unknown): HttpError {
  return new HttpError('body_too_large', `request body larger than the limit of ${limit} bytes once decompressed`, { cause });
}
