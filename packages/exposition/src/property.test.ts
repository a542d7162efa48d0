import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '@pyrometer/model';
import { conformanceDir } from '@pyrometer/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpositionError } from './exposition-error.js';
import { parseFamilies } from './families.js';
import type { Metric, MetricFamily, MetricType } from './metric-family.js';
import { writeOpenMetrics } from './openmetrics-writer.js';
import { ExpositionParser } from './parser.js';
import { decodeDelimited, encodeDelimited } from './protobuf.js';
import { writeText } from './text-writer.js';

const labelName = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/).filter((n) => n !== 'le' && n !== 'quantile');
const labelValue = fc.string({ unit: fc.constantFrom('a', 'ü', '✓', '"', '\\', '\n', ' ', ',', '}', '{', '=', '#', '0'), minLength: 1, maxLength: 8 });
const labelSet = fc.uniqueArray(fc.tuple(labelName, labelValue), { selector: ([n]) => n, maxLength: 4 }).map((pairs) => Labels.from(pairs));
// expfmt writes -0 as 0, so -0 cannot round-trip (in Go either).
const float = fc.oneof(fc.double(), fc.constantFrom(0, 1, -1, 1e6, 1.5e-7, 0.0213, 1.2345e9)).map((f) => (Object.is(f, -0) ? 0 : f));
const count = fc.nat({ max: 2 ** 40 });
const timestamp = fc.option(fc.integer({ min: -1e12, max: 4e12 }), { nil: undefined });

function metricFor(type: MetricType, withTs: boolean): fc.Arbitrary<Omit<Metric, 'labels'>> {
  const ts = withTs ? timestamp : fc.constant(undefined);
  const withTimestamp = <T extends object>(m: T, t: number | undefined): T => (t === undefined ? m : { ...m, timestampMs: t });
  if (type === 'summary') {
    const quantiles = fc.array(fc.record({ quantile: float, value: float }), { maxLength: 4 });
    return fc.tuple(count, float, quantiles, ts).map(([sampleCount, sampleSum, q, t]) => withTimestamp({ summary: { sampleCount, sampleSum, quantiles: q } }, t));
  }
  if (type === 'histogram') {
    const bounds = fc.uniqueArray(fc.double({ noNaN: true }).map((f) => (Object.is(f, -0) ? 0 : f)), { maxLength: 4 }).map((b) => [...b.sort((x, y) => x - y).filter((x) => x !== Infinity), Infinity]);
    return fc.tuple(bounds, count, float, ts).map(([b, sampleCount, sampleSum, t]) => withTimestamp({ histogram: { sampleCount, sampleSum, buckets: b.map((upperBound, i) => ({ upperBound, cumulativeCount: i })) } }, t));
  }
  return fc.tuple(float, ts).map(([value, t]) => withTimestamp({ value }, t));
}

function familiesArb(types: readonly MetricType[], withTs: boolean, counterSuffix: string): fc.Arbitrary<MetricFamily[]> {
  const family = (i: number) =>
    fc.constantFrom(...types).chain((type) =>
      fc
        .record({
          // Blanks right after the name separate it from the text, so HELP cannot start with one (as in expfmt).
          help: fc.option(fc.string({ unit: fc.constantFrom('a', ' ', '\\', '\n', '"', 'é'), maxLength: 10 }).filter((h) => !h.startsWith(' ')), { nil: undefined }),
          metrics: fc.uniqueArray(labelSet, { selector: (l) => l.key(), maxLength: 3 }).chain((sets) => fc.tuple(...sets.map((labels) => metricFor(type, withTs).map((m) => ({ ...m, labels }))))),
        })
        .map(({ help, metrics }): MetricFamily => ({ name: `m${i}_x${type === 'counter' ? counterSuffix : ''}`, help, type, metrics })),
    );
  return fc.integer({ min: 0, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => family(i)))).map((fams) => fams.filter((f) => f.metrics.length > 0));
}

function plain(families: MetricFamily[]): unknown {
  return families.map((f) => ({ ...f, metrics: f.metrics.map((m) => ({ ...m, labels: m.labels.toString() })) }));
}

describe('round trips (fast-check)', () => {
  it('text: parseFamilies(writeText(f)) gives back f', () => {
    fc.assert(
      fc.property(familiesArb(['counter', 'gauge', 'untyped', 'summary', 'histogram'], true, ''), (families) => {
        const text = writeText(families);
        expect(plain(parseFamilies(text, 'text/plain'))).toEqual(plain(families));
      }),
      { numRuns: 300 },
    );
  });

  it('OpenMetrics: parseFamilies(writeOpenMetrics(f)) gives back f', () => {
    fc.assert(
      fc.property(familiesArb(['counter', 'gauge', 'summary', 'histogram'], false, '_total'), (families) => {
        const text = writeOpenMetrics(families);
        expect(plain(parseFamilies(text, 'application/openmetrics-text'))).toEqual(plain(families));
      }),
      { numRuns: 300 },
    );
  });

  it('protobuf: decodeDelimited(encodeDelimited(f)) gives back f', () => {
    fc.assert(
      fc.property(familiesArb(['counter', 'gauge', 'untyped', 'summary', 'histogram'], true, ''), (families) => {
        expect(plain(decodeDelimited(encodeDelimited(families)))).toEqual(plain(families));
      }),
      { numRuns: 300 },
    );
  });
});

