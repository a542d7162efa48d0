import type { CommandSpec, FlagSpec } from '@pyrometer/cli';

const LINT_RULES_OPTIONS = ['all', 'duplicate-rules', 'none'];
const LINT_CONFIG_OPTIONS = [...LINT_RULES_OPTIONS, 'too-long-scrape-interval'];

const lintFlags = (options: readonly string[], ignoreWhat: string): FlagSpec[] => [
  { name: 'lint', type: 'string', default: 'duplicate-rules', help: `Linting checks to apply. Available options are: ${options.join(', ')}. Use --lint=none to disable linting` },
  { name: 'lint-fatal', type: 'bool', help: 'Make lint errors exit with exit code 3.' },
  { name: 'ignore-unknown-fields', type: 'bool', help: `Ignore unknown fields in ${ignoreWhat}. Ensure that those fields are removed before loading them into the Prometheus server as it performs strict checks by default.` },
];

const server = { name: 'server', help: 'Prometheus server to query.', required: true };
const timeRange: FlagSpec[] = [
  { name: 'start', type: 'string', help: 'Start time (RFC3339 or Unix timestamp).' },
  { name: 'end', type: 'string', help: 'End time (RFC3339 or Unix timestamp).' },
];

/**
 * promtool's command tree: upstream's names, flags, defaults and arguments for the commands this
 * implementation supports (check config|rules|metrics, test rules, query instant|range|series|labels).
 */
export const PROMTOOL: CommandSpec = {
  name: 'promtool',
  help: 'Tooling for the Prometheus monitoring system.',
  flags: [
    { name: 'version', type: 'bool', help: 'Show application version.' },
    { name: 'enable-feature', type: 'string', repeatable: true, default: '', help: 'Comma separated feature names to enable. Valid options: promql-experimental-functions, promql-delayed-name-removal.' },
  ],
  commands: [
    {
      name: 'check',
      help: 'Check the resources for validity.',
      flags: [{ name: 'query.lookback-delta', type: 'duration', default: '5m', help: "The server's maximum query lookback duration." }],
      commands: [
        {
          name: 'config',
          help: 'Check if the config files are valid or not.',
          flags: [
            { name: 'syntax-only', type: 'bool', help: 'Only check the config file syntax, ignoring file and content validation referenced in the config' },
            ...lintFlags(LINT_CONFIG_OPTIONS, 'the rule groups read by the config files'),
            { name: 'agent', type: 'bool', help: 'Check config file for Prometheus in Agent mode.' },
          ],
          args: [{ name: 'config-files', help: 'The config files to check.', required: true, repeated: true, existingFile: true }],
        },
        {
          name: 'rules',
          help: 'Check if the rule files are valid or not.',
          flags: lintFlags(LINT_RULES_OPTIONS, 'the rule files'),
          args: [{ name: 'rule-files', help: 'The rule files to check, default is read from standard input.', repeated: true, existingFile: true }],
        },
        {
          name: 'metrics',
          help: 'Pass Prometheus metrics over stdin to lint them for consistency and correctness, and optionally perform cardinality analysis.',
          flags: [
            { name: 'extended', type: 'bool', help: 'Print extended information related to the cardinality of the metrics.' },
            { name: 'lint', type: 'string', default: 'all', help: 'Linting checks to apply for metrics. Available options are: all, none. Use --lint=none to disable metrics linting.' },
          ],
        },
      ],
    },
    {
      name: 'query',
      help: 'Run query against a Prometheus server.',
      flags: [{ name: 'format', short: 'o', type: 'enum', values: ['promql', 'json'], default: 'promql', help: 'Output format of the query.' }],
      commands: [
        {
          name: 'instant',
          help: 'Run instant query.',
          flags: [{ name: 'time', type: 'string', help: 'Query evaluation time (RFC3339 or Unix timestamp).' }],
          args: [server, { name: 'expr', help: 'PromQL query expression.', required: true }],
        },
        {
          name: 'range',
          help: 'Run range query.',
          flags: [
            { name: 'header', type: 'string', repeatable: true, help: 'Extra headers to send to server (name=value).' },
            { name: 'start', type: 'string', help: 'Query range start time (RFC3339 or Unix timestamp).' },
            { name: 'end', type: 'string', help: 'Query range end time (RFC3339 or Unix timestamp).' },
            { name: 'step', type: 'duration', help: 'Query step size (duration).' },
          ],
          args: [server, { name: 'expr', help: 'PromQL query expression.', required: true }],
        },
        {
          name: 'series',
          help: 'Run series query.',
          flags: [{ name: 'match', type: 'string', repeatable: true, required: true, help: 'Series selector. Can be specified multiple times.' }, ...timeRange],
          args: [server],
        },
        {
          name: 'labels',
          help: 'Run labels query.',
          flags: [...timeRange, { name: 'match', type: 'string', repeatable: true, help: 'Series selector. Can be specified multiple times.' }],
          args: [server, { name: 'name', help: 'Label name to provide label values for.', required: true }],
        },
      ],
    },
    {
      name: 'test',
      help: 'Unit testing.',
      flags: [{ name: 'junit', type: 'string', help: 'File path to store JUnit XML test results.' }],
      commands: [
        {
          name: 'rules',
          help: 'Unit tests for rules.',
          flags: [
            { name: 'run', type: 'string', repeatable: true, help: 'If set, will only run test groups whose names match the regular expression. Can be specified multiple times.' },
            { name: 'debug', type: 'bool', help: 'Enable unit test debugging.' },
            { name: 'ignore-unknown-fields', type: 'bool', help: 'Ignore unknown fields in the test files. Ensure that those fields are removed before loading them into the Prometheus server as it performs strict checks by default.' },
          ],
          args: [{ name: 'test-rule-file', help: 'The unit test file.', required: true, repeated: true, existingFile: true }],
        },
      ],
    },
  ],
};
