#!/usr/bin/env node
import { fatalErrorLine, FlagError, versionText } from '@pyrometer/cli';
import { startWebhookReceiver, VERSION } from './app.js';
import { parseFlags, usage } from './flags.js';

// The pyrometer-webhook-receiver binary; SIGINT/SIGTERM stop it.
async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage());
    return 0;
  }
  const flags = parseFlags(argv);
  if (argv.includes('--version')) {
    process.stdout.write(versionText({ program: 'pyrometer-webhook-receiver', version: VERSION }));
    return 0;
  }
  const receiver = await startWebhookReceiver(flags);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await receiver.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${fatalErrorLine('pyrometer-webhook-receiver', err, '--web.listen-address')}\n`);
    process.exit(err instanceof FlagError ? 2 : 1);
  },
);
