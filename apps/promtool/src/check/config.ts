import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join } from 'node:path';
import { expandGlob, loadConfig, type Config, type DiscoveryConfigs, type TlsConfig } from '@pyrometer/config';
import { formatDuration } from '@pyrometer/model';
import { parse as parseYaml } from 'yaml';
import type { PromtoolIO } from '../io.js';
import { checkRuleFiles, type RulesCheckOptions, type RulesCheckOutcome } from './rules.js';

/** How `check config` checks. */
export interface ConfigCheckOptions extends RulesCheckOptions {
  /** `--syntax-only`: the file alone; referenced files (rules, SD, credentials, TLS) are not looked at. */
  readonly syntaxOnly: boolean;
  /** `--agent`: sections Prometheus's agent mode has no use for (alerting, rule_files, remote_read) are errors. */
  readonly agent: boolean;
  /** `--query.lookback-delta`, ms: scrape intervals this long or longer are linted. */
  readonly lookbackDelta: number;
}

/**
 * `promtool check config` (upstream's `CheckConfig`): each file is loaded and validated, the files
 * it references are checked to exist (rule files, credentials, TLS, file_sd files, whose targets
 * are parsed), scrape intervals are linted against the lookback delta, and its rule files are
 * checked as `check rules` does.
 */
export async function checkConfigFiles(files: readonly string[], options: ConfigCheckOptions, io: PromtoolIO): Promise<RulesCheckOutcome> {
  let failed = false;
  let hasErrors = false;
  for (const file of files) {
    io.out(`Checking ${file}\n`);
    let checked: { config: Config; ruleFiles: string[] } | undefined;
    try {
      checked = await checkConfig(file, options, io);
      if (checked.ruleFiles.length > 0) io.out(`  SUCCESS: ${checked.ruleFiles.length} rule files found\n`);
      io.out(` SUCCESS: ${file} is valid prometheus config file syntax\n`);
    } catch (err) {
      io.err(`  FAILED: ${(err as Error).message}\n`);
      failed = hasErrors = true;
    }
    io.out('\n');
    if (options.syntaxOnly || checked === undefined) continue;
    if (options.lint.scrapeInterval) failed = lintScrapeIntervals(checked.config, options.lookbackDelta, io) || failed;
    const rules = await checkRuleFiles(checked.ruleFiles, options, io);
    failed ||= rules.failed;
    hasErrors ||= rules.hasErrors;
  }
  return { failed, hasErrors };
}

async function checkConfig(file: string, options: ConfigCheckOptions, io: PromtoolIO): Promise<{ config: Config; ruleFiles: string[] }> {
  const config = await loadConfig(file, { checkRuleFiles: false });
  if (options.agent) {
    if (config.alerting.alertmanagers.length > 0 || config.alerting.alertRelabelConfigs.length > 0) throw new Error('field alerting is not allowed in agent mode');
    if (config.ruleFiles.length > 0) throw new Error('field rule_files is not allowed in agent mode');
    if (config.remoteRead.length > 0) throw new Error('field remote_read is not allowed in agent mode');
  }
  const ruleFiles: string[] = [];
  if (options.syntaxOnly) return { config, ruleFiles };
  for (const pattern of config.ruleFiles) {
    const matches = (await expandGlob(pattern)).filter((f) => existsSync(f));
    if (!pattern.includes('*') && matches.length === 0) throw new Error(`${JSON.stringify(pattern)} does not point to an existing file`);
    ruleFiles.push(...matches);
  }
  for (const scrape of config.scrapeConfigs) {
    const credentials = scrape.httpClient.authorization?.credentialsFile ?? '';
    if (credentials !== '' && !existsSync(credentials)) throw new Error(`error checking authorization credentials or bearer token file ${JSON.stringify(credentials)}: no such file`);
    checkTls(scrape.httpClient.tls);
    await checkFileSd(scrape, dirname(file), `in scrape job ${JSON.stringify(scrape.jobName)}`, io);
  }
  for (const am of config.alerting.alertmanagers) await checkFileSd(am, dirname(file), 'in alertmanager config', io);
  return { config, ruleFiles };
}

/** The client certificate and key must exist (the config loader already checked they come in pairs). */
function checkTls(tls: TlsConfig): void {
  for (const [what, path] of [['client cert', tls.certFile], ['client key', tls.keyFile]] as const) {
    if (path !== '' && !existsSync(path)) throw new Error(`error checking ${what} file ${JSON.stringify(path)}: no such file`);
  }
}

/**
 * Each file_sd file that exists must hold target groups; a pattern matching nothing is a warning,
 * as upstream. Relative patterns are resolved against the config file's folder, as Prometheus does.
 */
async function checkFileSd(discovery: DiscoveryConfigs, configDir: string, where: string, io: PromtoolIO): Promise<void> {
  for (const sd of discovery.fileSdConfigs) {
    for (const written of sd.files) {
      const pattern = isAbsolute(written) ? written : join(configDir, written);
      const files = (await expandGlob(pattern)).filter((f) => existsSync(f));
      if (files.length === 0) io.out(`  WARNING: file ${JSON.stringify(pattern)} for file_sd ${where} does not exist\n`);
      for (const f of files) {
        const problem = await targetGroupsProblem(f);
        if (problem !== undefined) throw new Error(`checking SD file ${JSON.stringify(pattern)}: ${problem}`);
      }
    }
  }
}

/** What is wrong with a file_sd file (undefined when it is a list of `{targets, labels}` groups). */
async function targetGroupsProblem(file: string): Promise<string | undefined> {
  const ext = extname(file).toLowerCase();
  if (!['.json', '.yml', '.yaml'].includes(ext)) return `invalid file extension: ${JSON.stringify(ext)}`;
  let doc: unknown;
  try {
    const text = await readFile(file, 'utf8');
    doc = ext === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    return (err as Error).message;
  }
  if (doc === null || doc === undefined) return undefined;
  if (!Array.isArray(doc)) return 'a file_sd file must hold a list of target groups';
  for (const [i, group] of doc.entries()) {
    if (group === null || typeof group !== 'object') return `nil target group item found (index ${i})`;
    for (const [key, value] of Object.entries(group as Record<string, unknown>)) {
      if (key === 'targets' && (!Array.isArray(value) || value.some((t) => typeof t !== 'string'))) return `target group ${i}: targets must be a list of strings`;
      if (key === 'labels' && (value === null || typeof value !== 'object' || Object.values(value).some((v) => typeof v !== 'string'))) return `target group ${i}: labels must map names to strings`;
      if (key !== 'targets' && key !== 'labels') return `target group ${i}: field ${key} not found in type struct { Targets []string; Labels model.LabelSet }`;
    }
  }
  return undefined;
}

/** The too-long-scrape-interval lint: a scrape interval at or above the lookback delta makes series go stale between scrapes. */
function lintScrapeIntervals(config: Config, lookbackDelta: number, io: PromtoolIO): boolean {
  const offender = config.scrapeConfigs.find((s) => lookbackDelta > 0 && s.scrapeInterval >= lookbackDelta);
  if (offender === undefined) return false;
  io.err(`  FAILED: too long scrape interval found, data point will be marked as stale - job: ${offender.jobName}, interval: ${formatDuration(offender.scrapeInterval)}\n`);
  return true;
}
