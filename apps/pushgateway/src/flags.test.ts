import { describe, expect, it } from 'vitest';
import { defaultFlags, parseFlags } from './flags.js';

describe('parseFlags', () => {
  it.each([
    { name: 'defaults', argv: [], want: {} },
    { name: 'the flags npm start passes', argv: ['--web.listen-address=127.0.0.1:9091', '--persistence.file=/data/pushgateway/groups.json'], want: { listenAddress: '127.0.0.1:9091', persistenceFile: '/data/pushgateway/groups.json' } },
    { name: 'separate values and booleans', argv: ['--persistence.interval', '30s', '--web.enable-admin-api', '--push.disable-consistency-check=true'], want: { persistenceIntervalMs: 30_000, enableAdminApi: true, disableConsistencyCheck: true } },
    { name: 'negated boolean', argv: ['--web.enable-admin-api', '--no-web.enable-admin-api'], want: { enableAdminApi: false } },
    { name: 'beyond-upstream flags', argv: ['--push.group-ttl=1h', '--web.enable-delete-by-matchers', '--store.redis-url=redis://127.0.0.1:6379'], want: { groupTtlMs: 3_600_000, enableDeleteByMatchers: true, redisUrl: 'redis://127.0.0.1:6379' } },
    { name: 'log level', argv: ['--log.level=debug'], want: { logLevel: 'debug' } },
  ])('$name', ({ argv, want }) => {
    expect(parseFlags(argv)).toEqual({ ...defaultFlags(), ...want });
  });

  it.each([
    { name: 'unknown flag', argv: ['--nope'], message: "unknown long flag '--nope'" },
    { name: 'missing value', argv: ['--persistence.file'], message: "expected argument for flag '--persistence.file'" },
    { name: 'bad duration', argv: ['--persistence.interval=5 minutes'], message: `invalid value "5 minutes" for flag '--persistence.interval'` },
    { name: 'bad level', argv: ['--log.level=loud'], message: `invalid value "loud" for flag '--log.level': expected one of debug, info, warn, error` },
    { name: 'bad boolean', argv: ['--web.enable-admin-api=yes'], message: `invalid value "yes" for flag '--web.enable-admin-api': expected true or false` },
    { name: 'positional argument', argv: ['serve'], message: 'unexpected serve' },
  ])('rejects $name', ({ argv, message }) => {
    expect(() => parseFlags(argv)).toThrow(message);
  });
});
