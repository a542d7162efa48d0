import { MetricsRegistry, silentLogger } from '@pyrometer/telemetry';
import { onTestFinished } from 'vitest';
import { startPushgateway, type RunningPushgateway } from '../src/app.js';
import { defaultFlags, type PushgatewayFlags } from '../src/flags.js';

/** Starts our Pushgateway in-process on a free port; stopped when the current test finishes. */
export async function startOurs(flags: Partial<PushgatewayFlags> = {}, options: { stopWithTest?: boolean } = {}): Promise<RunningPushgateway> {
  const gateway = await startPushgateway({ ...defaultFlags(), listenAddress: '127.0.0.1:0', ...flags }, { logger: silentLogger(), registry: new MetricsRegistry() });
  if (options.stopWithTest ?? true) onTestFinished(() => gateway.close());
  return gateway;
}

/** Sends one request and returns status and body text. */
export async function send(url: string, method: string, body?: string | Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** The lines of a text exposition that belong to pushed families (own go_/process_/pushgateway_/nodejs_ metrics removed). */
export function pushedLines(text: string): string[] {
  const own = /^(# (HELP|TYPE) )?(go_|process_|pushgateway_|nodejs_|promhttp_)/;
  return text.split('\n').filter((l) => l !== '' && !own.test(l));
}
