import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AnchoredRegex, Labels, ManualClock } from '@pyrometer/model';
import { Engine } from '@pyrometer/promql';
import { AlertingRule, engineQueryFunc, evalGroup, RuleManager } from '@pyrometer/rules';
import { MemoryStorage } from '@pyrometer/storage';
import { silentLogger } from '@pyrometer/telemetry';
import { tempDir } from '@pyrometer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from '../web/router.js';
import { createWebServer, webHandler } from '../web/web-handler.js';
import { addRulesRoutes } from './rules-api.js';

const T = Date.UTC(2024, 4, 1, 10, 0, 0);
let server: Server;
let base: string;
let file: string;
let manager: RuleManager;

beforeAll(async () => {
  const storage = new MemoryStorage();
  const app = storage.appender();
  for (const [instance, v] of [['a', 0], ['b', 1]] as const) app.append(0, Labels.from({ __name__: 'up', job: 'node', instance }), T - 10_000, v);
  await app.commit();
  const dir = tempDir();
  file = join(dir, 'rules.yml');
  writeFileSync(
    file,
    `groups:
  - name: recording
    interval: 30s
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
        labels: {team: infra}
  - name: alerts
    limit: 10
    rules:
      - alert: InstanceDown
        expr: up == 0
        for: 5m
        keep_firing_for: 1m
        labels: {severity: page}
        annotations: {summary: "down", description: "<b>gone</b>", runbook: ""}
      - alert: Broken
        expr: up + on(job) up
`,
  );
  const clock = new ManualClock(T);
  manager = new RuleManager({ query: engineQueryFunc(new Engine(), storage), appendable: storage, queryable: storage, clock });
  await manager.update({ files: [file], interval: 60_000, externalLabels: {}, externalURL: '' });
  for (const g of manager.ruleGroups()) await evalGroup(g, T);
  const router = new Router();
  addRulesRoutes(router, manager);
  server = createWebServer(webHandler(router, { routePrefix: '', corsOrigin: new AnchoredRegex('.*') }), undefined, silentLogger());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await manager.stop();
});

async function get(path: string): Promise<{ status: number; json: { status: string; data?: { groups: { name: string; rules: { name: string; alerts?: unknown }[] }[]; groupNextToken?: string }; error?: string; errorType?: string }; text: string }> {
  const res = await fetch(base + path);
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text), text };
}

describe('GET /api/v1/alerts', () => {
  it('lists pending and firing alerts as upstream writes them', async () => {
    const res = await fetch(`${base}/api/v1/alerts`);
    expect(await res.text()).toBe(
      '{"status":"success","data":{"alerts":[{"labels":{"alertname":"InstanceDown","instance":"a","job":"node","severity":"page"},"annotations":{"description":"\\u003cb\\u003egone\\u003c/b\\u003e","runbook":"","summary":"down"},"state":"pending","activeAt":"2024-05-01T10:00:00Z","value":"0e+00"}]}}',
    );
  });
});

