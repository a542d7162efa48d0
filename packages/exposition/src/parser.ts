import { formatOpenMetricsFloat, parseGoFloat, type Labels } from '@pyrometer/model';
import { ExpositionFormat } from './content-type.js';
import { ExpositionError } from './exposition-error.js';
import { MetricType } from './metric-family.js';
import { HASH, NEWLINE, SPACE, TAB, unescape } from './internal/bytes.js';
import { normalisedLabel, OPENMETRICS_TYPES, suffixFor, TEXT_TYPES, type SeriesSuffix } from './internal/family-suffix.js';
import { labelsFromPairs, type LabelSpans } from './internal/label-spans.js';
import { Scanner } from './internal/scanner.js';

export type { SeriesSuffix } from './internal/family-suffix.js';

/** What {@link ExpositionParser.next} found. */
export const EntryType = {
  Help: 'help',
  Type: 'type',
  Unit: 'unit',
  Comment: 'comment',
  Series: 'series',
  /** OpenMetrics `# EOF`; the parser returns null after it. */
  Eof: 'eof',
} as const;
export type EntryType = (typeof EntryType)[keyof typeof EntryType];

/** An OpenMetrics exemplar: its own labels, value and optional timestamp (ms). */
export interface Exemplar {
  labels: Labels;
  value: number;
  timestampMs: number | undefined;
}

/**
 * A pull parser over one text 0.0.4 or OpenMetrics 1.0 body, working on its bytes. Call `next()`
 * until it returns null; after each entry, the accessors describe that entry and are valid until
 * the next call. Strings are decoded only when an accessor asks, so a caller that caches series
 * by {@link seriesText} pays for one small decode per line and never builds labels for known
 * series. Any malformed input throws an {@link ExpositionError} (code `syntax`, with line and
 * column; `labels()` throws code `invalid-family` for a repeated label name); nothing is returned
 * for the line that failed. The parser reads the caller's bytes in place (no copy), so the body
 * must not change while it is parsed. Not safe for concurrent use; cheap to create per body.
 */
export class ExpositionParser {
  readonly format: 'text' | 'openmetrics';
  private readonly s: Scanner;
  private entry: EntryType | null = null;
  // Metadata of the current HELP/TYPE/UNIT line.
  private metaName = '';
  private metaS = 0;
  private metaE = 0;
  private metaType: MetricType = MetricType.Unknown;
  // The family the samples that follow belong to (from the last HELP/TYPE/UNIT).
  private famName = '';
  private famBytes: Uint8Array | undefined;
  private famType: MetricType;
  // The current series' family.
  private familyKnown = false;
  private inFamily = false;
  private suffixValue: SeriesSuffix = '';
  /** The current series line matched the guess given to {@link next}. */
  private guessed = false;

  /** `format` is `text` or `openmetrics` (see {@link formatFromContentType}; protobuf has its own decoder). */
  constructor(body: Uint8Array | string, format: 'text' | 'openmetrics' = ExpositionFormat.Text) {
    this.format = format;
    this.s = new Scanner(body, format === ExpositionFormat.OpenMetrics);
    this.famType = this.untyped();
  }

  private untyped(): MetricType {
    return this.s.om ? MetricType.Unknown : MetricType.Untyped;
  }

  /**
   * Advances to the next entry; null at the end of the body (after `# EOF` in OpenMetrics).
   * `guess[guessStart, guessEnd)` is an optional guess of the next series line's series bytes
   * (what the same line held in the target's previous body): when the line starts with exactly
   * those bytes, the label set is not parsed again — a known series then costs a comparison of
   * four bytes at a time — and {@link matchedGuess} answers true. A wrong guess costs one
   * comparison and changes nothing else.
   */
  next(guess?: Uint8Array, guessStart = 0, guessEnd = 0): EntryType | null {
    const s = this.s;
    s.checkEncoding();
    const b = s.b;
    for (;;) {
      if (s.pos >= s.len) {
        if (s.om && !s.eofSeen) throw new ExpositionError('syntax', 'data does not end with # EOF', { line: s.line + 1, column: 1 });
        return (this.entry = null);
      }
      if (s.eofSeen) throw new ExpositionError('syntax', 'unexpected data after # EOF', { line: s.line + 1, column: 1 });
      s.line++;
      s.lineStart = s.pos;
      let p = s.pos;
      if (!s.om) {
        while (p < s.len && (b[p] === SPACE || b[p] === TAB)) p++;
        if (p >= s.len) {
          s.pos = p;
          continue;
        }
        if (b[p] === NEWLINE) {
          s.pos = p + 1;
          continue;
        }
      } else if (b[p] === NEWLINE) s.fail(p, 'a sample or a "#" line (OpenMetrics has no blank lines)');
      if (b[p] === HASH) return (this.entry = s.om ? this.readOpenMetricsComment(p) : this.readTextComment(p));
      if (guess !== undefined && s.readSeriesIfBytes(p, guess, guessStart, guessEnd)) this.guessed = true;
      else {
        s.readSeries(p);
        this.guessed = false;
      }
      this.familyKnown = false;
      return (this.entry = EntryType.Series);
    }
  }

