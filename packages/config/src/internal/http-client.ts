import { defaultHttpClientConfig, defaultTlsConfig } from '../defaults.js';
import type { Authorization, BasicAuth, HttpClientConfig, OAuth2Config, TlsConfig } from '../types.js';
import type { FieldHandlers, YamlReader, YNode } from './yaml-reader.js';

/**
 * The inline fields of prometheus/common's HTTPClientConfig, to be merged into a section's
 * handlers. Call `finish()` after the section is read to validate the combination.
 */
export function httpClientFields(r: YamlReader, section: YNode): { config: HttpClientConfig; fields: FieldHandlers; finish: () => void } {
  const config = defaultHttpClientConfig();
  let bearerToken = '';
  let bearerTokenFile = '';
  const fields: FieldHandlers = {
    basic_auth: (n) => {
      if (r.isNull(n)) return;
      config.basicAuth = readBasicAuth(r, n);
    },
    authorization: (n) => {
      if (r.isNull(n)) return;
      config.authorization = readAuthorization(r, n);
    },
    oauth2: (n) => {
      if (r.isNull(n)) return;
      config.oauth2 = readOAuth2(r, n);
    },
    bearer_token: (n) => (bearerToken = r.string(n, 'bearer_token')),
    bearer_token_file: (n) => (bearerTokenFile = r.string(n, 'bearer_token_file')),
    tls_config: (n) => (config.tls = readTlsConfig(r, n)),
    proxy_url: (n) => (config.proxyUrl = r.string(n, 'proxy_url')),
    no_proxy: (n) => (config.noProxy = r.string(n, 'no_proxy')),
    proxy_from_environment: (n) => (config.proxyFromEnvironment = r.bool(n, 'proxy_from_environment')),
    proxy_connect_header: (n) => void r.entries(n, 'proxy_connect_header', (v) => r.strings(v, 'proxy_connect_header value')),
    follow_redirects: (n) => (config.followRedirects = r.bool(n, 'follow_redirects')),
    enable_http2: (n) => (config.enableHttp2 = r.bool(n, 'enable_http2')),
    http_headers: (n) => {
      for (const [name, values] of r.entries(n, 'http_headers', (v) => readHeaderValues(r, v))) config.httpHeaders[name] = values;
    },
  };
  const finish = (): void => {
    if (bearerToken !== '' && bearerTokenFile !== '') throw r.error(section, 'at most one of bearer_token & bearer_token_file must be configured');
    const bearer = bearerToken !== '' || bearerTokenFile !== '';
    if ((config.basicAuth || config.oauth2) && bearer) {
      throw r.error(section, 'at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured');
    }
    if (config.basicAuth && config.oauth2) throw r.error(section, 'at most one of basic_auth, oauth2 & authorization must be configured');
    if (config.authorization) {
      if (bearer) throw r.error(section, 'authorization is not compatible with bearer_token & bearer_token_file');
      if (config.basicAuth || config.oauth2) throw r.error(section, 'at most one of basic_auth, oauth2 & authorization must be configured');
    }
    if (bearer) config.authorization = { type: 'Bearer', credentials: bearerToken, credentialsFile: bearerTokenFile };
    if (config.proxyFromEnvironment && config.proxyUrl !== '') throw r.error(section, 'if proxy_from_environment is configured, proxy_url must not be configured');
  };
  return { config, fields, finish };
}

function readHeaderValues(r: YamlReader, n: YNode): string[] {
  const out: string[] = [];
  r.struct(n, 'config.Header', {
    values: (v) => out.push(...r.strings(v, 'values')),
    secrets: (v) => out.push(...r.strings(v, 'secrets')),
    files: () => {
      throw r.error(n, 'http_headers files are not supported');
    },
  });
  return out;
}

function readBasicAuth(r: YamlReader, n: YNode): BasicAuth {
  const b: BasicAuth = { username: '', usernameFile: '', password: '', passwordFile: '' };
  r.struct(n, 'config.BasicAuth', {
    username: (v) => (b.username = r.string(v, 'username')),
    username_file: (v) => (b.usernameFile = r.string(v, 'username_file')),
    password: (v) => (b.password = r.string(v, 'password')),
    password_file: (v) => (b.passwordFile = r.string(v, 'password_file')),
  });
  if (b.username !== '' && b.usernameFile !== '') throw r.error(n, 'at most one of basic_auth username & username_file must be configured');
  if (b.password !== '' && b.passwordFile !== '') throw r.error(n, 'at most one of basic_auth password & password_file must be configured');
  return b;
}

