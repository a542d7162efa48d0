import { silentLogger } from '@pyrometer/telemetry';
import { onTestFinished } from 'vitest';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../src/app.js';
import { parseFlags } from '../src/flags.js';

/** Test helper: a receiver in this process on a free loopback port, its printed lines collected; closed when the test finishes. */
export async function startTestReceiver(args: string[] = []): Promise<RunningWebhookReceiver & { printed: string[] }> {
  const printed: string[] = [];
  const receiver = await startWebhookReceiver(parseFlags(['--web.listen-address=127.0.0.1:0', ...args]), { logger: silentLogger(), print: (line) => printed.push(line) });
  onTestFinished(() => receiver.close());
  return Object.assign(receiver, { printed });
}

/** A minimal valid notification with one alert. */
export function notification(status: 'firing' | 'resolved', labels: Record<string, string>, annotations: Record<string, string> = {}): Record<string, unknown> {
  return {
    receiver: 'team',
    status,
    alerts: [{ status, labels, annotations, startsAt: '2025-01-01T00:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://127.0.0.1:9090/graph', fingerprint: '0123456789abcdef' }],
    groupLabels: { alertname: labels['alertname'] ?? '' },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: 'http://127.0.0.1:9093',
    version: '4',
    groupKey: '{}:{alertname="x"}',
    truncatedAlerts: 0,
  };
}

export const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
