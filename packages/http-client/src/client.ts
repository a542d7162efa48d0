import { readFile } from 'node:fs/promises';
import type { ConnectionOptions, SecureVersion } from 'node:tls';
import type { HttpClientConfig, TlsConfig } from '@pyrometer/config';
import type * as UndiciModule from 'undici';
import type { Agent, Dispatcher } from 'undici';

/**
 * undici, loaded by the first {@link HttpClient.create}: a thread that never makes a client (a query
 * worker without `remote_read`) does not pay its ~50 ms of module set-up and Node built-ins
 * (http2, streams, crypto) at start. esbuild inlines the import into apps/server's bundles.
 */
type Undici = typeof UndiciModule;

/**
 * prometheus/common's `HTTPClientConfig` as `@pyrometer/config` loads it. Honoured: `tls`,
 * `basicAuth`, `authorization`, `followRedirects`, `httpHeaders`.
 */
export type HttpClientSettings = HttpClientConfig;

/** One request's settings. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  headers: Record<string, string>;
  body?: string | Buffer;
  signal: AbortSignal;
}

/**
 * An HTTP client for one configured section (a scrape pool, an SD source, an Alertmanager set):
 * one undici Agent with keep-alive and the section's TLS settings, plus its authentication and
 * extra headers on every request. Credential files are read on every request so rotated secrets
 * are picked up; TLS files are read once, at `create`. `close()` ends the pooled connections.
 */
export class HttpClient {
  private readonly dispatcher: Dispatcher;

  private constructor(private readonly undici: Undici, private readonly settings: HttpClientSettings, private readonly agent: Agent) {
    this.dispatcher = settings.followRedirects ? agent.compose(undici.interceptors.redirect({ maxRedirections: 10 })) : agent;
  }

  /** Creates a client; reads the TLS files now (a missing file rejects with the error naming it). */
  static async create(settings: HttpClientSettings): Promise<HttpClient> {
    const undici = await import('undici');
    const connect = await tlsConnectOptions(settings.tls);
    return new HttpClient(undici, settings, new undici.Agent({ connect: connect as Record<string, unknown>, keepAliveTimeout: 60_000, allowH2: false }));
  }

  /**
   * Sends one request with the configured authentication and extra headers added (the configured
   * extra headers win over `req.headers`, as upstream's header round tripper sets them last). The
   * caller owns the response body and must consume or destroy it. Rejects on connection failures,
   * on an unreadable credentials file and when `req.signal` aborts.
   */
  async request(url: string, req: HttpRequest): Promise<Dispatcher.ResponseData> {
    return this.undici.request(url, { method: req.method, headers: await this.headersFor(req.headers), body: req.body ?? null, dispatcher: this.dispatcher, signal: req.signal });
  }

  /**
   * The headers {@link request} sends for `headers`: with the configured authentication and extra
   * headers (which win), names in lower case. For callers that send requests themselves.
   */
  async headersFor(headers: Readonly<Record<string, string>>): Promise<Record<string, string>> {
    // Names in lower case, so that a configured header replaces the caller's whatever their case (Go's
    // header map is keyed by the canonical name).
    const all: Record<string, string> = await this.authHeaders();
    for (const [name, value] of Object.entries(headers)) all[name.toLowerCase()] = value;
    for (const [name, values] of Object.entries(this.settings.httpHeaders)) if (values.length > 0) all[name.toLowerCase()] = values.join(', ');
    return all;
  }

  /** Whether redirects are followed (`follow_redirects`). */
  get followsRedirects(): boolean {
    return this.settings.followRedirects;
  }

  /** Ends pooled connections; in-flight requests fail. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  private async authHeaders(): Promise<Record<string, string>> {
    const { basicAuth, authorization } = this.settings;
    if (basicAuth) {
      const user = basicAuth.usernameFile ? (await readFile(basicAuth.usernameFile, 'utf8')).trim() : basicAuth.username;
      const pass = basicAuth.passwordFile ? (await readFile(basicAuth.passwordFile, 'utf8')).trim() : basicAuth.password;
      return { authorization: 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64') };
    }
    if (authorization) {
      const cred = authorization.credentialsFile ? (await readFile(authorization.credentialsFile, 'utf8')).trim() : authorization.credentials;
      return { authorization: `${authorization.type} ${cred}` };
    }
    return {};
  }
}

/**
 * Node's TLS client options for a `tls_config` section: CA, client certificate and key (inline PEM
 * or files, read now; a missing file rejects naming it), `server_name`, `insecure_skip_verify` and
 * the version bounds. Used by the HTTP clients here and by other TLS clients (SMTP).
 */
export async function tlsConnectOptions(t: TlsConfig): Promise<ConnectionOptions> {
  const ca = t.ca || (t.caFile ? await readFile(t.caFile, 'utf8') : undefined);
  const cert = t.cert || (t.certFile ? await readFile(t.certFile, 'utf8') : undefined);
  const key = t.key || (t.keyFile ? await readFile(t.keyFile, 'utf8') : undefined);
  const connect: ConnectionOptions = { rejectUnauthorized: !t.insecureSkipVerify };
  if (ca) connect.ca = ca;
  if (cert) connect.cert = cert;
  if (key) connect.key = key;
  if (t.serverName) connect.servername = t.serverName;
  if (t.minVersion) connect.minVersion = tlsVersion(t.minVersion);
  if (t.maxVersion) connect.maxVersion = tlsVersion(t.maxVersion);
  return connect;
}

function tlsVersion(v: string): SecureVersion {
  return ({ TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const)[v as 'TLS10'] ?? (v as SecureVersion);
}
