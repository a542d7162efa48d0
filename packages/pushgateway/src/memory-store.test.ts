import type { MetricFamily } from '@pyrometer/exposition';
import { Matcher, MatchType } from '@pyrometer/model';
import { tempDir } from '@pyrometer/testkit';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createLogger } from '@pyrometer/telemetry';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.js';
import type { WriteRequest } from './store.js';
import { fam } from './testing/families.js';

const T = 1_700_000_000_000;
type PushRequest = Extract<WriteRequest, { op: 'put' | 'post' }>;
const put = (labels: Record<string, string>, families: MetricFamily[], timeMs = T): PushRequest => ({ op: 'put', labels, families, timeMs, check: true });
const post = (labels: Record<string, string>, families: MetricFamily[], timeMs = T): PushRequest => ({ op: 'post', labels, families, timeMs, check: true });

function textOf(families: MetricFamily[]): string[] {
  return families.flatMap((f) => f.metrics.map((m) => `${f.name}${m.labels.toString()} ${m.value ?? m.summary?.sampleCount ?? m.histogram?.sampleCount}`));
}

describe('MemoryStore pushes', () => {
  it('adds grouping labels, instance="" and the push timestamps', async () => {
    const store = await MemoryStore.open();
    await store.write(put({ job: 'j' }, [fam('a', 'gauge', [{ labels: { job: 'body', x: '1' }, value: 3 }])]));
    const families = await store.gather();
    expect(families.map((f) => f.name)).toEqual(['a', 'push_failure_time_seconds', 'push_time_seconds']);
    expect(families[0]!.metrics[0]!.labels.toFlat()).toEqual(['instance', '', 'job', 'j', 'x', '1']);
    expect(families[2]!.metrics[0]!.value).toBe(T / 1000);
    expect(families[1]!.metrics[0]!.value).toBe(0);
  });

  it('PUT replaces the group, POST replaces only the pushed families', async () => {
    const store = await MemoryStore.open();
    await store.write(put({ job: 'j' }, [fam('a', 'gauge', [{ value: 1 }]), fam('b', 'gauge', [{ value: 2 }])]));
    await store.write(post({ job: 'j' }, [fam('b', 'gauge', [{ value: 20 }])]));
    expect(textOf(await store.gather()).filter((l) => !l.startsWith('push_'))).toEqual(['a{instance="", job="j"} 1', 'b{instance="", job="j"} 20']);
    await store.write(put({ job: 'j' }, [fam('c', 'gauge', [{ value: 3 }])]));
    expect(textOf(await store.gather()).filter((l) => !l.startsWith('push_'))).toEqual(['c{instance="", job="j"} 3']);
  });

  it('an empty PUT keeps only the push timestamps', async () => {
    const store = await MemoryStore.open();
    await store.write(put({ job: 'j' }, [fam('a', 'gauge', [{ value: 1 }])]));
    await store.write(put({ job: 'j' }, [], T + 1000));
    const names = (await store.gather()).map((f) => f.name);
    expect(names).toEqual(['push_failure_time_seconds', 'push_time_seconds']);
  });

  it('merges families across groups, sorted by label values', async () => {
    const store = await MemoryStore.open();
    await store.write(put({ job: 'b' }, [fam('m', 'gauge', [{ value: 2 }], 'first help')]));
    await store.write(put({ job: 'a' }, [fam('m', 'gauge', [{ value: 1 }], 'last help')]));
    const m = (await store.gather()).find((f) => f.name === 'm')!;
    expect(m.help).toBe('last help');
    expect(m.metrics.map((x) => x.labels.get('job'))).toEqual(['a', 'b']);
  });

  it('own metrics impose their help and come before pushed ones of the same name', async () => {
    const own = fam('process_open_fds', 'gauge', [{ value: 9 }], 'Number of open file descriptors.');
    const store = await MemoryStore.open({ ownFamilies: () => [own] });
    await store.write(put({ job: 'j' }, [fam('process_open_fds', 'gauge', [{ value: 1 }], 'other')]));
    const f = (await store.gather()).find((x) => x.name === 'process_open_fds')!;
    expect(f.help).toBe('Number of open file descriptors.');
    expect(f.metrics).toHaveLength(2);
  });
});

