// The configs `npm start` generates into the data folder from the files a user edits in
// deploy/local and deploy/rules: the effective ports, the interval, and — with
// PYROMETER_ALERT_SPEEDUP — shorter alerting waits. Every replacement stays on its line, so an
// error at line N of a generated file is at line N of its source (the stack prints the source's
// path in such errors).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** @typedef {{ generated: string, source: string }} Alias a generated path and the path the user edits */

/**
 * Writes deploy/local/prometheus.yml with the effective ports and interval into the server's
 * data folder, and points it at the rules: deploy/rules itself, or with a speedup a copy whose
 * `for` durations are divided (written beside the config).
 * @param {import('./stack-services.mjs').StackContext} ctx
 * @returns {Alias[]}
 */
export function writeLocalServerConfig({ root, dataDir, ports, interval, speedup }) {
  const source = join(root, 'deploy', 'local', 'prometheus.yml');
  const generated = join(dataDir, 'server', 'prometheus.yml');
  const aliases = [{ generated, source }];
  let rules = join(root, 'deploy', 'rules');
  if (speedup > 1) {
    const fast = join(dataDir, 'server', 'rules');
    writeSpedUpRules(rules, fast, speedup);
    aliases.push({ generated: `${fast}/`, source: `${rules}/` });
    rules = fast;
  }
  let text = readFileSync(source, 'utf8')
    .replace("'127.0.0.1:9090'", `'127.0.0.1:${ports['server']}'`)
    .replace("'127.0.0.1:9091'", `'127.0.0.1:${ports['pushgateway']}'`)
    .replace("'127.0.0.1:9093'", `'127.0.0.1:${ports['alertmanager']}'`)
    .replace("'127.0.0.1:9100'", `'127.0.0.1:${ports['node_exporter']}'`)
    .replace('../rules/*.rules.yml', join(rules, '*.rules.yml'));
  if (interval !== undefined) text = text.replace(/^( {2}(?:scrape_interval|scrape_timeout|evaluation_interval)): 10s$/gm, `$1: ${interval}`);
  writeFileSync(generated, text);
  return aliases;
}

/**
 * Writes deploy/local/alertmanager.yml with the webhook receiver's effective port into the
 * Alertmanager's data folder; with a speedup, group_wait, group_interval and repeat_interval are
 * divided by it.
 * @param {import('./stack-services.mjs').StackContext} ctx
 * @returns {Alias[]}
 */
export function writeLocalAlertmanagerConfig({ root, dataDir, ports, speedup }) {
  const source = join(root, 'deploy', 'local', 'alertmanager.yml');
  const generated = join(dataDir, 'alertmanager', 'alertmanager.yml');
  const text = readFileSync(source, 'utf8').replace(/(url: )http:\/\/127\.0\.0\.1:5001\//g, `$1http://127.0.0.1:${ports['webhook-receiver']}/`);
  writeFileSync(generated, divideDurations(text, ['group_wait', 'group_interval', 'repeat_interval'], speedup));
  return [{ generated, source }];
}

/**
 * Copies every `*.rules.yml` of `from` into `to` (emptied first) with each rule's `for` and
 * `keep_firing_for` divided by `speedup`: the same expressions, labels and annotations.
 * @param {string} from @param {string} to @param {number} speedup
 */
function writeSpedUpRules(from, to, speedup) {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const file of readdirSync(from).filter((f) => f.endsWith('.rules.yml'))) {
    writeFileSync(join(to, file), divideDurations(readFileSync(join(from, file), 'utf8'), ['for', 'keep_firing_for'], speedup));
  }
}

const UNITS_MS = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * Divides the durations written as `<key>: <duration>` (one per line, optionally quoted) by
 * `divisor`, rounded to whole milliseconds; other lines are left as they are.
 * @param {string} text @param {string[]} keys @param {number} divisor
 */
export function divideDurations(text, keys, divisor) {
  if (divisor === 1) return text;
  const line = new RegExp(`^(\\s*(?:- )?(?:${keys.join('|')}):\\s*)(["']?)((?:\\d+(?:y|w|d|h|ms|m|s))+)\\2(\\s*(?:#.*)?)$`, 'gm');
  return text.replace(line, (_all, head, quote, duration, tail) => `${head}${quote}${formatMs(Math.max(1, Math.round(durationMs(duration) / divisor)))}${quote}${tail}`);
}

/** @param {string} text e.g. "1h30m" */
function durationMs(text) {
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) ms += Number(n) * UNITS_MS[/** @type {keyof typeof UNITS_MS} */ (unit)];
  return ms;
}

/** @param {number} ms */
function formatMs(ms) {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
