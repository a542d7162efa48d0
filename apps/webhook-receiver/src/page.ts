import type { ReceivedNotification } from './inbox.js';
import type { NotifiedAlert } from './payload.js';
import { formatLabels, ownLabels } from './text.js';

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d2329; background: #f7f8fa; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
p.note { color: #5a6570; margin: 0 0 1rem; }
section { background: #fff; border: 1px solid #d8dde3; border-radius: 6px; margin: 0 0 1rem; padding: .75rem 1rem; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: baseline; }
.badge { font-weight: 600; padding: .1rem .5rem; border-radius: 4px; color: #fff; }
.firing { background: #c62828; } .resolved { background: #2e7d32; }
code { font-size: .85rem; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-top: 1px solid #e6e9ed; font-size: .9rem; }
.muted { color: #5a6570; }
`;

/**
 * The receiver's page: every kept notification, newest first, with its receiver, status, group
 * labels and each alert's labels and annotations (summary, description, runbook, and any other).
 * Everything received is escaped; the page refreshes itself every 10 s.
 */
export function renderPage(notifications: readonly ReceivedNotification[], total: number, capacity: number): string {
  const body = notifications.length === 0
    ? '<p>No notification yet. Alertmanager sends one when an alert routed to a webhook_config pointing here fires (after the route\'s group_wait) or resolves.</p>'
    : notifications.map(renderNotification).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="10">
<title>Notifications — Pyrometer webhook receiver</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Notifications</h1>
<p class="note">${total} received since the start; the latest ${capacity} are kept, newest first. This page refreshes every 10 s.</p>
${body}
</body>
</html>
`;
}

function renderNotification(n: ReceivedNotification): string {
  const p = n.payload;
  const link = isWebUrl(p.externalURL) ? ` <a href="${escapeHtml(p.externalURL)}">Alertmanager</a>` : '';
  return `<section id="n${n.id}">
<header><span class="badge ${p.status === 'resolved' ? 'resolved' : 'firing'}">${escapeHtml(p.status.toUpperCase())}</span>
<strong>${escapeHtml(p.receiver)}</strong> <code>${escapeHtml(formatLabels(p.groupLabels))}</code>
<span class="muted">#${n.id}, ${escapeHtml(new Date(n.receivedAt).toISOString())}, POST ${escapeHtml(n.path)}</span>${link}</header>
<table>
<thead><tr><th>status</th><th>alert</th><th>annotations</th><th>since</th></tr></thead>
<tbody>
${p.alerts.map((a) => renderAlert(a, p.groupLabels)).join('\n')}
</tbody>
</table>${p.truncatedAlerts > 0 ? `\n<p class="muted">${p.truncatedAlerts} more alerts were not sent (max_alerts).</p>` : ''}
</section>`;
}

function renderAlert(a: NotifiedAlert, groupLabels: Readonly<Record<string, string>>): string {
  const annotations = Object.entries(a.annotations).map(([k, v]) => `<div><strong>${escapeHtml(k)}</strong>: ${escapeHtml(v)}</div>`).join('');
  const source = isWebUrl(a.generatorURL) ? ` <a href="${escapeHtml(a.generatorURL)}">source</a>` : '';
  const until = a.status === 'resolved' && a.endsAt !== '' ? `<br>resolved ${escapeHtml(a.endsAt)}` : '';
  return `<tr><td><span class="badge ${a.status === 'resolved' ? 'resolved' : 'firing'}">${escapeHtml(a.status)}</span></td>`
    + `<td><strong>${escapeHtml(a.labels['alertname'] ?? '')}</strong>${source}<br><code>${escapeHtml(formatLabels(ownLabels(a, groupLabels)))}</code></td>`
    + `<td>${annotations}</td><td>${escapeHtml(a.startsAt)}${until}</td></tr>`;
}

/** Only http(s) links are made clickable: a received `javascript:` URL stays text. */
function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
