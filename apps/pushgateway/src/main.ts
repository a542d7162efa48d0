#!/usr/bin/env node
import { runServiceBinary } from '@pyrometer/cli';
import { startPushgateway, VERSION } from './app.js';
import { parseFlags, usage } from './flags.js';

// The pyrometer-pushgateway binary: upstream's command line; `/-/quit`, SIGINT and SIGTERM flush
// and exit.
runServiceBinary({
  version: { program: 'pyrometer-pushgateway', version: VERSION },
  listenFlag: '--web.listen-address',
  usage,
  parseFlags,
  start: (flags, requestStop) => startPushgateway(flags, { onQuit: requestStop }),
});
