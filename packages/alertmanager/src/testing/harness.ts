import { Labels } from '@pyrometer/model';
import { MetricsRegistry, silentLogger } from '@pyrometer/telemetry';
import { newAlert, type Alert } from '../alerts/alert.js';
import { Alertmanager, type AlertmanagerOptions } from '../alertmanager.js';
import { ManualClock } from '../clock.js';
import { parseAlertmanagerConfig } from '../config/load.js';
import { builtinIntegrations } from '../notify/builtins.js';
import { fromMillis } from '../time/instant.js';

/** Test helper: an Alertmanager on a manual clock with in-memory (or `storagePath`) state. */
export async function testAlertmanager(yaml: string, options: Partial<AlertmanagerOptions> = {}): Promise<{ am: Alertmanager; clock: ManualClock; registry: MetricsRegistry }> {
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock();
  const registry = options.registry ?? new MetricsRegistry();
  const am = await Alertmanager.start(parseAlertmanagerConfig(yaml, 'test.yml', { matcherMode: 'fallback' }), {
    storagePath: undefined,
    retentionMs: 120 * 3_600_000,
    maintenanceIntervalMs: 15 * 60_000,
    alertGcIntervalMs: 30 * 60_000,
    alertsSnapshotIntervalMs: 10_000,
    silenceLimits: { maxSilences: 0, maxSilenceSizeBytes: 0 },
    externalUrl: 'http://am.example:9093',
    version: '0.28.1',
    logger: silentLogger(),
    integrations: builtinIntegrations(),
    random: () => 0.5,
    ...options,
    clock,
    registry,
  });
  return { am, clock, registry };
}

/** Test helper: a firing (or, with `endsAt`, resolved) alert as Prometheus would post it, stamped at the clock's now. */
export function alertAt(clock: ManualClock, labels: Record<string, string>, fields: { startsAt?: number; endsAt?: number; annotations?: Record<string, string> } = {}): Alert {
  const now = fromMillis(clock.now());
  return newAlert({
    labels: Labels.from(labels),
    annotations: fields.annotations ?? {},
    startsAt: fields.startsAt === undefined ? now : fromMillis(fields.startsAt),
    endsAt: fields.endsAt === undefined ? now + fromMillis(5 * 60_000) : fromMillis(fields.endsAt),
    generatorURL: 'http://prometheus:9090/graph',
    updatedAt: now,
    timeout: fields.endsAt === undefined,
  });
}