describe('MemoryStore consistency check', () => {
  const own = [fam('pushgateway_build_info', 'gauge', [{ value: 1 }], 'build')];
  it.each<{ name: string; before: PushRequest[]; push: PushRequest; error: string }>([
    {
      name: 'type conflict with another group',
      before: [put({ job: 'a' }, [fam('m', 'gauge', [{ value: 1 }])])],
      push: put({ job: 'b' }, [fam('m', 'counter', [{ value: 1 }])]),
      error: 'collected metric "m" { label:<name:"instance" value:"" > label:<name:"job" value:"b" > counter:<value:1 > } is not a GAUGE',
    },
    {
      name: 'type conflict with own metrics',
      before: [],
      push: put({ job: 'b' }, [fam('pushgateway_build_info', 'counter', [{ value: 1 }])]),
      error: 'gathered metric family pushgateway_build_info has type COUNTER but should have GAUGE',
    },
    {
      name: 'duplicate series across groups',
      before: [put({ job: 'a' }, [fam('m', 'gauge', [{ labels: { x: '1' }, value: 1 }])])],
      push: put({ job: 'a', x: '1' }, [fam('m', 'gauge', [{ value: 2 }])]),
      error: 'collected metric "m" { label:<name:"instance" value:"" > label:<name:"job" value:"a" > label:<name:"x" value:"1" > gauge:<value:2 > } was collected before with the same name and label values',
    },
    {
      name: 'duplicate series within the push',
      before: [],
      push: put({ job: 'a' }, [fam('m', 'gauge', [{ labels: { job: 'x' }, value: 1 }, { labels: { job: 'y' }, value: 2 }])]),
      error: 'was collected before with the same name and label values',
    },
    {
      name: '_count clashing with a summary elsewhere',
      before: [put({ job: 'a' }, [fam('s', 'summary', [{ value: 1 }])])],
      push: put({ job: 'b' }, [fam('s_count', 'gauge', [{ value: 1 }])]),
      error: 'collected metric named "s_count" collides with previously collected summary named "s"',
    },
    {
      name: 'histogram clashing with an existing _bucket',
      before: [put({ job: 'a' }, [fam('h_bucket', 'untyped', [{ value: 1 }])])],
      push: put({ job: 'b' }, [fam('h', 'histogram', [{ value: 1 }])]),
      error: 'collected histogram named "h" collides with previously collected metric named "h_bucket"',
    },
    {
      name: 'summary with a quantile label',
      before: [],
      push: put({ job: 'a', quantile: '0.5' }, [fam('s', 'summary', [{ value: 1 }])]),
      error: 'must not have an explicit "quantile" label',
    },
    {
      name: 'histogram with an le label',
      before: [],
      push: put({ job: 'a', le: '1' }, [fam('h', 'histogram', [{ value: 1 }])]),
      error: 'must not have an explicit "le" label',
    },
    {
      name: 'samples with timestamps',
      before: [],
      push: put({ job: 'a' }, [fam('m', 'gauge', [{ value: 1, timestampMs: 5 }])]),
      error: 'pushed metrics must not have timestamps',
    },
  ])('rejects $name and leaves the group as it was', async ({ before, push, error }) => {
    const store = await MemoryStore.open({ ownFamilies: () => own });
    for (const w of before) expect((await store.write(w)).error).toBeUndefined();
    const pushed: PushRequest = push;
    await store.write(put(pushed.labels, [fam('keep', 'gauge', [{ value: 7 }])]));
    const result = await store.write({ ...pushed, timeMs: T + 5000 });
    expect(result.error).toContain(error);
    const group = (await store.groups()).find((g) => g.labels['job'] === pushed.labels['job'] && Object.keys(g.labels).length === Object.keys(pushed.labels).length)!;
    expect([...group.families.keys()].sort()).toEqual(['keep', 'push_failure_time_seconds', 'push_time_seconds']);
    expect(group.pushFailureTimeSeconds).toBe((T + 5000) / 1000);
    expect(group.pushTimeSeconds).toBe(T / 1000);
  });

  it('a rejected push to a new group creates it with push_time_seconds 0, as upstream', async () => {
    const store = await MemoryStore.open();
    await store.write(put({ job: 'a' }, [fam('m', 'gauge', [{ value: 1, timestampMs: 1 }])]));
    const [group] = await store.groups();
    expect(group!.pushTimeSeconds).toBe(0);
    expect(group!.pushFailureTimeSeconds).toBe(T / 1000);
  });

  it('accepts a type change when the group replaces its own family', async () => {
    const store = await MemoryStore.open();
    await store.write(put({ job: 'a' }, [fam('m', 'gauge', [{ value: 1 }])]));
    expect((await store.write(put({ job: 'a' }, [fam('m', 'counter', [{ value: 1 }])]))).error).toBeUndefined();
    await store.write(put({ job: 'b' }, [fam('m', 'counter', [{ value: 1 }])]));
    expect((await store.write(put({ job: 'a' }, [fam('m', 'gauge', [{ value: 1 }])]))).error).toContain('is not a COUNTER');
  });

  it('skips the check but still rejects timestamps when unchecked', async () => {
    const store = await MemoryStore.open();
    await store.write(put({ job: 'a' }, [fam('m', 'gauge', [{ value: 1 }])]));
    expect((await store.write({ ...put({ job: 'b' }, [fam('m', 'counter', [{ value: 1 }])]), check: false })).error).toBeUndefined();
    expect((await store.write({ ...put({ job: 'c' }, [fam('n', 'gauge', [{ value: 1, timestampMs: 1 }])]), check: false })).error).toBe('pushed metrics must not have timestamps');
  });

  it('joins several problems as client_golang does', async () => {
    const store = await MemoryStore.open();
    await store.write(put({ job: 'a' }, [fam('m', 'gauge', [{ value: 1 }]), fam('n', 'gauge', [{ value: 1 }])]));
    const { error } = await store.write(put({ job: 'b' }, [fam('m', 'counter', [{ value: 1 }]), fam('n', 'counter', [{ value: 1 }])]));
    expect(error).toMatch(/^2 error\(s\) occurred:\n\* collected metric "m" .*\n\* collected metric "n" /);
  });
});