/** Runs every entry point over `body`; anything but success or an ExpositionError fails. */
function parsesOrRejects(body: Uint8Array): void {
  const attempts: (() => unknown)[] = [
    () => {
      for (const format of ['text', 'openmetrics'] as const) {
        try {
          const p = new ExpositionParser(body, format);
          for (let e = p.next(); e !== null; e = p.next()) {
            if (e === 'series') p.labels();
            if (e === 'series') p.exemplar();
            if (e === 'help') p.help();
          }
        } catch (err) {
          if (!(err instanceof ExpositionError)) throw err;
        }
      }
    },
    () => parseFamilies(body, 'text/plain'),
    () => parseFamilies(body, 'application/openmetrics-text'),
    () => decodeDelimited(body),
  ];
  for (const attempt of attempts) {
    try {
      attempt();
    } catch (err) {
      if (!(err instanceof ExpositionError)) throw err;
    }
  }
}

describe('malformed input is parsed or rejected with a typed error (fast-check)', () => {
  const dir = conformanceDir('exposition');
  const seeds = [readFileSync(join(dir, 'alltypes.5mfs.om.txt')), readFileSync(join(dir, '1histogram.om.txt')), Buffer.from(writeText([{ name: 'f', help: 'x', type: 'summary', metrics: [{ labels: Labels.from({ a: 'b"\\' }), summary: { sampleCount: 1, sampleSum: 2, quantiles: [{ quantile: 0.5, value: 1 }] } }] }]))];
  const seedProto = Buffer.from(encodeDelimited(parseFamilies(seeds[2]!, 'text/plain')));

  it('survives byte mutations of valid bodies', () => {
    const mutation = fc.record({ seed: fc.nat({ max: seeds.length }), edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('replace', 'insert', 'delete')), { minLength: 1, maxLength: 6 }) });
    fc.assert(
      fc.property(mutation, ({ seed, edits }) => {
        const bytes = Array.from(seed === seeds.length ? seedProto : seeds[seed]!);
        for (const [at, byte, op] of edits) {
          const i = at % (bytes.length + 1);
          if (op === 'insert') bytes.splice(i, 0, byte);
          else if (op === 'delete') bytes.splice(i, 1);
          else bytes[Math.min(i, bytes.length - 1)] = byte;
        }
        parsesOrRejects(Uint8Array.from(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it('survives random bytes and random exposition-like text', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '_', '{', '}', '"', '=', ',', ' ', '\t', '\n', '#', '1', '.', 'e', '+', '-', '\\', 'Inf', 'NaN', '# EOF', '# TYPE ', '# HELP ', 'le', 'quantile', '_count', 'summary', 'histogram') });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), text.map((s) => Buffer.from(s))), (bytes) => parsesOrRejects(bytes)),
      { numRuns: 1000 },
    );
  });
});

/** Everything a caller can read from a parse, entry by entry, and how it ends (null or the error's message). */
function transcript(body: Uint8Array, format: 'text' | 'openmetrics', guesses?: SeriesSpans): string[] {
  const out: string[] = [];
  const p = new ExpositionParser(body, format);
  let series = 0;
  try {
    let entry;
    const next = () => (guesses !== undefined && series < guesses.spans.length ? p.next(guesses.body, ...guesses.spans[series]!) : p.next());
    while ((entry = next()) !== null) {
      if (entry !== 'series') {
        out.push(`${entry}`);
        continue;
      }
      // A matched guess is the very series text the previous body had at this line.
      if (p.matchedGuess()) expect(p.seriesText()).toBe(Buffer.from(guesses!.body.subarray(...guesses!.spans[series]!)).toString());
      series++;
      let labels: string;
      try {
        labels = p.labels().toString();
      } catch (err) {
        labels = `labels error: ${(err as Error).message}`;
      }
      out.push([p.seriesText(), p.metricName(), labels, p.labelPairs().join('|'), p.familyName(), p.suffix(), String(p.value()), String(p.timestampMs())].join(' ; '));
    }
    out.push('end');
  } catch (err) {
    out.push(`error: ${(err as Error).message}`);
  }
  return out;
}

/** A body and the byte spans of its series lines' series texts: the guesses for the next body. */
interface SeriesSpans {
  body: Uint8Array;
  spans: [number, number][];
}

function seriesSpans(body: Uint8Array, format: 'text' | 'openmetrics'): SeriesSpans {
  const spans: [number, number][] = [];
  const p = new ExpositionParser(body, format);
  try {
    let entry;
    while ((entry = p.next()) !== null) if (entry === 'series') spans.push([p.seriesStart(), p.seriesEnd()]);
  } catch {
    // The series read before the error are the guesses.
  }
  return { body, spans };
}

describe('guessing the series of each line from the previous scrape (fast-check)', () => {
  const lines = fc.constantFrom('m 1', 'm{a="1"} 2', 'm {a="1"} 3', 'm\t4', 'm_total 5', 'm{a="1",} 6 1000', 'mm 7', '{"m"} 8', 'm{a="1"}9', '# TYPE m counter', '# HELP m x', 'm{a="2"} 1 # {x="y"} 1', 'm{a="1"} 1 2', 'm');
  const body = fc.array(lines, { maxLength: 8 }).map((ls) => ls.join('\n') + '\n');

  it('changes nothing a caller can read, for right, wrong and shifted guesses, in both formats', () => {
    fc.assert(
      fc.property(body, body, fc.constantFrom('text' as const, 'openmetrics' as const), fc.boolean(), (previous, current, format, eof) => {
        const withEof = (s: string) => Buffer.from(format === 'openmetrics' && eof ? `${s}# EOF\n` : s);
        const guesses = seriesSpans(withEof(previous), format);
        expect(transcript(withEof(current), format, guesses)).toEqual(transcript(withEof(current), format));
      }),
      { numRuns: 2000 },
    );
  });
});
