/** "3.2s ago", "5m ago", "in 2h" for a time (ms since the epoch) relative to `now`. */
export function relativeTime(ms: number, now = Date.now()): string {
  if (!Number.isFinite(ms) || ms <= 0) return 'never';
  const delta = now - ms;
  const text = humanDuration(Math.abs(delta));
  return delta >= 0 ? `${text} ago` : `in ${text}`;
}

/** A duration in ms as "850ms", "12.3s", "4m 10s", "3h 5m", "2d 4h". */
export function humanDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.floor(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Seconds (as the API's `lastScrapeDuration`, `evaluationTime`) as "12.345ms" or "1.2s". */
export function secondsText(seconds: number): string {
  return seconds < 1 ? `${(seconds * 1000).toFixed(3)}ms` : `${seconds.toFixed(3)}s`;
}

/** An RFC 3339 time from the APIs as ms since the epoch (0 for Go's zero time). */
export function parseApiTime(text: string | undefined): number {
  if (text === undefined || text.startsWith('0001-01-01')) return 0;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? 0 : ms;
}

/** 1536 → "1.5 KiB"; keeps small values as they are. */
export function bytesText(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** A sample value for reading: up to 4 significant decimals, SI suffixes for large values. */
export function valueText(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  const abs = Math.abs(v);
  if (abs >= 1e15 || (abs > 0 && abs < 1e-3)) return v.toExponential(3);
  for (const [limit, suffix] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) if (abs >= limit) return `${+(v / limit).toFixed(2)}${suffix}`;
  return `${+v.toFixed(4)}`;
}

/** `{a="1", b="2"}` for a label set (the metric name first, outside the braces). */
export function seriesText(labels: Readonly<Record<string, string>>): string {
  const name = labels['__name__'] ?? '';
  const rest = Object.entries(labels).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return rest.length === 0 && name !== '' ? name : `${name}{${rest.join(', ')}}`;
}
