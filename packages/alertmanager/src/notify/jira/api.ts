import type { HttpClient } from '@pyrometer/http-client';
import { AlertmanagerError } from '../../errors.js';
import { jsonObject } from '../answer.js';
import { checkStatus, postJson, type Retrier } from '../http-post.js';
import { notifyError } from '../notifier.js';
import { encodeJson } from '../payload.js';
import { joinPath } from '../url.js';

/** Rate limiting (429) and 5xx are retried. */
const RETRIER: Retrier = { retryCodes: [429] };

/** How one notification talks to the Jira REST API under `api_url`. */
export interface JiraApiOptions {
  readonly client: HttpClient;
  readonly apiUrl: string;
  readonly userAgent: string;
  readonly signal: AbortSignal;
}

/**
 * One call of the REST API (upstream's `doAPIRequest`): `<api_url>/<path>` with `Content-Type:
 * application/json` (on GET too) and `Accept-Language: en`, the body encoded as Go encodes it.
 * Resolves with the 2xx answer's body. As upstream, a network failure is not retried.
 */
export async function jiraRequest(o: JiraApiOptions, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<string> {
  let answer;
  try {
    answer = await postJson(o.client, joinPath(o.apiUrl, path), body === undefined ? '' : encodeJson(body), { method, headers: { 'accept-language': 'en' }, userAgent: o.userAgent, signal: o.signal, redactUrl: false });
  } catch (err) {
    throw err instanceof AlertmanagerError ? notifyError(err.message, false, err.reason, err) : err;
  }
  const failure = checkStatus(RETRIER, answer.statusCode, answer.body);
  if (failure !== undefined) throw failure;
  return answer.body;
}

/** A JSON answer as an object; one that is not fails for good (upstream's `json.Unmarshal` error). */
export function parseObject(body: string): Record<string, unknown> {
  return jsonObject(body, (err) => notifyError(err.message, false, 'other', err));
}
