import type { Logger } from '@pyrometer/telemetry';

/** What upstream appends to a truncated text. */
const MARKER = '…';

/**
 * Upstream's `notify.TruncateInRunes`: at most `n` code points, the last one replaced by `…`
 * when the text was cut (no marker when `n` ≤ 3). Returns the text and whether it was cut.
 */
export function truncateInRunes(s: string, n: number): [string, boolean] {
  const runes = [...s];
  if (runes.length <= n) return [s, false];
  if (n <= 3) return [runes.slice(0, n).join(''), true];
  return [runes.slice(0, n - 1).join('') + MARKER, true];
}

/**
 * Truncates `s` to `n` runes like {@link truncateInRunes} and, when it was cut, logs upstream's
 * warning (`Truncated title`, with the group key and `max_runes`).
 */
export function truncateLogged(s: string, n: number, logger: Logger, what: string, fields: Readonly<Record<string, unknown>>): string {
  const [out, truncated] = truncateInRunes(s, n);
  if (truncated) logger.warn(`Truncated ${what}`, { ...fields, max_runes: n });
  return out;
}

/**
 * Upstream's `notify.TruncateInBytes`: at most `n` UTF-8 bytes, cut on a code point boundary and
 * ending in `…` (3 bytes) when the text was cut (`…` or dots alone when `n` ≤ 3). Returns the
 * text and whether it was cut.
 */
export function truncateInBytes(s: string, n: number): [string, boolean] {
  if (Buffer.byteLength(s) <= n) return [s, false];
  if (n <= 3) return [n === 3 ? MARKER : '.'.repeat(n), true];
  let kept = '';
  let bytes = 0;
  for (const rune of s) {
    const size = Buffer.byteLength(rune);
    if (bytes + size > n - 3) break;
    kept += rune;
    bytes += size;
  }
  return [kept + MARKER, true];
}
