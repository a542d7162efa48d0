import { freePort, peer, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { pushedLines, send, startOurs } from './helpers.js';
import { DIFFERENTIAL_STEPS } from './push-sequences.js';

const upstream = peer('prometheus-pushgateway', 'prometheus-pushgateway');

/** Push times differ between the two runs; replace non-zero push timestamps by a placeholder. */
function normalizeText(text: string): string[] {
  return pushedLines(text).map((l) => l.replace(/^(push_(failure_)?time_seconds\{.*\}) (?!0$)\S+$/, '$1 <time>'));
}

function normalizeApi(text: string): unknown[] {
  const body = JSON.parse(text) as { data: Record<string, unknown>[] };
  const groups = body.data.map((group) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(group)) {
      if (typeof value !== 'object' || value === null || !('time_stamp' in value)) {
        out[key] = value;
        continue;
      }
      const family: Record<string, unknown> = { ...(value as Record<string, unknown>), time_stamp: '<time>' };
      if (key === 'push_time_seconds' || key === 'push_failure_time_seconds') {
        family['metrics'] = (family['metrics'] as { value: string }[]).map((m) => ({ ...m, value: m.value === '0' ? '0' : '<time>' }));
      }
      out[key] = family;
    }
    return out;
  });
  return groups.sort((a, b) => (JSON.stringify(a['labels']) < JSON.stringify(b['labels']) ? -1 : 1));
}

function comparable(message: string, orderDependent = false): string {
  if (!orderDependent) return message;
  const names = new Set([...message.matchAll(/(?:collected metric|named) "([^"]+)"/g)].map((m) => m[1]));
  return `${message.slice(0, message.indexOf(': ') + 2)}<clash among ${[...names].sort().join(', ')}>`;
}

describe.skipIf(upstream.path === undefined)(`differential against Debian's prometheus-pushgateway ${upstream.missingReason ?? ''}`, () => {
  it('answers the same push sequence with the same status codes, /metrics and /api/v1/metrics', async () => {
    const port = await freePort();
    const theirs = await startProcess(upstream.path!, [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${tempDir()}/upstream.data`], { readyUrl: `http://127.0.0.1:${port}/-/ready`, stopWithTest: true });
    void theirs;
    const theirUrl = `http://127.0.0.1:${port}`;
    const ours = await startOurs();
    const differences: string[] = [];
    for (const step of DIFFERENTIAL_STEPS) {
      const headers: Record<string, string> = step.contentType === undefined ? {} : { 'Content-Type': step.contentType };
      const a = await send(theirUrl + step.path, step.method, step.body, headers);
      const b = await send(ours.url + step.path, step.method, step.body, headers);
      if (a.status !== b.status) differences.push(`${step.name}: status ${a.status} upstream, ${b.status} ours (${b.text.trim()})`);
      else if (!step.statusOnly && comparable(a.text, step.orderDependent) !== comparable(b.text, step.orderDependent)) differences.push(`${step.name}: body\n  upstream: ${JSON.stringify(a.text)}\n  ours:     ${JSON.stringify(b.text)}`);
    }
    expect(differences).toEqual([]);
    // DELETE is queued upstream (202 before it applies); give its queue a moment.
    await new Promise((r) => setTimeout(r, 200));
    const [theirMetrics, ourMetrics] = await Promise.all([send(`${theirUrl}/metrics`, 'GET'), send(`${ours.url}/metrics`, 'GET')]);
    expect(normalizeText(ourMetrics.text)).toEqual(normalizeText(theirMetrics.text));
    const [theirApi, ourApi] = await Promise.all([send(`${theirUrl}/api/v1/metrics`, 'GET'), send(`${ours.url}/api/v1/metrics`, 'GET')]);
    expect(normalizeApi(ourApi.text)).toEqual(normalizeApi(theirApi.text));
  });
});
