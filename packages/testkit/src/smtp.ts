import type { AddressInfo } from 'node:net';
import type { TlsOptions } from 'node:tls';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Inbox } from './inbox.js';
import { selfSignedCert, type TestCertificate } from './tls.js';

/** One message the sink accepted, with how it was delivered. */
export interface ReceivedMail {
  /** MAIL FROM and RCPT TO addresses. */
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  /** The EHLO/HELO name the client gave. */
  readonly hello: string;
  /** Whether the session was encrypted (implicit TLS or STARTTLS). */
  readonly secure: boolean;
  /** The AUTH mechanism, user and (PLAIN) authorization identity, when the client authenticated. */
  readonly auth: { readonly method: string; readonly username: string; readonly identity: string } | undefined;
  /** The message as sent (after DATA, dot-unstuffed). */
  readonly raw: string;
  /** The message parsed by mailparser: headers, text and HTML parts decoded. */
  readonly parsed: ParsedMail;
}

export interface SmtpSinkOptions {
  /** TLS from the first byte (as on port 465) instead of STARTTLS. */
  readonly implicitTls?: boolean;
  /** Offer STARTTLS (default true; ignored with implicit TLS). */
  readonly startTls?: boolean;
  /** Offer AUTH with these mechanisms and accept these users (name → password; for CRAM-MD5, the secret). */
  readonly auth?: { readonly methods: readonly ('PLAIN' | 'LOGIN' | 'CRAM-MD5')[]; readonly users: Readonly<Record<string, string>> };
  /** The server's certificate (default: a fresh self-signed one, see {@link SmtpSink.certificate}). */
  readonly certificate?: TestCertificate;
  /** Listen on this port instead of a free one (e.g. 465, where clients use implicit TLS). */
  readonly port?: number;
}

/**
 * Test helper: a real SMTP server (the `smtp-server` package) on a loopback port that accepts
 * every message and keeps it parsed. With `auth`, sending requires logging in; without it, AUTH
 * is not offered. Plain-text AUTH is allowed, so clients that never encrypt can be tested.
 */
export class SmtpSink {
  private readonly inbox = new Inbox<ReceivedMail>('e-mails');

  private constructor(private readonly server: SMTPServer, readonly port: number, readonly certificate: TestCertificate) {}

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    const certificate = options.certificate ?? selfSignedCert();
    let sink!: SmtpSink;
    const auth = options.auth;
    // Spread in: smtp-server's typings lose the TLS options under this project's compiler settings.
    const tls: TlsOptions = { key: certificate.key, cert: certificate.cert };
    const server = new SMTPServer({
      ...tls,
      secure: options.implicitTls ?? false,
      hideSTARTTLS: options.startTls === false,
      authMethods: auth ? [...auth.methods] : [],
      authOptional: auth === undefined,
      disabledCommands: auth ? [] : ['AUTH'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(a, _session, callback) {
        const expected = a.username === undefined ? undefined : auth?.users[a.username];
        const ok = expected !== undefined && (a.method === 'CRAM-MD5' ? a.validatePassword(expected) : a.password === expected);
        if (!ok) return callback(new Error('Invalid username or password'));
        callback(null, { user: { method: a.method, username: a.username, identity: a.authzid ?? '' } });
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          void simpleParser(raw).then((parsed) => {
            sink.inbox.push({
              envelope: { from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address) },
              hello: session.hostNameAppearsAs,
              secure: session.secure,
              auth: session.user as ReceivedMail['auth'],
              raw,
              parsed,
            });
            callback();
          }, callback);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    sink = new SmtpSink(server, (server.server.address() as AddressInfo).port, certificate);
    return sink;
  }

  /** `127.0.0.1:<port>`, for `smarthost`. */
  get smarthost(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The messages so far, in arrival order. */
  get messages(): readonly ReceivedMail[] {
    return this.inbox.items;
  }

  /** Resolves once `count` messages have arrived in total (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs = 5_000): Promise<ReceivedMail[]> {
    return this.inbox.waitFor(count, timeoutMs);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
