import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { loadConfig } from './load.js';

const dir = conformanceDir('prometheus-config');
const env = { TEST: 'TestValue' };

// expected-errors.tsv holds upstream's messages as Go test literals: `\"` stands for a quote.
const expected = new Map(
  readFileSync(join(dir, 'expected-errors.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [file = '', message = ''] = line.split('\t');
      return [file, message.replaceAll('\\"', '"')] as const;
    }),
);
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));

describe('upstream config testdata', () => {
  it('covers every bad file with an expected message', () => {
    expect(files.filter((f) => f.endsWith('.bad.yml')).sort()).toEqual([...expected.keys()].sort());
  });

  it.each(files.filter((f) => f.endsWith('.good.yml')).map((name) => ({ name })))('$name loads', async ({ name }) => {
    await expect(loadConfig(join(dir, name), { env })).resolves.toBeDefined();
  });

  it.each(files.filter((f) => f.endsWith('.bad.yml')).map((name) => ({ name, message: expected.get(name) ?? '?' })))('$name is rejected', async ({ name, message }) => {
    const err = await loadConfig(join(dir, name), { env }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect(e.problem).toContain(message);
    // Every message names the file and, because each of these problems sits at a YAML node, its line and column.
    expect(e.message).toMatch(new RegExp(`^${join(dir, name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
  });
});
