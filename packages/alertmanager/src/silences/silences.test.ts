import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { Matcher, MatchType } from '../labels/matcher.js';
import { Labels } from '@pyrometer/model';
import { MemoryStateStore } from '../state/file-store.js';
import { fromMillis, ZERO_TIME } from '../time/instant.js';
import { decodeSnapshot, encodeSnapshot } from '../state/mesh-snapshot.js';
import { silenceCodec } from './codec.js';
import type { StoredSilence } from './silence.js';
import { Silences, type SilenceInput } from './silences.js';

const H = 3_600_000;
const eq = (n: string, v: string) => new Matcher(MatchType.Equal, n, v);

async function setup(limits = { maxSilences: 0, maxSilenceSizeBytes: 0 }) {
  const clock = new ManualClock();
  const silences = await Silences.open({ store: new MemoryStateStore<StoredSilence>(), clock, retentionMs: 120 * H, limits, isValidLabelName: (n) => n !== '' });
  const at = (ms: number) => fromMillis(clock.now() + ms);
  const input = (fields: Partial<SilenceInput> = {}): SilenceInput => ({ id: '', matchers: [eq('job', 'flink')], startsAt: ZERO_TIME, endsAt: at(H), createdBy: 'ops', comment: 'c', ...fields });
  return { clock, silences, at, input };
}

// Upstream's rules (silence/silence.go and its tests), restated.
describe('silences', () => {
  it('starts a silence now when its start is unset or past, and matches labels while active', async () => {
    const { silences, at, input, clock } = await setup();
    const id = await silences.set(input({ startsAt: at(-H) }));
    expect(silences.get(id)!.startsAt).toBe(at(0));
    expect(silences.query({ states: ['active'], matching: Labels.from({ job: 'flink', x: 'y' }) }).silences.map((s) => s.id)).toEqual([id]);
    expect(silences.query({ matching: Labels.from({ job: 'other' }) }).silences).toEqual([]);
    await clock.advance(H + 1);
    expect(silences.countState('expired')).toBe(1);
  });

  it('updates an active silence in place when only the end moves, and replaces it otherwise', async () => {
    const { silences, input, at, clock } = await setup();
    const id = await silences.set(input());
    const version = silences.version;
    const same = await silences.set({ ...input({ id, endsAt: at(2 * H), comment: 'longer' }), startsAt: silences.get(id)!.startsAt });
    expect(same).toBe(id);
    expect(silences.get(id)!.comment).toBe('longer');
    expect(silences.version).toBe(version);
    const replaced = await silences.set(input({ id, matchers: [eq('job', 'other')] }));
    expect(replaced).not.toBe(id);
    await clock.advance(1);
    expect(silences.query({ states: ['expired'] }).silences.map((s) => s.id)).toEqual([id]);
    expect(silences.version).toBe(version + 1);
  });

  it('moves a pending silence in place, expires a pending one by ending it before it starts', async () => {
    const { silences, input, at } = await setup();
    const id = await silences.set(input({ startsAt: at(H), endsAt: at(2 * H) }));
    expect(await silences.set(input({ id, startsAt: at(H / 2), endsAt: at(2 * H) }))).toBe(id);
    await silences.expire(id);
    const s = silences.get(id)!;
    expect([s.startsAt, s.endsAt]).toEqual([at(0), at(0)]);
    await silences.expire(id);
    await expect(silences.expire('nope')).rejects.toThrow('silence not found');
  });

  it.each([
    { name: 'no matchers', fields: { matchers: [] }, error: 'invalid silence: at least one matcher required' },
    { name: 'matching everything', fields: { matchers: [new Matcher(MatchType.Regexp, 'a', '.*')] }, error: 'invalid silence: at least one matcher must not match the empty string' },
    { name: 'bad regex written unanchored', fields: { matchers: [new Matcher(MatchType.Regexp, 'a', 'x)|(y')] }, error: 'invalid silence: invalid label matcher 0: invalid regular expression "x)|(y": error parsing regexp: unexpected ): `x)|(y`' },
    { name: 'empty name', fields: { matchers: [eq('', 'x')] }, error: 'invalid silence: invalid label matcher 0: invalid label name ""' },
    { name: 'end before start', fields: { startsAt: fromMillis(Date.UTC(2030, 0, 1)), endsAt: fromMillis(Date.UTC(2029, 0, 1)) }, error: 'invalid silence: end time must not be before start time' },
  ])('refuses $name', async ({ fields, error }) => {
    const { silences, input } = await setup();
    await expect(silences.set(input(fields))).rejects.toThrow(error);
  });

  it('refuses an unknown id and enforces the limits', async () => {
    const { silences, input } = await setup({ maxSilences: 1, maxSilenceSizeBytes: 0 });
    await expect(silences.set(input({ id: '00000000-0000-0000-0000-000000000000' }))).rejects.toThrow('silence not found');
    await silences.set(input());
    await expect(silences.set(input())).rejects.toThrow('exceeded maximum number of silences: 1 (limit: 1)');
    const small = await setup({ maxSilences: 0, maxSilenceSizeBytes: 50 });
    await expect(small.silences.set(small.input({ comment: 'x'.repeat(100) }))).rejects.toThrow(/^silence exceeded maximum size: \d+ bytes \(limit: 50 bytes\)$/);
  });

  it('collects silences once their retention is over', async () => {
    const { silences, input, clock } = await setup();
    const id = await silences.set(input());
    await clock.advance(H + 119 * H);
    expect(await silences.gc()).toBe(0);
    await clock.advance(H + 1);
    expect(await silences.gc()).toBe(1);
    expect(silences.get(id)).toBeUndefined();
  });

  it('round-trips through the snapshot format', async () => {
    const { silences, input } = await setup();
    await silences.set(input({ matchers: [eq('job', 'flink'), new Matcher(MatchType.NotRegexp, 'env', 'dev|test')], comment: 'deploy 🙂' }));
    const [stored] = silences.query().silences;
    const back = decodeSnapshot(silenceCodec, encodeSnapshot(silenceCodec, [{ silence: stored!, expiresAt: stored!.endsAt }]));
    expect(back[0]!.silence.matchers.map(String)).toEqual(['job="flink"', 'env!~"dev|test"']);
    expect({ ...back[0]!.silence, matchers: [] }).toEqual({ ...stored!, matchers: [] });
  });
});
