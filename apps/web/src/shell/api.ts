import { appUrl } from './base-path.js';

/** A failed API call: the server's error text (or the HTTP status), for showing as it is. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorType?: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export type Params = Record<string, string | number | readonly string[] | undefined>;

function query(params: Params): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) search.append(k, item);
    else search.append(k, String(v));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** The Prometheus API envelope (`/api/v1`): data on success, the error text on failure. */
interface Envelope<T> {
  status: 'success' | 'error';
  data?: T;
  error?: string;
  errorType?: string;
  warnings?: string[];
  infos?: string[];
}

/** The data of a Prometheus-style API answer, with its warnings and infos. */
export interface ApiAnswer<T> {
  data: T;
  warnings: string[];
  infos: string[];
}

/**
 * Calls a Prometheus-envelope endpoint (the server's `/api/v1/…`, the Pushgateway's `/api/v1/…`)
 * relative to the app's base path. Rejects with {@link ApiRequestError} carrying the server's
 * message on `status: "error"` or a non-JSON answer.
 */
export async function promApi<T>(path: string, params: Params = {}, init: RequestInit = {}): Promise<ApiAnswer<T>> {
  const res = await fetch(appUrl(path) + query(params), { ...init, headers: { Accept: 'application/json', ...init.headers } });
  const text = await res.text();
  let body: Envelope<T>;
  try {
    body = JSON.parse(text) as Envelope<T>;
  } catch {
    throw new ApiRequestError(`${res.status} ${res.statusText}: ${text.trim() || 'no body'}`, res.status);
  }
  if (body.status !== 'success') throw new ApiRequestError(body.error ?? `HTTP ${res.status}`, res.status, body.errorType);
  return { data: body.data as T, warnings: body.warnings ?? [], infos: body.infos ?? [] };
}

/** Shorthand for {@link promApi} when only the data matters. */
export async function promData<T>(path: string, params: Params = {}): Promise<T> {
  return (await promApi<T>(path, params)).data;
}

/**
 * Calls a plain JSON endpoint (the Alertmanager's API v2): the parsed body on 2xx, otherwise an
 * {@link ApiRequestError} with the body's text (API v2 errors are JSON strings or plain text).
 */
export async function jsonApi<T>(path: string, init: RequestInit & { params?: Params } = {}): Promise<T> {
  const { params = {}, ...rest } = init;
  const res = await fetch(appUrl(path) + query(params), { ...rest, headers: { Accept: 'application/json', ...(rest.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...rest.headers } });
  const text = await res.text();
  if (!res.ok) {
    let message = text.trim();
    try {
      const parsed = JSON.parse(text) as unknown;
      message = typeof parsed === 'string' ? parsed : typeof parsed === 'object' && parsed !== null && 'message' in parsed ? String(parsed.message) : message;
    } catch {
      // plain text error
    }
    throw new ApiRequestError(`${res.status} ${res.statusText}: ${message || 'no body'}`, res.status);
  }
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