  private readTextComment(p: number): EntryType {
    const s = this.s;
    const b = s.b;
    const end = s.lineEnd(p);
    s.pos = end < s.len ? end + 1 : end;
    p = s.skipBlanks(p + 1);
    const ws = p;
    while (p < end && b[p] !== SPACE && b[p] !== TAB) p++;
    const word = s.decode(ws, p);
    if ((word !== 'HELP' && word !== 'TYPE') || p >= end) return EntryType.Comment;
    p = s.readMetricName(s.skipBlanks(p), 'metric name after ' + word);
    if (p < end && b[p] !== SPACE && b[p] !== TAB) s.fail(p, 'blank after the metric name');
    this.setMetaName();
    this.metaS = s.skipBlanks(p);
    this.metaE = end;
    if (word === 'HELP') return EntryType.Help;
    let te = end;
    while (te > this.metaS && (b[te - 1] === SPACE || b[te - 1] === TAB)) te--;
    const type = s.decode(this.metaS, te);
    if (!TEXT_TYPES.has(type)) s.failMsg(this.metaS, `invalid metric type ${JSON.stringify(type)}`);
    this.metaType = type as MetricType;
    this.famType = this.metaType;
    return EntryType.Type;
  }

  private readOpenMetricsComment(p: number): EntryType {
    const s = this.s;
    const b = s.b;
    const end = s.lineEnd(p);
    if (end >= s.len && !(s.decode(p, end) === '# EOF')) s.fail(end, 'new-line at the end of the line');
    s.pos = end < s.len ? end + 1 : end;
    if (b[p + 1] !== SPACE) s.fail(p + 1, '" " after "#"');
    const word = s.decode(p + 2, Math.min(p + 6, end));
    if (word === 'EOF' && p + 5 === end) {
      s.eofSeen = true;
      return EntryType.Eof;
    }
    if ((word !== 'HELP' && word !== 'TYPE' && word !== 'UNIT') || b[p + 6] !== SPACE) s.fail(p + 2, 'HELP, TYPE, UNIT or EOF');
    p = s.readMetricName(p + 7, 'metric name after ' + word);
    this.setMetaName();
    if (p === end) {
      this.metaS = this.metaE = end;
    } else {
      if (b[p] !== SPACE) s.fail(p, '" " after the metric name');
      this.metaS = p + 1;
      this.metaE = end;
    }
    if (word === 'HELP') return EntryType.Help;
    const text = s.decode(this.metaS, this.metaE);
    if (word === 'UNIT') {
      if (text !== '' && !this.metaName.endsWith('_' + text)) s.failMsg(this.metaS, `unit ${JSON.stringify(text)} is not a suffix of metric ${JSON.stringify(this.metaName)}`);
      return EntryType.Unit;
    }
    if (!OPENMETRICS_TYPES.has(text)) s.failMsg(this.metaS, `invalid metric type ${JSON.stringify(text)}`);
    this.metaType = text as MetricType;
    this.famType = this.metaType;
    return EntryType.Type;
  }

  private setMetaName(): void {
    const s = this.s;
    const raw = s.decode(s.nameS, s.nameE);
    const name = s.nameEscaped ? unescape(raw, true) : raw;
    this.metaName = name;
    if (name !== this.famName) {
      this.famName = name;
      this.famBytes = Buffer.from(name, 'utf8');
      this.famType = this.untyped();
    }
  }

  private assignFamily(): void {
    if (this.familyKnown) return;
    this.familyKnown = true;
    const s = this.s;
    s.ensureSeriesSpans();
    this.inFamily = false;
    this.suffixValue = '';
    if (this.famBytes === undefined || s.nameEscaped) return;
    const suffix = suffixFor(s.b, s.nameS, s.nameE, this.famBytes, this.famType);
    if (suffix === undefined) return;
    this.inFamily = true;
    this.suffixValue = suffix;
  }

  /** The 1-based line number of the current entry. */
  lineNumber(): number {
    return this.s.line;
  }

  /** The metric name of a HELP, TYPE or UNIT entry. */
  metadataName(): string {
    return this.metaName;
  }

  /**
   * The unescaped text of a HELP entry: `\\` and `\n` always, `\"` when `unescapeQuotes` (the
   * OpenMetrics rule, and expfmt's; Prometheus's text parser keeps `\"` as written).
   */
  help(unescapeQuotes: boolean = this.s.om): string {
    return unescape(this.s.decode(this.metaS, this.metaE), unescapeQuotes);
  }

