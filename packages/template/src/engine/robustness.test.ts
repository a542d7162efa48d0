import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TemplateError } from '../errors.js';
import { prometheusFunctions } from '../prometheus/functions.js';
import { StringMap } from '../values.js';
import { TemplateSet } from './template-set.js';

// Bad input of any kind gets a TemplateError, never another exception: random texts built from
// template fragments are parsed, and whatever parses is executed on label-set data.

const fragments = [
  '{{', '}}', '{{-', '-}}', ' ', '\n', '.', '$', '$x', ':=', '=', '|', '(', ')', '"s"', '`r`', "'c'", '1', '-2.5', '0x1F', '1e400', 'nil', 'true',
  'if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', '.Labels', '.Labels.job', '.Value', 'printf', '"%d %s"',
  'len', 'index', 'slice', 'eq', 'lt', 'and', 'or', 'not', 'html', 'js', 'urlquery', 'humanize', 'title', 'reReplaceAll', '"(a"', 'toTime', 'query',
  '/*', '*/', 'text', '{{/* c */}}', ',',
];

const templateText = fc.array(fc.constantFrom(...fragments), { maxLength: 25 }).map((parts) => parts.join(''));

describe('robustness', () => {
  it('parsing and executing arbitrary texts fails only with TemplateError (property)', async () => {
    const funcs = prometheusFunctions({ timeMs: 0, externalURL: '', query: async () => [] });
    const data = { Labels: new StringMap({ job: 'flink' }), Value: 1.5 };
    await fc.assert(
      fc.asyncProperty(templateText, async (text) => {
        let set: TemplateSet;
        try {
          set = new TemplateSet({ funcs, missingKey: 'zero' }).parse('t', text);
        } catch (err) {
          expect(err).toBeInstanceOf(TemplateError);
          expect((err as TemplateError).code).toBe('parse');
          return;
        }
        try {
          await set.execute('t', data);
        } catch (err) {
          expect(err).toBeInstanceOf(TemplateError);
          expect(['exec', 'not_defined']).toContain((err as TemplateError).code);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('plain data prints unchanged (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme' }), async (s) => {
        expect(await new TemplateSet().parse('t', '{{ . }}').execute('t', s)).toBe(s);
        expect(await new TemplateSet().parse('t', '{{ printf "%s" . }}').execute('t', s)).toBe(s);
      }),
    );
  });
});
