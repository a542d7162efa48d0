#!/usr/bin/env node
import { fatalErrorLine, FlagError, versionText } from '@pyrometer/cli';
import { startAlertmanager, VERSION } from './app.js';
import { parseFlags, unknownFeatures, usage } from './flags.js';

// The pyrometer-alertmanager binary: upstream's command line; SIGHUP reloads the config,
// SIGINT/SIGTERM write the state and exit.
async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage());
    return 0;
  }
  const flags = parseFlags(argv);
  if (argv.includes('--version')) {
    process.stdout.write(versionText({ program: 'pyrometer-alertmanager', version: VERSION }));
    return 0;
  }
  const unknown = unknownFeatures(flags);
  if (unknown.length > 0) throw new FlagError(`unknown feature flag(s) ${unknown.map((f) => JSON.stringify(f)).join(', ')} in --enable-feature`);
  const running = await startAlertmanager(flags);
  process.on('SIGHUP', () => void running.reload().catch(() => undefined));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${fatalErrorLine('pyrometer-alertmanager', err, '--web.listen-address')}\n`);
    process.exit(err instanceof FlagError ? 2 : 1);
  },
);
