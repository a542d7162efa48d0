import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '@pyrometer/model';
import { silentLogger } from '@pyrometer/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeSamples, encodeSeries, SegmentWriter, segmentName, WAL_PAGE_SIZE, writeCheckpoint } from '../format/index.js';
import { WalTail, type WalPosition } from './wal-tail.js';

const A = Labels.from({ __name__: 'a', job: 'x' });
const B = Labels.from({ __name__: 'b', job: 'x' });

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function walDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wal-tail-'));
  dirs.push(dir);
  return join(dir, 'wal');
}

/** A tail recording what it is handed, as `name@t=v` strings. */
function tail(dir: string, start: WalPosition | undefined, readSize = 1024 * 1024): { tail: WalTail; seen: string[]; drain: () => string[] } {
  const names = new Map<number, string>();
  const seen: string[] = [];
  const t = new WalTail(dir, {
    start,
    readSize,
    logger: silentLogger(),
    handler: {
      series: (ref, labels) => names.set(ref, labels.metricName),
      sample: (ref, ts, v) => seen.push(`${names.get(ref) ?? `?${ref}`}@${ts}=${v}`),
    },
  });
  return {
    tail: t,
    seen,
    drain: () => {
      const from = seen.length;
      while (t.next());
      return seen.slice(from);
    },
  };
}

/** Logs `n` samples of series 1 (a) and 2 (b) from time `t0`, one commit per timestamp. */
function logSamples(w: SegmentWriter, t0: number, n: number): void {
  for (let t = t0; t < t0 + n; t++) w.log([encodeSamples([{ ref: 1, t, v: t }, { ref: 2, t, v: -t }])]);
}

function logSeries(w: SegmentWriter): void {
  w.log([encodeSeries([{ ref: 1, labels: A }, { ref: 2, labels: B }])]);
}

