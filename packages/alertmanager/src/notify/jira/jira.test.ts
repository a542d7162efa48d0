import { HttpRecorder, type RecordedRequest } from '@pyrometer/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertmanagerError } from '../../errors.js';
import { alertAt } from '../../testing/harness.js';
import { notifierFromConfig, type NotifierUnderTest } from '../../testing/notifier-harness.js';
import { groupKeyHash } from '../payload.js';
import { jiraIntegration } from './jira.js';

let jira: HttpRecorder;
beforeEach(async () => {
  jira = await HttpRecorder.start({ otherwise: { status: 204 } });
});
afterEach(() => jira.close());

const LABEL = `ALERT{${groupKeyHash('{}:{alertname="FlinkJobDown"}')}}`;
const json = (body: unknown, status = 200) => ({ status, body: JSON.stringify(body), contentType: 'application/json' });
const noIssue = json({ total: 0, issues: [] });
const issue = (category: string, total = 1) => json({ total, issues: [{ key: 'OPS-7', fields: { status: { name: category, statusCategory: { key: category } } } }] });
const transitions = json({ transitions: [{ id: '11', name: 'Reopen' }, { id: '31', name: 'Close' }] });

const config = (fields = '', apiVersion = '2') => `
global: {jira_api_url: '${jira.url}/rest/api/${apiVersion}'}
route: {receiver: tickets}
receivers:
- name: tickets
  jira_configs:
  - project: OPS
    issue_type: Bug
    labels: ['flink', '{{ .CommonLabels.job_name }}']
    reopen_transition: Reopen
    resolve_transition: Close
${fields}`;

