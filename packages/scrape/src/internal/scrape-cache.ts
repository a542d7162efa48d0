import type { EntryType } from '@pyrometer/exposition';
import { Labels } from '@pyrometer/model';
import type { SeriesRef } from '@pyrometer/storage';
import type { BodyBuffer } from './http-target-client.js';

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

/** What a raw series text stands for: its series, or null when metric relabeling dropped it. */
type TextEntry = SeriesEntry | null;

/** A parse of a body, as the cache drives and reads it (the exposition parser). */
interface BodyParse {
  next(guess?: Uint8Array, guessStart?: number, guessEnd?: number): EntryType | null;
  matchedGuess(): boolean;
  seriesText(): string;
  seriesStart(): number;
  seriesEnd(): number;
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
    this.recorded = 0;
    if (format !== this.lineOrderFormat) {
      this.lineOrder.length = 0;
      this.previous.lines = 0;
      this.lineOrderFormat = format;
    }
    return ++this.iter;
  }

  /**
   * Advances `parse` to its next entry, guessing that series line `k` holds the series bytes line
   * k held in the previous body (see {@link get}).
   */
  nextEntry(parse: BodyParse, k: number): EntryType | null {
    const p = this.previous;
    return k < p.lines ? parse.next(this.guessBytes, p.starts[k], p.ends[k]) : parse.next();
  }
  /**
   * The entries of the previous body's texts, by text: built only when a line of the current body
   * misses its guess (a series came, went or moved), dropped after the body. Kept between scrapes,
   * the texts (~100 bytes each) and the map entries cost more than the rest of the cache; a text
   * a failed body never reached is built again from its labels and finds its series by them.
   */
  private textIndex: Map<string, TextEntry> | undefined;
  /**
   * The cache's series by a hash of their labels, to share one entry between texts meaning the same
   * series: built, like {@link textIndex}, only when a body brings a text the cache does not know,
   * and dropped after the body.
   */
  private seriesIndex: Map<number, SeriesEntry> | undefined;
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
  /**
   * The entry of each series line of the last body, overwritten line by line as the current
   * body is parsed. Targets print their series in a stable order, so line k's series is almost
   * always last body's line k: checking that on the bytes (`previous`) skips building the text and
   * hashing it. Entry k and the spans of line k are always written together.
   */
  private readonly lineOrder: TextEntry[] = [];
  private lineOrderFormat = '';
  /**
   * The bytes of the last body parsed (a copy, or the very buffer it was read into, see
   * {@link endBody}), and where its series lines' series texts are: the guesses.
   */
  private guessBytes: Buffer = Buffer.alloc(0);
  private previous = new SeriesLines();
  /** Where the series texts of the body being parsed are (its bytes are kept at {@link endBody}). */
  private current = new SeriesLines();
  /** Series lines of the current body whose entry and spans are recorded (0..recorded-1). */
  private recorded = 0;

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
   * The entry for series line `k` of this scrape (the parse's current line, read with
   * {@link nextEntry}): `null` when its text is known to be dropped, undefined when unknown (then
   * {@link add} or {@link addDropped} it with the same `k`). When the line matched its guess, the
   * entry is the one line k had in the previous body, found without building its text.
   */
  get(k: number, line: BodyParse): SeriesEntry | null | undefined {
    this.current.record(k, line.seriesStart(), line.seriesEnd());
    const t = line.matchedGuess() ? (this.lineOrder[k] as TextEntry) : this.texts().get(line.seriesText());
    if (t === undefined) return undefined;
    this.lineOrder[k] = t;
    this.recorded = k + 1;
    return t;
  }

  /** Remembers that `text`, found at series line `k`, is dropped by relabeling. */
  addDropped(k: number, text: string): void {
    this.remember(k, text, null);
  }

  private remember(k: number, text: string, t: TextEntry): void {
    this.texts().set(text, t);
    this.lineOrder[k] = t;
    this.recorded = k + 1;
  }

  /**
   * The index of texts for this body, built from the previous body's bytes at its first miss. Up
   * to that line every line matched its guess, so the entries of the previous body's lines are
   * all still in `lineOrder` (a matched line keeps its entry).
   */
  private texts(): Map<string, TextEntry> {
    if (this.textIndex !== undefined) return this.textIndex;
    const index = new Map<string, TextEntry>();
    const p = this.previous;
    for (let j = 0; j < p.lines; j++) index.set(this.guessBytes.toString('utf8', p.starts[j], p.ends[j]), this.lineOrder[j] as TextEntry);
    this.textIndex = index;
    return index;
  }

  /**
   * After a body was parsed, whether or not it failed: it becomes the guess for the next one, as
   * far as its lines were recorded. When `body` is what `lent` holds (the caller read it there)
   * and those bytes are not far larger than the body, the cache keeps them and gives `lent` its
   * previous ones in exchange, which the caller may overwrite; otherwise `body` is copied. Lent
   * buffers are shared by every target's scrapes, so a small target's cache must not keep one a
   * large target grew.
   */
  endBody(body: Uint8Array, lent?: BodyBuffer): void {
    this.textIndex = undefined;
    this.seriesIndex = undefined;
    const done = this.previous;
    this.previous = this.current;
    this.current = done;
    this.previous.lines = this.recorded;
    if (lent !== undefined && body.buffer === lent.bytes.buffer && body.byteOffset === lent.bytes.byteOffset && fits(lent.bytes, body.length)) {
      const mine = this.guessBytes;
      this.guessBytes = lent.bytes;
      lent.bytes = mine;
    } else {
      if (!fits(this.guessBytes, body.length)) this.guessBytes = Buffer.allocUnsafe(body.length + (body.length >> 3));
      this.guessBytes.set(body);
    }
    this.lineOrder.length = this.recorded;
    this.recorded = 0;
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
    const series = this.series();
    let entry = series.get(h);
    if (entry && !entry.labels.equals(labels)) {
      // A hash collision: the series gets its own entry, outside the map (it only loses sharing).
      entry = { labels, ref: 0, lastIter: -1, explicitTs: false };
    } else if (!entry) {
      entry = { labels, ref: 0, lastIter: -1, explicitTs: false };
      series.set(h, entry);
    }
    this.remember(k, text, entry);
    return entry;
  }

  /**
   * The index of series for this body, built at its first new text from every entry the cache
   * holds: the carried ones, those the last scrape appended, and those of the lines (of the last
   * body, or of this one as far as it was parsed).
   */
  private series(): Map<number, SeriesEntry> {
    if (this.seriesIndex !== undefined) return this.seriesIndex;
    const index = new Map<number, SeriesEntry>(this.carried);
    for (const e of this.prevSeen) index.set(labelsHash(e.labels), e);
    for (const e of this.lineOrder) if (e) index.set(labelsHash(e.labels), e);
    this.seriesIndex = index;
    return index;
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
   * After a successful scrape: forget metadata not seen in this iteration and the series carried
   * from a previous cache (texts and series are those of the last body's lines).
   */
  sweep(): void {
    const iter = this.iter;
    for (const [name, m] of this.meta) if (m.lastIter !== iter) this.meta.delete(name);
    this.carried = undefined;
  }
}

/** Whether `bytes` holds `size` bytes without more than twice that (plus 64 KiB) to spare. */
function fits(bytes: Buffer, size: number): boolean {
  return bytes.length >= size && bytes.length <= 3 * size + 65_536;
}

/**
 * Where a body's series lines' series texts are, by series line (the bytes are the cache's). The
 * guesses are compared against the previous body's bytes four bytes at a time, where comparing
 * against a cached string goes one character at a time (~35 vs ~115 ns for a 100-byte series).
 */
class SeriesLines {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** Series lines whose spans are valid. */
  lines = 0;

  record(k: number, start: number, end: number): void {
    if (k >= this.starts.length) {
      const starts = new Int32Array(Math.max(k + 1, this.starts.length * 2));
      const ends = new Int32Array(starts.length);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[k] = start;
    this.ends[k] = end;
  }
}

/**
 * FNV-1a over the label names and values (32 bits, as a signed integer so that V8 keeps it in
 * place as a map key instead of a 16-byte heap number for half the series), computed without
 * building a key string: a long key per series would cost more memory than the rest of the entry.
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
  return h | 0;
}
