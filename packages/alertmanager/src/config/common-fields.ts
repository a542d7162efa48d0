import { defaultHttpClientConfig, defaultTlsConfig, httpClientFields, readTlsConfig, type HttpClientConfig, type TlsConfig, type YamlReader, type YNode } from '@pyrometer/config';
import { goQuote } from '@pyrometer/model';
import { custom, type Field } from './schema.js';
import type { YamlValue } from './yaml-emit.js';

/** What a `Secret` or `SecretURL` is written as in `config.original`. */
export const SECRET_TOKEN = '<secret>';

/** Go's `config.parseURL`: an absolute http or https URL with a host. Returns an error message. */
export function checkHttpUrl(s: string): string | undefined {
  if ([...s].some((c) => c.charCodeAt(0) < 0x20 || c === '\x7f')) return `parse ${goQuote(s)}: net/url: invalid control character in URL`;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/s.exec(s);
  const scheme = m ? m[1]!.toLowerCase() : '';
  if (scheme !== 'http' && scheme !== 'https') return `unsupported scheme ${goQuote(scheme)} for URL`;
  const rest = m![2]!;
  const authority = rest.startsWith('//') ? rest.slice(2).split(/[/?#]/)[0]! : '';
  if (authority.slice(authority.lastIndexOf('@') + 1) === '') return 'missing host for URL';
  return undefined;
}

function readUrl(r: YamlReader, n: YNode, key: string, secret: boolean): string {
  const s = r.string(n, key);
  if (secret && s === SECRET_TOKEN) return s;
  const problem = checkHttpUrl(s);
  if (problem !== undefined) throw r.error(n, secret ? problem.replaceAll(s, '[REDACTED]') : problem);
  return s;
}

/** A `*URL`: an http(s) URL, or undefined when absent. */
export function urlField(key: string, o: { initial?: string; omitEmpty?: boolean; newer?: boolean } = {}): Field<string | undefined> {
  return custom(key, () => o.initial, (r, n) => (r.isNull(n) ? undefined : readUrl(r, n, key, false)), (v) => (v === undefined ? (o.omitEmpty === false ? null : undefined) : v), o.newer ? { newer: true } : {});
}

/**
 * A `*SecretURL`: like a URL, written as `<secret>` (or `o.redactedAs`); reading `<secret>` or the
 * redaction back is allowed (amtool reads `config.original`).
 */
export function secretUrlField(key: string, o: { omitEmpty?: boolean; redactedAs?: string } = {}): Field<string | undefined> {
  const redacted = o.redactedAs ?? SECRET_TOKEN;
  return custom(
    key,
    () => undefined,
    (r, n) => (r.isNull(n) ? undefined : readUrl(r, n, key, true)),
    (v) => (v === undefined ? (o.omitEmpty ? undefined : null) : redacted),
  );
}

/**
 * How `config.original` writes a webhook `url`. Alertmanager 0.26 made it a secret and writes
 * `<secret>`, which amtool releases before 0.26 (Debian ships 0.25) cannot parse as a URL, so
 * `amtool config routes` fails on every config with a webhook. This redaction hides the URL just
 * as well and parses in every amtool; newer ones read it as any URL.
 */
export const REDACTED_WEBHOOK_URL = 'http://secret.invalid/<secret>';

/** `host:port` (`config.HostPort`), e.g. `smtp_smarthost`. */
export interface HostPort {
  host: string;
  port: string;
}

export function hostPortField(key: string): Field<HostPort | undefined> {
  return custom(
    key,
    () => undefined,
    (r, n) => {
      const s = r.string(n, key);
      if (s === '') return undefined;
      const hp = splitHostPort(s);
      if (typeof hp === 'string') throw r.error(n, hp);
      if (hp.port === '') throw r.error(n, `address ${goQuote(s)}: port cannot be empty`);
      return hp;
    },
    (v) => (v === undefined ? undefined : formatHostPort(v)),
  );
}

export function formatHostPort(hp: HostPort): string {
  return `${hp.host}:${hp.port}`;
}

/** Go's `net.SplitHostPort`, returning its error text. */
function splitHostPort(s: string): HostPort | string {
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) return `address ${s}: missing ']' in address`;
    if (s[end + 1] !== ':') return `address ${s}: missing port in address`;
    return { host: s.slice(1, end), port: s.slice(end + 2) };
  }
  const i = s.lastIndexOf(':');
  if (i < 0) return `address ${s}: missing port in address`;
  if (s.indexOf(':') !== i) return `address ${s}: too many colons in address`;
  return { host: s.slice(0, i), port: s.slice(i + 1) };
}

