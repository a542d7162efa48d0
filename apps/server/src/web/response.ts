import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants as zlibConstants, gzipSync } from 'node:zlib';

/**
 * Bodies smaller than this are sent uncompressed even when the client accepts gzip: they fit in
 * TCP's initial congestion window (10 segments) either way, so compressing them saves no round
 * trip and costs both ends (~0.1 ms of a 2 ms query; server README, "Fixed cost per query").
 */
export const GZIP_MIN_BYTES = 14 * 1024;

/**
 * zlib's fastest level for every gzip-compressed answer. At zlib's default (6) compressing a
 * 720 KB matrix answer cost 18.5 CPU-ms, more than evaluating and encoding it; level 1 costs
 * 5.7 ms for an answer 8% larger (250 vs 231 KB). See the server README ("Fixed costs per query").
 */
export const GZIP_OPTIONS = { level: zlibConstants.Z_BEST_SPEED };

/** Whether the request's Accept-Encoding lists gzip (upstream's API handlers honour it). */
export function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}

/**
 * Sends a complete response, gzip-compressed when the client accepts it and the body is worth it.
 * `Vary: Accept-Encoding` is always set.
 */
export function send(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  let payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  let encoding: 'gzip' | undefined;
  if (payload.length >= GZIP_MIN_BYTES && acceptsGzip(req)) {
    payload = gzipSync(payload, GZIP_OPTIONS);
    encoding = 'gzip';
  }
  sendEncoded(req, res, status, contentType, payload, encoding, headers);
}

/** Sends a complete response whose body is already encoded as it is to travel (`encoding`: its Content-Encoding, if any). */
export function sendEncoded(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, payload: Uint8Array, encoding: 'gzip' | undefined, headers: Record<string, string> = {}): void {
  const out: Record<string, string> = { 'Content-Type': contentType, Vary: 'Accept-Encoding', ...headers };
  if (encoding !== undefined) out['Content-Encoding'] = encoding;
  out['Content-Length'] = String(payload.length);
  res.writeHead(status, out);
  res.end(req.method === 'HEAD' ? undefined : payload);
}

/** A plain-text response (lifecycle endpoints, errors outside the API). */
export function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  send(req, res, status, 'text/plain; charset=utf-8', text, headers);
}
