#!/usr/bin/env node
import { runServiceBinary } from '@pyrometer/cli';
import { startWebhookReceiver, VERSION } from './app.js';
import { parseFlags, usage } from './flags.js';

// The pyrometer-webhook-receiver binary; SIGINT/SIGTERM stop it.
runServiceBinary({
  version: { program: 'pyrometer-webhook-receiver', version: VERSION },
  listenFlag: '--web.listen-address',
  usage,
  parseFlags,
  start: (flags) => startWebhookReceiver(flags),
});
