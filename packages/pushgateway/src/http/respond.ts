import type { ServerResponse } from 'node:http';

/** A plain-text error as Go's `http.Error` writes it (message plus newline, nosniff). */
export function sendError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(message + '\n');
}

/** An empty answer with just a status code. */
export function sendStatus(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

/** The v1 API envelope `{"status":"success","data":…}` with upstream's CORS headers. */
export function sendApiSuccess(res: ServerResponse, data: unknown): void {
  res.writeHead(200, { 'Content-Type': 'application/json', ...CORS_HEADERS });
  res.end(JSON.stringify({ status: 'success', data }));
}

/** The v1 API error envelope (`bad_data` → 400). */
export function sendApiError(res: ServerResponse, status: number, errorType: string, error: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...CORS_HEADERS });
  res.end(JSON.stringify({ status: 'error', errorType, error }));
}

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Headers': 'Accept, Authorization, Content-Type, Origin',
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Date',
  'Cache-Control': 'no-cache, no-store, must-revalidate',
};
