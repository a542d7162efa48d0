import { Labels } from '@pyrometer/model';
import type { SeriesRef } from '@pyrometer/storage';

/**
 * One series as the scrape loop knows it: its final labels (after merging and metric relabeling),
 * its storage ref, and when it was last seen. Several raw texts may share one entry when they
 * mean the same series.
 */
export interface SeriesEntry {
  labels: Labels;
  ref: SeriesRef;
  /** Scrape iteration that last appended a sample for this series; -1 = never. */
  lastIter: number;
  /** The last sample carried its own timestamp (no staleness markers unless tracked). */
  explicitTs: boolean;
}

/** A raw series text: its series, or null when metric relabeling dropped it. One shape for a monomorphic hot path. */
class TextEntry {
  constructor(
    /** The text itself (the same string as its map key). */
    readonly text: string,
    readonly entry: SeriesEntry | null,
    public lastIter: number,
  ) {}
}

/** The current series line of a parse, as the cache reads it (the exposition parser). */
interface SeriesLine {
  seriesTextIs(text: string): boolean;
  seriesText(): string;
}

const MAX_INTERNED = 10_000;

/** Family metadata from HELP/TYPE/UNIT lines. */
export interface MetricMetadata {
  type: string;
  help: string;
  unit: string;
}

interface MetaEntry extends MetricMetadata {
  lastIter: number;
}

/**
 * The per-target series cache: raw series text → series entry (so known series cost one Map
 * lookup and no label building), the set of series seen in the previous scrape (for staleness),
 * and family metadata. Owned by one scrape loop at a time; handed to the next loop on reload.
 */
export class ScrapeCache {
  iter = 0;

  /**
   * Starts a scrape iteration of a body in `format`. The line-order hint only carries over between
   * bodies of one format: a text valid in one may be invalid in the other.
   */
  nextIteration(format: string): number {
    this.textsSeen = 0;
    if (format !== this.lineOrderFormat) {
      this.lineOrder.length = 0;
      this.lineOrderFormat = format;
    }
    return ++this.iter;
  }

  /** The series text series line `k` held in the previous scrape, the parser's guess for line k now. */
  expectedText(k: number): string | undefined {
    return this.lineOrder[k]?.text;
  }
  private readonly byText = new Map<string, TextEntry>();
  /** Series by a hash of their labels, to share one entry between texts meaning the same series. */
  private readonly byLabels = new Map<number, SeriesEntry>();
  /** Series appended in the previous successful-or-empty scrape, for staleness markers. */
  prevSeen: SeriesEntry[] = [];
  /**
   * The array the next scrape fills: the one before last, overwritten from the start. Two arrays
   * take turns, so a scrape allocates none: a new array of every series per target per scrape
   * lived a scrape interval, long enough to be promoted into V8's old generation, which then grew
   * by that garbage until a full collection.
   */
  private spareSeen: SeriesEntry[] = [];
  private readonly meta = new Map<string, MetaEntry>();
  private carried: Map<number, SeriesEntry> | undefined;
  private readonly strings = new Map<string, string>();
  /** Texts looked up in the current iteration (when it equals the map size, nothing needs sweeping). */
  private textsSeen = 0;
  /**
   * The text found at each series line of the last scrape, overwritten line by line as the
   * current scrape goes. Targets print their series in a stable order, so line k's text is almost
   * always last scrape's line k: checking that on the bytes skips building the text and hashing it.
   */
  private readonly lineOrder: TextEntry[] = [];
  private lineOrderFormat = '';

  /**
   * A cache for a reloaded loop whose metric-affecting config changed: the texts are not reusable,
   * but the previously seen series are kept so they still get staleness markers.
   */
  static carryingStaleness(old: ScrapeCache): ScrapeCache {
    const c = new ScrapeCache();
    c.prevSeen = old.prevSeen.slice();
    c.carried = new Map(old.prevSeen.map((e) => [labelsHash(e.labels), e]));
    c.iter = old.iter;
    return c;
  }

  /** The array for this scrape's seen series; entries past those the scrape writes are stale. */
  takeSeen(): SeriesEntry[] {
    return this.spareSeen;
  }

  /** `seen` (from {@link takeSeen}, cut to this scrape's series) becomes the previous scrape's. */
  rotateSeen(seen: SeriesEntry[]): void {
    this.spareSeen = this.prevSeen;
    this.prevSeen = seen;
  }