describe('GET /api/v1/rules', () => {
  it('lists groups sorted by file and name, with every rule field', async () => {
    const { json } = await get('/api/v1/rules');
    const alerts = manager.ruleGroups().find((g) => g.name === 'alerts')!;
    expect(json).toEqual({
      status: 'success',
      data: {
        groups: [
          {
            name: 'alerts',
            file,
            interval: 60,
            limit: 10,
            evaluationTime: expect.any(Number),
            lastEvaluation: '0001-01-01T00:00:00Z',
            rules: [
              {
                state: 'pending',
                name: 'InstanceDown',
                query: 'up == 0',
                duration: 300,
                keepFiringFor: 60,
                labels: { severity: 'page' },
                annotations: { description: '<b>gone</b>', runbook: '', summary: 'down' },
                alerts: [{ labels: { alertname: 'InstanceDown', instance: 'a', job: 'node', severity: 'page' }, annotations: { description: '<b>gone</b>', runbook: '', summary: 'down' }, state: 'pending', activeAt: '2024-05-01T10:00:00Z', value: '0e+00' }],
                health: 'ok',
                evaluationTime: expect.any(Number),
                lastEvaluation: '2024-05-01T10:00:00Z',
                type: 'alerting',
              },
              {
                state: 'inactive',
                name: 'Broken',
                query: 'up + on (job) up',
                duration: 0,
                keepFiringFor: 0,
                labels: {},
                annotations: {},
                alerts: [],
                health: 'err',
                lastError: expect.stringContaining('many-to-many matching not allowed'),
                evaluationTime: expect.any(Number),
                lastEvaluation: '2024-05-01T10:00:00Z',
                type: 'alerting',
              },
            ],
          },
          {
            name: 'recording',
            file,
            interval: 30,
            limit: 0,
            evaluationTime: 0,
            lastEvaluation: '0001-01-01T00:00:00Z',
            rules: [{ name: 'job:up:sum', query: 'sum by (job) (up)', labels: { team: 'infra' }, health: 'ok', evaluationTime: expect.any(Number), lastEvaluation: '2024-05-01T10:00:00Z', type: 'recording' }],
          },
        ],
      },
    });
    expect(alerts.rules[0]).toBeInstanceOf(AlertingRule);
  });

  it.each([
    { query: 'type=record', groups: [['recording', ['job:up:sum']]] },
    { query: 'type=ALERT', groups: [['alerts', ['InstanceDown', 'Broken']]] },
    { query: 'rule_name[]=Broken&rule_name[]=job:up:sum', groups: [['alerts', ['Broken']], ['recording', ['job:up:sum']]] },
    { query: 'rule_group[]=recording', groups: [['recording', ['job:up:sum']]] },
    { query: 'file[]=/nowhere.yml', groups: [] },
    { query: 'match[]={severity="page"}', groups: [['alerts', ['InstanceDown']]] },
    { query: 'match[]={team="infra"}&match[]={severity="page"}', groups: [['alerts', ['InstanceDown']], ['recording', ['job:up:sum']]] },
  ])('filters by $query', async ({ query, groups }) => {
    const { json } = await get(`/api/v1/rules?${query}`);
    expect(json.data!.groups.map((g) => [g.name, g.rules.map((r) => r.name)])).toEqual(groups);
  });

  it('exclude_alerts leaves alerts out (null, as upstream)', async () => {
    const { json } = await get('/api/v1/rules?exclude_alerts=true&type=alert');
    expect(json.data!.groups[0]!.rules.map((r) => r.alerts)).toEqual([null, null]);
  });

  it('paginates by group_limit and group_next_token', async () => {
    const first = await get('/api/v1/rules?group_limit=1');
    expect(first.json.data!.groups.map((g) => g.name)).toEqual(['alerts']);
    const token = first.json.data!.groupNextToken!;
    expect(token).toMatch(/^[0-9a-f]{40}$/);
    const second = await get(`/api/v1/rules?group_limit=1&group_next_token=${token}`);
    expect(second.json.data!.groups.map((g) => g.name)).toEqual(['recording']);
    expect(second.json.data!.groupNextToken).toBeUndefined();
  });

  it.each([
    { query: 'type=both', error: 'invalid parameter "type": not supported value "both"' },
    { query: 'exclude_alerts=maybe', error: 'invalid parameter "exclude_alerts": error converting exclude_alerts: strconv.ParseBool: parsing "maybe": invalid syntax' },
    { query: 'group_next_token=abc', error: 'invalid parameter "group_next_token": group_limit needs to be present in order to paginate over the groups' },
    { query: 'group_limit=0', error: 'invalid parameter "group_limit": group_limit needs to be greater than 0' },
    { query: 'group_limit=x', error: 'invalid parameter "group_limit": group_limit needs to be a valid number: strconv.ParseInt: parsing "x": invalid syntax' },
    { query: 'group_limit=1&group_next_token=abc', error: "invalid parameter \"group_next_token\": invalid group_next_token 'abc'. were rule groups changed?" },
    { query: 'match[]={a=""}', error: 'match[] must contain at least one non-empty matcher' },
  ])('rejects $query with 400', async ({ query, error }) => {
    const { status, json } = await get(`/api/v1/rules?${query}`);
    expect(status).toBe(400);
    expect(json.errorType).toBe('bad_data');
    expect(json.error).toContain(error);
  });
});
