import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { applyReporterKeys, defaultReporterConfig, reporterKeysFromFlinkConf, type ReporterConfig } from './reporter-config.js';
import { parseScenario } from './scenario.js';
import { defaultSimulatorOptions, type SimulatorOptions } from './simulator.js';

/** This build's version, printed by `--version`. */
export const VERSION = '0.1.0';

export interface CliOptions {
  reporter: ReporterConfig;
  simulator: SimulatorOptions;
  maxReports: number | undefined;
  printSeries: boolean;
  controlAddress: string | undefined;
  logLevel: string;
}

export const USAGE = `usage: flink-simulator [flags]

Simulates a Flink cluster and pushes its metrics exactly as Flink's PrometheusPushGatewayReporter.

Reporter (the metrics.reporter.<name>.* keys of flink-conf.yaml; flags override the file):
  --flink-conf <file>              read the reporter keys from a flink-conf.yaml / config.yaml
  --reporter <name>                which metrics.reporter.<name> to use (default: the PushGateway one)
  --hostUrl <url>                  Pushgateway URL (default http://127.0.0.1:9091)
  --jobName <name>                 job label prefix (default "flink")
  --randomJobNameSuffix <bool>     default true
  --deleteOnShutdown <bool>        default true
  --groupingKey <k=v;k2=v2>        extra grouping labels
  --filterLabelValueCharacters <bool>  default true
  --interval <duration>            report interval, e.g. "10 SECONDS" (default 10 s)
Cluster:
  --scenario <name>                steady | backpressure | checkpoint-failures | taskmanager-loss | restart-loop
  --seed <n>  --jobs <n>  --parallelism <n>  --taskmanagers <n>  --slots <n>
Run:
  --reports <n>                    stop cleanly after n reports
  --print-series                   print how many series the cluster pushes per interval and exit
  --control.listen-address <h:p>   serve GET /status and POST /scenario/<name> to switch scenario live
  --log.level <level>              debug | info | warn | error
  --version                        print the version and exit
`;

const REPORTER_KEYS = ['hostUrl', 'jobName', 'randomJobNameSuffix', 'deleteOnShutdown', 'groupingKey', 'filterLabelValueCharacters', 'interval'] as const;

/** Parses the command line; throws with a message naming the flag on bad input. */
export function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'flink-conf': { type: 'string' },
      reporter: { type: 'string' },
      ...Object.fromEntries(REPORTER_KEYS.map((k) => [k, { type: 'string' as const }])),
      scenario: { type: 'string' },
      seed: { type: 'string' },
      jobs: { type: 'string' },
      parallelism: { type: 'string' },
      taskmanagers: { type: 'string' },
      slots: { type: 'string' },
      reports: { type: 'string' },
      'print-series': { type: 'boolean' },
      'control.listen-address': { type: 'string' },
      'log.level': { type: 'string' },
      help: { type: 'boolean' },
      version: { type: 'boolean' },
    },
  });
  let keys: Record<string, string> = { hostUrl: 'http://127.0.0.1:9091', jobName: 'flink' };
  if (values['flink-conf'] !== undefined) {
    keys = { ...keys, ...reporterKeysFromFlinkConf(readFileSync(values['flink-conf'] as string, 'utf8'), values.reporter as string | undefined) };
  }
  const given = values as Record<string, string | boolean | undefined>;
  for (const key of REPORTER_KEYS) {
    const value = given[key];
    if (typeof value === 'string') keys[key] = value;
  }
  const defaults = defaultSimulatorOptions();
  const reporter = applyReporterKeys(defaultReporterConfig(), keys);
  const simulator: SimulatorOptions = {
    seed: positiveInt('seed', values.seed, defaults.seed, true),
    jobs: positiveInt('jobs', values.jobs, defaults.jobs),
    parallelism: positiveInt('parallelism', values.parallelism, defaults.parallelism),
    taskManagers: positiveInt('taskmanagers', values.taskmanagers, defaults.taskManagers),
    slotsPerTaskManager: positiveInt('slots', values.slots, defaults.slotsPerTaskManager),
    scenario: values.scenario === undefined ? defaults.scenario : parseScenario(values.scenario as string),
    tickMs: reporter.intervalMs,
  };
  return {
    reporter,
    simulator,
    maxReports: values.reports === undefined ? undefined : positiveInt('reports', values.reports, 1),
    printSeries: values['print-series'] === true,
    controlAddress: values['control.listen-address'] as string | undefined,
    logLevel: (values['log.level'] as string | undefined) ?? 'info',
  };
}

function positiveInt(flag: string, value: unknown, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new Error(`--${flag}: expected a ${allowZero ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(value)}`);
  return n;
}
