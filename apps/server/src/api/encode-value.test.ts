import { FloatHistogram, Labels } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { queryDataPieces } from './encode-value.js';

const h = new FloatHistogram({ count: 4, sum: 5, zeroThreshold: 0.001, zeroCount: 1, positiveSpans: [{ offset: 0, length: 3 }], positiveBuckets: [1, 0, 2] });
const HISTOGRAM_JSON = '{"count":"4","sum":"5","buckets":[[3,"-0.001","0.001","1"],[0,"0.5","1","1"],[0,"2","4","2"]]}';
const metric = Labels.from({ __name__: 'h' });

describe('queryDataPieces with native histograms', () => {
  it('writes a histogram sample as "histogram" with populated buckets only and their boundary rules', () => {
    const vector = [...queryDataPieces({ type: 'vector', samples: [{ metric, t: 1500, f: 0, h }, { metric: Labels.from({ __name__: 'f' }), t: 1500, f: 2 }] })].join('');
    expect(vector).toBe(`{"resultType":"vector","result":[{"metric":{"__name__":"h"},"histogram":[1.500,${HISTOGRAM_JSON}]},{"metric":{"__name__":"f"},"value":[1.500,"2"]}]}`);
  });

  it('writes a series\' histogram points as "histograms" after its float "values", and leaves out what is empty', () => {
    const series = { metric, floats: [{ t: 1000, f: 1 }], histograms: [{ t: 2000, h }, { t: 3000, h: new FloatHistogram() }] };
    const matrix = [...queryDataPieces({ type: 'matrix', series: [series, { metric, floats: [], histograms: [{ t: 1000, h }] }] })].join('');
    expect(matrix).toBe(
      `{"resultType":"matrix","result":[{"metric":{"__name__":"h"},"values":[[1,"1"]],"histograms":[[2,${HISTOGRAM_JSON}],[3,{"count":"0","sum":"0"}]]},` +
        `{"metric":{"__name__":"h"},"histograms":[[1,${HISTOGRAM_JSON}]]}]}`,
    );
  });
});
