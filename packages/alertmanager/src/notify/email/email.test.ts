import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@pyrometer/testkit';
import { SmtpSink, type SmtpSinkOptions } from '@pyrometer/testkit/smtp';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertmanagerError } from '../../errors.js';
import { alertAt } from '../../testing/harness.js';
import { notifierFromConfig } from '../../testing/notifier-harness.js';
import { emailIntegration } from './email.js';

const sinks: SmtpSink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});
async function sink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const s = await SmtpSink.start(options);
  sinks.push(s);
  return s;
}

const AUTH: SmtpSinkOptions['auth'] = { methods: ['PLAIN', 'LOGIN'], users: { alertmanager: 's3cret' } };

/** A config sending through `s` with the CA that trusts its certificate. */
const config = (s: SmtpSink, global = '', fields = '') => `
global:
  smtp_smarthost: '${s.smarthost}'
  smtp_from: 'Alertmanager <am@example.org>'
  smtp_hello: am.example.org
  smtp_tls_config: {ca_file: '${s.certificate.certFile}'}
${global}
route: {receiver: ops}
receivers:
- name: ops
  email_configs:
  - to: 'ops@example.org, Flink Team <flink@example.org>'
${fields}`;

const firing = (n: { clock: never }) => alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' }, { annotations: { summary: 'orders <b>down</b>' } });
const rejection = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err as AlertmanagerError);

