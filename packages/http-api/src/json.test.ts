import { Labels } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { errorJson, successJson } from './envelope.js';
import { ErrorType, statusOf } from './error-type.js';
import { jsonString, labelsJson, samplePairJson, secondsFloatJson, timeJson, timestampJson } from './json.js';

describe('value encodings', () => {
  it.each([
    { ms: 1500, want: '1.500' },
    { ms: 2000, want: '2' },
    { ms: 1, want: '0.001' },
    { ms: 1_700_000_000_123, want: '1700000000.123' },
    { ms: -1500, want: '-1.500' },
    { ms: 0, want: '0' },
  ])('timestamp $ms ms → $want', ({ ms, want }) => {
    expect(timestampJson(ms)).toBe(want);
  });

  it('writes scalar and string times as plain floats', () => {
    expect(secondsFloatJson(1500)).toBe('1.5');
    expect(secondsFloatJson(4000)).toBe('4');
  });

  it('writes sample pairs with Go-formatted string values', () => {
    expect(samplePairJson(1000, 2)).toBe('[1,"2"]');
    expect(samplePairJson(1000, 1e-7)).toBe('[1,"1e-07"]');
    expect(samplePairJson(1000, NaN)).toBe('[1,"NaN"]');
    expect(samplePairJson(1000, -Infinity)).toBe('[1,"-Inf"]');
  });

  it.each([
    { ms: Date.UTC(2024, 4, 1, 10, 0, 0), want: '"2024-05-01T10:00:00Z"' },
    { ms: Date.UTC(2024, 4, 1, 10, 0, 10, 500), want: '"2024-05-01T10:00:10.5Z"' },
    { ms: Date.UTC(2024, 4, 1, 10, 0, 20, 120), want: '"2024-05-01T10:00:20.12Z"' },
    { ms: Date.UTC(2024, 4, 1, 10, 0, 0, 7), want: '"2024-05-01T10:00:00.007Z"' },
    { ms: undefined, want: '"0001-01-01T00:00:00Z"' },
  ])('time $ms → $want as Go marshals a time.Time', ({ ms, want }) => {
    expect(timeJson(ms)).toBe(want);
  });

  it('writes labels sorted with Go-style HTML escaping', () => {
    expect(labelsJson(Labels.from({ job: 'a<b>&c', __name__: 'up' }))).toBe('{"__name__":"up","job":"a\\u003cb\\u003e\\u0026c"}');
    expect(jsonString('line\u2028sep')).toBe('"line\\u2028sep"');
  });
});

describe('envelope', () => {
  it('orders fields as upstream and omits empty annotations', () => {
    expect(successJson('[]')).toBe('{"status":"success","data":[]}');
    expect(successJson('1', { warnings: ['w'], infos: [] })).toBe('{"status":"success","data":1,"warnings":["w"]}');
    expect(errorJson(ErrorType.BadData, 'invalid parameter "query": 1:1: parse error: unexpected end of input')).toBe(
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:1: parse error: unexpected end of input"}',
    );
  });

  it.each([
    [ErrorType.BadData, 400],
    [ErrorType.Execution, 422],
    [ErrorType.Canceled, 499],
    [ErrorType.Timeout, 503],
    [ErrorType.Internal, 500],
    [ErrorType.Unavailable, 500],
    [ErrorType.NotFound, 404],
    [ErrorType.NotAcceptable, 406],
  ])('maps %s to HTTP %i', (type, status) => {
    expect(statusOf(type)).toBe(status);
  });
});
