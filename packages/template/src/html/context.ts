/**
 * The HTML contexts html/template distinguishes, tracked over the template text as it is written,
 * so that each printed value can be escaped for the place it lands in. The transitions follow
 * html/template's (`transition.go`): text, tags and attribute names, quoted and unquoted attribute
 * values (URL, JavaScript, CSS and plain attributes), RCDATA elements (`title`, `textarea`),
 * `script`/`style` bodies, and comments (which html/template removes from the output).
 */

export type State = 'text' | 'tag' | 'attrName' | 'afterName' | 'beforeValue' | 'attr' | 'rcdata' | 'script' | 'style' | 'comment';
export type AttrType = 'plain' | 'url' | 'js' | 'css';
export type UrlPart = 'start' | 'path' | 'query';

/** Where output currently is. */
export interface HtmlContext {
  readonly state: State;
  /** The element whose start tag or raw body we are in (`script`, `title`, …), lower case. */
  readonly element: string;
  /** Whether the current tag is an end tag (`</a …>`). */
  readonly endTag: boolean;
  readonly attr: AttrType;
  /** How the attribute value ends: a quote, or `' '` for an unquoted value. */
  readonly delim: '"' | "'" | ' ' | '';
  readonly urlPart: UrlPart;
}

export const TEXT: HtmlContext = { state: 'text', element: '', endTag: false, attr: 'plain', delim: '', urlPart: 'start' };

const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'textarea', 'title']);
const URL_ATTRIBUTES = new Set(['action', 'archive', 'background', 'cite', 'classid', 'codebase', 'data', 'formaction', 'href', 'icon', 'longdesc', 'manifest', 'poster', 'profile', 'src', 'usemap', 'xmlns']);

/** html/template's `attrType`: what an attribute's value holds, from its name. */
export function attrTypeOf(name: string): AttrType {
  let n = name.toLowerCase();
  if (n.startsWith('data-')) n = n.slice(5);
  else if (n.includes(':')) {
    if (n.startsWith('xmlns:')) return 'url';
    n = n.slice(n.indexOf(':') + 1);
  }
  if (n.startsWith('on')) return 'js';
  if (n === 'style') return 'css';
  if (URL_ATTRIBUTES.has(n) || n.includes('src') || n.includes('uri') || n.includes('url')) return 'url';
  return 'plain';
}

/**
 * Advances the context over template text, returning the new context and the text to write:
 * the input minus HTML comments outside raw-text elements.
 */
export function advance(start: HtmlContext, text: string): { context: HtmlContext; output: string } {
  let c = start;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const step = STEPS[c.state](c, text, i);
    if (c.state !== 'comment' && step.keep !== false) out += text.slice(i, step.end);
    c = step.context;
    i = step.end;
  }
  return { context: c, output: out };
}

interface Step {
  readonly context: HtmlContext;
  /** Where this step stopped consuming. */
  readonly end: number;
  /** False when the consumed text must not be written (the start of a comment). */
  readonly keep?: boolean;
}

const STEPS: Record<State, (c: HtmlContext, s: string, i: number) => Step> = {
  text(c, s, i) {
    const lt = s.indexOf('<', i);
    if (lt < 0) return { context: c, end: s.length };
    if (lt > i) return { context: c, end: lt };
    if (s.startsWith('<!--', i)) return { context: { ...c, state: 'comment' }, end: i + 4, keep: false };
    const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/.exec(s.slice(i));
    if (m === null) return { context: c, end: i + 1 };
    return { context: { ...TEXT, state: 'tag', element: m[2]!.toLowerCase(), endTag: m[1] === '/' }, end: i + m[0].length };
  },
  comment(c, s, i) {
    const close = s.indexOf('-->', i);
    if (close < 0) return { context: c, end: s.length };
    return { context: { ...c, state: 'text' }, end: close + 3 };
  },
  tag(c, s, i) {
    const ch = s[i]!;
    if (isSpace(ch) || ch === '/') return { context: c, end: i + 1 };
    if (ch === '>') return { context: afterTag(c), end: i + 1 };
    return { context: { ...c, state: 'attrName' }, end: i };
  },
  attrName(c, s, i) {
    const m = /^[^\s=>/]+/.exec(s.slice(i));
    if (m === null) return { context: { ...c, state: 'afterName' }, end: i };
    return { context: { ...c, state: 'afterName', attr: attrTypeOf(m[0]) }, end: i + m[0].length };
  },
  afterName(c, s, i) {
    const ch = s[i]!;
    if (isSpace(ch)) return { context: c, end: i + 1 };
    if (ch === '=') return { context: { ...c, state: 'beforeValue' }, end: i + 1 };
    return { context: { ...c, state: 'tag', attr: 'plain' }, end: i };
  },
  beforeValue(c, s, i) {
    const ch = s[i]!;
    if (isSpace(ch)) return { context: c, end: i + 1 };
    if (ch === '"' || ch === "'") return { context: { ...c, state: 'attr', delim: ch, urlPart: 'start' }, end: i + 1 };
    return { context: { ...c, state: 'attr', delim: ' ', urlPart: 'start' }, end: i };
  },
  attr(c, s, i) {
    let end = i;
    while (end < s.length && !endsValue(c.delim, s[end]!)) end++;
    const value = s.slice(i, end);
    const urlPart = c.attr === 'url' ? nextUrlPart(c.urlPart, value) : c.urlPart;
    if (end >= s.length) return { context: { ...c, urlPart }, end };
    // The closing quote belongs to the attribute; an unquoted value's terminator belongs to the tag.
    return { context: { ...c, state: 'tag', attr: 'plain', delim: '', urlPart: 'start' }, end: c.delim === ' ' ? end : end + 1 };
  },
  rcdata: rawText,
  script: rawText,
  style: rawText,
};

function rawText(c: HtmlContext, s: string, i: number): Step {
  const close = s.slice(i).search(new RegExp(`</${c.element}(?=[\\s/>])`, 'i'));
  if (close < 0) return { context: c, end: s.length };
  return { context: { ...TEXT, state: 'tag', element: c.element, endTag: true }, end: i + close + 2 + c.element.length };
}

function afterTag(c: HtmlContext): HtmlContext {
  if (c.endTag || !RAW_TEXT_ELEMENTS.has(c.element)) return TEXT;
  const state: State = c.element === 'script' ? 'script' : c.element === 'style' ? 'style' : 'rcdata';
  return { ...TEXT, state, element: c.element };
}

function endsValue(delim: HtmlContext['delim'], ch: string): boolean {
  return delim === ' ' ? isSpace(ch) || ch === '>' : ch === delim;
}

function nextUrlPart(part: UrlPart, value: string): UrlPart {
  if (part === 'query' || /[?#]/.test(value)) return 'query';
  return value.length > 0 ? 'path' : part;
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f';
}