  /** The type of a TYPE entry. */
  type(): MetricType {
    return this.metaType;
  }

  /** The unit of an OpenMetrics UNIT entry. */
  unit(): string {
    return this.s.decode(this.metaS, this.metaE);
  }

  /** The raw text of a comment entry, `#` included. */
  comment(): string {
    return this.s.decode(this.s.lineStart, this.s.lineEnd(this.s.lineStart));
  }

  /** The metric name of a series (quoted UTF-8 names unescaped). */
  metricName(): string {
    const s = this.s;
    s.ensureSeriesSpans();
    const raw = s.decode(s.nameS, s.nameE);
    return s.nameEscaped ? unescape(raw, true) : raw;
  }

  /**
   * The series exactly as written, name and label set (`foo{a="b",}`), without value, timestamp
   * or exemplar: the key to cache series by. Equal texts mean equal series; different texts may
   * still be the same series (label order, blanks).
   */
  seriesText(): string {
    return this.s.decode(this.s.seriesS, this.s.seriesE);
  }

  /** Whether the current series line started with the bytes guessed in {@link next}. */
  matchedGuess(): boolean {
    return this.guessed;
  }

  /** Where {@link seriesText} starts in the body, in bytes. */
  seriesStart(): number {
    return this.s.seriesS;
  }

  /** Where {@link seriesText} ends in the body, in bytes (exclusive). */
  seriesEnd(): number {
    return this.s.seriesE;
  }

  /**
   * The series' labels, `__name__` included, sorted; empty values dropped. `le` (histogram
   * buckets) and `quantile` (summaries) values are normalised to the OpenMetrics float form as
   * Prometheus does (`1` → `1.0`). Throws for a repeated label name.
   */
  labels(): Labels {
    const s = this.s;
    s.ensureSeriesSpans();
    this.assignFamily();
    const flat: string[] = ['__name__', this.metricName()];
    const norm = this.inFamily ? normalisedLabel(this.famType, this.suffixValue) : undefined;
    const spans = s.labels;
    for (let i = 0; i < spans.n; i++) {
      const name = spans.name(i, s.decode);
      let value = spans.value(i, s.decode);
      if (name === norm) value = normaliseFloat(value);
      flat.push(name, value);
    }
    return labelsFromPairs(flat, s.line);
  }

  /**
   * The series' label pairs as written, in order and unescaped, without the metric name and
   * without normalisation or checks: flat `[name0, value0, name1, value1, …]`.
   */
  labelPairs(): string[] {
    this.s.ensureSeriesSpans();
    return pairs(this.s.labels, this.s.decode);
  }

  /** The sample value (NaN payloads are not preserved). */
  value(): number {
    return this.s.value;
  }

  /** The sample's own timestamp in ms, or undefined (OpenMetrics seconds are converted, truncated). */
  timestampMs(): number | undefined {
    return this.s.ts;
  }

  /** The OpenMetrics exemplar of the current sample, or undefined. */
  exemplar(): Exemplar | undefined {
    const s = this.s;
    if (s.exS < 0) return undefined;
    return { labels: labelsFromPairs(pairs(s.exLabels, s.decode), s.line), value: s.exValue, timestampMs: s.exTs };
  }

  /**
   * The family the series belongs to: the name of the last HELP/TYPE/UNIT when the sample name is
   * that name plus a suffix its type allows (`_bucket`, `_count`, `_sum`, `_created`, `_total`,
   * `_gcount`, `_gsum`, `_info`), and otherwise the sample name itself.
   */
  familyName(): string {
    this.assignFamily();
    return this.inFamily ? this.famName : this.metricName();
  }

  /** The type of {@link familyName}: from its TYPE line, else `untyped` (text) or `unknown` (OpenMetrics). */
  familyType(): MetricType {
    this.assignFamily();
    return this.inFamily ? this.famType : this.untyped();
  }

  /** Which part of its family the series is (`''` for a plain sample or a summary quantile). */
  suffix(): SeriesSuffix {
    this.assignFamily();
    return this.suffixValue;
  }

  /** The current entry type, or null before the first and after the last. */
  current(): EntryType | null {
    return this.entry;
  }
}

function pairs(spans: LabelSpans, decode: (s: number, e: number) => string): string[] {
  const flat: string[] = [];
  for (let i = 0; i < spans.n; i++) flat.push(spans.name(i, decode), spans.value(i, decode));
  return flat;
}

/** `le`/`quantile` values in the OpenMetrics float form; unparsable values are kept as written. */
function normaliseFloat(value: string): string {
  const f = parseGoFloat(value);
  return f === undefined ? value : formatOpenMetricsFloat(f);
}
