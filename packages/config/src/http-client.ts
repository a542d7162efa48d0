import { readFile } from 'node:fs/promises';
import { Agent, interceptors, type Dispatcher } from 'undici';
import type { HttpClientConfig } from './types.js';

/**
 * An HTTP client built from prometheus/common's `http_config` section (its
 * `NewClientFromConfig`): one pooled, keep-alive undici dispatcher with the TLS settings and
 * redirect policy, plus the request headers the section adds (authorization, `http_headers`).
 * Credential files are read again for every request, so rotated secrets are picked up.
 */
export interface ConfiguredHttpClient {
  readonly dispatcher: Dispatcher;
  /** `authorization` and configured headers, lower-case names. */
  headers(): Promise<Record<string, string>>;
  /** Ends the pooled connections; requests in flight fail. */
  close(): Promise<void>;
}

const TLS_VERSIONS: Record<string, string> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

/** Builds a client; TLS files are read now, so a missing one is an error naming it. */
export async function createHttpClient(config: HttpClientConfig): Promise<ConfiguredHttpClient> {
  const t = config.tls;
  const ca = t.ca || (t.caFile ? await readFile(t.caFile, 'utf8') : undefined);
  const cert = t.cert || (t.certFile ? await readFile(t.certFile, 'utf8') : undefined);
  const key = t.key || (t.keyFile ? await readFile(t.keyFile, 'utf8') : undefined);
  const connect: Record<string, unknown> = { rejectUnauthorized: !t.insecureSkipVerify };
  if (ca) connect['ca'] = ca;
  if (cert) connect['cert'] = cert;
  if (key) connect['key'] = key;
  if (t.serverName) connect['servername'] = t.serverName;
  if (t.minVersion) connect['minVersion'] = TLS_VERSIONS[t.minVersion] ?? t.minVersion;
  if (t.maxVersion) connect['maxVersion'] = TLS_VERSIONS[t.maxVersion] ?? t.maxVersion;
  const agent = new Agent({ connect, keepAliveTimeout: 60_000, allowH2: false });
  const dispatcher = config.followRedirects ? agent.compose(interceptors.redirect({ maxRedirections: 10 })) : agent;
  return {
    dispatcher,
    headers: () => requestHeaders(config),
    close: () => agent.close(),
  };
}

async function requestHeaders(config: HttpClientConfig): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(config.httpHeaders)) if (values.length > 0) headers[name.toLowerCase()] = values.join(', ');
  const { basicAuth, authorization } = config;
  if (basicAuth) {
    const user = basicAuth.usernameFile ? (await readFile(basicAuth.usernameFile, 'utf8')).trim() : basicAuth.username;
    const pass = basicAuth.passwordFile ? (await readFile(basicAuth.passwordFile, 'utf8')).trim() : basicAuth.password;
    headers['authorization'] = 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');
  } else if (authorization) {
    const cred = authorization.credentialsFile ? (await readFile(authorization.credentialsFile, 'utf8')).trim() : authorization.credentials;
    headers['authorization'] = `${authorization.type} ${cred}`;
  }
  return headers;
}
