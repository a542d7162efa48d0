#!/usr/bin/env node
import { FlagError, flagBool, parseFlags, usage } from '@pyrometer/cli';
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
    const b = buildInfo(VERSION);
    process.stdout.write(`pyrometer-server, version ${b.version} (branch: ${b.branch}, revision: ${b.revision})\n  build user:       ${b.buildUser}\n  build date:       ${b.buildDate}\n  go version:       ${b.goVersion}\n  platform:         ${process.platform}/${process.arch}\n`);
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
    const prefix = err instanceof FlagError ? 'pyrometer-server: error: ' : 'pyrometer-server: ';
    process.stderr.write(`${prefix}${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof FlagError ? 2 : 1);
  },
);