function readAuthorization(r: YamlReader, n: YNode): Authorization {
  const a: Authorization = { type: 'Bearer', credentials: '', credentialsFile: '' };
  r.struct(n, 'config.Authorization', {
    type: (v) => (a.type = r.string(v, 'type').trim() || 'Bearer'),
    credentials: (v) => (a.credentials = r.string(v, 'credentials')),
    credentials_file: (v) => (a.credentialsFile = r.string(v, 'credentials_file')),
  });
  if (a.type.toLowerCase() === 'basic') throw r.error(n, 'authorization type cannot be set to "basic", use "basic_auth" instead');
  if (a.credentials !== '' && a.credentialsFile !== '') throw r.error(n, 'at most one of authorization credentials & credentials_file must be configured');
  return a;
}

function readOAuth2(r: YamlReader, n: YNode): OAuth2Config {
  const o: OAuth2Config = { clientId: '', clientSecret: '', clientSecretFile: '', scopes: [], tokenUrl: '', endpointParams: {} };
  r.struct(n, 'config.OAuth2', {
    client_id: (v) => (o.clientId = r.string(v, 'client_id')),
    client_secret: (v) => (o.clientSecret = r.string(v, 'client_secret')),
    client_secret_file: (v) => (o.clientSecretFile = r.string(v, 'client_secret_file')),
    scopes: (v) => (o.scopes = r.strings(v, 'scopes')),
    token_url: (v) => (o.tokenUrl = r.string(v, 'token_url')),
    endpoint_params: (v) => (o.endpointParams = Object.fromEntries(r.entries(v, 'endpoint_params', (x) => r.string(x)))),
    tls_config: (v) => void readTlsConfig(r, v),
    proxy_url: (v) => void r.string(v),
  });
  if (o.clientSecret !== '' && o.clientSecretFile !== '') throw r.error(n, 'at most one of oauth2 client_secret & client_secret_file must be configured');
  return o;
}

/** Reads a `tls_config` section and checks that inline and file forms are not both given. */
export function readTlsConfig(r: YamlReader, n: YNode): TlsConfig {
  const t = defaultTlsConfig();
  r.struct(n, 'config.TLSConfig', {
    ca: (v) => (t.ca = r.string(v, 'ca')),
    ca_file: (v) => (t.caFile = r.string(v, 'ca_file')),
    cert: (v) => (t.cert = r.string(v, 'cert')),
    cert_file: (v) => (t.certFile = r.string(v, 'cert_file')),
    key: (v) => (t.key = r.string(v, 'key')),
    key_file: (v) => (t.keyFile = r.string(v, 'key_file')),
    server_name: (v) => (t.serverName = r.string(v, 'server_name')),
    insecure_skip_verify: (v) => (t.insecureSkipVerify = r.bool(v, 'insecure_skip_verify')),
    min_version: (v) => (t.minVersion = readTlsVersion(r, v, 'min_version')),
    max_version: (v) => (t.maxVersion = readTlsVersion(r, v, 'max_version')),
  });
  for (const [a, b] of [['ca', 'caFile'], ['cert', 'certFile'], ['key', 'keyFile']] as const) {
    if (t[a] !== '' && t[b] !== '') throw r.error(n, `at most one of ${a} and ${a}_file must be configured`);
  }
  const hasCert = t.cert !== '' || t.certFile !== '';
  const hasKey = t.key !== '' || t.keyFile !== '';
  if (hasCert && !hasKey) throw r.error(n, 'exactly one of key or key_file must be configured when a client certificate is configured');
  if (hasKey && !hasCert) throw r.error(n, 'exactly one of cert or cert_file must be configured when a client key is configured');
  return t;
}

const TLS_VERSIONS = new Set(['TLS10', 'TLS11', 'TLS12', 'TLS13']);

function readTlsVersion(r: YamlReader, v: YNode, what: string): string {
  const s = r.string(v, what);
  if (!TLS_VERSIONS.has(s)) throw r.error(v, `unknown TLS version: ${s}`);
  return s;
}
