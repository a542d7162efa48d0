import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { ConfigError, YamlReader, type HttpClientConfig, type TlsConfig } from '@pyrometer/config';
import { AlertmanagerError } from '../errors.js';
import { matcherParser, type FallbackListener, type MatcherMode, type MatcherParser } from '../labels/parse.js';
import { marshalConfig, readConfig, type AlertmanagerConfig } from './config.js';
import { INTEGRATION_TYPES } from './receivers/receiver.js';

/** How matchers and label names are parsed (`--enable-feature=classic-mode|utf8-strict-mode`). */
export interface ConfigLoadOptions {
  matcherMode: MatcherMode;
  /** Told when a matcher only parsed with the classic parser (upstream logs a warning). */
  onMatcherFallback?: FallbackListener;
}

/** A config file as loaded: the parsed config, the parser that read it, and both texts. */
export interface LoadedConfig {
  readonly config: AlertmanagerConfig;
  readonly parser: MatcherParser;
  /** The file's text. */
  readonly text: string;
  /** The config written back as `/api/v2/status` reports it (`config.original`). */
  readonly original: string;
}

/**
 * Parses alertmanager.yml text. `filename` appears in error messages; relative paths stay as
 * written unless `baseDir` is given. Throws an `invalid_config` {@link AlertmanagerError} whose
 * `detail` is upstream's message and whose message adds `file:line:col` where known.
 */
export function parseAlertmanagerConfig(text: string, filename: string, options: ConfigLoadOptions, baseDir?: string): LoadedConfig {
  const parser = matcherParser(options.matcherMode, options.onMatcherFallback);
  try {
    const config = readConfig(new YamlReader(filename, text), parser);
    if (baseDir !== undefined) resolvePaths(config, baseDir);
    return { config, parser, text, original: marshalConfig(config, parser) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Unknown fields read as upstream's strict YAML decoder words them.
    const detail = err.code === 'unknown_field' ? `yaml: unmarshal errors:\n  line ${err.position.line ?? 0}: ${err.problem}` : err.problem;
    throw new AlertmanagerError('invalid_config', err.message, { cause: err, detail });
  }
}

/** Reads and parses a config file; relative template and credential paths resolve against its folder. */
export async function loadAlertmanagerConfig(path: string, options: ConfigLoadOptions): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AlertmanagerError('invalid_config', `${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseAlertmanagerConfig(text, path, options, dirname(path));
}

function resolvePaths(config: AlertmanagerConfig, baseDir: string): void {
  const join1 = (p: string) => (p !== '' && !isAbsolute(p) ? join(baseDir, p) : p);
  config.templates = config.templates.map(join1);
  const seen = new Set<HttpClientConfig>();
  const http = (c: HttpClientConfig | undefined) => {
    if (c === undefined || seen.has(c)) return;
    seen.add(c);
    if (c.basicAuth) {
      c.basicAuth.usernameFile = join1(c.basicAuth.usernameFile);
      c.basicAuth.passwordFile = join1(c.basicAuth.passwordFile);
    }
    if (c.authorization) c.authorization.credentialsFile = join1(c.authorization.credentialsFile);
    if (c.oauth2) c.oauth2.clientSecretFile = join1(c.oauth2.clientSecretFile);
    tls(c.tls, join1);
  };
  http(config.global.httpConfig);
  for (const rcv of config.receivers) {
    for (const type of INTEGRATION_TYPES) {
      for (const integration of rcv[type]) if ('httpConfig' in integration) http(integration.httpConfig);
    }
  }
}

function tls(t: TlsConfig, join1: (p: string) => string): void {
  t.caFile = join1(t.caFile);
  t.certFile = join1(t.certFile);
  t.keyFile = join1(t.keyFile);
}
