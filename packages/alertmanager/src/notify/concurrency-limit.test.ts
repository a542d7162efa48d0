import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Labels } from '@pyrometer/model';
import { loadNotificationTemplates } from '@pyrometer/template/node';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../alerts/alert.js';
import { ManualClock } from '../clock.js';
import { parseAlertmanagerConfig } from '../config/load.js';
import { alertAt } from '../testing/harness.js';
import { recordingLogger } from '../testing/notifier-harness.js';
import { limitConcurrency, NOTIFICATIONS_IN_FLIGHT } from './concurrency-limit.js';
import type { NotifyContext } from './context.js';
import { IntegrationRegistry, type Notifier } from './notifier.js';
import { templateDataBuilder } from './template-data.js';
import { webhookIntegration } from './webhook.js';

const context = (groupKey: string, signal: AbortSignal = AbortSignal.timeout(30_000)): NotifyContext => ({
  groupKey,
  groupLabels: Labels.from({ alertname: 'FlinkJobDown' }),
  receiver: 'hook',
  routeId: '{}',
  repeatIntervalMs: 3_600_000,
  muteTimeIntervals: [],
  activeTimeIntervals: [],
  now: 0,
  signal,
});

/** A notifier whose calls finish when the test says so, recording which started. */
function gatedNotifier() {
  const started: string[] = [];
  const finishers: Array<() => void> = [];
  const notifier: Notifier = {
    notify: (ctx) =>
      new Promise<void>((resolve) => {
        started.push(ctx.groupKey);
        finishers.push(resolve);
      }),
  };
  return { notifier, started, finishNext: () => finishers.shift()?.() };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('notifications in flight per integration', () => {
  it('a webhook built by the registry has at most NOTIFICATIONS_IN_FLIGHT requests open at once; every notification is delivered', async () => {
    const held: ServerResponse[] = [];
    let open = 0;
    let mostOpen = 0;
    let delivered = 0;
    // Answers nothing until as many requests as the limit are open (or, should fewer ever come, 200 ms passed), so an unlimited sender would pile up far beyond it.
    const answerHeld = () => {
      for (const res of held.splice(0)) res.end();
    };
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        open++;
        mostOpen = Math.max(mostOpen, open);
        res.on('finish', () => {
          open--;
          delivered++;
        });
        held.push(res);
        if (open >= NOTIFICATIONS_IN_FLIGHT) answerHeld();
        else setTimeout(answerHeld, 200);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const { config } = parseAlertmanagerConfig(`route: {receiver: hook}\nreceivers:\n- {name: hook, webhook_configs: [{url: '${url}'}]}\n`, 'test.yml', { matcherMode: 'fallback' });
    const clock = new ManualClock();
    const deps = { templateData: templateDataBuilder('http://am.example:9093'), templates: loadNotificationTemplates([], { now: () => clock.now() }), logger: recordingLogger(), clock, userAgent: 'Alertmanager/0.28.1' };
    const [webhook] = await new IntegrationRegistry().register('webhook', webhookIntegration).build(config.receivers[0]!, deps);
    const alerts: Alert[] = [alertAt(clock, { alertname: 'FlinkJobDown' })];
    try {
      await Promise.all(Array.from({ length: 3 * NOTIFICATIONS_IN_FLIGHT }, (_, i) => webhook!.notifier.notify(context(`group-${i}`), alerts)));
      expect(delivered).toBe(3 * NOTIFICATIONS_IN_FLIGHT);
      expect(mostOpen).toBe(NOTIFICATIONS_IN_FLIGHT);
    } finally {
      await webhook!.notifier.close?.();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('starts waiting calls first come, first served, as running ones finish', async () => {
    const gated = gatedNotifier();
    const limited = limitConcurrency(gated.notifier, 2);
    const calls = ['a', 'b', 'c', 'd'].map((key) => limited.notify(context(key), []));
    await settle();
    expect(gated.started).toEqual(['a', 'b']);
    gated.finishNext();
    await settle();
    expect(gated.started).toEqual(['a', 'b', 'c']);
    for (let i = 0; i < 3; i++) {
      gated.finishNext();
      await settle();
    }
    await Promise.all(calls);
    expect(gated.started).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a call whose flush is aborted while it waits rejects with the abort and never runs; the calls behind it still do', async () => {
    const gated = gatedNotifier();
    const limited = limitConcurrency(gated.notifier, 1);
    const abort = new AbortController();
    const first = limited.notify(context('first'), []);
    const aborted = limited.notify(context('aborted', abort.signal), []);
    const last = limited.notify(context('last'), []);
    abort.abort(new Error('flush canceled'));
    await expect(aborted).rejects.toThrow('flush canceled');
    await expect(limited.notify(context('already aborted', abort.signal), [])).rejects.toThrow('flush canceled');
    gated.finishNext();
    await settle();
    gated.finishNext();
    await Promise.all([first, last]);
    expect(gated.started).toEqual(['first', 'last']);
  });

  it('passes close on to the notifier it limits', async () => {
    let closed = false;
    const limited = limitConcurrency({ notify: async () => {}, close: async () => void (closed = true) }, 1);
    await limited.close?.();
    expect(closed).toBe(true);
  });
});
