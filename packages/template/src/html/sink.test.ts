import { describe, expect, it } from 'vitest';
import { TemplateSet } from '../engine/template-set.js';
import { templateFunction } from '../engine/functions.js';
import { TypedString } from '../values.js';
import { HtmlSink } from './sink.js';

// html/template's escaping per context (escape_test.go cases restated). The byte-for-byte
// comparison with Go's html/template on upstream's e-mail template is in test/amtool-interop.test.ts.

async function html(text: string, data: unknown = undefined): Promise<string> {
  const set = new TemplateSet({ funcs: { safeHtml: templateFunction(['string'], (s: string) => new TypedString(s, 'template.HTML')) } }).parse('t', text);
  const sink = new HtmlSink();
  await set.executeTo('t', data, sink);
  return sink.result();
}

describe('contextual escaping', () => {
  it.each([
    ['text', '<b>{{ . }}</b>', '<x> & "y" + \'z\'', '<b>&lt;x&gt; &amp; &#34;y&#34; &#43; &#39;z&#39;</b>'],
    ['nil prints nothing', '<b>{{ . }}</b>', undefined, '<b></b>'],
    ['trusted HTML in text', '{{ safeHtml . }}', '<i>ok</i>', '<i>ok</i>'],
    ['trusted HTML in an attribute loses its tags', '<a title="{{ safeHtml . }}">', '<i>x</i> &amp; y', '<a title="x &amp; y">'],
    ['quoted attribute', '<a title="{{ . }}">', 'a"b', '<a title="a&#34;b">'],
    ['unquoted attribute', '<a title={{ . }}>', 'a b=c', '<a title=a&#32;b&#61;c>'],
    ['empty unquoted attribute (Go ≥ 1.20.4, CVE-2023-29400)', '<td class={{ . }}>', '', '<td class=ZgotmplZ>'],
    ['URL scheme filter', '<a href="{{ . }}">', 'javascript:alert(1)', '<a href="#ZgotmplZ">'],
    ['URL normalised in the path', '<a href="{{ . }}">', 'http://h/a b?c=%20', '<a href="http://h/a%20b?c=%20">'],
    ['URL fully escaped in the query', '<a href="/s?q={{ . }}">', 'a&b=c d', '<a href="/s?q=a%26b%3dc%20d">'],
    ['urlquery is not escaped twice', '<a href="/s?q={{ . | urlquery }}">', 'a&b c', '<a href="/s?q=a%26b&#43;c">'],
    ['html is not escaped twice', '<b>{{ html . }}</b>', '<x>', '<b>&lt;x&gt;</b>'],
    ['comments are removed, values in them too', 'a<!-- {{ . }} -->b', 'secret', 'ab'],
    ['RCDATA', '<title>{{ . }}</title>', '</title><script>', '<title>&lt;/title&gt;&lt;script&gt;</title>'],
    ['script body as a JS value', '<script>var x = {{ . }};</script>', 'a"</script>', '<script>var x = "a\\"\\u003c/script\\u003e";</script>'],
    ['event handler attribute', '<a onclick="f({{ . }})">', 3n, '<a onclick="f( 3 )">'],
    ['attribute names are filtered', '<a {{ . }}="x">', 'onclick', '<a ZgotmplZ="x">'],
    ['CSS values are filtered', '<p style="color: {{ . }}">', 'expression(alert(1))', '<p style="color: ZgotmplZ">'],
  ])('%s', async (_name, text, data, expected) => {
    expect(await html(text, data)).toBe(expected);
  });

  it('contexts carry into called templates, as html/template escapes them', async () => {
    expect(await html('{{ define "u" }}{{ . }}{{ end }}<a href="{{ template "u" "javascript:x" }}">{{ template "u" "<b>" }}</a>')).toBe('<a href="#ZgotmplZ">&lt;b&gt;</a>');
  });
});