describe('WalTail', () => {
  it('reads series and samples across segment rollovers, then waits for more', () => {
    const dir = walDir();
    const w = SegmentWriter.open(dir, { segmentSize: 2 * WAL_PAGE_SIZE });
    const t = tail(dir, { segment: 0, offset: 0 }, WAL_PAGE_SIZE);
    logSeries(w);
    const got: string[] = [];
    // Reading between commits resumes in the middle of pages and segments.
    for (let t0 = 0; t0 < 3000; t0 += 97) {
      logSamples(w, t0, Math.min(97, 3000 - t0));
      got.push(...t.drain());
    }
    expect(w.currentSegment).toBeGreaterThanOrEqual(2);
    expect(got).toEqual(Array.from({ length: 3000 }, (_, t) => [`a@${t}=${t}`, `b@${t}=${-t}`]).flat());
    expect(t.tail.currentSegment).toBe(w.currentSegment);
    expect(t.drain()).toEqual([]);
    logSamples(w, 3000, 1);
    expect(t.drain()).toEqual(['a@3000=3000', 'b@3000=-3000']);
    expect(t.tail.stats).toEqual({ skippedSegments: 0, corruptions: 0 });
    w.close();
  });

  it('hands over records spanning several pages intact, each kept after the next is read', () => {
    const dir = walDir();
    const w = SegmentWriter.open(dir);
    const refs = Array.from({ length: 5000 }, (_, i) => i + 1);
    w.log([encodeSeries(refs.map((ref) => ({ ref, labels: Labels.from({ __name__: 'm', i: String(ref) }) })))]);
    for (let t = 0; t < 3; t++) w.log([encodeSamples(refs.map((ref) => ({ ref, t, v: ref * 10 + t })))]);
    const got: number[] = [];
    const named = new Set<number>();
    const t = new WalTail(dir, { start: { segment: 0, offset: 0 }, logger: silentLogger(), handler: { series: (ref) => named.add(ref), sample: (ref, _t, v) => got.push(v - ref * 10) } });
    while (t.next());
    expect(named.size).toBe(5000);
    expect(got).toEqual([0, 1, 2].flatMap((ts) => refs.map(() => ts)));
    w.close();
  });

  it('resumes from its position with the series learned from before it', () => {
    const dir = walDir();
    const w = SegmentWriter.open(dir, { segmentSize: 2 * WAL_PAGE_SIZE });
    logSeries(w);
    logSamples(w, 0, 1000);
    const first = tail(dir, { segment: 0, offset: 0 });
    first.drain();
    const position = first.tail.position;
    first.tail.close();
    logSamples(w, 1000, 2000);
    const resumed = tail(dir, position);
    const got = resumed.drain();
    expect(got).toHaveLength(4000);
    expect(got[0]).toBe('a@1000=1000');
    w.close();
  });

  it('starts at the end of the WAL when given no position', () => {
    const dir = walDir();
    const w = SegmentWriter.open(dir);
    logSeries(w);
    logSamples(w, 0, 10);
    const t = tail(dir, undefined);
    expect(t.drain()).toEqual([]);
    logSamples(w, 10, 1);
    expect(t.drain()).toEqual(['a@10=10', 'b@10=-10']);
    w.close();
  });

  it('waits at a record cut off at the end of the newest segment and reads it once complete', () => {
    const dir = walDir();
    const w = SegmentWriter.open(dir);
    logSeries(w);
    logSamples(w, 0, 2);
    w.close();
    // A second segment written by hand, half of a record first.
    const whole = readFileSync(join(dir, segmentName(0)));
    const scratch = walDir();
    const w2 = SegmentWriter.open(scratch);
    logSamples(w2, 2, 1);
    w2.close();
    const record = readFileSync(join(scratch, segmentName(0))).subarray(0, 7 + 1 + 8 + 8 + 2 * (1 + 1 + 8));
    expect(whole.length).toBe(WAL_PAGE_SIZE);
    const next = join(dir, segmentName(1));
    writeFileSync(next, record.subarray(0, 20));
    const t = tail(dir, { segment: 0, offset: 0 });
    expect(t.drain()).toEqual(['a@0=0', 'b@0=0', 'a@1=1', 'b@1=-1']);
    const waiting = t.tail.position;
    expect(waiting.segment).toBe(1);
    appendFileSync(next, record.subarray(20));
    expect(t.drain()).toEqual(['a@2=2', 'b@2=-2']);
    expect(t.tail.stats.corruptions).toBe(0);
  });

  it('skips the rest of a finished segment after a corrupt record, logging and counting it', () => {
    const dir = walDir();
    const w = SegmentWriter.open(dir);
    logSeries(w);
    logSamples(w, 0, 3);
    w.nextSegment();
    logSamples(w, 3, 1);
    w.close();
    const path = join(dir, segmentName(0));
    const bytes = readFileSync(path);
    const seriesRecordLength = 7 + bytes.readUInt16BE(1);
    bytes[seriesRecordLength + 7 + 3]! ^= 0xff;
    writeFileSync(path, bytes);
    const t = tail(dir, { segment: 0, offset: 0 });
    expect(t.drain()).toEqual(['a@3=3', 'b@3=-3']);
    expect(t.tail.stats.corruptions).toBe(1);
  });

  it('falls back to the newest checkpoint when its segment was checkpointed away', () => {
    const dir = walDir();
    const w = SegmentWriter.open(dir);
    logSeries(w);
    logSamples(w, 0, 2);
    const t = tail(dir, { segment: 0, offset: 0 });
    t.drain();
    const position = t.tail.position;
    t.tail.close();
    w.nextSegment();
    logSamples(w, 2, 1);
    w.nextSegment();
    logSamples(w, 3, 1);
    writeCheckpoint(dir, 1, [encodeSeries([{ ref: 1, labels: A }, { ref: 2, labels: B }])]);
    rmSync(join(dir, segmentName(0)));
    rmSync(join(dir, segmentName(1)));
    const resumed = tail(dir, position);
    expect(resumed.drain()).toEqual(['a@3=3', 'b@3=-3']);
    expect(resumed.tail.stats.skippedSegments).toBe(2);
    expect(resumed.tail.position.segment).toBe(2);
    w.close();
  });
});
