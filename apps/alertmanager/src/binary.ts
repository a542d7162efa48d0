import { FlagError, runServiceBinary } from '@pyrometer/cli';
import { createLogger } from '@pyrometer/telemetry';
import { startAlertmanager, VERSION } from './app.js';
import { parseFlags, unknownFeatures, usage } from './flags.js';
import { startHeapTrimmer } from './heap-trim.js';

const MiB = 2 ** 20;

// The pyrometer-alertmanager binary: upstream's command line; SIGHUP reloads the config,
// SIGINT/SIGTERM write the state and exit. Started by main.ts, after its V8 setting. The binary
// (not the library, nor in-process tests) gives the heap back after bursts (heap-trim.ts).
runServiceBinary({
  version: { program: 'pyrometer-alertmanager', version: VERSION },
  listenFlag: '--web.listen-address',
  usage,
  parseFlags,
  start: async (flags) => {
    const unknown = unknownFeatures(flags);
    if (unknown.length > 0) throw new FlagError(`unknown feature flag(s) ${unknown.map((f) => JSON.stringify(f)).join(', ')} in --enable-feature`);
    const logger = createLogger({ level: flags.logLevel, format: flags.logFormat });
    const running = await startAlertmanager(flags, { logger });
    const trimmer = startHeapTrimmer((trim) => logger.debug('heap trimmed after a burst', { before_mib: Math.round(trim.beforeBytes / MiB), after_mib: Math.round(trim.afterBytes / MiB), ms: Math.round(trim.durationMs) }));
    return {
      reload: () => running.reload(),
      close: () => {
        trimmer.stop();
        return running.close();
      },
    };
  },
});
