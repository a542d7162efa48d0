#!/usr/bin/env node
import { fatalErrorLine, FlagError, versionText } from '@pyrometer/cli';
import { startPushgateway, VERSION } from './app.js';
import { parseFlags, usage } from './flags.js';

// The pyrometer-pushgateway binary: upstream's command line, SIGINT/SIGTERM flush and exit.
async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage());
    return 0;
  }
  const parsed = parseFlags(argv);
  if (argv.includes('--version')) {
    process.stdout.write(versionText({ program: 'pyrometer-pushgateway', version: VERSION }));
    return 0;
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
    process.stderr.write(`${fatalErrorLine('pyrometer-pushgateway', err, '--web.listen-address')}\n`);
    process.exit(err instanceof FlagError ? 2 : 1);
  },
);
