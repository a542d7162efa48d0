/**
 * "2024-05-01 10:00:00" (the UTC form Prometheus's UIs write), RFC 3339, or Unix seconds, as ms;
 * undefined when empty or unreadable.
 */
export function parseTimeInput(text: string | null): number | undefined {
  if (text === null || text.trim() === '') return undefined;
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t) ? `${t.replace(' ', 'T')}Z` : t;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** ms → "2024-05-01 10:00:00" in UTC. */
export function formatTimeInput(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '').replace('Z', '');
}
