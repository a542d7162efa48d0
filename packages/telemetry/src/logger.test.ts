import { describe, expect, it } from 'vitest';
import { createLogger, parseLogLevel } from './logger.js';

const FIXED = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

describe('createLogger', () => {
  it('writes logfmt lines with time, level, msg and quoted fields, dropping lines below the level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => lines.push(l), now: () => FIXED }).with({ component: 'tsdb' });
    logger.debug('hidden');
    logger.info('WAL replay completed', { segments: 3, dir: '/tmp/a b' });
    expect(lines).toEqual(['time=2026-01-02T03:04:05.678Z level=info msg="WAL replay completed" component=tsdb segments=3 dir="/tmp/a b"\n']);
  });

  it('writes JSON lines, rendering errors as their message', () => {
    const lines: string[] = [];
    createLogger({ format: 'json', write: (l) => lines.push(l), now: () => FIXED }).error('failed', { err: new Error('boom') });
    expect(JSON.parse(lines[0]!)).toEqual({ time: '2026-01-02T03:04:05.678Z', level: 'error', msg: 'failed', err: 'boom' });
  });

  it('parses levels and names the accepted ones on bad input', () => {
    expect(parseLogLevel('warn')).toBe('warn');
    expect(() => parseLogLevel('verbose')).toThrow('unrecognized log level "verbose"; expected one of debug, info, warn, error');
  });
});
