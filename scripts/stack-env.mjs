// The environment `npm start` reads: every PYROMETER_* variable it knows, validated, with one
// clear line per problem. The README's table of variables is checked against `stackVariables`.
import { isAbsolute, join, resolve } from 'node:path';

/**
 * Variables other tools of the repository read (tests, benchmarks): npm start ignores them
 * without a warning.
 */
const OTHER_TOOLS = [/^PYROMETER_BENCH_/, /^PYROMETER_CONFORMANCE_DIR$/, /^PYROMETER_SHARED_DIR$/];

/** @param {string} service e.g. "flink-simulator" @returns {string} e.g. "PYROMETER_FLINK_SIMULATOR_PORT" */
export function portVariable(service) {
  return `PYROMETER_${service.toUpperCase().replace(/-/g, '_')}_PORT`;
}

/**
 * Every variable npm start reads, with what it does.
 * @param {readonly { name: string, defaultPort: number }[]} services
 * @returns {{ name: string, meaning: string }[]}
 */
export function stackVariables(services) {
  return [
    { name: 'PYROMETER_DATA_DIR', meaning: 'where every service keeps its data (default ./data)' },
    { name: 'PYROMETER_INTERVAL', meaning: 'push, scrape and rule interval, e.g. 2s (default 10s)' },
    { name: 'PYROMETER_ALERT_SPEEDUP', meaning: "divides the rules' for and the Alertmanager's group_wait, group_interval and repeat_interval (default 1)" },
    ...services.map((s) => ({ name: portVariable(s.name), meaning: `port of ${s.name} (default ${s.defaultPort})` })),
  ];
}

/**
 * @typedef {object} StackEnv
 * @property {string} dataDir absolute
 * @property {string | undefined} interval a Prometheus duration such as "2s"
 * @property {number} speedup the divisor of the alerting waits, 1 when unset
 * @property {Record<string, number>} ports by service name
 * @property {string[]} warnings lines to print, startup goes on
 * @property {string[]} errors lines to print, startup stops
 */

/**
 * Reads and validates the environment.
 * @param {NodeJS.ProcessEnv} env
 * @param {string} root the repository root (default data folder ./data)
 * @param {readonly { name: string, defaultPort: number }[]} services
 * @returns {StackEnv}
 */
export function readStackEnv(env, root, services) {
  const warnings = [];
  const errors = [];
  const known = new Set(stackVariables(services).map((v) => v.name));
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith('PYROMETER_') || known.has(name) || OTHER_TOOLS.some((re) => re.test(name))) continue;
    warnings.push(`warning: ${name} is not a variable npm start reads; it reads ${[...known].join(', ')}`);
  }
  /** @type {Record<string, number>} */
  const ports = {};
  for (const s of services) {
    const name = portVariable(s.name);
    const text = env[name];
    const port = text === undefined ? s.defaultPort : Number(text);
    if (!Number.isInteger(port) || port < 1 || port > 65535) errors.push(`${name}=${JSON.stringify(text)} is not a port number (1-65535)`);
    ports[s.name] = port;
  }
  for (const [i, s] of services.entries()) {
    const other = services.slice(0, i).find((o) => ports[o.name] === ports[s.name]);
    if (other !== undefined) errors.push(`${other.name} and ${s.name} would both use port ${ports[s.name]}; set ${portVariable(s.name)} to another port`);
  }
  const interval = env['PYROMETER_INTERVAL'];
  if (interval !== undefined && !/^[1-9][0-9]*(ms|s|m|h)$/.test(interval)) errors.push(`PYROMETER_INTERVAL=${JSON.stringify(interval)} is not an interval such as 2s, 500ms or 1m`);
  const speedupText = env['PYROMETER_ALERT_SPEEDUP'];
  const speedup = speedupText === undefined ? 1 : Number(speedupText);
  if (speedupText !== undefined && (!/^[1-9][0-9]*$/.test(speedupText) || speedup > 1000)) errors.push(`PYROMETER_ALERT_SPEEDUP=${JSON.stringify(speedupText)} is not a whole number from 1 to 1000`);
  const dataText = env['PYROMETER_DATA_DIR'];
  if (dataText === '') errors.push('PYROMETER_DATA_DIR is empty; unset it for ./data or name a folder');
  const dataDir = dataText === undefined || dataText === '' ? join(root, 'data') : isAbsolute(dataText) ? dataText : resolve(dataText);
  return { dataDir, interval, speedup, ports, warnings, errors };
}
