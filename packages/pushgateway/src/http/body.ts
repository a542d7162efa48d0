import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { PushgatewayError } from '../errors.js';

const gunzipAsync = promisify(gunzip);

/**
 * Reads a request body, refusing more than `limit` bytes (before and after decompression), and
 * decodes `Content-Encoding: gzip`. Other encodings are refused with a `bad_request` error
 * naming them.
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
  if (encoding !== 'gzip') throw new PushgatewayError('bad_request', `unsupported Content-Encoding ${JSON.stringify(encoding)} (supported: gzip)`);
  try {
    return await gunzipAsync(raw, { maxOutputLength: limit });
  } catch (err) {
    throw new PushgatewayError('bad_request', `invalid gzip body: ${(err as Error).message}`, { cause: err });
  }
}
