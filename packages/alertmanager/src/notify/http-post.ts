import { defaultHttpClientConfig, type HttpClientConfig } from '@pyrometer/config';
import { HttpClient } from '@pyrometer/http-client';
import { AlertmanagerError } from '../errors.js';
import { notifyError, reasonOf } from './notifier.js';

/**
 * Upstream's `notify.Retrier`: which failed answers are worth retrying. 2xx succeeds; 5xx and
 * `retryCodes` (e.g. 429 for PagerDuty, Opsgenie) are retried; anything else fails for good.
 * The error reads `unexpected status code N: <details>`, the details being the body unless
 * `details` extracts them. `withReason: false` keeps the failure reason `other` for
 * integrations that do not classify their errors upstream (Discord).
 */
export interface Retrier {
  readonly retryCodes?: readonly number[];
  readonly details?: (statusCode: number, body: string) => string;
  readonly withReason?: boolean;
}

/** The failure for an answer, or undefined for a 2xx one. */
export function checkStatus(retrier: Retrier, statusCode: number, body: string): AlertmanagerError | undefined {
  if (Math.floor(statusCode / 100) === 2) return undefined;
  const retryable = Math.floor(statusCode / 100) === 5 || (retrier.retryCodes ?? []).includes(statusCode);
  const details = retrier.details ? retrier.details(statusCode, body) : body;
  const message = `unexpected status code ${statusCode}${details === '' ? '' : `: ${details}`}`;
  return notifyError(message, retryable, retrier.withReason === false ? 'other' : reasonOf(statusCode));
}

/**
 * The HTTP client of one integration entry, from its `http_config` (the global one was already
 * filled in). Settings the client cannot honour yet are refused rather than ignored, so no
 * notification silently bypasses a configured proxy.
 */
export async function integrationHttpClient(config: HttpClientConfig | undefined): Promise<HttpClient> {
  const c = config ?? defaultHttpClientConfig();
  const unsupported = c.proxyUrl !== '' ? 'proxy_url' : c.proxyFromEnvironment ? 'proxy_from_environment' : c.oauth2 !== undefined ? 'oauth2' : undefined;
  if (unsupported !== undefined) throw new AlertmanagerError('invalid_config', `http_config: ${unsupported} is not supported by this Alertmanager yet`);
  return HttpClient.create(c);
}

/** One answer of a receiver's API. */
export interface PostAnswer {
  readonly statusCode: number;
  readonly contentType: string;
  readonly body: string;
}

export interface PostOptions {
  readonly method?: 'POST' | 'PUT' | 'GET';
  /** The body's `Content-Type`: `application/json` unless given; `''` sends none (upstream's `notify.Get`). */
  readonly contentType?: string;
  readonly userAgent: string;
  readonly signal: AbortSignal;
  /** Extra headers (e.g. `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Hide the URL in network errors (it holds a secret: webhook URLs, bot tokens). */
  readonly redactUrl: boolean;
  /** Put before a network error's message, e.g. `failed to post message to PagerDuty: `. */
  readonly networkErrorPrefix?: string;
}

/**
 * Sends a body as upstream's `notify.PostJSON` does (User-Agent, `Content-Type:
 * application/json` unless told otherwise; `GET` sends no body) and reads the whole answer. A
 * network failure rejects with a retryable `notify` error `Post "<url>": <cause>` (after the
 * prefix, if any), the URL redacted when asked.
 */
export async function postJson(client: HttpClient, url: string, body: string, o: PostOptions): Promise<PostAnswer> {
  const method = o.method ?? 'POST';
  try {
    const contentType = o.contentType ?? 'application/json';
    const headers = { ...o.headers, ...(contentType === '' ? {} : { 'content-type': contentType }), 'user-agent': o.userAgent };
    const res = await client.request(url, { method, ...(method === 'GET' ? {} : { body }), headers, signal: o.signal });
    const answerType = res.headers['content-type'];
    return { statusCode: res.statusCode, contentType: typeof answerType === 'string' ? answerType : '', body: await res.body.text() };
  } catch (err) {
    if (err instanceof AlertmanagerError) throw err;
    const cause = (err as Error).message;
    const shown = o.redactUrl ? '<redacted>' : url;
    const verb = method.charAt(0) + method.slice(1).toLowerCase();
    throw notifyError(`${o.networkErrorPrefix ?? ''}${verb} ${JSON.stringify(shown)}: ${o.redactUrl ? cause.replaceAll(url, '<redacted>') : cause}`, true, 'other', err);
  }
}

/** Posts and applies the retrier: resolves with the 2xx answer, rejects with the classified failure. */
export async function postChecked(client: HttpClient, url: string, body: string, retrier: Retrier, o: PostOptions): Promise<PostAnswer> {
  const answer = await postJson(client, url, body, o);
  const failure = checkStatus(retrier, answer.statusCode, answer.body);
  if (failure !== undefined) throw failure;
  return answer;
}
