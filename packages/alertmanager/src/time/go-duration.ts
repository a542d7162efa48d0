const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Go's `time.ParseDuration` (`1.5s`, `300ms`, `1h2m`, `-1m`), in milliseconds (sub-millisecond
 * parts are kept as fractions). Returns an error message instead of throwing.
 */
export function parseGoDuration(s: string): number | string {
  const bad = `time: invalid duration ${JSON.stringify(s)}`;
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return bad;
  let total = 0;
  while (rest !== '') {
    const m = /^(\d*\.?\d*)([a-zµμ]*)/.exec(rest);
    if (!m || m[1] === '' || m[1] === '.') return bad;
    if (m[2] === '') return `time: missing unit in duration ${JSON.stringify(s)}`;
    const unit = UNITS[m[2]!];
    if (unit === undefined) return `time: unknown unit ${JSON.stringify(m[2])} in duration ${JSON.stringify(s)}`;
    total += Number(m[1]) * unit;
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** Go's `time.Duration.String()` for a duration in milliseconds: `0s`, `1.5s`, `100ms`, `1h0m0s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const negative = ms < 0;
  const ns = Math.round(Math.abs(ms) * 1e6);
  let out: string;
  if (ns < 1e9) {
    out = ns < 1e3 ? `${ns}ns` : ns < 1e6 ? `${trim(ns / 1e3)}µs` : `${trim(ns / 1e6)}ms`;
  } else {
    const h = Math.floor(ns / 3.6e12);
    const m = Math.floor((ns % 3.6e12) / 6e10);
    const sec = (ns % 6e10) / 1e9;
    out = (h > 0 ? `${h}h${m}m` : m > 0 ? `${m}m` : '') + `${trim(sec)}s`;
  }
  return negative ? '-' + out : out;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}
