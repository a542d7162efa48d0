import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/**
 * Reads a whole request body of at most `limit` bytes. A declared `Content-Length` over the limit
 * is refused before reading; a body that grows past it stops being read. Either way the error is
 * an {@link HttpError} `body_too_large` (413, naming the limit: a sender must not retry such a
 * body). A body cut short by the client is `body_unreadable` (400).
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError('body_too_large', `request body of ${declared} bytes exceeds the limit of ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new HttpError('body_too_large', `request body exceeds the limit of ${limit} bytes`);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError('body_unreadable', `reading the request body failed: ${(err as Error).message}`, { cause: err });
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
