import { ValueType } from '@pyrometer/storage';
import { describe, expect, it } from 'vitest';
import { ByteSlab } from './byte-slab.js';
import { XorChunk } from './xor-chunk.js';
import { XorEncoders } from './xor-encoders.js';
import { XorIterator } from './xor-iterator.js';

/** Random samples of every shape the encoder has a path for: jittered times, big jumps, repeats, stale markers, NaN. */
function randomSamples(seed: number, count: number): { t: number; v: number; stale: boolean }[] {
  let x = seed;
  const rnd = (): number => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
  const out: { t: number; v: number; stale: boolean }[] = [];
  let t = 1_700_000_000_000 + (rnd() % 1000);
  let v = 0;
  for (let i = 0; i < count; i++) {
    const kind = rnd() % 10;
    t += kind === 0 ? 3_000_000_000 + (rnd() % 1000) : 1000 + (rnd() % 9) - 4;
    v = kind === 1 ? v : kind === 2 ? rnd() / 7 : kind === 3 ? Number.NaN : v + (rnd() % 100);
    out.push({ t, v, stale: kind === 4 });
  }
  return out;
}

describe('XorEncoders', () => {
  it('writes the same chunks in interleaved slots, carved from small shared slabs, as XorChunk does alone, reusing released slots', () => {
    // Small slabs, so chunks grow into new slabs and share each slab with others.
    const table = new XorEncoders(new ByteSlab(256));
    const own = new XorEncoders();
    const streams = Array.from({ length: 6 }, (_, k) => randomSamples(0x2545f491 + k, 300));
    const chunks = streams.map(() => XorChunk.create());
    const appenders = chunks.map((c) => c.appender());
    // A released slot is handed out again and starts clean.
    table.release(table.allocate());
    const slots = streams.map(() => table.allocate());
    const ownSlots = streams.map(() => own.allocate(4));
    for (let i = 0; i < 300; i++) {
      for (let k = 0; k < streams.length; k++) {
        const s = streams[k]![i]!;
        table.append(slots[k]!, s.t, s.v, s.stale);
        own.append(ownSlots[k]!, s.t, s.v, s.stale);
        appenders[k]!.append(s.t, s.v, s.stale);
      }
    }
    for (let k = 0; k < streams.length; k++) {
      const bytes = table.bytes(slots[k]!);
      expect(bytes.length).toBeGreaterThan(256);
      expect([...bytes]).toEqual([...chunks[k]!.bytes()]);
      expect([...own.bytes(ownSlots[k]!)]).toEqual([...bytes]);
      expect(table.samples(slots[k]!)).toBe(300);
      expect(table.firstT(slots[k]!)).toBe(streams[k]![0]!.t);
      expect(table.lastT(slots[k]!)).toBe(streams[k]![299]!.t);
      const it = new XorIterator();
      it.reset(bytes);
      let n = 0;
      while (it.next() === ValueType.Float) {
        const s = streams[k]![n++]!;
        expect(it.atT()).toBe(s.t);
        expect(it.atStale()).toBe(s.stale);
        if (!s.stale) expect(it.atF()).toBe(s.v);
      }
      expect(n).toBe(300);
    }
  });

  it('keeps a released chunk readable through a view taken before, while its slot takes another chunk', () => {
    const table = new XorEncoders(new ByteSlab());
    const slot = table.allocate();
    table.append(slot, 1000, 1);
    table.append(slot, 2000, 2);
    const view = table.bytes(slot);
    const copy = [...view];
    table.release(slot);
    expect(table.allocate()).toBe(slot);
    table.append(slot, 5000, 9);
    expect([...view]).toEqual(copy);
    expect(table.samples(slot)).toBe(1);
    expect(table.last(slot)).toEqual({ v: 9, stale: false });
  });
});
