import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@pyrometer/testkit';
import { buildTemplateData, GoTime, TemplateError } from '@pyrometer/template';
import { goGlob, goMatch, loadNotificationTemplates, systemZoneLoader } from '@pyrometer/template/node';
import { describe, expect, it } from 'vitest';

describe('time zones from the system tzdata (Go’s LoadLocation)', () => {
  const load = systemZoneLoader();

  it('reads Europe/Paris: CET in winter, CEST in summer, as Go prints them', () => {
    const paris = load('Europe/Paris')!;
    expect(GoTime.fromMillis(Date.parse('2024-01-01T08:15:30Z')).In(paris).String()).toBe('2024-01-01 09:15:30 +0100 CET');
    expect(GoTime.fromMillis(Date.parse('2024-07-01T08:15:30Z')).In(paris).String()).toBe('2024-07-01 10:15:30 +0200 CEST');
  });

  it.each(['Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/Sao_Paulo', 'Pacific/Chatham'])('%s offsets agree with the platform’s ICU data, before and after 2037', (name) => {
    const zone = load(name)!;
    for (const iso of ['1995-06-15T12:00:00Z', '2024-03-31T00:30:00Z', '2024-03-31T01:30:00Z', '2024-10-27T00:30:00Z', '2024-10-27T01:30:00Z', '2031-11-03T06:30:00Z', '2041-07-04T12:00:00Z', '2055-01-15T12:00:00Z']) {
      const t = Date.parse(iso);
      const parts = new Intl.DateTimeFormat('en-US', { timeZone: name, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(t));
      const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
      const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
      expect({ iso, offset: zone.lookup(t / 1000).offsetSeconds }).toEqual({ iso, offset: (local - t) / 1000 });
    }
  });

  it('unknown and invalid names give nothing; UTC is built in', () => {
    expect(load('No/Such_Zone')).toBeUndefined();
    expect(load('UTC')?.name).toBe('UTC');
  });
});

describe('loadNotificationTemplates (upstream FromGlobs)', () => {
  it('built-ins first, then each glob’s files in order; later definitions win', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.tmpl'), '{{ define "slack.default.title" }}custom {{ .Status }}{{ end }}{{ define "x" }}from a{{ end }}');
    writeFileSync(join(dir, 'b.tmpl'), '{{ define "x" }}from b{{ end }}');
    writeFileSync(join(dir, 'ignored.txt'), '{{ broken');
    const templates = loadNotificationTemplates([join(dir, '*.tmpl'), join(dir, 'none-*.tmpl')]);
    const data = buildTemplateData({ receiver: 'r', groupLabels: {}, alerts: [], externalURL: '', nowMs: 0 });
    expect(await templates.executeText('{{ template "slack.default.title" . }}|{{ template "x" . }}|{{ template "slack.default.username" . }}', data)).toBe('custom resolved|from b|Alertmanager');
    expect(templates.templateNames()).toEqual(expect.arrayContaining(['a.tmpl', 'b.tmpl', 'default.tmpl', 'x']));
  });

  it('a template that does not parse names its file and line', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.tmpl'), '{{ define "x" }}\n{{ .Foo ');
    expect(() => loadNotificationTemplates([join(dir, '*.tmpl')])).toThrow('template: bad.tmpl:2: unclosed action');
  });

  it('a malformed glob is a load error', () => {
    expect(() => loadNotificationTemplates(['/tmp/[z-a'])).toThrow(TemplateError);
    expect(() => goGlob('/tmp/[')).toThrow('syntax error in pattern');
  });

  it('globs match in directory elements too, sorted', () => {
    const dir = tempDir();
    for (const sub of ['b', 'a']) {
      mkdirSync(join(dir, sub));
      writeFileSync(join(dir, sub, 'x.tmpl'), '');
    }
    expect(goGlob(join(dir, '*', '*.tmpl'))).toEqual([join(dir, 'a', 'x.tmpl'), join(dir, 'b', 'x.tmpl')]);
    expect(goGlob(join(dir, 'a', 'x.tmpl'))).toEqual([join(dir, 'a', 'x.tmpl')]);
  });
});

describe('filepath.Match (Go match_test.go)', () => {
  it.each([
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'abc', true],
    ['a*', 'ab/c', false],
    ['a*/b', 'abc/b', true],
    ['a*/b', 'a/c/b', false],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['a*b?c*x', 'abxbbxdbxebxczzy', false],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[e-g]', 'abc', false],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abc', false],
    ['ab[^e-g]', 'abc', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a[^a]b', 'a☺b', true],
    ['a???b', 'a☺b', false],
    ['[a-ζ]*', 'α', true],
    ['*[a-ζ]', 'A', false],
    ['a?b', 'a/b', false],
    ['a*b', 'a/b', false],
    ['[\\]a]', ']', true],
    ['[\\-]', '-', true],
    ['[x\\-]', 'x', true],
    ['[x\\-]', '-', true],
    ['[x\\-]', 'z', false],
    ['[\\-x]', 'x', true],
    ['*x', 'xxx', true],
  ])('Match(%j, %j) = %s', (pattern, name, expected) => {
    expect(goMatch(pattern, name)).toBe(expected);
  });

  it.each([
    ['[]a]', ']'],
    ['[-]', '-'],
    ['[x-]', 'x'],
    ['[a-b-c]', 'a'],
    ['[', 'a'],
    ['[^', 'a'],
    ['[^bc', 'a'],
    ['a[', 'a'],
    ['a[', 'ab'],
    ['a[', 'x'],
    ['a/b[', 'x'],
    ['*x[', 'xxx'],
  ])('Match(%j, %j) is a pattern error', (pattern, name) => {
    expect(() => goMatch(pattern, name)).toThrow('syntax error in pattern');
  });
});
