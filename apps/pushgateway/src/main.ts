#!/usr/bin/env node
import { FlagError } from '@pyrometer/cli';
import { startPushgateway } from './app.js';
import { parseFlags, usage } from './flags.js';

// The pyrometer-pushgateway binary: upstream's command line, SIGINT/SIGTERM flush and exit.
async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage());
    return 0;
  }
  let parsed;
  try {
    parsed = parseFlags(argv);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(`pyrometer-pushgateway: error: ${err.message}, try --help\n`);
    return 2;
  }
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const gateway = await startPushgateway(parsed, { onQuit: () => stop() });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await stopped;
  await gateway.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`pyrometer-pushgateway: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
