import { compileRelabelConfig, Labels } from '@pyrometer/model';
import { MemoryStorage, type Appender } from '@pyrometer/storage';
import { describe, expect, it } from 'vitest';
import { appendScrape, emptyStats, type AppendContext } from './append-scrape.js';
import { BodyBuffer } from './http-target-client.js';
import { ScrapeCache } from './scrape-cache.js';

const context = (overrides: Partial<AppendContext> = {}): AppendContext => ({
  targetLabels: Labels.from({ job: 'j', instance: 'i' }),
  honorLabels: false,
  honorTimestamps: true,
  trackTimestampsStaleness: false,
  metricRelabelRules: [],
  sampleLimit: 0,
  limits: { labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 0 },
  legacyNames: true,
  ...overrides,
});

/** Scrapes `bodies` in turn (10 s apart) into a real MemoryStorage; returns what each scrape appended, as `series value` lines. */
async function scrapeAll(bodies: string[], ctx = context(), lend = false): Promise<string[][]> {
  const storage = new MemoryStorage();
  const cache = new ScrapeCache();
  const appended: string[][] = [];
  // One buffer for every body, as a scrape loop reuses its own: the cache must keep a copy of what it guesses from.
  const shared = Buffer.alloc(Math.max(...bodies.map((b) => Buffer.byteLength(b))));
  const lent = new BodyBuffer();
  for (const [n, body] of bodies.entries()) {
    const inner = storage.appender();
    const lines: string[] = [];
    const app: Appender = {
      append: (ref, labels, t, v, stale) => {
        lines.push(`${labels.toString()} ${stale ? 'stale' : v}`);
        return inner.append(ref, labels, t, v, stale);
      },
      appendHistogram: (ref, labels, t, h) => inner.appendHistogram(ref, labels, t, h),
      commit: () => inner.commit(),
      rollback: () => inner.rollback(),
    };
    // Lent as a scrape loop lends it: the cache may keep these bytes and hand the buffer others, which the next body overwrites.
    const into = lend ? lent : undefined;
    const target = into === undefined ? shared : into.reserve(shared.length, 0);
    const bytes = target.subarray(0, target.write(body));
    try {
      appendScrape(ctx, cache, app, bytes, 'text', 1_000 + n * 10_000, emptyStats(), into);
      await app.commit();
    } catch (err) {
      await app.rollback();
      lines.splice(0, lines.length, `failed: ${(err as Error).message}`);
    }
    appended.push(lines);
  }
  return appended;
}

