import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { ValueType, type Queryable } from '@pyrometer/storage';
import type { LogFields, Logger } from '@pyrometer/telemetry';
import { encodeSeries, SegmentWriter } from '../src/format/index.js';

/** A logger that remembers every line, for asserting on what the TSDB reported. */
export function recordingLogger(): Logger & { lines: { level: string; msg: string; fields: LogFields }[] } {
  const lines: { level: string; msg: string; fields: LogFields }[] = [];
  const make = (base: LogFields): Logger => ({
    debug: (msg, fields = {}) => lines.push({ level: 'debug', msg, fields: { ...base, ...fields } }),
    info: (msg, fields = {}) => lines.push({ level: 'info', msg, fields: { ...base, ...fields } }),
    warn: (msg, fields = {}) => lines.push({ level: 'warn', msg, fields: { ...base, ...fields } }),
    error: (msg, fields = {}) => lines.push({ level: 'error', msg, fields: { ...base, ...fields } }),
    with: (fields) => make({ ...base, ...fields }),
  });
  return Object.assign(make({}), { lines });
}

/** Every sample of every series in [mint, maxt], keyed by the series' label string. */
export async function dumpAll(q: Queryable, mint = -8.64e15, maxt = 8.64e15): Promise<Map<string, [number, number][]>> {
  const querier = await q.querier(mint, maxt);
  const set = await querier.select([new Matcher(MatchType.Regexp, '__name__', '.*')], { sortSeries: true });
  const out = new Map<string, [number, number][]>();
  for (const s of set.series) {
    const it = s.iterator();
    const samples: [number, number][] = [];
    while (it.next() !== ValueType.None) samples.push([it.atT(), it.atF()]);
    out.set(s.labels.toString(), samples);
  }
  await querier.close();
  return out;
}

export const series = (name: string, extra: Record<string, string> = {}): Labels => Labels.from({ __name__: name, ...extra });

/**
 * Replaces the WAL of a closed database by one that holds only its series records: what the
 * database then serves can only come from chunks_head/.
 */
export function keepOnlySeriesInWal(dir: string, list: readonly { ref: number; labels: Labels }[]): void {
  const wal = join(dir, 'wal');
  rmSync(wal, { recursive: true });
  const writer = SegmentWriter.open(wal);
  writer.log([encodeSeries(list)]);
  writer.close();
}
