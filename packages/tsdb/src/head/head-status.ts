import type { Head } from './head.js';

/** A name with a count, as the TSDB status lists them. */
export interface NameValue {
  name: string;
  value: number;
}

/** Head cardinality as `/api/v1/status/tsdb` reports it (times in ms; 0/0 for an empty head). */
export interface HeadStatus {
  headStats: { numSeries: number; numLabelPairs: number; chunkCount: number; minTime: number; maxTime: number };
  seriesCountByMetricName: NameValue[];
  labelValueCountByLabelName: NameValue[];
  memoryInBytesByLabelName: NameValue[];
  seriesCountByLabelValuePair: NameValue[];
}

/**
 * Computes the head's cardinality figures from its postings index: the top `limit` metric names by
 * series, label names by distinct values and by bytes of values over series, and label pairs by
 * series — upstream's `Head.Stats`. Walks every series once (for chunks and time bounds), so it is
 * meant for the status page, not for hot paths.
 */
export function headStatus(head: Head, limit: number): HeadStatus {
  let chunkCount = 0;
  let minTime = Infinity;
  let maxTime = -Infinity;
  for (const s of head.allSeries()) {
    chunkCount += s.chunkCount;
    if (s.minT < minTime) minTime = s.minT;
    if (s.maxT > maxTime) maxTime = s.maxT;
  }
  const postings = head.postings;
  const byMetric: NameValue[] = [];
  const valueCounts: NameValue[] = [];
  const memory: NameValue[] = [];
  const pairs: NameValue[] = [];
  for (const name of postings.names()) {
    let values = 0;
    let bytes = 0;
    for (const value of postings.values(name)) {
      const series = postings.get(name, value).length;
      values++;
      bytes += value.length * series;
      pairs.push({ name: `${name}=${value}`, value: series });
      if (name === '__name__') byMetric.push({ name: value, value: series });
    }
    valueCounts.push({ name, value: values });
    memory.push({ name, value: bytes });
  }
  const top = (list: NameValue[]) => list.sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : 1)).slice(0, limit);
  const empty = head.numSeries === 0 || !Number.isFinite(minTime);
  return {
    headStats: { numSeries: head.numSeries, numLabelPairs: postings.pairCount(), chunkCount, minTime: empty ? 0 : minTime, maxTime: empty ? 0 : maxTime },
    seriesCountByMetricName: top(byMetric),
    labelValueCountByLabelName: top(valueCounts),
    memoryInBytesByLabelName: top(memory),
    seriesCountByLabelValuePair: top(pairs),
  };
}
