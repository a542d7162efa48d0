import { EntryType, ExpositionError, ExpositionParser } from '@pyrometer/exposition';
import { relabel, type Labels, type RelabelRule } from '@pyrometer/model';
import { StorageError, type Appender } from '@pyrometer/storage';
import { ScrapeError } from '../errors.js';
import { checkLabelLimits, mergeTargetLabels, type LabelLimits } from './sample-labels.js';
import type { BodyBuffer } from './http-target-client.js';
import type { ScrapeCache, SeriesEntry } from './scrape-cache.js';

/** Samples further than this in the future are rejected as out of bounds. */
const MAX_FUTURE_MS = 10 * 60 * 1000;

/** What an append needs to know about its target and config. */
export interface AppendContext {
  targetLabels: Labels;
  honorLabels: boolean;
  honorTimestamps: boolean;
  trackTimestampsStaleness: boolean;
  metricRelabelRules: readonly RelabelRule[];
  sampleLimit: number;
  limits: LabelLimits;
  legacyNames: boolean;
}

/** Per-scrape counts; rejected samples are dropped and counted, never fail the scrape. */
export interface AppendStats {
  /** Samples parsed. */
  total: number;
  /** Samples left after metric relabeling (the sample limit counts these). */
  added: number;
  /** Series new to the cache in this scrape. */
  seriesAdded: number;
  outOfOrder: number;
  duplicate: number;
  outOfBounds: number;
}

/** A fresh set of zero counts. */
export function emptyStats(): AppendStats {
  return { total: 0, added: 0, seriesAdded: 0, outOfOrder: 0, duplicate: 0, outOfBounds: 0 };
}

/**
 * Parses `body` and appends its samples at `scrapeTime` (ms) to `app`, then stale markers for the
 * series of the previous scrape that are missing now. `body === undefined` is an empty scrape
 * (failed scrape or end of run): only stale markers. Throws {@link ScrapeError} for conditions that
 * fail the whole scrape (parse error, sample or label limit, invalid series); `stats` keeps the
 * counts reached so far, and the caller rolls back and appends an empty scrape instead. `lent` is
 * the buffer `body` was read into, if any: the cache may keep its bytes and give it others.
 */
export function appendScrape(ctx: AppendContext, cache: ScrapeCache, app: Appender, body: Uint8Array | undefined, format: 'text' | 'openmetrics', scrapeTime: number, stats: AppendStats, lent?: BodyBuffer): void {
  const iter = cache.nextIteration(format);
  // Filled from the start, over what it held two scrapes ago (see ScrapeCache.takeSeen).
  const seen = cache.takeSeen();
  let seenCount = 0;
  /** Series lines parsed so far: the position the cache's line-order hint is keyed by. */
  let lines = 0;
  if (body !== undefined && body.length > 0) {
    const p = new ExpositionParser(body, format);
    const maxT = scrapeTime + MAX_FUTURE_MS;
    const { sampleLimit, honorTimestamps } = ctx;
    const explicitStaleness = ctx.trackTimestampsStaleness;
    // Series first appended in this batch: if the batch fails, their refs came from a rolled-back
    // append and must not be reused.
    const fresh: SeriesEntry[] = [];
    let entryType: EntryType | null;
    try {
      while ((entryType = cache.nextEntry(p, lines)) !== null) {
        if (entryType !== EntryType.Series) {
          if (entryType === EntryType.Type) cache.setMetadata(p.metadataName(), 'type', p.type());
          else if (entryType === EntryType.Help) cache.setMetadata(p.metadataName(), 'help', p.help());
          else if (entryType === EntryType.Unit) cache.setMetadata(p.metadataName(), 'unit', p.unit());
          continue;
        }
        stats.total++;
        const line = lines++;
        let entry = cache.get(line, p);
        if (entry === null) continue;
        if (entry === undefined) {
          const text = p.seriesText();
          entry = newEntry(ctx, cache, line, text, p.labels(), ctx.honorLabels ? emptyLabelNames(text) : undefined);
          if (entry === null) continue;
          stats.seriesAdded++;
        }
        if (++stats.added > sampleLimit && sampleLimit > 0) continue;
        const ts = p.timestampMs();
        let t = scrapeTime;
        if (ts !== undefined) {
          if (honorTimestamps) t = ts;
        } else if (entry.lastIter === iter) {
          stats.duplicate++;
          continue;
        }
        if (t > maxT) {
          stats.outOfBounds++;
          continue;
        }
        try {
          if (entry.ref === 0) fresh.push(entry);
          entry.ref = app.append(entry.ref, entry.labels, t, p.value());
        } catch (err) {
          countRejection(err, stats);
          continue;
        }
        if (entry.lastIter !== iter) {
          seen[seenCount++] = entry;
          entry.lastIter = iter;
        }
        const explicitTs = ts !== undefined && honorTimestamps && !explicitStaleness;
        if (entry.explicitTs !== explicitTs) entry.explicitTs = explicitTs;
      }
      if (sampleLimit > 0 && stats.added > sampleLimit) {
        throw new ScrapeError('sample_limit', `sample limit exceeded (${stats.added} samples after relabeling, limit ${sampleLimit})`);
      }
    } catch (err) {
      for (const e of fresh) e.ref = 0;
      if (err instanceof ExpositionError) throw new ScrapeError('parse', err.message, { cause: err });
      throw err;
    } finally {
      cache.endBody(body, lent);
    }
  }
  for (const e of cache.prevSeen) {
    if (e.lastIter === iter || e.explicitTs) continue;
    appendStale(app, e, scrapeTime);
  }
  seen.length = seenCount;
  cache.rotateSeen(seen);
  if (body !== undefined && body.length > 0) cache.sweep();
}