/** A `*commoncfg.HTTPClientConfig`: undefined when absent (the receiver then uses `global.http_config`). */
export function httpConfigField(key: string): Field<HttpClientConfig | undefined> {
  return custom(key, () => undefined, (r, n) => (r.isNull(n) ? undefined : readHttpConfig(r, n)), (v) => (v === undefined ? undefined : emitHttpConfig(v)));
}

export function readHttpConfig(r: YamlReader, n: YNode): HttpClientConfig {
  if (r.isNull(n)) return defaultHttpClientConfig();
  const { config, fields, finish } = httpClientFields(r, n);
  r.struct(n, 'config.plain', fields);
  finish();
  return config;
}

/** A `*commoncfg.TLSConfig`. */
export function tlsConfigField(key: string, o: { initial?: () => TlsConfig; newer?: boolean } = {}): Field<TlsConfig | undefined> {
  return custom(key, o.initial ?? (() => undefined), (r, n) => (r.isNull(n) ? undefined : readTlsConfig(r, n)), (v) => (v === undefined ? undefined : emitTls(v)), o.newer ? { newer: true } : {});
}

export { defaultTlsConfig };

type Entries = [string, YamlValue][];

const put = (out: Entries, key: string, value: string, omitEmpty = true): void => {
  if (value !== '' || !omitEmpty) out.push([key, value]);
};
const putSecret = (out: Entries, key: string, value: string, omitEmpty = true): void => {
  if (value !== '') out.push([key, SECRET_TOKEN]);
  else if (!omitEmpty) out.push([key, null]);
};

/** prometheus/common v0.61's `HTTPClientConfig` as `yaml.Marshal` writes it. */
export function emitHttpConfig(c: HttpClientConfig): YamlValue {
  const out: Entries = [];
  if (c.basicAuth) {
    const b: Entries = [['username', c.basicAuth.username]];
    put(b, 'username_file', c.basicAuth.usernameFile);
    putSecret(b, 'password', c.basicAuth.password);
    put(b, 'password_file', c.basicAuth.passwordFile);
    out.push(['basic_auth', { map: b }]);
  }
  if (c.authorization) {
    const a: Entries = [];
    put(a, 'type', c.authorization.type);
    putSecret(a, 'credentials', c.authorization.credentials);
    put(a, 'credentials_file', c.authorization.credentialsFile);
    out.push(['authorization', { map: a }]);
  }
  if (c.oauth2) {
    const o: Entries = [['client_id', c.oauth2.clientId]];
    putSecret(o, 'client_secret', c.oauth2.clientSecret, false);
    o.push(['client_secret_file', c.oauth2.clientSecretFile], ['client_secret_ref', '']);
    if (c.oauth2.scopes.length > 0) o.push(['scopes', { seq: c.oauth2.scopes }]);
    o.push(['token_url', c.oauth2.tokenUrl]);
    const params = Object.keys(c.oauth2.endpointParams).sort();
    if (params.length > 0) o.push(['endpoint_params', { map: params.map((k) => [k, c.oauth2!.endpointParams[k]!] as const) }]);
    out.push(['oauth2', { map: o }]);
  }
  const tls = emitTls(c.tls);
  if (tls !== undefined && !isZeroTls(c.tls)) out.push(['tls_config', tls]);
  out.push(['follow_redirects', c.followRedirects], ['enable_http2', c.enableHttp2]);
  put(out, 'proxy_url', c.proxyUrl);
  put(out, 'no_proxy', c.noProxy);
  if (c.proxyFromEnvironment) out.push(['proxy_from_environment', true]);
  const headers = Object.keys(c.httpHeaders).sort();
  if (headers.length > 0) out.push(['http_headers', { map: headers.map((h) => [h, { map: [['values', { seq: c.httpHeaders[h]! }]] }] as const) }]);
  return { map: out };
}

function isZeroTls(t: TlsConfig): boolean {
  return Object.values(t).every((v) => v === '' || v === false);
}

function emitTls(t: TlsConfig): YamlValue {
  const out: Entries = [];
  put(out, 'ca', t.ca);
  put(out, 'cert', t.cert);
  putSecret(out, 'key', t.key);
  put(out, 'ca_file', t.caFile);
  put(out, 'cert_file', t.certFile);
  put(out, 'key_file', t.keyFile);
  put(out, 'server_name', t.serverName);
  out.push(['insecure_skip_verify', t.insecureSkipVerify]);
  put(out, 'min_version', t.minVersion);
  put(out, 'max_version', t.maxVersion);
  return { map: out };
}
