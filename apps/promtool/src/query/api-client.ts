import { PromtoolError } from '../errors.js';

/** A Prometheus API error as client_golang words it: `type: message`, with the body when it was not JSON. */
function apiError(type: string, msg: string, detail = ''): PromtoolError {
  return new PromtoolError('api', `${type}: ${msg}`, { detail });
}

/** What an API call returned: `data` and the warnings beside it. */
export interface ApiResult {
  readonly data: unknown;
  readonly warnings: readonly string[];
}

/**
 * A client of the Prometheus HTTP API v1 as promtool's (client_golang's) talks to it: queries and
 * series are POSTed as forms (falling back to GET on 403, 405 or 501), label values are a GET; a
 * JSON error body becomes an `api` {@link PromtoolError} with its `errorType`, any other non-2xx answer a
 * `client_error`/`server_error` carrying the body. Requests give up after two minutes.
 */
export class ApiClient {
  private readonly base: URL;

  constructor(
    server: string,
    private readonly headers: Readonly<Record<string, string>> = {},
  ) {
    this.base = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `http://${server}`);
  }

  /** POSTs `params` to `endpoint` (e.g. `/api/v1/query`), or GETs them when the server refuses POST. */
  async post(endpoint: string, params: URLSearchParams): Promise<ApiResult> {
    const url = this.url(endpoint);
    const first = await this.send(url, { method: 'POST', body: params.toString(), headers: { ...this.headers, 'Content-Type': 'application/x-www-form-urlencoded' } });
    if ([403, 405, 501].includes(first.status)) {
      url.search = params.toString();
      return this.result(await this.send(url, { method: 'GET', headers: { ...this.headers } }));
    }
    return this.result(first);
  }

  /** GETs `endpoint` with `params` in the query string. */
  async get(endpoint: string, params: URLSearchParams): Promise<ApiResult> {
    const url = this.url(endpoint);
    url.search = params.toString();
    return this.result(await this.send(url, { method: 'GET', headers: { ...this.headers } }));
  }

  private url(endpoint: string): URL {
    const url = new URL(this.base.href);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${endpoint}`;
    return url;
  }

  private async send(url: URL, init: RequestInit): Promise<{ status: number; body: string }> {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(120_000) });
      return { status: response.status, body: await response.text() };
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      throw new PromtoolError('api', `${init.method === 'POST' ? 'Post' : 'Get'} ${JSON.stringify(url.href)}: ${cause ?? (err as Error).message}`, { cause: err });
    }
  }

  private result({ status, body }: { status: number; body: string }): ApiResult {
    const apiStatus = status === 400 || status === 422;
    if (Math.floor(status / 100) !== 2 && !apiStatus) {
      const kind = Math.floor(status / 100);
      throw kind === 4 ? apiError('client_error', `client error: ${status}`, body) : kind === 5 ? apiError('server_error', `server error: ${status}`, body) : apiError('bad_response', `bad response code ${status}`, body);
    }
    let parsed: { status?: string; data?: unknown; errorType?: string; error?: string; warnings?: string[] };
    try {
      parsed = status === 204 ? {} : (JSON.parse(body) as typeof parsed);
    } catch (err) {
      throw apiError('bad_response', (err as Error).message);
    }
    if (parsed.status === 'error') throw apiError(parsed.errorType ?? '', parsed.error ?? '');
    if (apiStatus) throw apiError('bad_response', 'inconsistent body for response code');
    return { data: parsed.data, warnings: parsed.warnings ?? [] };
  }
}

/** client_golang's `formatTime`: Unix seconds with the fraction Go's shortest float formatting gives. */
export function formatApiTime(ms: number): string {
  return String(ms / 1000);
}
