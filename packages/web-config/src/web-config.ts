import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import bcrypt from 'bcryptjs';
import { parse as parseYaml } from 'yaml';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TlsOptions } from 'node:tls';

/** The parts of upstream's `--web.config.file` (exporter-toolkit) that we serve. */
export interface WebConfig {
  tls?: { certFile: string; keyFile: string; clientCaFile?: string; clientAuthType: string; minVersion?: string };
  /** User name → bcrypt hash. */
  basicAuthUsers: Map<string, string>;
  /** Extra response headers (`http_server_config.headers`). */
  headers: Record<string, string>;
}

/** Raised for a bad web config file; the message names the file and the field. */
export class WebConfigError extends Error {
  override readonly name = 'WebConfigError';
}

const TOP_LEVEL = new Set(['tls_server_config', 'basic_auth_users', 'http_server_config']);
const TLS_KEYS = new Set(['cert_file', 'key_file', 'client_auth_type', 'client_ca_file', 'min_version', 'max_version', 'cipher_suites', 'curve_preferences', 'prefer_server_cipher_suites', 'client_allowed_sans']);

/** Loads and validates a web config file; relative cert paths resolve against the file's folder. */
export function loadWebConfig(path: string): WebConfig {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8')) ?? {};
  } catch (err) {
    throw new WebConfigError(`${path}: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new WebConfigError(`${path}: expected a mapping at the top level`);
  const config: WebConfig = { basicAuthUsers: new Map(), headers: {} };
  for (const key of Object.keys(doc)) if (!TOP_LEVEL.has(key)) throw new WebConfigError(`${path}: field ${key} not found in type web.Config`);
  const d = doc as Record<string, unknown>;
  const tls = d['tls_server_config'] as Record<string, unknown> | undefined;
  if (tls) {
    for (const key of Object.keys(tls)) if (!TLS_KEYS.has(key)) throw new WebConfigError(`${path}: field ${key} not found in type web.TLSConfig`);
    const base = dirname(path);
    if (typeof tls['cert_file'] !== 'string' || typeof tls['key_file'] !== 'string') throw new WebConfigError(`${path}: tls_server_config needs both cert_file and key_file`);
    config.tls = {
      certFile: resolve(base, tls['cert_file']),
      keyFile: resolve(base, tls['key_file']),
      clientAuthType: String(tls['client_auth_type'] ?? 'NoClientCert'),
      ...(typeof tls['client_ca_file'] === 'string' ? { clientCaFile: resolve(base, tls['client_ca_file']) } : {}),
      ...(typeof tls['min_version'] === 'string' ? { minVersion: tls['min_version'] } : {}),
    };
  }
  const users = d['basic_auth_users'] as Record<string, unknown> | undefined;
  for (const [user, hash] of Object.entries(users ?? {})) {
    if (typeof hash !== 'string' || !/^\$2[aby]\$\d\d\$/.test(hash)) throw new WebConfigError(`${path}: basic_auth_users.${user} must be a bcrypt hash`);
    config.basicAuthUsers.set(user, hash);
  }
  const server = d['http_server_config'] as Record<string, unknown> | undefined;
  const headers = server?.['headers'] as Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(headers ?? {})) config.headers[k] = String(v);
  return config;
}

/**
 * Checks an `Authorization: Basic …` header against the configured users (true when no users are
 * configured). Results are cached per header value, since bcrypt is slow by design.
 */
export class BasicAuth {
  private readonly cache = new Map<string, boolean>();

  constructor(private readonly users: ReadonlyMap<string, string>) {}

  get enabled(): boolean {
    return this.users.size > 0;
  }

  check(header: string | undefined): boolean {
    if (!this.enabled) return true;
    if (header === undefined || !header.startsWith('Basic ')) return false;
    const cached = this.cache.get(header);
    if (cached !== undefined) return cached;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const hash = colon < 0 ? undefined : this.users.get(decoded.slice(0, colon));
    const ok = hash !== undefined && bcrypt.compareSync(decoded.slice(colon + 1), hash);
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(header, ok);
    return ok;
  }
}

/**
 * The TLS options of an HTTPS server for a web config with `tls_server_config` (certificate and
 * key, client certificates as `client_auth_type` asks, minimum version), or undefined for plain
 * HTTP. Files are read now; a missing one throws naming it.
 */
export function tlsServerOptions(webConfig: WebConfig | undefined): TlsOptions | undefined {
  const tls = webConfig?.tls;
  if (tls === undefined) return undefined;
  return {
    cert: readFileSync(tls.certFile),
    key: readFileSync(tls.keyFile),
    ...(tls.clientCaFile !== undefined ? { ca: readFileSync(tls.clientCaFile) } : {}),
    requestCert: tls.clientAuthType !== 'NoClientCert',
    rejectUnauthorized: tls.clientAuthType === 'RequireAndVerifyClientCert',
    ...(tls.minVersion !== undefined ? { minVersion: tls.minVersion.replace('TLS1', 'TLSv1.') as 'TLSv1.2' } : {}),
  };
}

/**
 * The web config applied to a request before it is routed, as exporter-toolkit wraps upstream's
 * handler: its extra headers are set and, with `basic_auth_users`, a request without valid
 * credentials is answered 401. Returns whether the request may go on.
 */
export function webConfigGate(webConfig: WebConfig | undefined): (req: IncomingMessage, res: ServerResponse) => boolean {
  const auth = new BasicAuth(webConfig?.basicAuthUsers ?? new Map());
  const headers = webConfig?.headers ?? {};
  return (req, res) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    if (auth.check(req.headers.authorization)) return true;
    res.writeHead(401, { 'WWW-Authenticate': 'Basic', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Unauthorized\n');
    return false;
  };
}
