import { freePort, peer, startProcess, tempDir } from '@pyrometer/testkit';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { send, startOurs } from './helpers.js';

const prometheus = peer('prometheus', 'prometheus');

interface QueryResult {
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe.skipIf(prometheus.path === undefined)(`Debian's Prometheus scraping our Pushgateway ${prometheus.missingReason ?? ''}`, () => {
  it('sees pushed series with their own job and no instance under honor_labels', async () => {
    const gw = await startOurs();
    const body = '# TYPE flink_taskmanager_Status_JVM_CPU_Load gauge\nflink_taskmanager_Status_JVM_CPU_Load{host="10_0_3_17",tm_id="tm1",} 0.25\n';
    expect((await send(`${gw.url}/metrics/job/flinkJob0123456789abcdef0123456789abcdef`, 'PUT', body)).status).toBe(200);
    const dir = tempDir();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: pushgateway',
      '    honor_labels: true',
      '    static_configs:',
      `      - targets: ['${gw.url.replace('http://', '')}']`,
      '',
    ].join('\n'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    await startProcess(prometheus.path!, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { readyUrl: `${url}/-/ready`, stopWithTest: true });
    const query = async (q: string) => JSON.parse((await send(`${url}/api/v1/query?query=${encodeURIComponent(q)}`, 'GET')).text) as QueryResult;
    await expect.poll(async () => (await query('flink_taskmanager_Status_JVM_CPU_Load')).data.result, { timeout: 15_000, interval: 250 }).toHaveLength(1);
    const [series] = (await query('flink_taskmanager_Status_JVM_CPU_Load')).data.result;
    expect(series!.metric).toEqual({ __name__: 'flink_taskmanager_Status_JVM_CPU_Load', host: '10_0_3_17', job: 'flinkJob0123456789abcdef0123456789abcdef', tm_id: 'tm1' });
    expect(series!.value[1]).toBe('0.25');
    const up = (await query('up{job="pushgateway"}')).data.result;
    expect(up[0]?.value[1]).toBe('1');
    expect((await query('push_time_seconds')).data.result[0]?.metric['job']).toBe('flinkJob0123456789abcdef0123456789abcdef');
  });
});
