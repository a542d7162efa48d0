import { Matcher, MatchType } from '@pyrometer/model';
import { ValueType, type Querier, type Series } from '@pyrometer/storage';
import { BlockWriter, XorChunk, type BlockChunk, type BlockDesc, type UlidGenerator } from '../format/index.js';
import { SAMPLES_PER_CHUNK } from '../head/head-series.js';

/** Matches every series (an absent `__name__` matches `.*` as the empty string). */
export const MATCH_ALL = new Matcher(MatchType.Regexp, '__name__', '.*');

/** Series written between two turns of the event loop, so a large compaction never holds it long. */
const SERIES_PER_TURN = 500;

/**
 * Writes every sample `querier` yields within [mint, maxt) (maxt exclusive, as meta.json) as a new
 * block under `parentDir`, re-encoded into XOR chunks of up to 120 samples; deleted samples are
 * already left out by the querier. Streams: one series is read and re-encoded at a time and its
 * chunks are written at once (see BlockWriter), so a block larger than memory can be written.
 * Returns the ULID, or undefined when there was no sample.
 */
export async function persistBlock(
  parentDir: string,
  querier: Querier,
  mint: number,
  maxt: number,
  options: { compaction?: { level: number; sources?: string[]; parents?: BlockDesc[] }; ulids: UlidGenerator },
): Promise<{ ulid: string | undefined; warnings: readonly string[] }> {
  const set = await querier.select([MATCH_ALL], { sortSeries: true });
  const symbols = new Set<string>();
  for (const s of set.series) s.labels.forEach((n, v) => symbols.add(n).add(v));
  const writerOptions: ConstructorParameters<typeof BlockWriter>[1] = { mint, maxt, ulids: options.ulids };
  if (options.compaction !== undefined) writerOptions.compaction = options.compaction;
  const writer = new BlockWriter(parentDir, writerOptions, symbols);
  let written = 0;
  try {
    for (const [i, s] of set.series.entries()) {
      if (i > 0 && i % SERIES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
      const chunks = encodeChunks(s, mint, maxt);
      if (chunks.length === 0) continue;
      writer.addSeries(s.labels, chunks);
      written++;
    }
    if (written === 0) {
      writer.abort();
      return { ulid: undefined, warnings: set.warnings };
    }
    return { ulid: writer.finish(), warnings: set.warnings };
  } catch (err) {
    writer.abort();
    throw err;
  }
}

/** The samples of `s` within [mint, maxt) in XOR chunks of up to 120 samples. */
function encodeChunks(s: Series, mint: number, maxt: number): BlockChunk[] {
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
  for (let vt = it.seek(mint); vt !== ValueType.None; vt = it.next()) {
    const t = it.atT();
    if (t >= maxt) break;
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
  const err = it.err?.();
  if (err !== undefined) throw err;
  return chunks;
}
