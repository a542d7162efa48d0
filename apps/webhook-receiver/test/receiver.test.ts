import { describe, expect, it } from 'vitest';
import { notification, post, startTestReceiver } from './helpers.js';

// What the receiver does with what it is sent: bad bodies are refused naming the field and change
// nothing, received text cannot inject markup into the page, and only the latest are kept.

describe('the webhook receiver', () => {
  it.each([
    { name: 'a body that is not JSON', body: '{"receiver":', answer: /^the body is not JSON: / },
    { name: 'an array', body: '[]', answer: /^the body: expected an object, got an array$/ },
    { name: 'no alerts', body: JSON.stringify({ receiver: 'r', status: 'firing' }), answer: /^alerts: missing$/ },
    { name: 'a label that is not a string', body: JSON.stringify({ ...notification('firing', { alertname: 'A' }), alerts: [{ status: 'firing', labels: { alertname: 'A', severity: 3 } }] }), answer: /^alerts\[0\]\.labels\.severity: expected a string, got 3$/ },
    { name: 'an alert without status', body: JSON.stringify({ ...notification('firing', { alertname: 'A' }), alerts: [{ labels: {} }] }), answer: /^alerts\[0\]\.status: missing$/ },
  ])('refuses $name with 400 naming what is wrong, and keeps nothing', async ({ body, answer }) => {
    const receiver = await startTestReceiver();
    const res = await post(`${receiver.url}/team`, body);
    expect(res.status).toBe(400);
    expect((await res.text()).trim()).toMatch(answer);
    expect(receiver.inbox.total).toBe(0);
    expect(receiver.printed).toEqual([]);
  });

  it('refuses a body over 16 MiB with 413', async () => {
    const receiver = await startTestReceiver();
    const res = await post(`${receiver.url}/team`, 'x'.repeat(16 * 2 ** 20 + 1));
    expect(res.status).toBe(413);
    expect(receiver.inbox.total).toBe(0);
  });

  it('escapes what it received on the page and links only http(s) URLs', async () => {
    const receiver = await startTestReceiver();
    const body = notification('firing', { alertname: '<script>alert(1)</script>' }, { summary: '"><img src=x onerror=alert(1)>' });
    (body['alerts'] as { generatorURL: string }[])[0]!.generatorURL = 'javascript:alert(1)';
    expect((await post(`${receiver.url}/x`, body)).status).toBe(200);
    const page = await (await fetch(`${receiver.url}/`)).text();
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('href="javascript:');
  });

  it('keeps the latest --notifications.keep notifications and counts every one', async () => {
    const receiver = await startTestReceiver(['--notifications.keep=2']);
    for (const name of ['A', 'B', 'C']) expect((await post(`${receiver.url}/team`, notification('firing', { alertname: name }))).status).toBe(200);
    const api = (await (await fetch(`${receiver.url}/api/notifications`)).json()) as { total: number; notifications: { id: number; payload: { alerts: { labels: { alertname: string } }[] } }[] };
    expect(api.total).toBe(3);
    expect(api.notifications.map((n) => [n.id, n.payload.alerts[0]!.labels.alertname])).toEqual([[3, 'C'], [2, 'B']]);
    expect(await (await fetch(`${receiver.url}/`)).text()).toContain('3 received since the start; the latest 2 are kept');
  });

  it('answers 404 and 405 with a message, and HEAD without a body', async () => {
    const receiver = await startTestReceiver();
    const missing = await fetch(`${receiver.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/no page at \/nope/);
    const wrong = await fetch(`${receiver.url}/`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD, POST');
    const head = await fetch(`${receiver.url}/-/ready`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
