import { createHmac } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import SMTPConnection, { type SMTPConnectionCustomAuthContext } from 'nodemailer/lib/smtp-connection';
import { goQuote } from '@pyrometer/model';
import { AlertmanagerError } from '../../errors.js';
import { notifyError } from '../notifier.js';

/** Credentials for SMTP AUTH (upstream's `auth_*` settings, the password file already read). */
export interface SmtpCredentials {
  readonly username: string;
  /** Unset when the password file could not be read; `passwordError` says why. */
  readonly password: string;
  readonly passwordError?: string;
  readonly identity: string;
  /** The CRAM-MD5 secret. */
  readonly secret: string;
}

/** How to reach and talk to the smarthost. */
export interface SmtpSession {
  readonly host: string;
  readonly port: number;
  /** EHLO name. */
  readonly hello: string;
  /** TLS from the first byte (port 465). */
  readonly implicitTls: boolean;
  /** STARTTLS is required (`require_tls`); when false, the session stays in plain text. */
  readonly requireTls: boolean;
  readonly tls: ConnectionOptions;
  /** Authenticate when the server offers AUTH and a username is set. */
  readonly credentials: SmtpCredentials;
}

/** The envelope: one sender, one or more recipients. */
export interface SmtpEnvelope {
  readonly from: string;
  readonly to: readonly string[];
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const isLocalhost = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '::1';

/**
 * Picks and runs an AUTH mechanism as upstream's `Email.auth` does: the first offered one the
 * credentials allow (CRAM-MD5 needs the secret, PLAIN and LOGIN a password), PLAIN only over TLS
 * or to localhost (Go's `smtp.PlainAuth`), LOGIN answering the `Username:`/`Password:` prompts.
 */
async function authenticate(ctx: SMTPConnectionCustomAuthContext, c: SmtpCredentials, session: SmtpSession, secure: boolean): Promise<void> {
  const problems: string[] = [];
  const expect = async (command: string, status: number, mechanism: string) => {
    const res = await ctx.sendCommand(command);
    if (res.status !== status) throw new Error(`${mechanism} auth: ${res.response}`);
    return res;
  };
  for (const mechanism of ctx.authMethods) {
    if (mechanism === 'CRAM-MD5') {
      if (c.secret === '') {
        problems.push('missing secret for CRAM-MD5 auth mechanism');
        continue;
      }
      const challenge = Buffer.from((await expect('AUTH CRAM-MD5', 334, '*smtp.cramMD5Auth')).text, 'base64').toString('utf8');
      await expect(b64(`${c.username} ${createHmac('md5', c.secret).update(challenge).digest('hex')}`), 235, '*smtp.cramMD5Auth');
      return;
    }
    if (mechanism !== 'PLAIN' && mechanism !== 'LOGIN') continue;
    if (c.passwordError !== undefined) {
      problems.push(c.passwordError);
      continue;
    }
    if (c.password === '') {
      problems.push(`missing password for ${mechanism} auth mechanism`);
      continue;
    }
    if (mechanism === 'PLAIN') {
      if (!secure && !isLocalhost(session.host)) throw new Error('*smtp.plainAuth auth: unencrypted connection');
      await expect(`AUTH PLAIN ${b64(`${c.identity}\0${c.username}\0${c.password}`)}`, 235, '*smtp.plainAuth');
      return;
    }
    let res = await expect('AUTH LOGIN', 334, '*email.loginAuth');
    for (;;) {
      const prompt = Buffer.from(res.text, 'base64').toString('utf8').toLowerCase();
      const answer = prompt === 'username:' ? c.username : prompt === 'password:' ? c.password : undefined;
      if (answer === undefined) throw new Error('*email.loginAuth auth: unexpected server challenge');
      res = await ctx.sendCommand(b64(answer));
      if (res.status === 235) return;
      if (res.status !== 334) throw new Error(`*email.loginAuth auth: ${res.response}`);
    }
  }
  throw new Error(`find auth mechanism: ${problems.length > 0 ? problems.join('; ') : `unknown auth mechanism: ${ctx.authMethods.join(' ')}`}`);
}

/** Our AUTH step runs as a nodemailer custom handler, which sees the mechanisms the server offers. */
const AUTH_HANDLER = 'ALERTMANAGER';

/**
 * Upstream's wording of where a session failed, from nodemailer's error code and the replies so
 * far (a `220` after the EHLO reply answered STARTTLS: the failure is the TLS handshake's).
 */
function failure(err: unknown, session: SmtpSession, replies: readonly string[]): AlertmanagerError {
  if (err instanceof AlertmanagerError) return err;
  const e = err as Error & { code?: string; command?: string };
  const step: Record<string, string> = {
    ETLS: 'send STARTTLS command',
    EAUTH: '',
    EENVELOPE: e.command === 'MAIL FROM' ? 'send MAIL command' : 'send RCPT command',
    EMESSAGE: 'delivery failure',
  };
  const ehlo = replies.findIndex((r) => /^250[ -]/.test(r));
  const upgrading = !session.implicitTls && ehlo >= 0 && replies.slice(ehlo + 1).some((r) => r.startsWith('220'));
  const where = step[e.code ?? ''] ?? (upgrading ? 'send STARTTLS command' : session.implicitTls ? 'establish TLS connection to server' : 'establish connection to server');
  return notifyError(where === '' ? e.message : `${where}: ${e.message}`, true, 'other', err);
}

/**
 * Delivers one message over SMTP as upstream's e-mail integration does, using nodemailer's SMTP
 * client: implicit TLS or STARTTLS (required when `requireTls`, never attempted otherwise), AUTH
 * when offered and a username is set, then MAIL, RCPT and DATA. Every failure of the session is
 * retryable. Aborting `signal` closes the connection. Resolves with the recipients the server
 * refused while accepting others (the message went to those; upstream would have stopped at the
 * first refusal and retried, sending nothing).
 */
export function deliver(session: SmtpSession, envelope: SmtpEnvelope, message: string, signal: AbortSignal): Promise<string[]> {
  // The server's replies, from nodemailer's transaction log: the first EHLO reply tells whether
  // STARTTLS was offered (nodemailer tries it anyway when it is required; upstream refuses).
  const replies: string[] = [];
  const transactionLog = { debug: (entry: { tnx?: string } | undefined, reply?: unknown) => entry?.tnx === 'server' && typeof reply === 'string' && replies.push(reply) };
  const conn: SMTPConnection = new SMTPConnection({
    logger: transactionLog,
    transactionLog: true,
    host: session.host,
    port: session.port,
    secure: session.implicitTls,
    requireTLS: session.requireTls,
    ignoreTLS: !session.requireTls,
    name: session.hello,
    tls: { servername: session.host, ...session.tls },
    allowInternalNetworkInterfaces: true,
    customAuth: { [AUTH_HANDLER]: (ctx): Promise<void> => authenticate(ctx, session.credentials, session, conn.secure) },
  });
  return new Promise<string[]>((resolve, reject) => {
    let settled = false;
    let refused: string[] = [];
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (err === undefined) {
        conn.quit();
        resolve(refused);
      } else {
        conn.close();
        reject(failure(err, session, replies));
      }
    };
    const onAbort = () => finish(signal.reason);
    if (signal.aborted) return finish(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    conn.on('error', finish);
    const send = () =>
      conn.send({ from: envelope.from, to: [...envelope.to] }, message, (err: Error | null, info?: { rejected: string[] }) => {
        if (err) return finish(err);
        refused = info?.rejected ?? [];
        finish();
      });
    conn.connect(() => {
      const ehlo = replies.find((r) => /^250[ -]/.test(r)) ?? '';
      if (session.requireTls && !session.implicitTls && !/[ -]STARTTLS\b/im.test(ehlo)) {
        return finish(notifyError(`'require_tls' is true (default) but ${goQuote(`${session.host}:${session.port}`)} does not advertise the STARTTLS extension`, true));
      }
      if (!conn.allowsAuth || session.credentials.username === '') return send();
      conn.login({ method: AUTH_HANDLER, user: session.credentials.username, pass: session.credentials.password }, (err: Error | null) => (err ? finish(err) : send()));
    });
  });
}
