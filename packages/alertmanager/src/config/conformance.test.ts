import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { AlertmanagerError } from '../errors.js';
import { loadAlertmanagerConfig } from './load.js';

const dir = conformanceDir('alertmanager-config');

// expected-errors.tsv: file, upstream's message (`\n` for a newline), how upstream asserts it.
const expected = readFileSync(join(dir, 'expected-errors.tsv'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const [file = '', message = '', how = ''] = line.split('\t');
    return { file, message: message.replaceAll('\\n', '\n'), how };
  });
const classicOnly = expected.filter((e) => e.how.includes('classic-mode only'));
const rejected = expected.filter((e) => !classicOnly.includes(e));
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
const good = files.filter((f) => !rejected.some((e) => e.file === f));

async function failure(path: string, matcherMode: 'fallback' | 'classic' = 'fallback'): Promise<AlertmanagerError> {
  const err = await loadAlertmanagerConfig(path, { matcherMode }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AlertmanagerError);
  return err as AlertmanagerError;
}

describe('upstream alertmanager config testdata', () => {
  it.each(good.map((name) => ({ name })))('$name loads', async ({ name }) => {
    await expect(loadAlertmanagerConfig(join(dir, name), { matcherMode: 'fallback' })).resolves.toBeDefined();
  });

  it.each(rejected)('$file is rejected: $message', async ({ file, message, how }) => {
    const err = await failure(join(dir, file));
    expect(err.code).toBe('invalid_config');
    if (how.startsWith('exact')) expect(err.detail).toBe(message);
    else expect(err.detail).toContain(how.slice('contains: '.length).split(' ')[0]);
    expect(err.message).toContain(join(dir, file));
  });

  it.each(classicOnly)('$file is rejected in classic mode only', async ({ file, message }) => {
    expect((await failure(join(dir, file), 'classic')).detail).toBe(message);
    const loaded = await loadAlertmanagerConfig(join(dir, file), { matcherMode: 'fallback' });
    expect(loaded.config.inhibitRules.flatMap((r) => r.equal)).toContain('qux🙂');
  });
});