describe('appendScrape with the line-order hint', () => {
  it('finds each series whether lines keep, change or swap their places', async () => {
    const [first, swapped, changed, same] = await scrapeAll([
      'a 1\nb 2\nc{x="1"} 3\n',
      'c{x="1"} 30\na 10\nb 20\n',
      'ab 100\na{x="1"} 5\nc{x="1"} 300\n',
      'ab 101\na{x="1"} 6\nc{x="1"} 301\n',
    ]);
    expect(first).toEqual(['{__name__="a", instance="i", job="j"} 1', '{__name__="b", instance="i", job="j"} 2', '{__name__="c", instance="i", job="j", x="1"} 3']);
    expect(swapped).toEqual(['{__name__="c", instance="i", job="j", x="1"} 30', '{__name__="a", instance="i", job="j"} 10', '{__name__="b", instance="i", job="j"} 20']);
    // `ab` sits where `a` was and starts like it: a new series, not a sample of `a`; a and b go stale.
    expect(changed).toEqual([
      '{__name__="ab", instance="i", job="j"} 100',
      '{__name__="a", instance="i", job="j", x="1"} 5',
      '{__name__="c", instance="i", job="j", x="1"} 300',
      '{__name__="a", instance="i", job="j"} stale',
      '{__name__="b", instance="i", job="j"} stale',
    ]);
    expect(same).toEqual(['{__name__="ab", instance="i", job="j"} 101', '{__name__="a", instance="i", job="j", x="1"} 6', '{__name__="c", instance="i", job="j", x="1"} 301']);
  });

  it('keeps dropped texts dropped and counts a repeated series once per scrape', async () => {
    const drop = compileRelabelConfig({ sourceLabels: ['__name__'], separator: ';', regex: 'debug_.*', modulus: 0, targetLabel: '', replacement: '$1', action: 'drop' });
    const scrapes = await scrapeAll(['debug_x 1\nkeep 2\n', 'debug_x 3\nkeep 4\nkeep 5\n', 'keep 6\ndebug_x 7\n'], context({ metricRelabelRules: [drop] }));
    expect(scrapes).toEqual([['{__name__="keep", instance="i", job="j"} 2'], ['{__name__="keep", instance="i", job="j"} 4'], ['{__name__="keep", instance="i", job="j"} 6']]);
  });

  it.each([false, true])('guesses only from the lines a failed scrape got through, with the body buffer reused (lent to the cache: %s)', async (lend) => {
    const scrapes = await scrapeAll(['a{x="1"} 1\nb{x="1"} 1\nc{x="1"} 1\n', 'c{x="1"} 2\nb{x="1"} 2\n}bad\n', 'c{x="1"} 3\na{x="1"} 3\nb{x="1"} 3\n', 'c{x="1"} 4\na{x="1"} 4\nb{x="1"} 4\n'], context(), lend);
    expect(scrapes[1]).toEqual([expect.stringMatching(/^failed: /)]);
    expect(scrapes[2]!.slice(0, 3)).toEqual(['{__name__="c", instance="i", job="j", x="1"} 3', '{__name__="a", instance="i", job="j", x="1"} 3', '{__name__="b", instance="i", job="j", x="1"} 3']);
    expect(scrapes[3]).toEqual(['{__name__="c", instance="i", job="j", x="1"} 4', '{__name__="a", instance="i", job="j", x="1"} 4', '{__name__="b", instance="i", job="j", x="1"} 4']);
  });

  it('shares one series between texts of the same labels, in one body and across bodies', async () => {
    const scrapes = await scrapeAll(['m{x="1",y="2"} 1\n', 'm{x="1",y="2"} 2\nm{y="2",x="1"} 3\n', 'm{y="2",x="1"} 4\n']);
    // The second text of the series in one scrape is a repeat (skipped); the series never goes stale.
    expect(scrapes).toEqual([['{__name__="m", instance="i", job="j", x="1", y="2"} 1'], ['{__name__="m", instance="i", job="j", x="1", y="2"} 2'], ['{__name__="m", instance="i", job="j", x="1", y="2"} 4']]);
  });

  it('finds series of bodies with non-ASCII bytes, in place or moved', async () => {
    const [, second, swapped] = await scrapeAll(['m{city="Zürich"} 1\nm{city="Genève"} 2\n', 'm{city="Zürich"} 3\nm{city="Genève"} 4\n', 'm{city="Genève"} 6\nm{city="Zürich"} 5\n']);
    expect(second).toEqual(['{__name__="m", city="Zürich", instance="i", job="j"} 3', '{__name__="m", city="Genève", instance="i", job="j"} 4']);
    expect(swapped).toEqual(['{__name__="m", city="Genève", instance="i", job="j"} 6', '{__name__="m", city="Zürich", instance="i", job="j"} 5']);
  });

  it('marks exactly the missing series stale while the two seen arrays take turns (more, fewer, more series)', async () => {
    const scrapes = await scrapeAll(['a 1\nb 1\nc 1\nd 1\n', 'a 2\n', 'a 3\nb 3\nc 3\n', 'c 4\n', 'c 5\nd 5\n']);
    const stale = scrapes.map((lines) => lines.filter((l) => l.endsWith('stale')).map((l) => /__name__="(\w+)"/.exec(l)![1]));
    expect(stale).toEqual([[], ['b', 'c', 'd'], [], ['a', 'b'], []]);
  });

  it('allocates no seen-series array per scrape: two arrays take turns', () => {
    const cache = new ScrapeCache();
    const storage = new MemoryStorage();
    const arrays = [0, 1, 2, 3].map((n) => {
      const app = storage.appender();
      appendScrape(context(), cache, app, Buffer.from(`a ${n}\nb ${n}\n`), 'text', 1_000 + n * 10_000, emptyStats());
      return cache.prevSeen;
    });
    expect(arrays[2]).toBe(arrays[0]);
    expect(arrays[3]).toBe(arrays[1]);
    expect(arrays[0]).not.toBe(arrays[1]);
    expect(arrays[3]!.map((e) => e.labels.metricName)).toEqual(['a', 'b']);
  });
});

describe('body buffers shared by every scrape loop', () => {
  const parse = (cache: ScrapeCache, lent: BodyBuffer, body: string) => {
    const bytes = lent.reserve(Buffer.byteLength(body), 0);
    const stats = emptyStats();
    appendScrape(context(), cache, new MemoryStorage().appender(), bytes.subarray(0, bytes.write(body)), 'text', 1_000, stats, lent);
    return stats;
  };

  it('keeps a lent buffer that fits the body and hands back its previous one', () => {
    const cache = new ScrapeCache();
    const lent = new BodyBuffer();
    lent.reserve(64, 0);
    const read = lent.bytes;
    parse(cache, lent, 'a 1\n');
    expect(lent.bytes).not.toBe(read);
  });

  it('copies from a buffer a large target grew instead of keeping it for a small one', () => {
    const cache = new ScrapeCache();
    const lent = new BodyBuffer();
    lent.reserve(1 << 20, 0);
    const grown = lent.bytes;
    parse(cache, lent, 'a 1\nb 1\n');
    expect(lent.bytes).toBe(grown);
    // The copy still guides the next parse: both series are known.
    expect(parse(cache, lent, 'a 2\nb 2\n').seriesAdded).toBe(0);
  });
});
