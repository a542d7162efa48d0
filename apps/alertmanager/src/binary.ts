import { FlagError, runServiceBinary } from '@pyrometer/cli';
import { startAlertmanager, VERSION } from './app.js';
import { parseFlags, unknownFeatures, usage } from './flags.js';

// The pyrometer-alertmanager binary: upstream's command line; SIGHUP reloads the config,
// SIGINT/SIGTERM write the state and exit. Started by main.ts, after its V8 setting.
runServiceBinary({
  version: { program: 'pyrometer-alertmanager', version: VERSION },
  listenFlag: '--web.listen-address',
  usage,
  parseFlags,
  start: (flags) => {
    const unknown = unknownFeatures(flags);
    if (unknown.length > 0) throw new FlagError(`unknown feature flag(s) ${unknown.map((f) => JSON.stringify(f)).join(', ')} in --enable-feature`);
    return startAlertmanager(flags);
  },
});
