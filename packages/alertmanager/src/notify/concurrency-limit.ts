import type { Alert } from '../alerts/alert.js';
import type { NotifyContext } from './context.js';
import type { Notifier } from './notifier.js';

/**
 * How many notifications one integration entry sends at once; the rest wait their turn, in
 * order. Every group of a new rule flushes at the same moment: unbounded, a thousand flushes
 * each build their payload and open a connection at once, and that transient state outlives
 * V8's young generation, so the heap grows by tens of MiB that stay with the process (README,
 * "Memory per alert"). A few dozen keep a local receiver busy.
 */
export const NOTIFICATIONS_IN_FLIGHT = 32;

/**
 * The notifier with at most `limit` `notify` calls running at once. A call waits (first come,
 * first served) before anything of it runs — template data, payload and request all happen
 * inside its turn; a call whose `ctx.signal` aborts while waiting rejects with the signal's
 * reason without running, as an abort during the send does.
 */
export function limitConcurrency(notifier: Notifier, limit: number): Notifier {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next === undefined) running--;
    else next();
  };
  const turn = (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const entry = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      function onAbort() {
        waiting.splice(waiting.indexOf(entry), 1);
        reject(signal.reason as Error);
      }
      waiting.push(entry);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  const limited: Notifier = {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
      ctx.signal.throwIfAborted();
      if (running < limit) running++;
      else await turn(ctx.signal);
      try {
        await notifier.notify(ctx, alerts);
      } finally {
        release();
      }
    },
  };
  if (notifier.close !== undefined) limited.close = notifier.close.bind(notifier);
  return limited;
}
