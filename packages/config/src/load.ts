import { lstat, readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { ConfigError } from './errors.js';
import { readAlerting } from './internal/alerting.js';
import { readGlobal } from './internal/global.js';
import { readRemoteRead, readRemoteWrite } from './internal/remote.js';
import { readScrapeConfig } from './internal/scrape-config.js';
import { readStorage } from './internal/storage.js';
import { YamlReader, type YNode } from './internal/yaml-reader.js';
import { checkRuleFiles } from './rule-files.js';
import type { Config, GlobalConfig, ScrapeConfig } from './types.js';

/** Options of {@link parseConfig} and {@link loadConfig}. */
export interface ConfigOptions {
  /** Environment for `${VAR}` expansion in `external_labels`. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Directory against which relative `rule_files` and `scrape_config_files` paths are resolved;
   * `undefined` leaves them as written. {@link loadConfig} sets it to the config file's directory.
   */
  baseDir: string | undefined;
  /**
   * Whether {@link loadConfig} checks the `rule_files` (valid globs, named files exist, YAML).
   * promtool's `check config` turns it off: it checks them itself, and not with `--syntax-only`.
   */
  checkRuleFiles: boolean;
}

/** Defaults: the process environment, paths left as written, rule files checked. */
export function defaultConfigOptions(): ConfigOptions {
  return { env: process.env, baseDir: undefined, checkRuleFiles: true };
}

/**
 * Parses and validates prometheus.yml text. `filename` is only used in error messages. Returns a
 * fresh {@link Config} with upstream's defaults filled in; throws {@link ConfigError} (whose message
 * starts with `filename:line:col`) for the first problem found. `scrape_config_files` are listed,
 * not read: {@link loadConfig} reads them.
 */
export function parseConfig(yamlText: string, filename: string, options: Partial<ConfigOptions> = {}): Config {
  const opts = { ...defaultConfigOptions(), ...options };
  const r = new YamlReader(filename, yamlText);
  const nodes: Record<string, YNode> = {};
  const keep = (name: string) => (n: YNode) => (nodes[name] = n);
  r.struct(r.root, 'config.plain', {
    global: keep('global'),
    rule_files: keep('rule_files'),
    scrape_config_files: keep('scrape_config_files'),
    scrape_configs: keep('scrape_configs'),
    alerting: keep('alerting'),
    remote_write: keep('remote_write'),
    remote_read: keep('remote_read'),
    storage: keep('storage'),
    runtime: (n) => r.struct(n, 'config.RuntimeConfig', { gogc: (v) => void r.uint(v, 'gogc') }),
  });
  const global = readGlobal(r, nodes['global'] ?? null, opts.env);
  const config: Config = {
    global,
    ruleFiles: readPathGlobs(r, nodes['rule_files'] ?? null, 'rule file', opts.baseDir),
    scrapeConfigFiles: readPathGlobs(r, nodes['scrape_config_files'] ?? null, 'scrape config file', opts.baseDir),
    scrapeConfigs: readScrapeConfigs(r, nodes['scrape_configs'] ?? null, global),
    alerting: readAlerting(r, nodes['alerting'] ?? null),
    remoteWrite: r.list(nodes['remote_write'] ?? null, 'remote_write', (n) => readRemoteWrite(r, n)),
    remoteRead: r.list(nodes['remote_read'] ?? null, 'remote_read', (n) => readRemoteRead(r, n)),
    storage: readStorage(r, nodes['storage'] ?? null),
  };
  checkUniqueNames(r, nodes['remote_write'] ?? null, config.remoteWrite.map((c) => c.name), 'remote write');
  checkUniqueNames(r, nodes['remote_read'] ?? null, config.remoteRead.map((c) => c.name), 'remote read');
  return config;
}

/**
 * Reads and parses a prometheus.yml file, resolving relative paths against its directory,
 * appending the scrape configs of `scrape_config_files` (whose job names must be unique too), and
 * checking that the `rule_files` exist and are YAML (see {@link checkRuleFiles}). Throws
 * {@link ConfigError}: `read` when a file cannot be read, otherwise as {@link parseConfig}.
 */
export async function loadConfig(path: string, options: Partial<ConfigOptions> = {}): Promise<Config> {
  const text = await readText(path);
  const config = parseConfig(text, path, { baseDir: dirname(path), ...options });
  if (options.checkRuleFiles ?? true) await checkRuleFiles(path, config.ruleFiles, expandGlob, readText);
  const seen = new Set(config.scrapeConfigs.map((c) => c.jobName));
  for (const pattern of config.scrapeConfigFiles) {
    for (const file of await expandGlob(pattern)) {
      for (const sc of await loadScrapeConfigFile(file, config.global)) {
        if (seen.has(sc.jobName)) throw new ConfigError('invalid', `found multiple scrape configs with job name ${JSON.stringify(sc.jobName)}`, { file });
        seen.add(sc.jobName);
        config.scrapeConfigs.push(sc);
      }
    }
  }
  return config;
}

async function loadScrapeConfigFile(file: string, global: GlobalConfig): Promise<ScrapeConfig[]> {
  const r = new YamlReader(file, await readText(file));
  let list: ScrapeConfig[] = [];
  r.struct(r.root, 'config.ScrapeConfigs', { scrape_configs: (n) => (list = readScrapeConfigs(r, n, global)) });
  return list;
}

function readScrapeConfigs(r: YamlReader, n: YNode, global: GlobalConfig): ScrapeConfig[] {
  const jobs = new Set<string>();
  return r.list(n, 'scrape_configs', (item) => {
    const sc = readScrapeConfig(r, item, global);
    if (jobs.has(sc.jobName)) throw r.error(item, `found multiple scrape configs with job name ${JSON.stringify(sc.jobName)}`);
    jobs.add(sc.jobName);
    return sc;
  });
}

function readPathGlobs(r: YamlReader, n: YNode, what: string, baseDir: string | undefined): string[] {
  return r.list(n, `${what}s`, (item) => {
    const p = r.string(item, what);
    if (/[*?[\\]/.test(dirname(p))) throw r.error(item, `invalid ${what} path ${JSON.stringify(p)}`);
    return baseDir === undefined || isAbsolute(p) ? p : join(baseDir, p);
  });
}

function checkUniqueNames(r: YamlReader, n: YNode, names: string[], what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') continue;
    if (seen.has(name)) throw r.error(n, `found multiple ${what} configs with job name ${JSON.stringify(name)}`);
    seen.add(name);
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError('read', `cannot read file: ${(err as Error).message}`, { file: path }, { cause: err });
  }
}

/**
 * Expands a path whose last element may hold `*`, `?` or `[...]`, as Go's filepath.Glob: a plain
 * path is returned when it exists, nothing otherwise.
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  const dir = dirname(pattern);
  const base = pattern.slice(dir.length + 1);
  if (!/[*?[]/.test(base)) return (await lstat(pattern).then(() => true, () => false)) ? [pattern] : [];
  const re = globToRegExp(base);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names.filter((name) => re.test(name)).sort().map((name) => join(dir, name));
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += '[' + glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
