#!/usr/bin/env node
import { fatalErrorLine, versionText } from '@pyrometer/cli';
import { createLogger, parseLogLevel } from '@pyrometer/telemetry';
import { parseCli, USAGE, VERSION } from './cli.js';
import { startControlServer } from './control-server.js';
import { SimulatorRunner } from './runner.js';
import { FlinkSimulator } from './simulator.js';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (argv.includes('--version')) {
    process.stdout.write(versionText({ program: 'pyrometer-flink-simulator', version: VERSION }));
    return 0;
  }
  const options = parseCli(argv);
  const logger = createLogger({ level: parseLogLevel(options.logLevel) });
  if (options.printSeries) {
    const now = Date.now();
    const sim = new FlinkSimulator(options.simulator, now);
    sim.tick(now);
    process.stdout.write(`${sim.seriesCount(now)} series per interval from ${sim.processes().length} processes (${options.simulator.jobs} jobs × parallelism ${options.simulator.parallelism})\n`);
    return 0;
  }
  const runner = new SimulatorRunner({ reporter: options.reporter, simulator: options.simulator, logger, ...(options.maxReports !== undefined ? { maxReports: options.maxReports } : {}) });
  const control = options.controlAddress === undefined ? undefined : await startControlServer(runner, options.controlAddress, logger.with({ component: 'control' }));
  logger.info('Flink simulator started', {
    pushgateway: options.reporter.hostUrl,
    scenario: options.simulator.scenario,
    interval_ms: options.reporter.intervalMs,
    series: runner.simulator.seriesCount(Date.now()),
    jobs: runner.jobLabels().join(','),
  });
  const shutdown = () => void runner.stop();
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await runner.run();
  control?.close();
  logger.info('Flink simulator stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${fatalErrorLine('pyrometer-flink-simulator', err, '--control.listen-address')}\n`);
    process.exit((err as NodeJS.ErrnoException | undefined)?.syscall === 'listen' ? 1 : 2);
  },
);
