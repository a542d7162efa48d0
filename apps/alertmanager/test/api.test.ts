import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, postJson, startTestAlertmanager } from './helpers.js';

const CONFIG = `
route:
  receiver: default
  group_by: [alertname]
  group_wait: 1h
  routes:
  - matchers: [team="db"]
    receiver: db
receivers:
- name: default
- name: db
inhibit_rules:
- source_matchers: [severity="critical"]
  target_matchers: [severity="warning"]
  equal: [job]
`;

let am: Awaited<ReturnType<typeof startTestAlertmanager>>;
let api: string;
beforeAll(async () => {
  am = await startTestAlertmanager(CONFIG);
  api = `${am.url}/api/v2`;
});
afterAll(async () => {
  await am.close();
});

const later = new Date(Date.now() + 3_600_000).toISOString();

describe('API v2', () => {
  it('reports status with the config written back and receivers', async () => {
    const status = JSON.parse((await call(`${api}/status`)).body) as { cluster: unknown; config: { original: string }; versionInfo: { version: string }; uptime: string };
    expect(status.cluster).toEqual({ peers: [], status: 'disabled' });
    expect(status.config.original).toContain('receiver: default');
    expect(status.config.original).toContain('resolve_timeout: 5m');
    expect(status.versionInfo.version).toBe('0.28.1');
    expect(status.uptime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(JSON.parse((await call(`${api}/receivers`)).body)).toEqual([{ name: 'default' }, { name: 'db' }]);
  });

  it('accepts alerts, lists them with receivers and marks, and filters them', async () => {
    const posted = await postJson(`${api}/alerts`, [
      { labels: { alertname: 'Crit', severity: 'critical', job: 'j' }, startsAt: '2025-01-01T00:00:00.123456789Z', generatorURL: 'http://prom/graph' },
      { labels: { alertname: 'Warn', severity: 'warning', job: 'j', team: 'db' }, annotations: { summary: 's' } },
      { labels: { alertname: 'Empty', drop: '' } },
    ]);
    expect(posted).toMatchObject({ status: 200, body: '' });
    const all = JSON.parse((await call(`${api}/alerts`)).body) as { labels: Record<string, string>; receivers: { name: string }[]; status: { state: string; inhibitedBy: string[] }; fingerprint: string; startsAt: string; endsAt: string }[];
    expect(all.map((a) => a.fingerprint)).toEqual([...all.map((a) => a.fingerprint)].sort());
    const byName = Object.fromEntries(all.map((a) => [a.labels['alertname'], a]));
    expect(byName['Empty']!.labels).toEqual({ alertname: 'Empty' });
    expect(byName['Crit']!.startsAt).toBe('2025-01-01T00:00:00.123Z');
    expect(byName['Warn']!.receivers).toEqual([{ name: 'db' }]);
    expect(byName['Warn']!.status).toEqual({ inhibitedBy: [byName['Crit']!.fingerprint], mutedBy: [], silencedBy: [], state: 'suppressed' });
    const filtered = JSON.parse((await call(`${api}/alerts?filter=severity%3D~%22crit.*%22`)).body) as unknown[];
    expect(filtered).toHaveLength(1);
    expect(JSON.parse((await call(`${api}/alerts?inhibited=false`)).body)).toHaveLength(2);
    expect(JSON.parse((await call(`${api}/alerts?receiver=db`)).body)).toHaveLength(1);
    const groups = JSON.parse((await call(`${api}/alerts/groups`)).body) as { labels: Record<string, string>; receiver: { name: string } }[];
    expect(groups.map((g) => [g.labels['alertname'], g.receiver.name])).toEqual([['Crit', 'default'], ['Empty', 'default'], ['Warn', 'db']]);
  });

  it('answers invalid alerts as upstream: 400 listing them, the valid ones still stored', async () => {
    const bad = await postJson(`${api}/alerts`, [{ labels: { alertname: 'Kept' } }, { labels: {} }, { labels: { a: 'b' }, startsAt: '2030-01-01T00:00:00Z', endsAt: '2020-01-01T00:00:00Z' }]);
    expect(bad).toMatchObject({ status: 400, body: '"at least one label pair required; start time must be before end time"\n' });
    expect((await call(`${api}/alerts?filter=alertname%3DKept`)).body).toContain('Kept');
  });

  it.each([
    { name: 'malformed JSON', body: 'not json', status: 400, code: 400 },
    { name: 'not an array', body: '{}', status: 400, message: 'parsing alerts body from "" failed, because json: cannot unmarshal object into Go value of type models.PostableAlerts' },
    { name: 'missing labels', body: '[{}]', status: 422, message: '0.labels in body is required', code: 602 },
    { name: 'a number label', body: '[{"labels":{"a":1}}]', status: 400, message: 'parsing alerts body from "" failed, because json: cannot unmarshal number into Go struct field Alert.labels of type string' },
    { name: 'not a uri', body: '[{"labels":{"a":"b"},"generatorURL":"not a url"}]', status: 422, message: '0.generatorURL in body must be of type uri: "not a url"', code: 601 },
    { name: 'empty body', body: '', status: 422, message: 'alerts in body is required', code: 602 },
  ])('refuses $name like go-swagger', async ({ body, status, message, code }) => {
    const res = await postJson(`${api}/alerts`, body);
    expect(res.status).toBe(status);
    const err = JSON.parse(res.body) as { code: number; message: string };
    if (code !== undefined) expect(err.code).toBe(code);
    if (message !== undefined) expect(err.message).toBe(message);
  });

  it('creates, updates, lists, gets and expires silences', async () => {
    const created = await postJson(`${api}/silences`, { matchers: [{ name: 'alertname', value: 'Crit', isRegex: false }], startsAt: new Date().toISOString(), endsAt: later, createdBy: 'me', comment: 'maintenance' });
    expect(created.status).toBe(200);
    const { silenceID } = JSON.parse(created.body) as { silenceID: string };
    const got = JSON.parse((await call(`${api}/silence/${silenceID}`)).body) as { status: { state: string }; matchers: unknown[]; comment: string };
    expect(got).toMatchObject({ status: { state: 'active' }, matchers: [{ isEqual: true, isRegex: false, name: 'alertname', value: 'Crit' }], comment: 'maintenance' });
    const crit = (JSON.parse((await call(`${api}/alerts?filter=alertname%3DCrit`)).body) as { status: { silencedBy: string[] } }[])[0]!;
    expect(crit.status.silencedBy).toEqual([silenceID]);
    // Moving only the end keeps the id.
    const updated = await postJson(`${api}/silences`, { id: silenceID, matchers: [{ name: 'alertname', value: 'Crit', isRegex: false }], startsAt: new Date(Date.parse((got as unknown as { startsAt: string }).startsAt)).toISOString(), endsAt: new Date(Date.now() + 7_200_000).toISOString(), createdBy: 'me', comment: 'longer' });
    expect(JSON.parse(updated.body)).toEqual({ silenceID });
    expect((await call(`${api}/silences?filter=alertname%3DCrit`)).body).toContain('longer');
    expect((await call(`${api}/silence/${silenceID}`, { method: 'DELETE' })).status).toBe(200);
    expect(JSON.parse((await call(`${api}/silence/${silenceID}`)).body)).toMatchObject({ status: { state: 'expired' } });
  });

  it.each([
    { name: 'empty object', body: {}, status: 422, text: '"message":"comment in body is required"' },
    { name: 'no matchers', body: { matchers: [], startsAt: '2020-01-01T00:00:00Z', endsAt: later, createdBy: 'a', comment: 'c' }, status: 422, text: '{"code":612,"message":"matchers in body should have at least 1 items"}' },
    { name: 'start after end', body: { matchers: [{ name: 'a', value: 'b', isRegex: false }], startsAt: later, endsAt: '2020-01-01T00:00:00Z', createdBy: 'a', comment: 'c' }, status: 400, text: '"Failed to create silence: start time must be before end time"\n' },
    { name: 'end in the past', body: { matchers: [{ name: 'a', value: 'b', isRegex: false }], startsAt: '2020-01-01T00:00:00Z', endsAt: '2021-01-01T00:00:00Z', createdBy: 'a', comment: 'c' }, status: 400, text: '"Failed to create silence: end time can\'t be in the past"\n' },
    { name: 'unknown id', body: { id: '00000000-0000-0000-0000-000000000000', matchers: [{ name: 'a', value: 'b', isRegex: false }], startsAt: '2020-01-01T00:00:00Z', endsAt: later, createdBy: 'a', comment: 'c' }, status: 404, text: '"silence not found"\n' },
    { name: 'matching everything', body: { matchers: [{ name: 'a', value: '', isRegex: false }], startsAt: '2020-01-01T00:00:00Z', endsAt: later, createdBy: 'a', comment: 'c' }, status: 400, text: '"invalid silence: at least one matcher must not match the empty string"\n' },
    { name: 'bad regex', body: { matchers: [{ name: 'a', value: '(', isRegex: true }], startsAt: '2020-01-01T00:00:00Z', endsAt: later, createdBy: 'a', comment: 'c' }, status: 400, text: '"invalid silence: invalid label matcher 0: invalid regular expression \\"(\\": error parsing regexp: missing closing ): `(`"\n' },
    { name: 'missing isRegex', body: { matchers: [{ name: 'a', value: 'b' }], startsAt: '2020-01-01T00:00:00Z', endsAt: later, createdBy: 'a', comment: 'c' }, status: 422, text: '{"code":602,"message":"matchers.0.isRegex in body is required"}' },
  ])('refuses a silence with $name', async ({ body, status, text }) => {
    const res = await postJson(`${api}/silences`, body);
    expect(res.status).toBe(status);
    expect(res.body).toContain(text);
  });

  it.each([
    { name: 'silence id not a uuid', url: '/silence/abc', status: 422, body: '{"code":601,"message":"silenceID in path must be of type uuid: \\"abc\\""}' },
    { name: 'unknown silence', url: '/silence/00000000-0000-0000-0000-000000000000', status: 404, body: '' },
    { name: 'unknown path', url: '/nope', status: 404, body: '{"code":404,"message":"path /api/v2/nope was not found"}' },
    { name: 'bad filter', url: '/alerts?filter=foo', status: 400, body: '"bad matcher format: foo"\n' },
    { name: 'bad receiver regex', url: '/alerts?receiver=(', status: 400, body: '"failed to parse receiver param: error parsing regexp: missing closing ): `^(?:()$`"\n' },
  ])('answers $name', async ({ url, status, body }) => {
    expect(await call(`${api}${url}`)).toMatchObject({ status, body });
  });

  it('answers 405 with Allow, 415 for other media types, and 404 deleting an unknown silence', async () => {
    const put = await call(`${api}/alerts`, { method: 'PUT' });
    expect(put).toMatchObject({ status: 405, body: '{"code":405,"message":"method PUT is not allowed, but [GET,POST] are"}' });
    expect(put.headers.get('allow')).toBe('GET,POST');
    const text = await call(`${api}/alerts`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '[]' });
    expect(text).toMatchObject({ status: 415, body: '{"code":415,"message":"unsupported media type \\"text/plain\\", only [application/json] are allowed"}' });
    expect((await call(`${api}/silence/00000000-0000-0000-0000-000000000000`, { method: 'DELETE' })).status).toBe(404);
  });

  it('answers 410 on the removed v1 API', async () => {
    const v1 = await call(`${am.url}/api/v1/alerts`);
    expect(v1.status).toBe(410);
    expect(JSON.parse(v1.body)).toEqual({ status: 'deprecated', error: 'The Alertmanager v1 API was deprecated in version 0.16.0 and is removed as of version 0.27.0 - please use the equivalent route in the v2 API' });
  });
});

