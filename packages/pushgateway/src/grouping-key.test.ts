import { describe, expect, it } from 'vitest';
import { groupingKeyOf, parseGroupingPath } from './grouping-key.js';

describe('parseGroupingPath', () => {
  it.each([
    { name: 'job only', path: 'job/some_job', want: { job: 'some_job' } },
    { name: 'trailing slash', path: 'job/some_job/', want: { job: 'some_job' } },
    { name: 'labels', path: 'job/j/instance/i1/env/prod', want: { job: 'j', instance: 'i1', env: 'prod' } },
    { name: 'base64 job', path: 'job@base64/L3Zhci90bXA', want: { job: '/var/tmp' } },
    { name: 'base64 label with padding', path: 'job/j/path@base64/L3Zhci90bXA=', want: { job: 'j', path: '/var/tmp' } },
    { name: 'empty value via @base64/=', path: 'job/j/instance@base64/=', want: { job: 'j', instance: '' } },
    { name: 'URL-safe alphabet with padding (client_java)', path: 'job/j/v@base64/Pz8-Pw==', want: { job: 'j', v: '??>?' } },
    { name: 'plus kept literally', path: 'job/a+b', want: { job: 'a+b' } },
    { name: 'grouping label job overrides nothing', path: 'job/x/job/y', want: { job: 'x' } },
  ])('$name', ({ path, want }) => {
    expect(parseGroupingPath(path)).toEqual(want);
  });

  it.each([
    { name: 'empty job', path: 'job/', message: 'job name is required' },
    { name: 'odd components', path: 'job/j/a', message: 'odd number of components in label string "/a"' },
    { name: 'reserved label name', path: 'job/j/__a/b', message: 'improper label name "__a"' },
    { name: 'invalid label name', path: 'job/j/a-b/c', message: 'improper label name "a-b"' },
    { name: 'bad base64', path: 'job/j/a@base64/!!', message: 'invalid base64 encoding for label a= "!!"' },
    { name: 'standard alphabet (Go RawURLEncoding refuses it)', path: 'job/j/v@base64/Pz8+Pw==', message: 'invalid base64 encoding for label v= "Pz8+Pw=="' },
    { name: 'bad base64 job', path: 'job@base64/a', message: 'invalid base64 encoding in job name "a"' },
  ])('rejects $name', ({ path, message }) => {
    expect(() => parseGroupingPath(path)).toThrow(message);
  });
});

describe('groupingKeyOf', () => {
  it('is independent of label order and distinguishes empty values', () => {
    expect(groupingKeyOf({ b: '2', a: '1', job: 'j' })).toBe(groupingKeyOf({ job: 'j', a: '1', b: '2' }));
    expect(groupingKeyOf({ job: 'j', a: '' })).not.toBe(groupingKeyOf({ job: 'j' }));
  });
});
