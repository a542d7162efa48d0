import { labelsJson, samplePairJson } from '@pyrometer/http-api';
import { FloatHistogram, Labels } from '@pyrometer/model';
import type { Value } from '@pyrometer/promql';
import { describe, expect, it } from 'vitest';
import { queryDataPieces } from './encode-value.js';

const decoder = new TextDecoder();
const pieceText = (piece: string | Uint8Array): string => (typeof piece === 'string' ? piece : decoder.decode(piece));

/** The encoded value as one text: its pieces (text or UTF-8 bytes, each read before the next is asked for) joined. */
function encoded(value: Value): string {
  return Array.from(queryDataPieces(value), pieceText).join('');
}

const h = new FloatHistogram({ count: 4, sum: 5, zeroThreshold: 0.001, zeroCount: 1, positiveSpans: [{ offset: 0, length: 3 }], positiveBuckets: [1, 0, 2] });
const HISTOGRAM_JSON = '{"count":"4","sum":"5","buckets":[[3,"-0.001","0.001","1"],[0,"0.5","1","1"],[0,"2","4","2"]]}';
const metric = Labels.from({ __name__: 'h' });

describe('queryDataPieces with native histograms', () => {
  it('writes a histogram sample as "histogram" with populated buckets only and their boundary rules', () => {
    const vector = encoded({ type: 'vector', samples: [{ metric, t: 1500, f: 0, h }, { metric: Labels.from({ __name__: 'f' }), t: 1500, f: 2 }] });
    expect(vector).toBe(`{"resultType":"vector","result":[{"metric":{"__name__":"h"},"histogram":[1.500,${HISTOGRAM_JSON}]},{"metric":{"__name__":"f"},"value":[1.500,"2"]}]}`);
  });

  it('writes a series\' histogram points as "histograms" after its float "values", and leaves out what is empty', () => {
    const series = { metric, floats: [{ t: 1000, f: 1 }], histograms: [{ t: 2000, h }, { t: 3000, h: new FloatHistogram() }] };
    const matrix = encoded({ type: 'matrix', series: [series, { metric, floats: [], histograms: [{ t: 1000, h }] }] });
    expect(matrix).toBe(
      `{"resultType":"matrix","result":[{"metric":{"__name__":"h"},"values":[[1,"1"]],"histograms":[[2,${HISTOGRAM_JSON}],[3,{"count":"0","sum":"0"}]]},` +
        `{"metric":{"__name__":"h"},"histograms":[[1,${HISTOGRAM_JSON}]]}]}`,
    );
  });
});

