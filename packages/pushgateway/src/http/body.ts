import type { IncomingMessage } from 'node:http';
import { CodecError, snappyFramedDecode } from '@pyrometer/codec';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { PushgatewayError } from '../errors.js';

const gunzipAsync = promisify(gunzip);

/**
 * Reads a request body, refusing more than `limit` bytes (before and after decompression), and
 * decodes `Content-Encoding: gzip` or `snappy` (the framing format, as upstream's snappy reader).
 * Other encodings are refused with a `bad_request` error naming them.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new PushgatewayError('bad_request', `request body larger than the limit of ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return raw;
  if (encoding === 'snappy') return snappyBody(raw, limit);
  if (encoding !== 'gzip') throw new PushgatewayError('bad_request', `unsupported Content-Encoding ${JSON.stringify(encoding)} (supported: gzip, snappy)`);
  try {
    return await gunzipAsync(raw, { maxOutputLength: limit });
  } catch (err) {
    throw new PushgatewayError('bad_request', `invalid gzip body: ${(err as Error).message}`, { cause: err });
  }
}

function snappyBody(raw: Buffer, limit: number): Buffer {
  let decoded: Uint8Array;
  try {
    decoded = snappyFramedDecode(raw);
  } catch (err) {
    if (err instanceof CodecError) throw new PushgatewayError('bad_request', `invalid snappy body: ${err.message}`, { cause: err });
    throw err;
  }
  if (decoded.length > limit) throw new PushgatewayError('bad_request', `request body larger than the limit of ${limit} bytes`);
  return Buffer.from(decoded.buffer, decoded.byteOffset, decoded.length);
}