describe('MemoryStore deletion', () => {
  it('DELETE removes one exact group; matchers and expiry remove several', async () => {
    const store = await MemoryStore.open();
    for (const [job, t] of [['flink0001', T], ['flink0002', T + 10_000], ['other', T]] as const) await store.write(put({ job }, [fam('m', 'gauge', [{ value: 1 }])], t));
    expect((await store.write({ op: 'delete', labels: { job: 'missing' } })).deleted).toBe(0);
    expect((await store.write({ op: 'expire', beforeMs: T + 5000 })).deleted).toBe(2);
    expect((await store.groups()).map((g) => g.labels['job'])).toEqual(['flink0002']);
    await store.write(put({ job: 'flink0003' }, [fam('m', 'gauge', [{ value: 1 }])]));
    expect((await store.write({ op: 'delete_matching', matchers: [new Matcher(MatchType.Regexp, 'job', 'flink.*')] })).deleted).toBe(2);
    expect(await store.groups()).toEqual([]);
    expect(await store.gather()).toEqual([]);
  });
});

describe('MemoryStore persistence', () => {
  it('restores every group after close and reopen', async () => {
    const dir = await tempDir();
    const file = join(dir, 'sub', 'groups.json');
    const store = await MemoryStore.open({ persistenceFile: file });
    await store.write(put({ job: 'j', instance: '' }, [fam('a', 'summary', [{ value: NaN }]), fam('b', 'gauge', [{ labels: { v: 'x' }, value: -Infinity }], 'help\nline')]));
    const before = await store.gather();
    await store.close();
    const reopened = await MemoryStore.open({ persistenceFile: file });
    expect(await reopened.gather()).toEqual(before);
    expect(await reopened.groups()).toHaveLength(1);
    expect(await readdir(join(dir, 'sub'))).toEqual(['groups.json']);
  });

  it('writes the file after the interval without waiting for close', async () => {
    const dir = await tempDir();
    const file = join(dir, 'groups.json');
    const store = await MemoryStore.open({ persistenceFile: file, persistenceIntervalMs: 10 });
    await store.write(put({ job: 'j' }, [fam('a', 'gauge', [{ value: 1 }])]));
    await expect.poll(async () => (await MemoryStore.open({ persistenceFile: file })).groups().then((g) => g.length), { timeout: 5000 }).toBe(1);
    for (let i = 0; i < 30; i++) await store.write(put({ job: `later${i}` }, [fam('a', 'gauge', [{ value: i }])]));
    await expect.poll(async () => (await MemoryStore.open({ persistenceFile: file })).groups().then((g) => g.length), { timeout: 5000 }).toBe(31);
    await store.close();
  });

  it.each([
    { name: 'truncated JSON', text: '{"format":"pyrometer-pushgateway/v1","groups":[', error: 'is not valid JSON' },
    { name: 'another format', text: '{"format":"x"}', error: 'is not a Pyrometer Pushgateway state file' },
    { name: 'a malformed group', text: '{"format":"pyrometer-pushgateway/v1","groups":[{"labels":{"job":"j"}}]}', error: 'malformed group in' },
  ])('starts empty on a corrupt file ($name), logging it, and keeps the file aside, as upstream starts empty', async ({ text, error }) => {
    const dir = await tempDir();
    const file = join(dir, 'groups.json');
    await writeFile(file, text);
    const lines: string[] = [];
    const store = await MemoryStore.open({ persistenceFile: file, logger: createLogger({ write: (l) => lines.push(l) }) });
    expect(await store.groups()).toEqual([]);
    expect(lines.join('')).toContain('could not load persisted metrics; starting with no groups');
    expect(lines.join('')).toContain(error);
    const [aside] = (await readdir(dir)).filter((n) => n.startsWith('groups.json.unreadable-'));
    expect(await readFile(join(dir, aside!), 'utf8')).toBe(text);
    await store.write(put({ job: 'j' }, [fam('a', 'gauge', [{ value: 1 }])]));
    await store.close();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('starts empty when the file cannot be read at all, leaving it where it is', async () => {
    const dir = await tempDir();
    const lines: string[] = [];
    const store = await MemoryStore.open({ persistenceFile: dir, logger: createLogger({ write: (l) => lines.push(l) }) });
    expect(await store.groups()).toEqual([]);
    expect(lines.join('')).toMatch(/could not load persisted metrics.*EISDIR/);
    expect((await stat(dir)).isDirectory()).toBe(true);
  });
});

describe('MemoryStore unchecked pushes', () => {
  it('serves the first type of a name when unchecked pushes mixed types', async () => {
    const store = await MemoryStore.open();
    await store.write({ ...put({ job: 'a' }, [fam('m', 'summary', [{ value: 1 }])]), check: false });
    await store.write({ ...put({ job: 'b' }, [fam('m', 'gauge', [{ value: 2 }])]), check: false });
    const m = (await store.gather()).find((f) => f.name === 'm')!;
    expect(m.type).toBe('summary');
    expect(m.metrics.map((x) => x.labels.get('job'))).toEqual(['a']);
  });
});
