import { Matcher, MatchType } from '@pyrometer/model';
import { ValueType, type Querier } from '@pyrometer/storage';
import { writeBlock, XorChunk, type BlockChunk, type BlockDesc, type BlockSeries, type UlidGenerator } from '../format/index.js';
import { SAMPLES_PER_CHUNK } from '../head/head-series.js';

/** Matches every series (an absent `__name__` matches `.*` as the empty string). */
export const MATCH_ALL = new Matcher(MatchType.Regexp, '__name__', '.*');

/**
 * Writes every sample `querier` yields within [mint, maxt) (maxt exclusive, as meta.json) as a new
 * block under `parentDir`, re-encoded into XOR chunks of up to 120 samples; deleted samples are
 * already left out by the querier. Returns the ULID, or undefined when there was no sample.
 */
export async function persistBlock(
  parentDir: string,
  querier: Querier,
  mint: number,
  maxt: number,
  options: { compaction?: { level: number; sources?: string[]; parents?: BlockDesc[] }; ulids: UlidGenerator },
): Promise<{ ulid: string | undefined; warnings: readonly string[] }> {
  const set = await querier.select([MATCH_ALL], { sortSeries: true });
  const series: BlockSeries[] = [];
  for (const s of set.series) {
    const chunks: BlockChunk[] = [];
    const it = s.iterator();
    let chunk: XorChunk | undefined;
    let app: ReturnType<XorChunk['appender']> | undefined;
    let first = 0;
    let last = 0;
    let n = 0;
    const flush = (): void => {
      if (chunk !== undefined && n > 0) chunks.push({ mint: first, maxt: last, bytes: chunk.bytes().slice() });
      chunk = undefined;
      n = 0;
    };
    while (it.next() !== ValueType.None) {
      const t = it.atT();
      if (t >= maxt) break;
      if (t < mint) continue;
      if (chunk === undefined || n >= SAMPLES_PER_CHUNK) {
        flush();
        chunk = XorChunk.create();
        app = chunk.appender();
        first = t;
      }
      app!.append(t, it.atF(), it.atStale());
      last = t;
      n++;
    }
    flush();
    if (chunks.length > 0) series.push({ labels: s.labels, chunks });
  }
  if (series.length === 0) return { ulid: undefined, warnings: set.warnings };
  const opts: Parameters<typeof writeBlock>[1] = { mint, maxt, series, ulids: options.ulids };
  if (options.compaction !== undefined) opts.compaction = options.compaction;
  return { ulid: await writeBlock(parentDir, opts), warnings: set.warnings };
}