/** Counts a per-sample storage rejection; anything else is rethrown. */
function countRejection(err: unknown, stats: AppendStats): void {
  if (!(err instanceof StorageError)) throw err;
  if (err.code === 'out_of_order_sample') stats.outOfOrder++;
  else if (err.code === 'duplicate_sample_for_timestamp') stats.duplicate++;
  else if (err.code === 'out_of_bounds' || err.code === 'too_old_sample') stats.outOfBounds++;
  else throw err;
}

/** Writes a staleness marker; a rejection (the series moved on) is ignored, as upstream does. */
export function appendStale(app: Appender, e: SeriesEntry, t: number): void {
  try {
    e.ref = app.append(e.ref, e.labels, t, Number.NaN, true);
  } catch (err) {
    if (!(err instanceof StorageError)) throw err;
  }
}

/**
 * Names exposed with an empty value (`instance=""`), which the parser's labels leave out but which
 * count as present for honor_labels. Inside a quoted value a `"` is always escaped, so `=""` can
 * only be a label with an empty value.
 */
function emptyLabelNames(text: string): Set<string> | undefined {
  if (!text.includes('=""')) return undefined;
  const names = new Set<string>();
  for (const m of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*")\s*=\s*""/g)) {
    const name = m[1]!;
    names.add(name.startsWith('"') ? (JSON.parse(name) as string) : name);
  }
  return names;
}

/** Builds, checks and caches the series of a text seen for the first time at series line `line`. */
function newEntry(ctx: AppendContext, cache: ScrapeCache, line: number, text: string, exposed: Labels, emptyNames: Set<string> | undefined): SeriesEntry | null {
  let lset: Labels | undefined = mergeTargetLabels(exposed, ctx.targetLabels, ctx.honorLabels, emptyNames);
  if (ctx.metricRelabelRules.length > 0) lset = relabel(lset, ctx.metricRelabelRules);
  if (lset === undefined || lset.size === 0) {
    cache.addDropped(line, text);
    return null;
  }
  if (lset.metricName === '') throw new ScrapeError('invalid_series', 'missing metric name (__name__ label)');
  const invalid = lset.validate({ legacy: ctx.legacyNames });
  if (invalid !== undefined) throw new ScrapeError('invalid_series', `invalid metric name or label names: ${lset.toString()}: ${invalid}`);
  const limit = checkLabelLimits(lset, ctx.limits);
  if (limit !== undefined) throw new ScrapeError('label_limit', limit);
  return cache.add(line, text, cache.intern(lset));
}
