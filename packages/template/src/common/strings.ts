/**
 * String helpers with Go's semantics: `cases.Title` from golang.org/x/text (word-initial letters
 * upper-cased, the rest optionally lower-cased), `strings.TrimSpace`, and upper/lower case.
 */

const CASED = /^[\p{Lu}\p{Ll}\p{Lt}]$/u;
const WORD_PART = /^[\p{L}\p{M}\p{Nd}\p{Pc}\p{Cf}]$/u;
const MID_WORD = new Set(["'", '’', '.', ':', '·']);

/**
 * `cases.Title(language.AmericanEnglish)`: the first cased letter of each word is title-cased;
 * with `keepRest` (Prometheus's `cases.NoLower`) the other letters are kept, otherwise lowered
 * (Alertmanager). Words break at spaces and punctuation other than in-word marks such as `'`.
 */
export function titleCase(s: string, keepRest: boolean): string {
  let out = '';
  let midWord = false;
  let previousWasMid = false;
  for (const ch of s) {
    const isMid = MID_WORD.has(ch);
    if (previousWasMid && isMid) midWord = false;
    if (CASED.test(ch)) {
      if (!midWord) {
        out += ch.toUpperCase();
        midWord = true;
      } else out += keepRest ? ch : ch.toLowerCase();
    } else {
      out += ch;
      if (!isMid && !WORD_PART.test(ch)) midWord = false;
    }
    previousWasMid = isMid;
  }
  return out;
}

/** Go's `strings.ToUpper`: per-character simple case mapping (`ß` stays `ß`). */
export function toUpper(s: string): string {
  let out = '';
  for (const ch of s) {
    const up = ch.toUpperCase();
    out += [...up].length === 1 ? up : ch;
  }
  return out;
}

/** Go's `strings.ToLower`: per-character simple case mapping (`İ` becomes `i`). */
export function toLower(s: string): string {
  let out = '';
  for (const ch of s) out += String.fromCodePoint(ch.toLowerCase().codePointAt(0)!);
  return out;
}

/** Go's `strings.TrimSpace`: Unicode white space removed at both ends. */
export function trimSpace(s: string): string {
  return s.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, '');
}
