import { describe, expect, it } from 'vitest';
import { FlagError, flagBool, flagNumber, flagString, parseFlags, usage, type FlagSpec } from './flags.js';

const SPECS: FlagSpec[] = [
  { name: 'config.file', type: 'string', help: 'Configuration file path.', default: 'prometheus.yml' },
  { name: 'web.enable-lifecycle', type: 'bool', help: 'Enable shutdown and reload via HTTP request.' },
  { name: 'storage.tsdb.retention.time', type: 'duration', help: 'How long to retain samples.' },
  { name: 'storage.tsdb.retention.size', type: 'bytes', help: 'Maximum number of bytes.', default: '0B' },
  { name: 'query.max-samples', type: 'int', help: 'Maximum samples.', default: '50000000' },
  { name: 'log.format', type: 'enum', values: ['logfmt', 'json'], help: 'Log format.', default: 'logfmt' },
];

describe('parseFlags', () => {
  it('applies defaults and parses both --flag=value and --flag value', () => {
    const flags = parseFlags(SPECS, ['--config.file', '/etc/p.yml', '--storage.tsdb.retention.time=15d', '--storage.tsdb.retention.size=512MB', '--web.enable-lifecycle']);
    expect(flagString(flags, 'config.file')).toBe('/etc/p.yml');
    expect(flagNumber(flags, 'storage.tsdb.retention.time')).toBe(15 * 86_400_000);
    expect(flagNumber(flags, 'storage.tsdb.retention.size')).toBe(512 * 1024 * 1024);
    expect(flagNumber(flags, 'query.max-samples')).toBe(50_000_000);
    expect(flagBool(flags, 'web.enable-lifecycle')).toBe(true);
    expect(flagString(flags, 'log.format')).toBe('logfmt');
    expect([...flags.given].sort()).toEqual(['config.file', 'storage.tsdb.retention.size', 'storage.tsdb.retention.time', 'web.enable-lifecycle']);
  });

  it('supports --no-<bool> and explicit booleans', () => {
    expect(flagBool(parseFlags(SPECS, ['--web.enable-lifecycle', '--no-web.enable-lifecycle']), 'web.enable-lifecycle')).toBe(false);
    expect(flagBool(parseFlags(SPECS, ['--web.enable-lifecycle=true']), 'web.enable-lifecycle')).toBe(true);
  });

  it.each([
    { name: 'unknown flag', argv: ['--web.enable-admin'], message: "unknown long flag '--web.enable-admin'" },
    { name: 'missing value', argv: ['--config.file'], message: "expected argument for flag '--config.file'" },
    { name: 'bad duration', argv: ['--storage.tsdb.retention.time=15 days'], message: /invalid value "15 days" for flag '--storage.tsdb.retention.time'/ },
    { name: 'bad enum', argv: ['--log.format=xml'], message: /expected one of logfmt, json/ },
    { name: 'bad int', argv: ['--query.max-samples=lots'], message: /expected an integer/ },
    { name: 'positional', argv: ['prometheus.yml'], message: 'unexpected prometheus.yml' },
  ])('rejects $name naming the flag', ({ argv, message }) => {
    expect(() => parseFlags(SPECS, argv)).toThrow(FlagError);
    expect(() => parseFlags(SPECS, argv)).toThrow(message);
  });

  it('prints usage with defaults', () => {
    const text = usage('prometheus', 'The Prometheus monitoring server', SPECS);
    expect(text).toContain('  --config.file=STRING\n      Configuration file path. (default: prometheus.yml)');
    expect(text).toContain('  --[no-]web.enable-lifecycle\n');
  });
});