describe('queryDataPieces with float matrices', () => {
  // Values the byte writer formats itself (integers) beside those it leaves to formatApiValue.
  const VALUES = [0, -0, 1, -1, 7, 10, 99, 100, 123456789, -987654321, 999999999999999, 1e15, -1e15, 1e21, 2 ** 53, 0.5, -2.25, 1e-7, 1 / 3, 1.7976931348623157e308, NaN, Infinity, -Infinity];

  it('writes every value and timestamp as the reference encoders do, labels with non-ASCII text included', () => {
    const labels = [Labels.from({ __name__: 'm', city: 'Zürich <&>' }), Labels.from({ __name__: 'm', city: '東京' })];
    const floats = VALUES.map((f, i) => ({ t: 1_700_000_000_000 + i * 1500 - 1, f }));
    const want = labels.map((l) => `{"metric":${labelsJson(l)},"values":[${floats.map((p) => samplePairJson(p.t, p.f)).join(',')}]}`).join(',');
    expect(encoded({ type: 'matrix', series: labels.map((l) => ({ metric: l, floats })) })).toBe(`{"resultType":"matrix","result":[${want}]}`);
  });

  it('hands a large matrix on in several byte pieces that join to the same text, series on different grids included', () => {
    const series = Array.from({ length: 40 }, (_, k) => ({ metric: Labels.from({ __name__: 'm', k: String(k) }), floats: Array.from({ length: 500 }, (_, i) => ({ t: (i + (k % 3)) * 15_000, f: i * k })) }));
    const pieces = [...queryDataPieces({ type: 'matrix', series })];
    expect(pieces.filter((p) => p instanceof Uint8Array).length).toBeGreaterThan(1);
    const want = series.map((s) => `{"metric":${labelsJson(s.metric)},"values":[${s.floats.map((p) => samplePairJson(p.t, p.f)).join(',')}]}`).join(',');
    expect(encoded({ type: 'matrix', series })).toBe(`{"resultType":"matrix","result":[${want}]}`);
  });

  it('encodes two matrices at once (an answer streamed while another is encoded) each whole, though byte pieces are reused buffers', () => {
    const matrix = (name: string): Value => ({ type: 'matrix', series: Array.from({ length: 30 }, (_, k) => ({ metric: Labels.from({ __name__: name, k: String(k) }), floats: Array.from({ length: 400 }, (_, i) => ({ t: i * 15_000, f: i * k })) })) });
    const [a, b] = [matrix('a'), matrix('b')];
    const [first, second] = [queryDataPieces(a), queryDataPieces(b)];
    const texts = ['', ''];
    for (let done = [false, false]; !done[0] || !done[1]; ) {
      for (const [i, pieces] of [first, second].entries()) {
        const next = pieces.next();
        if (next.done === true) done[i] = true;
        else texts[i] += pieceText(next.value);
      }
    }
    expect(texts).toEqual([encoded(a), encoded(b)]);
    expect(texts[0]).toContain('"__name__":"a"');
    expect(texts[1]).not.toContain('"__name__":"a"');
  });

  it.each([
    { name: 'the same values', change: (fs: number[]) => fs },
    { name: '-0 for 0', change: (fs: number[]) => fs.map((f, i) => (i === 3 ? -0 : f)) },
    { name: 'NaN for a number', change: (fs: number[]) => fs.map((f, i) => (i === 5 ? NaN : f)) },
    { name: 'a number for NaN', change: (fs: number[]) => fs.map((f) => (Number.isNaN(f) ? 0 : f)) },
    { name: 'one point fewer', change: (fs: number[]) => fs.slice(1) },
  ])('writes series after one with $name as the reference encoders do, whether or not their text repeats', ({ change }) => {
    const first = [0, 0, 0, 0, 1, 1, NaN, 2.5, 2.5, 0];
    const changed = change(first);
    const floats = (fs: number[], shift = 0) => fs.map((f, i) => ({ t: 1_700_000_000_000 + (i + shift) * 15_000, f }));
    // The same values again, on a grid one step later: the times differ, not the values.
    const series = [floats(first), floats(changed), floats(changed), floats(changed, 1), floats(first)].map((points, k) => ({ metric: Labels.from({ __name__: 'm', k: String(k) }), floats: points }));
    const want = series.map((s) => `{"metric":${labelsJson(s.metric)},"values":[${s.floats.map((p) => samplePairJson(p.t, p.f)).join(',')}]}`).join(',');
    expect(encoded({ type: 'matrix', series })).toBe(`{"resultType":"matrix","result":[${want}]}`);
  });

  it('writes many series of one constant value in several pieces as the reference encoders do', () => {
    const floats = Array.from({ length: 400 }, (_, i) => ({ t: 1_700_000_000_000 + i * 15_000, f: 0 }));
    const series = Array.from({ length: 60 }, (_, k) => ({ metric: Labels.from({ __name__: 'm', k: String(k) }), floats }));
    expect([...queryDataPieces({ type: 'matrix', series })].filter((p) => p instanceof Uint8Array).length).toBeGreaterThan(2);
    const want = series.map((s) => `{"metric":${labelsJson(s.metric)},"values":[${s.floats.map((p) => samplePairJson(p.t, p.f)).join(',')}]}`).join(',');
    expect(encoded({ type: 'matrix', series })).toBe(`{"resultType":"matrix","result":[${want}]}`);
  });

  it('writes answers on grids that shift, shrink and grow past the kept step openings as the reference encoders do', () => {
    const answer = (first: number, steps: number) => [{ metric, floats: Array.from({ length: steps }, (_, i) => ({ t: first + i * 15_000, f: i })) }];
    for (const [first, steps] of [[0, 10], [15_000, 10], [15_000, 3000], [7_500, 5], [0, 12]] as const) {
      const series = answer(first, steps);
      const want = `{"metric":${labelsJson(metric)},"values":[${series[0]!.floats.map((p) => samplePairJson(p.t, p.f)).join(',')}]}`;
      expect(encoded({ type: 'matrix', series })).toBe(`{"resultType":"matrix","result":[${want}]}`);
    }
  });

  it('writes an empty matrix as an empty list', () => {
    expect(encoded({ type: 'matrix', series: [] })).toBe('{"resultType":"matrix","result":[]}');
  });
});
