#!/usr/bin/env node
import { parseFlags, runServiceBinary, usage } from '@pyrometer/cli';
import { buildInfo } from './api/status-api.js';
import { flagsAsText, SERVER_FLAGS, serverOptions } from './flags.js';
import { PyrometerServer, VERSION } from './server.js';
import { setServerV8Flags } from './v8-flags.js';

setServerV8Flags();

// The pyrometer-server binary: Prometheus's command line; SIGHUP reloads the configuration
// (a bad one is logged and the old one keeps running), `/-/quit`, SIGINT and SIGTERM stop it.
runServiceBinary({
  version: { program: 'pyrometer-server', ...buildInfo(VERSION) },
  listenFlag: '--web.listen-address',
  usage: () => usage('pyrometer-server', 'The Pyrometer server: a Prometheus-compatible monitoring server.', SERVER_FLAGS),
  parseFlags: (argv) => parseFlags(SERVER_FLAGS, argv),
  start: async (flags, requestStop) => {
    const server = await PyrometerServer.start(serverOptions(flags), flagsAsText(flags), requestStop);
    return {
      reload: () => server.reload(),
      close: async () => {
        server.logger.warn('Received shutdown request, exiting gracefully...');
        await server.stop();
      },
    };
  },
});