describe('lifecycle endpoints', () => {
  it('serves health, readiness and metrics dashboards use', async () => {
    expect(await call(`${am.url}/-/healthy`)).toMatchObject({ status: 200, body: 'OK' });
    expect(await call(`${am.url}/-/ready`, { method: 'HEAD' })).toMatchObject({ status: 200 });
    const metrics = (await call(`${am.url}/metrics`)).body;
    for (const name of ['alertmanager_alerts{state="active"}', 'alertmanager_alerts_received_total{status="firing",version="v2"}', 'alertmanager_notifications_total{integration="webhook"}', 'alertmanager_silences{state="active"}', 'alertmanager_config_last_reload_successful 1', 'alertmanager_dispatcher_aggregation_groups', 'alertmanager_build_info', 'alertmanager_cluster_enabled 0', 'alertmanager_http_request_duration_seconds_bucket']) {
      expect(metrics).toContain(name);
    }
  });

  it('reloads on POST /-/reload and keeps the running config when the new one is bad', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(am.configFile, CONFIG.replace('- name: db\n', '- name: db\n- name: extra\n'));
    expect(await call(`${am.url}/-/reload`, { method: 'POST' })).toMatchObject({ status: 200 });
    expect((await call(`${api}/receivers`)).body).toContain('extra');
    writeFileSync(am.configFile, 'route: {receiver: missing}\n');
    const failed = await call(`${am.url}/-/reload`, { method: 'POST' });
    expect(failed.status).toBe(500);
    expect(failed.body).toMatch(/^failed to reload config: .*undefined receiver "missing" used in route\n$/);
    expect((await call(`${api}/receivers`)).body).toContain('extra');
    expect((await call(`${am.url}/metrics`)).body).toContain('alertmanager_config_last_reload_successful 0');
  });
});
