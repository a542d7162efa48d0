import { describe, expect, it } from 'vitest';
import { groupingPath, javaUrlEncode } from './push-path.js';

describe('groupingPath', () => {
  it.each([
    { name: 'job only', job: 'flinkabc', key: [], want: 'job/flinkabc' },
    { name: 'grouping key entries in order', job: 'flink', key: [['env', 'prod'], ['dc', 'eu-1']], want: 'job/flink/env/prod/dc/eu-1' },
    { name: 'space becomes + as URLEncoder does', job: 'my job', key: [['team', 'a b']], want: 'job/my+job/team/a+b' },
    { name: 'slash in a value uses url-safe base64', job: 'flink', key: [['path', 'a/b']], want: 'job/flink/path@base64/YS9i' },
    { name: 'slash in the job uses base64', job: 'a/b?', key: [], want: 'job@base64/YS9iPw==' },
  ] as const)('$name', ({ job, key, want }) => {
    expect(groupingPath(job, key)).toBe(want);
  });

  it('percent-encodes reserved and non-ASCII characters as UTF-8', () => {
    expect(javaUrlEncode('a:b=ü*.-_')).toBe('a%3Ab%3D%C3%BC*.-_');
  });
});
