import { buildTemplateData, NotificationTemplates, type TemplateData } from '@pyrometer/template';
import { describe, expect, it } from 'vitest';
import { flinkGroupData, NOW, resolvedGroupData, upstreamTemplateNames, upstreamTemplates } from './fixtures.js';

// Upstream's built-in templates (read unchanged from the shared conformance data) and ours must
// render the same text for every name upstream defines; the e-mail body is compared by its
// visible text. The expected renderings upstream's own notifier tests assert are restated too.

const ALERT_LIST_TEMPLATES = new Set(['__text_alert_list', '__text_alert_list_markdown', 'pagerduty.default.instances']);

function callFor(name: string): string {
  return `{{ template "${name}" ${ALERT_LIST_TEMPLATES.has(name) ? '.Alerts' : '.'} }}`;
}

/** Two firing alerts without annotations and no group labels (upstream's webex test). */
function webexData(): TemplateData {
  return buildTemplateData({
    receiver: 'webex',
    groupLabels: {},
    externalURL: 'http://am',
    nowMs: NOW,
    alerts: [
      { labels: { lbl1: 'val1', lbl3: 'val3' }, annotations: {}, startsAt: NOW - 1000, endsAt: NOW + 3_600_000, generatorURL: '', fingerprint: 'a' },
      { labels: { lbl1: 'val1', lbl2: 'val2' }, annotations: {}, startsAt: NOW - 1000, endsAt: NOW + 3_600_000, generatorURL: '', fingerprint: 'b' },
    ],
  });
}

/** One alert grouped by alertname (upstream's jira tests); resolved when `resolved`. */
function jiraData(labels: Record<string, string>, resolved: boolean): TemplateData {
  return buildTemplateData({
    receiver: 'jira',
    groupLabels: { alertname: 'test' },
    externalURL: 'http://am',
    nowMs: NOW,
    alerts: [{ labels, annotations: {}, startsAt: NOW - 7_200_000, endsAt: resolved ? NOW - 3_600_000 : NOW + 3_600_000, generatorURL: '', fingerprint: 'f' }],
  });
}

const datasets: [string, () => TemplateData][] = [
  ['firing and resolved alerts', flinkGroupData],
  ['only resolved alerts', resolvedGroupData],
  ['no group labels, no annotations', webexData],
  ['one firing alert', () => jiraData({ alertname: 'test', instance: 'vm1', severity: 'critical' }, false)],
  ['one resolved alert', () => jiraData({ alertname: 'test', instance: 'vm1', severity: 'info' }, true)],
];

/** What a reader sees of an e-mail body: the text of <body>, entities decoded, white space collapsed. */
function visibleText(html: string): string {
  const body = html.replace(/^[\s\S]*?<body[^>]*>/i, '').replace(/<\/body>[\s\S]*$/i, '');
  const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', '#34': '"', '#39': "'", '#43': '+', nbsp: ' ' };
  return body
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#?\w+);/g, (m, e: string) => entities[e] ?? m)
    .replace(/\s+/g, ' ')
    .trim();
}

describe('our built-in templates render what upstream’s render', () => {
  const names = upstreamTemplateNames();
  const ours = new NotificationTemplates();

  it('define every name upstream defines', () => {
    const missing = names.filter((n) => !ours.templateNames().includes(n));
    expect(missing).toEqual([]);
  });

  it.each(datasets)('every text template: %s', async (_name, makeData) => {
    const data = makeData();
    const upstream = upstreamTemplates();
    for (const name of names.filter((n) => n !== 'email.default.html')) {
      const expected = await upstream.executeText(callFor(name), data);
      expect({ name, text: await ours.executeText(callFor(name), data) }).toEqual({ name, text: expected });
    }
  });

  it.each(datasets)('email.default.html shows the same text: %s', async (_name, makeData) => {
    const data = makeData();
    const expected = visibleText(await upstreamTemplates().executeHtml(callFor('email.default.html'), data));
    const html = await ours.executeHtml(callFor('email.default.html'), data);
    expect(visibleText(html)).toBe(expected);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  });
});

