import type { Logger } from '@pyrometer/telemetry';
import type { AlertmanagerOptions } from '../../alertmanager.js';
import type { Clock } from '../../clock.js';
import { nflogEntryCodec } from '../../nflog/codec.js';
import { silenceCodec } from '../../silences/codec.js';
import { fromMillis } from '../../time/instant.js';
import { RedisAlertProvider } from './redis-alert-provider.js';
import { RedisGroupTimerStore } from './redis-group-timers.js';
import type { RedisState } from './redis-state.js';
import { RedisStateStore } from './redis-state-store.js';

/**
 * The {@link AlertmanagerOptions} that put an Alertmanager's alerts, silences, notification log
 * (with its claims) and group timers in a shared {@link RedisState}. The caller closes the state
 * after stopping the Alertmanager.
 */
export function redisStateOptions(state: RedisState, clock: Clock, logger: Logger): Pick<AlertmanagerOptions, 'alertProvider' | 'silenceStore' | 'nflogStore' | 'groupTimers'> {
  const log = logger.with({ component: 'redis-state' });
  return {
    alertProvider: new RedisAlertProvider(state, () => fromMillis(clock.now()), log),
    silenceStore: new RedisStateStore(state, 'silences', silenceCodec, log),
    nflogStore: new RedisStateStore(state, 'nflog', nflogEntryCodec, log),
    groupTimers: new RedisGroupTimerStore(state, log),
  };
}
