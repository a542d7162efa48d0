import { randomBytes } from 'node:crypto';
import { encodeWord } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';

/** One rendered e-mail: headers in order (values not yet encoded) and the text and HTML bodies ('' = no such part). */
export interface MailContent {
  readonly headers: readonly (readonly [name: string, value: string])[];
  readonly text: string;
  readonly html: string;
}

/** Identity of one message: `Message-Id` (used unless the headers set one), `Date` and the MIME boundary. */
export interface MailStamp {
  readonly messageId: string;
  readonly date: Date;
  readonly boundary: string;
}

/** A fresh stamp: `<nanoseconds.random@host>` as upstream's ids, a random boundary. */
export function newStamp(nowMs: number, hostname: string): MailStamp {
  const random = randomBytes(8).readBigUInt64BE();
  return { messageId: `<${BigInt(nowMs) * 1_000_000n}.${random}@${hostname}>`, date: new Date(nowMs), boundary: randomBytes(30).toString('hex') };
}

/** Go's `mime.QEncoding.Encode`: values with bytes outside printable ASCII (and tab) become `=?UTF-8?Q?…?=` words, so no header can span lines. */
function encodeHeaderValue(value: string): string {
  return /^[\x20-\x7e\t]*$/.test(value) ? value : encodeWord(value, 'Q', 52);
}

const pad = (n: number) => String(n).padStart(2, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 1123 with a numeric zone (Go's `time.RFC1123Z`), in local time as upstream writes it. */
export function rfc1123z(d: Date): string {
  const offset = -d.getTimezoneOffset();
  const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  return `${DAYS[d.getDay()]}, ${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}

/** A body as a quoted-printable part: CRLF line ends, lines of at most 76 characters. */
function part(contentType: string, body: string): string {
  const encoded = qpWrap(qpEncode(body.replace(/\r?\n/g, '\r\n')), 76);
  return `Content-Transfer-Encoding: quoted-printable\r\nContent-Type: ${contentType}; charset=UTF-8\r\n\r\n${encoded}`;
}

/**
 * The message as upstream's e-mail integration writes it: the configured headers, `Message-Id`,
 * `Date`, then a `multipart/alternative` body with the text part first and the HTML part last
 * (the preferred alternative, RFC 2046 §5.1.4), each quoted-printable.
 */
export function buildMessage(content: MailContent, stamp: MailStamp): string {
  let out = '';
  for (const [name, value] of content.headers) out += `${name}: ${encodeHeaderValue(value)}\r\n`;
  if (!content.headers.some(([name]) => name === 'Message-Id')) out += `Message-Id: ${stamp.messageId}\r\n`;
  out += `Date: ${rfc1123z(stamp.date)}\r\n`;
  out += `Content-Type: multipart/alternative;  boundary=${stamp.boundary}\r\n`;
  out += 'MIME-Version: 1.0\r\n\r\n';
  const parts: string[] = [];
  if (content.text !== '') parts.push(part('text/plain', content.text));
  if (content.html !== '') parts.push(part('text/html', content.html));
  out += parts.map((p, i) => `${i === 0 ? '' : '\r\n'}--${stamp.boundary}\r\n${p}`).join('');
  out += `\r\n--${stamp.boundary}--\r\n`;
  return out;
}