describe("upstream's notifier tests (v0.28.1), restated", () => {
  const both = () => [
    ['upstream', upstreamTemplates()],
    ['ours', new NotificationTemplates()],
  ] as const;

  it('webex.default.message for two firing alerts (notify/webex)', async () => {
    for (const [, templates] of both()) {
      expect(await templates.executeText('{{ template "webex.default.message" . }}', webexData())).toBe(
        '\n\nAlerts Firing:\nLabels:\n - lbl1 = val1\n - lbl3 = val3\nAnnotations:\nSource: \nLabels:\n - lbl1 = val1\n - lbl2 = val2\nAnnotations:\nSource: \n\n\n\n',
      );
    }
  });

  it.each([
    [{ alertname: 'test', instance: 'vm1', severity: 'critical' }, false, '[FIRING:1] test (vm1 critical)', '\n\n# Alerts Firing:\n\nLabels:\n  - alertname = test\n  - instance = vm1\n  - severity = critical\n\nAnnotations:\n\nSource: \n\n\n\n\n', 'High'],
    [{ alertname: 'test', instance: 'vm1', issue_type: 'MINOR', project: 'MONITORING', severity: 'critical' }, false, '[FIRING:1] test (vm1 MINOR MONITORING critical)', '\n\n# Alerts Firing:\n\nLabels:\n  - alertname = test\n  - instance = vm1\n  - issue_type = MINOR\n  - project = MONITORING\n  - severity = critical\n\nAnnotations:\n\nSource: \n\n\n\n\n', 'High'],
    [{ alertname: 'test', instance: 'vm1' }, false, '[FIRING:1] test (vm1)', '\n\n# Alerts Firing:\n\nLabels:\n  - alertname = test\n  - instance = vm1\n\nAnnotations:\n\nSource: \n\n\n\n\n', ''],
    [{ alertname: 'test', instance: 'vm1' }, true, '[RESOLVED] test (vm1)', '\n\n\n# Alerts Resolved:\n\nLabels:\n  - alertname = test\n  - instance = vm1\n\nAnnotations:\n\nSource: \n\n\n\n', ''],
  ])('jira summary, description and priority for %j (resolved: %s) (notify/jira)', async (labels, resolved, summary, description, priority) => {
    for (const [, templates] of both()) {
      const data = jiraData(labels, resolved);
      expect(await templates.executeText('{{ template "jira.default.summary" . }}', data)).toBe(summary);
      expect(await templates.executeText('{{ template "jira.default.description" . }}', data)).toBe(description);
      expect(await templates.executeText('{{ template "jira.default.priority" . }}', data)).toBe(priority);
    }
  });

  it('jira priority ranks severities: critical over warning over info, firing before resolved', async () => {
    const data = (firing: string[], resolved: string[]) =>
      buildTemplateData({
        receiver: 'r',
        groupLabels: {},
        externalURL: '',
        nowMs: NOW,
        alerts: [
          ...firing.map((s, i) => ({ labels: { severity: s, i: `f${i}` }, annotations: {}, startsAt: NOW - 1, generatorURL: '', fingerprint: `f${i}` })),
          ...resolved.map((s, i) => ({ labels: { severity: s, i: `r${i}` }, annotations: {}, startsAt: NOW - 10, endsAt: NOW - 1, generatorURL: '', fingerprint: `r${i}` })),
        ],
      });
    const cases: [string[], string[], string][] = [
      [['info', 'warning'], [], 'Medium'],
      [['warning', 'info', 'critical'], [], 'High'],
      [['info'], ['critical'], 'Low'],
      [[], ['warning', 'info'], 'Medium'],
      [['none'], ['info'], 'Low'],
      [[], [], ''],
    ];
    for (const [firing, resolved, expected] of cases) {
      for (const [, templates] of both()) expect(await templates.executeText('{{ template "jira.default.priority" . }}', data(firing, resolved))).toBe(expected);
    }
  });
});
