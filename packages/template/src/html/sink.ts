import type { OutputSink, PrintHints } from '../engine/exec-state.js';
import { sprint } from '../fmt/print.js';
import { TypedString } from '../values.js';
import { advance, TEXT, type HtmlContext } from './context.js';
import { cssValueFilter, htmlEscape, htmlNameFilter, htmlNospaceEscape, jsValEscape, stripTags, urlFilter, urlProcess } from './escapers.js';

/**
 * Output for Alertmanager's HTML templates: html/template's contextual auto-escaping, decided as
 * the output is written instead of by rewriting the parse tree. Template text passes through
 * (comments removed); each printed value is escaped for the context it lands in: text and RCDATA
 * (HTML-escaped), attribute values (quoted or not), URLs (scheme filter, normalisation or
 * percent-encoding by position, then attribute escaping), JavaScript and CSS. `template.HTML`
 * values (`safeHtml`) go out unescaped in text; `template.URL` (`safeUrl`) skips the URL filter.
 * A pipeline ending in `html` or `urlquery` is not escaped twice, as html/template merges them.
 */
export class HtmlSink implements OutputSink {
  private context: HtmlContext = TEXT;
  private readonly parts: string[] = [];

  writeText(text: string): void {
    const { context, output } = advance(this.context, text);
    this.context = context;
    this.parts.push(output);
  }

  writeValue(value: unknown, hints: PrintHints = {}): void {
    // A value right after `=` starts an unquoted attribute value.
    if (this.context.state === 'beforeValue') this.context = { ...this.context, state: 'attr', delim: ' ', urlPart: 'start' };
    const printed = escapeValue(this.context, value, hints.escapedBy);
    this.parts.push(printed);
    if (this.context.state === 'attr' && this.context.attr === 'url' && printed !== '') {
      this.context = { ...this.context, urlPart: this.context.urlPart === 'query' || /[?#]/.test(printed) ? 'query' : 'path' };
    }
  }

  result(): string {
    return this.parts.join('');
  }
}

/** html/template's `stringify`: nil prints nothing; typed strings keep their type. */
function stringify(value: unknown): { text: string; type: string } {
  if (value === undefined || value === null) return { text: '', type: 'plain' };
  if (value instanceof TypedString) return { text: value.value, type: value.typeName };
  return { text: typeof value === 'string' ? value : sprint([value]), type: 'plain' };
}

function escapeValue(c: HtmlContext, value: unknown, escapedBy: PrintHints['escapedBy']): string {
  const { text, type } = stringify(value);
  const html = type === 'template.HTML';
  switch (c.state) {
    case 'text':
      if (html || escapedBy === 'html') return text;
      return htmlEscape(text);
    case 'rcdata':
      return escapedBy === 'html' ? text : htmlEscape(html ? stripTags(text) : text, html);
    case 'comment':
      return '';
    case 'tag':
    case 'attrName':
    case 'afterName':
      return htmlNameFilter(text);
    case 'script':
      return jsValEscape(value instanceof TypedString ? value.value : value);
    case 'style':
      return cssValueFilter(text);
    case 'beforeValue': // not reached: writeValue moves past it first
    case 'attr':
      return escapeAttribute(c, value, text, type, escapedBy);
  }
}

function escapeAttribute(c: HtmlContext, value: unknown, text: string, type: string, escapedBy: PrintHints['escapedBy']): string {
  let s: string;
  switch (c.attr) {
    case 'url':
      if (escapedBy === 'urlquery') s = text;
      else if (type === 'template.URL') s = urlProcess(text, true); // trusted: normalised, never filtered or fully escaped
      else if (c.urlPart === 'query') s = urlProcess(text, false);
      else s = urlProcess(c.urlPart === 'start' ? urlFilter(text) : text, true);
      break;
    case 'js':
      s = jsValEscape(value instanceof TypedString ? value.value : value);
      break;
    case 'css':
      s = cssValueFilter(text);
      break;
    default:
      s = type === 'template.HTML' ? stripTags(text) : text;
  }
  if (escapedBy === 'html' && c.attr === 'plain') return s;
  const keepEntities = type === 'template.HTML' && c.attr === 'plain';
  return c.delim === ' ' ? htmlNospaceEscape(s, keepEntities) : htmlEscape(s, keepEntities);
}
