import { describe, expect, it } from 'vitest';
import { TemplateSet } from './template-set.js';

// Parse errors as Go's text/template/parse words them (parse_test.go and lex_test.go), checked
// against the Go of the Debian Alertmanager where its older wording did not change since.

const parseErrors: [string, string][] = [
  ['{{if .X}}', 'template: t:1: unexpected EOF'],
  ['{{end}}', 'template: t:1: unexpected {{end}}'],
  ['{{else}}', 'template: t:1: unexpected {{else}}'],
  ['{{$x}}', 'template: t:1: undefined variable "$x"'],
  ['{{range $x, $y, $z := .}}{{end}}', 'template: t:1: too many declarations in range'],
  ['{{with $x, $y := .}}{{end}}', 'template: t:1: too many declarations in with'],
  ['{{template .X}}', 'template: t:1: unexpected ".X" in template clause'],
  ['{{define}}{{end}}', 'template: t:1: unexpected "}}" in define clause'],
  ['{{.X | 3}}', 'template: t:1: non executable command in pipeline stage 2'],
  ['{{"x".Y}}', 'template: t:1: unexpected . after term "\\"x\\""'],
  ['{{break}}', 'template: t:1: {{break}} outside {{range}}'],
  ['{{range .}}{{end}}{{continue}}', 'template: t:1: {{continue}} outside {{range}}'],
  ['{{range .}}{{else}}{{break}}{{end}}', 'template: t:1: {{break}} outside {{range}}'],
  ['{{/* unclosed', 'template: t:1: unclosed comment'],
  ['{{/*c*/ x}}', 'template: t:1: comment ends before closing delimiter'],
  ["{{ 'ab' }}", "template: t:1: malformed character constant: 'ab'"],
  ['{{define "x"}}a{{end}}{{define "x"}}b{{end}}', 'template: t:1: template: multiple definition of template "x"'],
  ['{{ .X := 1 }}', 'template: t:1: unexpected ":=" in operand'],
  ['{{ $x := }}', 'template: t:1: missing value for command'],
  ['{{if}}', 'template: t:1: missing value for if'],
  ['{{ (3 }}', 'template: t:1: unclosed left paren'],
  ['{{ 3) }}', 'template: t:1: unexpected right paren'],
  ['{{ 1a }}', 'template: t:1: bad number syntax: "1a"'],
  ['{{ .X% }}', "template: t:1: bad character U+0025 '%'"],
  ['{{ "abc }}', 'template: t:1: unterminated quoted string'],
  ['{{ `abc }}', 'template: t:1: unterminated raw quoted string'],
  ['{{ nil.X }}', 'template: t:1: unexpected . after term "nil"'],
  ['{{ range $i, 3 := . }}{{end}}', 'template: t:1: range can only initialize variables'],
  ['{{ 0x1G }}', 'template: t:1: bad number syntax: "0x1G"'],
  ['{{ if 1 }}{{ else }}{{ else }}{{ end }}', 'template: t:1: expected end; found {{else}}'],
  ['{{ define "a" }}{{ range . }}{{ end }}', 'template: t:1: unexpected EOF'],
  ['{{ foo }}', 'template: t:1: function "foo" not defined'],
  ['{{ 99999999999999999999 }}', 'template: t:1: integer overflow: "99999999999999999999"'],
  ['{{ "\\q" }}', 'template: t:1: invalid syntax'],
  ['line one\n{{ .X\n| printf }}{{ .Y', 'template: t:3: unclosed action'],
  ['{{ .X\n', 'template: t:2: unclosed action started at t:1'],
  ['{{\u00a0}}', 'template: t:1: unrecognized character in action: U+00A0'],
];

describe('parse errors (Go parse_test.go / lex_test.go)', () => {
  it.each(parseErrors)('%j', (text, message) => {
    expect(() => new TemplateSet().parse('t', text)).toThrow(message);
    try {
      new TemplateSet().parse('t', text);
    } catch (err) {
      expect(err).toMatchObject({ code: 'parse', message });
    }
  });
});

describe('lexing details', () => {
  it.each([
    ['trim both sides', 'a  {{- 1 -}}  b', 'a1b'],
    ['trim needs the space', '{{-3}}', '-3'],
    ['trim newlines and tabs', 'x\n\t{{- "y" -}}\n\tz', 'xyz'],
    ['comment with trim markers', 'a {{- /* c */ -}} b', 'ab'],
    ['newlines inside actions', '{{ printf\n"%d"\n3 }}', '3'],
    ['raw strings keep newlines, drop CR', '{{ `a\r\nb` }}', 'a\nb'],
    ['string escapes', '{{ "\\x41\\u00e9\\t\\101" }}', 'Aé\tA'],
    ['char constant', "{{ printf \"%c%d\" 'é' '\\n' }}", 'é10'],
    ['break and continue as functions when defined', '{{ break }}', 'broken'],
  ])('%s', async (_name, text, output) => {
    const set = new TemplateSet({ funcs: text.includes('break') ? { break: () => 'broken' } : {} }).parse('t', text);
    expect(await set.execute('t', undefined)).toBe(output);
  });
});
