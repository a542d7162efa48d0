import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonString } from '@pyrometer/http-api';

/**
 * Writes a JSON body as go-swagger's producer does: `Content-Type: application/json` and the
 * encoded value followed by a newline.
 */
export function sendJson(res: ServerResponse, status: number, json: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(json + '\n');
}

/** A 2xx or 4xx whose payload is a bare JSON string (upstream's `…WithPayload(err.Error())`). */
export function sendMessage(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, jsonString(message));
}

/** A status without a body (upstream's `NewGetSilenceNotFound()`, `NewPostAlertsOK()`). */
export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

/** go-openapi's framework errors: `{"code":…,"message":…}` without a trailing newline; codes ≥ 600 answer 422. */
export function sendApiError(res: ServerResponse, code: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(code >= 600 ? 422 : code, { 'Content-Type': 'application/json', ...headers });
  res.end(`{"code":${code},"message":${jsonString(message)}}`);
}

/** go-openapi validation error codes (go-openapi/errors). */
export const ApiErrorCode = { InvalidType: 601, Required: 602, TooFewItems: 612 } as const;

/** rs/cors's default handler as upstream wraps the API: any origin, `Vary: Origin`; preflights answered. */
export function applyCors(req: IncomingMessage, res: ServerResponse): boolean {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
    res.setHeader('Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
    res.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': String(req.headers['access-control-request-method']).toUpperCase() });
    res.end();
    return true;
  }
  res.setHeader('Access-Control-Allow-Origin', '*');
  return false;
}
