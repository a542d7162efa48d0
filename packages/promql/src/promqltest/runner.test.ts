import { MemoryStorage } from '@pyrometer/storage';
import { describe, expect, it } from 'vitest';
import { runTestFile } from './runner.js';
import { readScript, ScriptError } from './script.js';

const SCRIPT = `
# A small script exercising the runner itself.
load 1m
  http_requests_total{job="api"} 0+10x10
  http_requests_total{job="db"} 0+5x10 stale

eval instant at 5m http_requests_total
  http_requests_total{job="api"} 50
  http_requests_total{job="db"} 25

eval instant at 5m sum(rate(http_requests_total[5m]))
  {} 0.25

eval instant at 5m rate(temperature[5m])
  expect no_info

eval range from 0 to 2m step 1m http_requests_total{job="api"}
  http_requests_total{job="api"} 0 10 20

eval instant at 5m 1 + 1
  2

eval instant at 5m http_requests_total{job="api"} + on() http_requests_total
  expect fail msg: found duplicate series for the match group {} on the right hand-side of the operation: [{__name__="http_requests_total", job="api"}, {__name__="http_requests_total", job="db"}];many-to-many matching not allowed: matching labels must be unique on one side

eval instant at 5m http_requests_total{job="api"}
  http_requests_total{job="api"} 51

clear

eval instant at 5m http_requests_total
`;

describe('runTestFile', () => {
  it('runs every case and reports failures without stopping', async () => {
    const results = await runTestFile(SCRIPT, { storageFactory: () => new MemoryStorage() });
    expect(results.map((r) => [r.line, r.status])).toEqual([
      [3, 'passed'],
      [7, 'passed'],
      [11, 'passed'],
      [14, 'passed'],
      [17, 'passed'],
      [20, 'passed'],
      [23, 'passed'],
      [26, 'failed'],
      [31, 'passed'],
    ]);
    expect(results[7]!.message).toBe('expected 51 for {__name__="http_requests_total", job="api"} but got 50');
  });

  it('reports a load whose data cannot be read as a failed case', async () => {
    const results = await runTestFile('load 1m\n  up{ 1 2\n\neval instant at 0 up\n', { storageFactory: () => new MemoryStorage() });
    expect(results.map((r) => [r.line, r.expr, r.status])).toEqual([
      [1, 'load', 'failed'],
      [4, 'up', 'passed'],
    ]);
  });

  it('reports skipped cases with their reason', async () => {
    const results = await runTestFile(SCRIPT, { storageFactory: () => new MemoryStorage(), skip: new Map([[26, 'known bad expectation']]) });
    expect(results.find((r) => r.line === 26)).toMatchObject({ status: 'skipped', message: 'known bad expectation' });
  });

  it.each([
    { name: 'unknown command', script: 'frobnicate 1m\n', message: /line 1: invalid command "frobnicate 1m"/ },
    { name: 'bad load step', script: 'load 1x\n  a 1\n', message: /line 1: invalid step definition "1x"/ },
    { name: 'info with no_info', script: 'eval instant at 0 a\n  expect info\n  expect no_info\n', message: /info and no_info cannot be used together/ },
  ])('rejects a malformed script: $name', ({ script, message }) => {
    expect(() => readScript(script)).toThrow(ScriptError);
    expect(() => readScript(script)).toThrow(message);
  });
});
