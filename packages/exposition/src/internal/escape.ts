import { isLegacyMetricName } from '@pyrometer/model';

const NEEDS_QUOTED = /[\\\n"]/;
const NEEDS_PLAIN = /[\\\n]/;

/** expfmt's escaping: `\` → `\\`, newline → `\n`, and `"` → `\"` when `quote` is set. */
export function escapeString(s: string, quote: boolean): string {
  if (!(quote ? NEEDS_QUOTED : NEEDS_PLAIN).test(s)) return s;
  let out = '';
  for (const c of s) out += c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '"' && quote ? '\\"' : c;
  return out;
}

/** A metric or label name as expfmt writes it: plain when legacy-valid, else quoted. */
export function writeName(name: string): string {
  return isLegacyMetricName(name) ? name : '"' + escapeString(name, true) + '"';
}