const rejection = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err as AlertmanagerError);
const firing = (n: NotifierUnderTest) => [alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders', severity: 'critical' }, { annotations: { summary: 'orders is down' } })];
const resolved = (n: NotifierUnderTest) => [alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders', severity: 'critical' }, { startsAt: n.clock.now() - 60_000, endsAt: n.clock.now() - 1_000 })];
const calls = (requests: readonly RecordedRequest[]) => requests.map((r) => `${r.method} ${r.url}`);

describe('jira integration', () => {
  it('searches the group label and, finding nothing, creates the issue from the default templates', async () => {
    jira.answer(noIssue, json({ id: '10001', key: 'OPS-7' }, 201));
    const n = await notifierFromConfig('jira', jiraIntegration, config());
    await n.notify(firing(n));
    const [search, create] = await jira.waitFor(2);
    expect([search!.method, search!.url, search!.headers['content-type'], search!.headers['accept-language']]).toEqual(['POST', '/rest/api/2/search', 'application/json', 'en']);
    // With a reopen transition, done issues are found too (to be reopened).
    expect(search!.body).toBe(`{"expand":[],"fields":["status"],"jql":"project=\\"OPS\\" and labels=\\"${LABEL}\\" order by status ASC,resolutiondate DESC","maxResults":2,"startAt":0}\n`);
    expect([create!.method, create!.url]).toEqual(['POST', '/rest/api/2/issue']);
    const fields = (JSON.parse(create!.body) as { fields: Record<string, unknown> }).fields;
    expect(Object.keys(fields)).toEqual(['description', 'issuetype', 'labels', 'priority', 'project', 'summary']);
    expect(fields).toMatchObject({ issuetype: { name: 'Bug' }, labels: [LABEL, 'flink', 'orders'].sort(), priority: { name: 'High' }, project: { key: 'OPS' }, summary: '[FIRING:1] FlinkJobDown (orders critical)' });
    expect(fields['description']).toContain('orders is down');
  });

  it('updates an open issue while firing, and resolves it through resolve_transition once resolved', async () => {
    const n = await notifierFromConfig('jira', jiraIntegration, config());
    jira.answer(issue('indeterminate'), { status: 204 });
    await n.notify(firing(n));
    jira.answer(issue('indeterminate'), { status: 204 }, transitions, { status: 204 });
    await n.notify(resolved(n));
    expect(calls(jira.requests)).toEqual(['POST /rest/api/2/search', 'PUT /rest/api/2/issue/OPS-7', 'POST /rest/api/2/search', 'PUT /rest/api/2/issue/OPS-7', 'GET /rest/api/2/issue/OPS-7/transitions', 'POST /rest/api/2/issue/OPS-7/transitions']);
    expect(jira.requests[5]!.body).toBe('{"transition":{"id":"31"}}\n');
    expect(JSON.parse(jira.requests[3]!.body)).toMatchObject({ fields: { summary: '[RESOLVED] FlinkJobDown (orders critical)' } });
  });

  it('reopens a done issue that fires again; a resolved group without an issue sends nothing', async () => {
    const n = await notifierFromConfig('jira', jiraIntegration, config());
    jira.answer(issue('done'), { status: 204 }, transitions, { status: 204 });
    await n.notify(firing(n));
    expect(jira.requests[3]!.body).toBe('{"transition":{"id":"11"}}\n');
    jira.answer(noIssue);
    await n.notify(resolved(n));
    expect(calls(jira.requests.slice(4))).toEqual(['POST /rest/api/2/search']);
  });

  it("builds the JQL from wont_fix_resolution, the reopen rules and reopen_duration; warns when several issues match", async () => {
    const n = await notifierFromConfig('jira', jiraIntegration, config("    wont_fix_resolution: Won't Fix\n    reopen_duration: 1h30m").replace('    reopen_transition: Reopen\n', ''));
    jira.answer(issue('indeterminate', 2), { status: 204 });
    await n.notify(firing(n));
    jira.answer(noIssue);
    await n.notify(resolved(n));
    const jql = [0, 2].map((i) => (JSON.parse(jira.requests[i]!.body) as { jql: string }).jql);
    expect(jql).toEqual([
      `resolution != "Won't Fix" and statusCategory != Done and project="OPS" and labels="${LABEL}" order by status ASC,resolutiondate DESC`,
      `resolution != "Won't Fix" and (resolutiondate is EMPTY OR resolutiondate >= -90m) and project="OPS" and labels="${LABEL}" order by status ASC,resolutiondate DESC`,
    ]);
    expect(n.logs).toContainEqual({ level: 'warn', msg: 'more than one issue matched, selecting the most recently resolved', fields: { group_key: '{}:{alertname="FlinkJobDown"}', selected_issue: 'OPS-7' } });
  });

  it('API version 3: the description is sent as Atlassian Document Format JSON; custom fields as configured; summary truncated to 255 runes', async () => {
    const adf = '{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"{{ .CommonLabels.job_name }}"}]}]}';
    const n = await notifierFromConfig('jira', jiraIntegration, config(`    description: '${adf}'\n    summary: '${'s'.repeat(300)}'\n    fields: {customfield_10001: {value: red}, components: [{name: flink}]}`, '3'));
    jira.answer(noIssue, json({ key: 'OPS-8' }, 201));
    await n.notify(firing(n));
    const fields = (JSON.parse((await jira.waitFor(2))[1]!.body) as { fields: Record<string, unknown> }).fields;
    expect(fields).toMatchObject({ description: { type: 'doc', content: [{ content: [{ text: 'orders' }] }] }, customfield_10001: { value: 'red' }, components: [{ name: 'flink' }] });
    expect([...(fields['summary'] as string)].length).toBe(255);
    expect(n.logs).toContainEqual({ level: 'warn', msg: 'Truncated summary', fields: { group_key: '{}:{alertname="FlinkJobDown"}', max_runes: 255 } });
  });

  it.each([
    { answers: [{ status: 503, body: 'down' }], message: 'failed to look up existing issues: HTTP request to JIRA API: unexpected status code 503: down', retryable: true },
    { answers: [{ status: 429, body: 'slow down' }], message: 'failed to look up existing issues: HTTP request to JIRA API: unexpected status code 429: slow down', retryable: true },
    { answers: [noIssue, { status: 400, body: '{"errors":{"summary":"required"}}' }], message: 'failed to POST request to "issue": unexpected status code 400: {"errors":{"summary":"required"}}', retryable: false },
    { answers: [issue('done'), { status: 204 }, json({ transitions: [] })], message: "can't find transition Reopen for issue OPS-7", retryable: false },
  ])('$message: retryable $retryable', async ({ answers, message, retryable }) => {
    jira.answer(...answers);
    const n = await notifierFromConfig('jira', jiraIntegration, config());
    const err = await rejection(n.notify(firing(n)));
    expect([err!.message, err!.retryable]).toEqual([message, retryable]);
  });

  it('a network failure is not retried (as upstream)', async () => {
    const n = await notifierFromConfig('jira', jiraIntegration, config().replace(jira.url, 'http://127.0.0.1:1'));
    const err = await rejection(n.notify(firing(n)));
    expect([err!.message.startsWith('failed to look up existing issues: HTTP request to JIRA API: Post "http://127.0.0.1:1/rest/api/2/search": '), err!.retryable]).toEqual([true, false]);
  });

  it("creates the issue upstream's own test expects (0.28's TestJiraNotify, \"create new issue\")", async () => {
    const n = await notifierFromConfig('jira', jiraIntegration, config("    labels: ['alertmanager', '{{ .GroupLabels.alertname }}']\n    reopen_duration: 1h\n    wont_fix_resolution: WONTFIX").replace('project: OPS\n    issue_type: Bug', 'project: OPS\n    issue_type: Incident').replace("    labels: ['flink', '{{ .CommonLabels.job_name }}']\n", ''));
    jira.answer(noIssue, json({ key: 'OPS-1' }, 201));
    const alert = { ...alertAt(n.clock, { alertname: 'test', instance: 'vm1', severity: 'critical' }), generatorURL: '' };
    await n.notify([alert], { key: '1', labels: { alertname: 'test' } });
    const [search, create] = await jira.waitFor(2);
    expect((JSON.parse(search!.body) as { jql: string }).jql).toBe('resolution != "WONTFIX" and project="OPS" and labels="ALERT{6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b}" order by status ASC,resolutiondate DESC');
    expect(JSON.parse(create!.body)).toEqual({
      fields: {
        summary: '[FIRING:1] test (vm1 critical)',
        description: '\n\n# Alerts Firing:\n\nLabels:\n  - alertname = test\n  - instance = vm1\n  - severity = critical\n\nAnnotations:\n\nSource: \n\n\n\n\n',
        issuetype: { name: 'Incident' },
        labels: ['ALERT{6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b}', 'alertmanager', 'test'],
        project: { key: 'OPS' },
        priority: { name: 'High' },
      },
    });
  });
});
