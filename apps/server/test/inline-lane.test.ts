import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { eventually, startServer } from './harness.js';

const CONFIG = 'global:\n  scrape_interval: 1s\n';
const QUERY = '/api/v1/query?query=vector(1)%20%2B%201&time=10';

async function metric(port: number, name: string): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe('the inline lane in the server', () => {
  it('answers a repeated small query on the ingestion thread, and not with --no-query.inline-lane', async () => {
    const on = await startServer(tempDir(), CONFIG);
    const off = await startServer(tempDir(), CONFIG, ['--no-query.inline-lane']);
    try {
      const expected = await (await fetch(`http://127.0.0.1:${off.port}${QUERY}`)).text();
      expect(expected).toBe('{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[10,"2"]}]}}');
      // A shape is inlined once a pooled answer of it was tiny: the first one starts a worker.
      await eventually(async () => {
        expect(await (await fetch(`http://127.0.0.1:${on.port}${QUERY}`)).text()).toBe(expected);
        return ((await metric(on.port, 'pyrometer_query_inline_answers_total')) ?? 0) > 0 ? true : undefined;
      }, 20_000, 'an inline answer');
      for (let i = 0; i < 5; i++) expect(await (await fetch(`http://127.0.0.1:${off.port}${QUERY}`)).text()).toBe(expected);
      expect(await metric(off.port, 'pyrometer_query_inline_answers_total')).toBeUndefined();
    } finally {
      await on.stop();
      await off.stop();
    }
  });
});