  /**
   * The entry for series line `k` of this scrape: `null` when its text is known to be dropped,
   * undefined when unknown (then {@link add} or {@link addDropped} it with the same `k`).
   */
  get(k: number, line: SeriesLine): SeriesEntry | null | undefined {
    const previous = this.lineOrder[k];
    const t = previous !== undefined && line.seriesTextIs(previous.text) ? previous : this.byText.get(line.seriesText());
    if (t === undefined) return undefined;
    this.lineOrder[k] = t;
    if (t.lastIter !== this.iter) {
      t.lastIter = this.iter;
      this.textsSeen++;
    }
    return t.entry;
  }

  /** Remembers that `text`, found at series line `k`, is dropped by relabeling. */
  addDropped(k: number, text: string): void {
    this.remember(k, new TextEntry(text, null, this.iter));
  }

  private remember(k: number, t: TextEntry): void {
    this.byText.set(t.text, t);
    this.lineOrder[k] = t;
    this.textsSeen++;
  }

  /**
   * The same label set built from shared strings: label names and metric names repeat across a
   * target's series, and one copy each saves memory on every series. The table is bounded.
   */
  intern(labels: Labels): Labels {
    const flat = labels.toFlat();
    for (let i = 0; i < flat.length; i += 2) {
      flat[i] = this.internString(flat[i]!);
      if (flat[i] === '__name__') flat[i + 1] = this.internString(flat[i + 1]!);
    }
    return Labels.fromSortedFlat(flat);
  }

  private internString(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size >= MAX_INTERNED) this.strings.clear();
    this.strings.set(s, s);
    return s;
  }

  /**
   * Adds `text`, found at series line `k`, for `labels`, sharing the entry with other texts (or a
   * carried series) of the same labels.
   */
  add(k: number, text: string, labels: Labels): SeriesEntry {
    const h = labelsHash(labels);
    let entry = this.byLabels.get(h) ?? this.carried?.get(h);
    if (entry && !entry.labels.equals(labels)) {
      // A hash collision: the series gets its own entry, outside the map (it only loses sharing).
      entry = { labels, ref: 0, lastIter: -1, explicitTs: false };
    } else if (!entry) {
      entry = { labels, ref: 0, lastIter: -1, explicitTs: false };
      this.byLabels.set(h, entry);
    } else if (!this.byLabels.has(h)) this.byLabels.set(h, entry);
    this.remember(k, new TextEntry(text, entry, this.iter));
    return entry;
  }

  /** Records HELP/TYPE/UNIT for a family in this iteration. */
  setMetadata(name: string, field: 'type' | 'help' | 'unit', value: string): void {
    let m = this.meta.get(name);
    if (!m) {
      m = { type: 'unknown', help: '', unit: '', lastIter: this.iter };
      this.meta.set(name, m);
    }
    m[field] = value;
    m.lastIter = this.iter;
  }

  /** Metadata of the families seen, by family name (a snapshot). */
  metadata(): Map<string, MetricMetadata> {
    const out = new Map<string, MetricMetadata>();
    for (const [name, m] of this.meta) out.set(name, { type: m.type, help: m.help, unit: m.unit });
    return out;
  }

  /**
   * After a successful scrape: forget texts, series and metadata not seen in this iteration.
   * `seriesSeen` is how many distinct series were appended; when every cached text and series was
   * seen (the steady state), the maps are not walked at all.
   */
  sweep(seriesSeen: number, lines: number): void {
    const iter = this.iter;
    this.lineOrder.length = Math.min(this.lineOrder.length, lines);
    if (this.textsSeen !== this.byText.size) for (const [text, t] of this.byText) if (t.lastIter !== iter) this.byText.delete(text);
    if (seriesSeen !== this.byLabels.size) for (const [h, e] of this.byLabels) if (e.lastIter !== iter) this.byLabels.delete(h);
    this.textsSeen = 0;
    for (const [name, m] of this.meta) if (m.lastIter !== iter) this.meta.delete(name);
    this.carried = undefined;
  }

  /** Number of cached raw texts (including dropped ones). */
  get size(): number {
    return this.byText.size;
  }
}

/**
 * FNV-1a over the label names and values (32 bits), computed without building a key string: a
 * long key per series would cost more memory than the rest of the cache entry.
 */
function labelsHash(labels: Labels): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < labels.size; i++) {
    const name = labels.nameAt(i);
    const value = labels.valueAt(i);
    for (let j = 0; j < name.length; j++) h = Math.imul(h ^ name.charCodeAt(j), 0x01000193);
    h = Math.imul(h ^ 0xff, 0x01000193);
    for (let j = 0; j < value.length; j++) h = Math.imul(h ^ value.charCodeAt(j), 0x01000193);
    h = Math.imul(h ^ 0xfe, 0x01000193);
  }
  return h >>> 0;
}
