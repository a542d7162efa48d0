#!/usr/bin/env node
import { fatalErrorLine, FlagError, flagBool, parseFlags, usage, versionText } from '@pyrometer/cli';
import { buildInfo } from './api/status-api.js';
import { flagsAsText, SERVER_FLAGS, serverOptions } from './flags.js';
import { PyrometerServer, VERSION } from './server.js';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage('pyrometer-server', 'The Pyrometer server: a Prometheus-compatible monitoring server.', SERVER_FLAGS));
    return 0;
  }
  const flags = parseFlags(SERVER_FLAGS, argv);
  if (flagBool(flags, 'version')) {
    process.stdout.write(versionText({ program: 'pyrometer-server', ...buildInfo(VERSION) }));
    return 0;
  }
  const options = serverOptions(flags);
  let quit: () => void = () => {};
  const quitRequested = new Promise<void>((resolve) => (quit = resolve));
  const server = await PyrometerServer.start(options, flagsAsText(flags), quit);
  process.on('SIGHUP', () => {
    server.reload().catch(() => {
      // Logged by reload; the old configuration keeps running.
    });
  });
  await Promise.race([quitRequested, new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  })]);
  server.logger.warn('Received shutdown request, exiting gracefully...');
  await server.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${fatalErrorLine('pyrometer-server', err, '--web.listen-address')}\n`);
    process.exit(err instanceof FlagError ? 2 : 1);
  },
);
