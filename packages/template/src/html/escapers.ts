import { marshalJSON } from '../common/go-json.js';

/**
 * The escapers html/template applies to printed values, per context (`escape.go`, `html.go`,
 * `url.go`, `js.go`), with their replacement tables.
 */

const HTML_TABLE: Readonly<Record<string, string>> = { '\0': '\uFFFD', '"': '&#34;', '&': '&amp;', "'": '&#39;', '+': '&#43;', '<': '&lt;', '>': '&gt;' };
const HTML_NOSPACE_TABLE: Readonly<Record<string, string>> = {
  '\0': '&#xfffd;', '\t': '&#9;', '\n': '&#10;', '\v': '&#11;', '\f': '&#12;', '\r': '&#13;', ' ': '&#32;', '"': '&#34;', '&': '&amp;', "'": '&#39;',
  '+': '&#43;', '<': '&lt;', '=': '&#61;', '>': '&gt;', '`': '&#96;',
};

/** Text, RCDATA and quoted attribute values: `&`, `<`, `>`, quotes, `+` and NUL. */
export function htmlEscape(s: string, keepEntities = false): string {
  return s.replace(keepEntities ? /["'+<>\0]/g : /["&'+<>\0]/g, (c) => HTML_TABLE[c]!);
}

/** Unquoted attribute values: also white space, `=` and backquotes; empty becomes `ZgotmplZ`. */
export function htmlNospaceEscape(s: string, keepEntities = false): string {
  if (s === '') return 'ZgotmplZ';
  return s.replace(keepEntities ? /[\0\t\n\v\f\r "'+<=>`]/g : /[\0\t\n\v\f\r "&'+<=>`]/g, (c) => HTML_NOSPACE_TABLE[c]!);
}

/** Removes tags from trusted HTML used where only text may go (attribute values). */
export function stripTags(html: string): string {
  return html.replace(/<!--[\s\S]*?-->/g, '').replace(/<\/?[a-zA-Z][^>]*>/g, '');
}

/** Attribute and element names: only plain names pass; anything else becomes `ZgotmplZ`. */
export function htmlNameFilter(s: string): string {
  return /^[a-zA-Z0-9-]+$/.test(s) && !/^on|^style$/i.test(s) ? s.toLowerCase() : 'ZgotmplZ';
}

/** A URL at the start of a URL attribute must have a safe scheme (or none). */
export function urlFilter(s: string): string {
  const colon = s.indexOf(':');
  if (colon >= 0 && !s.slice(0, colon).includes('/')) {
    const scheme = s.slice(0, colon).toLowerCase();
    if (scheme !== 'http' && scheme !== 'https' && scheme !== 'mailto') return '#ZgotmplZ';
  }
  return s;
}

/** `urlNormalizer` (`norm`) keeps reserved characters and valid escapes; `urlEscaper` encodes them too. */
export function urlProcess(s: string, norm: boolean): string {
  let out = '';
  const bytes = new TextEncoder().encode(s);
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    const ch = String.fromCharCode(c);
    if (c < 0x80 && /[A-Za-z0-9\-._~]/.test(ch)) out += ch;
    else if (norm && c < 0x80 && "!#$&*+,/:;=?@[]".includes(ch)) out += ch;
    else if (norm && ch === '%' && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) out += ch;
    else out += '%' + c.toString(16).padStart(2, '0');
  }
  return out;
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
}

/**
 * Values in JavaScript (script bodies, `on*` attributes): a JSON literal padded with spaces, as
 * html/template's `jsValEscaper` writes it, with `<`, `>` and `&` escaped by the JSON encoder.
 */
export function jsValEscape(v: unknown): string {
  if (v === undefined || v === null) return ' null ';
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return ` ${marshalJSON(v)} `;
  return marshalJSON(typeof v === 'string' ? v : String(v));
}

/** Values in CSS: only plain tokens (words, numbers, colours, units) pass; others become `ZgotmplZ`. */
export function cssValueFilter(s: string): string {
  return /^[\w\s#%.,+-]*$/.test(s) && !/expression|url/i.test(s) ? s : 'ZgotmplZ';
}