describe('email integration (real SMTP server)', () => {
  it('sends over STARTTLS with AUTH PLAIN: envelope, default Subject/To/From, Message-Id, Date and the default HTML body', async () => {
    const s = await sink({ auth: AUTH });
    const n = await notifierFromConfig('email', emailIntegration, config(s, "  smtp_auth_username: alertmanager\n  smtp_auth_password: s3cret\n  smtp_auth_identity: ops-team"));
    await n.notify([firing(n as never)]);
    const [mail] = await s.waitFor(1);
    expect(mail!.envelope).toEqual({ from: 'am@example.org', to: ['ops@example.org', 'flink@example.org'] });
    expect([mail!.hello, mail!.secure, mail!.auth]).toEqual(['am.example.org', true, { method: 'PLAIN', username: 'alertmanager', identity: 'ops-team' }]);
    const p = mail!.parsed;
    expect(p.subject).toBe('[FIRING:1] FlinkJobDown (orders)');
    expect(mail!.raw).toMatch(/^To: ops@example\.org, Flink Team <flink@example\.org>\r$/m);
    expect(mail!.raw).toMatch(/^From: Alertmanager <am@example\.org>\r$/m);
    expect(p.to).toMatchObject({ value: [{ address: 'ops@example.org', name: '' }, { address: 'flink@example.org', name: 'Flink Team' }] });
    expect(p.messageId).toMatch(/^<\d+\.\d+@.+>$/);
    expect(p.date?.getTime()).toBe(n.clock.now());
    expect(p.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(mail!.raw).toMatch(/^Content-Type: multipart\/alternative; {2}boundary=[0-9a-f]{60}\r$/m);
    expect(p.text).toBeUndefined();
    expect(p.html).toContain('FlinkJobDown');
    expect(p.html).toContain('orders &lt;b&gt;down&lt;/b&gt;');
    expect(p.html).toContain('href="http://am.example:9093/#/alerts?receiver=ops"');
  });

  it('sends both parts (text first, HTML last) from custom templates, custom headers (non-ASCII encoded), AUTH LOGIN with a password file', async () => {
    const s = await sink({ auth: { methods: ['LOGIN'], users: { alertmanager: 'from-file' } } });
    const dir = tempDir();
    writeFileSync(join(dir, 'pw'), 'from-file\n');
    writeFileSync(
      join(dir, 'mail.tmpl'),
      '{{ define "flink.mail.text" }}{{ range .Alerts }}{{ .Labels.job_name }}: {{ .Annotations.summary }}\n{{ end }}{{ end }}' +
        '{{ define "flink.mail.html" }}<h1>{{ .CommonLabels.alertname }}</h1><p>{{ .CommonAnnotations.summary }}</p><a href="{{ .ExternalURL }}">am</a>{{ end }}',
    );
    const fields = `    headers: {subject: 'Flink – {{ .CommonLabels.job_name }} ist ausgefallen', Reply-To: oncall@example.org}
    text: '{{ template "flink.mail.text" . }}'
    html: '{{ template "flink.mail.html" . }}'`;
    const n = await notifierFromConfig('email', emailIntegration, `templates: ['${dir}/*.tmpl']\n${config(s, `  smtp_auth_username: alertmanager\n  smtp_auth_password_file: ${join(dir, 'pw')}`, fields)}`);
    await n.notify([firing(n as never)]);
    const [mail] = await s.waitFor(1);
    expect(mail!.auth).toMatchObject({ method: 'LOGIN', username: 'alertmanager' });
    expect(mail!.raw).toMatch(/^Subject: =\?UTF-8\?Q\?/m);
    expect(mail!.parsed.subject).toBe('Flink – orders ist ausgefallen');
    expect(mail!.parsed.replyTo?.text).toBe('oncall@example.org');
    expect(mail!.parsed.text).toBe('orders: orders <b>down</b>\n');
    expect(mail!.parsed.html).toBe('<h1>FlinkJobDown</h1><p>orders &lt;b&gt;down&lt;/b&gt;</p><a href="http://am.example:9093">am</a>');
    expect(mail!.raw.indexOf('Content-Type: text/plain; charset=UTF-8')).toBeLessThan(mail!.raw.indexOf('Content-Type: text/html; charset=UTF-8'));
    expect(mail!.raw).toContain('Content-Transfer-Encoding: quoted-printable');
  });

  it('uses implicit TLS on port 465 (then require_tls asks for no STARTTLS, as upstream since 0.31)', async (ctx) => {
    let s: SmtpSink;
    try {
      s = await sink({ implicitTls: true, port: 465, auth: AUTH });
    } catch (err) {
      return ctx.skip(`port 465 cannot be bound here: ${(err as Error).message}`);
    }
    const n = await notifierFromConfig('email', emailIntegration, config(s, '  smtp_auth_username: alertmanager\n  smtp_auth_password: s3cret'));
    await n.notify([firing(n as never)]);
    expect((await s.waitFor(1))[0]!).toMatchObject({ secure: true, auth: { method: 'PLAIN' } });
  });

  it('takes the default Subject from email.default.subject as a templates file redefines it', async () => {
    const s = await sink();
    const dir = tempDir();
    writeFileSync(join(dir, 'subject.tmpl'), '{{ define "email.default.subject" }}Flink: {{ .CommonLabels.job_name }} ({{ .Status }}){{ end }}');
    const n = await notifierFromConfig('email', emailIntegration, `templates: ['${dir}/*.tmpl']\n${config(s)}`);
    await n.notify([firing(n as never)]);
    expect((await s.waitFor(1))[0]!.parsed.subject).toBe('Flink: orders (firing)');
  });

  it('authenticates with CRAM-MD5 and auth_secret', async () => {
    const s = await sink({ auth: { methods: ['CRAM-MD5'], users: { alertmanager: 'cr4m' } } });
    const n = await notifierFromConfig('email', emailIntegration, config(s, '  smtp_auth_username: alertmanager\n  smtp_auth_secret: cr4m'));
    await n.notify([firing(n as never)]);
    expect((await s.waitFor(1))[0]!.auth).toMatchObject({ method: 'CRAM-MD5', username: 'alertmanager' });
  });

  it('with require_tls: false, never starts TLS (even when offered) and may AUTH PLAIN to localhost in plain text', async () => {
    const s = await sink({ auth: AUTH });
    const n = await notifierFromConfig('email', emailIntegration, config(s, '  smtp_require_tls: false\n  smtp_auth_username: alertmanager\n  smtp_auth_password: s3cret'));
    await n.notify([firing(n as never)]);
    expect((await s.waitFor(1))[0]!).toMatchObject({ secure: false, auth: { method: 'PLAIN' } });
  });

  it.each([
    { name: 'STARTTLS required but not offered', sinkOptions: { startTls: false }, global: '', message: /^'require_tls' is true \(default\) but "127\.0\.0\.1:\d+" does not advertise the STARTTLS extension$/ },
    { name: 'the server certificate is not trusted', sinkOptions: {}, global: '', tls: 'smtp_tls_config: {}', message: /^send STARTTLS command: .*self[- ]signed/ },
    { name: 'a wrong password', sinkOptions: { auth: AUTH }, global: '  smtp_auth_username: alertmanager\n  smtp_auth_password: wrong', message: /auth: .*535/ },
    { name: 'no usable mechanism (no password)', sinkOptions: { auth: AUTH }, global: '  smtp_auth_username: alertmanager', message: /find auth mechanism: missing password for PLAIN auth mechanism; missing password for LOGIN auth mechanism/ },
  ])('fails retryably when $name, sending nothing', async ({ sinkOptions, global, tls, message }) => {
    const s = await sink(sinkOptions);
    let yaml = config(s, global);
    if (tls !== undefined) yaml = yaml.replace(/smtp_tls_config: .*/, tls);
    const n = await notifierFromConfig('email', emailIntegration, yaml);
    const err = await rejection(n.notify([firing(n as never)]));
    expect(err!.message).toMatch(message);
    expect(err!.retryable).toBe(true);
    expect(s.messages).toHaveLength(0);
  });

  it('refuses for good a from that is not exactly one address, and a template that fails, before connecting', async () => {
    const s = await sink();
    const twoFrom = await notifierFromConfig('email', emailIntegration, config(s).replace("smtp_from: 'Alertmanager <am@example.org>'", "smtp_from: 'a@example.org, b@example.org'"));
    const err = await rejection(twoFrom.notify([firing(twoFrom as never)]));
    expect([err!.message, err!.retryable]).toEqual(["must be exactly one 'from' address (got: 2)", false]);
    const badHtml = await notifierFromConfig('email', emailIntegration, config(s, '', `    html: '{{ template "nope" . }}'`));
    const err2 = await rejection(badHtml.notify([firing(badHtml as never)]));
    expect([err2!.message.startsWith('execute html template: template: '), err2!.retryable]).toEqual([true, false]);
    expect(s.messages).toHaveLength(0);
  });
});
