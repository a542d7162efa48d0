import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { defaultTlsConfig } from '@pyrometer/config';
import { tlsConnectOptions } from '@pyrometer/http-client';
import { goQuote } from '@pyrometer/model';
import addressparser from 'nodemailer/lib/addressparser';
import type { Alert } from '../../alerts/alert.js';
import type { EmailConfig } from '../../config/receivers/receiver.js';
import type { NotifyContext } from '../context.js';
import { notifyError, type IntegrationDeps, type IntegrationFactory, type Notifier } from '../notifier.js';
import { prefixed, rendering } from '../render.js';
import { buildMessage, newStamp } from './message.js';
import { deliver, type SmtpCredentials } from './smtp.js';

/** Upstream's default `Subject` header. */
const DEFAULT_SUBJECT = '{{ template "email.default.subject" . }}';

/** The configured headers with upstream's defaults added: `Subject` from the built-in template, `To` and `From` as the `to` and `from` settings. */
function headerTemplates(config: EmailConfig): [string, string][] {
  const headers = Object.entries(config.headers);
  for (const [name, value] of [['Subject', DEFAULT_SUBJECT], ['To', config.to], ['From', config.from]] as const) {
    if (!(name in config.headers)) headers.push([name, value]);
  }
  return headers;
}

/**
 * Mailbox addresses of a rendered `to`/`from` (RFC 5322 lists, groups flattened). Refuses an
 * empty list and entries without an address, as Go's `mail.ParseAddressList` does.
 */
function parseAddresses(list: string, what: 'from' | 'to'): string[] {
  const parsed = addressparser(list, { flatten: true });
  if (parsed.length === 0) throw notifyError(`parse '${what}' addresses: mail: no address`, false);
  const bad = parsed.find((a) => !a.address.includes('@'));
  if (bad !== undefined) throw notifyError(`parse '${what}' addresses: mail: missing '@' or angle-addr in ${JSON.stringify(bad.name || bad.address)}`, false);
  return parsed.map((a) => a.address);
}

async function credentials(config: EmailConfig): Promise<SmtpCredentials> {
  const base = { username: config.authUsername, identity: config.authIdentity, secret: config.authSecret };
  if (config.authPasswordFile === '') return { ...base, password: config.authPassword };
  try {
    return { ...base, password: (await readFile(config.authPasswordFile, 'utf8')).trim() };
  } catch (err) {
    return { ...base, password: '', passwordError: `could not read ${config.authPasswordFile}: ${(err as Error).message}` };
  }
}

/**
 * The e-mail integration (`notify/email`): renders the headers (Subject, To and From by default)
 * and the text and HTML bodies (HTML with html/template's escaping) and delivers one
 * `multipart/alternative` message to every `to` address through `smarthost`. Template and
 * address problems are not retried; SMTP failures are.
 */
export const emailIntegration: IntegrationFactory<'email'> = (config: EmailConfig, deps: IntegrationDeps): Notifier => {
  const headers = headerTemplates(config);
  const smarthost = config.smarthost ?? { host: '', port: '' };
  const host = hostname() || 'localhost.localdomain';
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
      const { text, html } = rendering(deps, ctx, alerts);
      const render = async (what: string, run: Promise<string>) => {
        try {
          return await run;
        } catch (err) {
          throw prefixed(err, `execute ${what} template: `);
        }
      };
      const from = parseAddresses(await render("'from'", text(config.from)), 'from');
      if (from.length !== 1) throw notifyError(`must be exactly one 'from' address (got: ${from.length})`, false);
      const to = parseAddresses(await render("'to'", text(config.to)), 'to');
      const rendered: [string, string][] = [];
      for (const [name, template] of headers) rendered.push([name, await render(`${goQuote(name)} header`, text(template))]);
      const message = buildMessage({ headers: rendered, text: await render('text', text(config.text)), html: await render('html', html(config.html)) }, newStamp(deps.clock.now(), host));
      const port = Number(smarthost.port);
      if (!Number.isInteger(port)) throw notifyError(`establish connection to server: port ${goQuote(smarthost.port)} is not a number`, false);
      let tls;
      try {
        tls = await tlsConnectOptions(config.tlsConfig ?? defaultTlsConfig());
      } catch (err) {
        throw notifyError(`parse TLS configuration: ${(err as Error).message}`, false, 'other', err);
      }
      const session = { host: smarthost.host, port, hello: config.hello === '' ? 'localhost' : config.hello, implicitTls: smarthost.port === '465', requireTls: config.requireTls ?? true, tls, credentials: await credentials(config) };
      const refused = await deliver(session, { from: from[0]!, to }, message, ctx.signal);
      if (refused.length > 0) deps.logger.warn('some recipients were refused; the message went to the others', { receiver: ctx.receiver, refused: refused.join(', ') });
    },
  };
};
