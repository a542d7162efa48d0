const KEY = 'pyrometer.queryHistory';
const MAX = 50;

/** Recently executed queries, newest first, kept in localStorage. */
export function queryHistory(): string[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((q): q is string => typeof q === 'string') : [];
  } catch {
    return [];
  }
}

/** Puts a query first in the history (once), dropping the oldest beyond 50. */
export function rememberQuery(expr: string): void {
  const q = expr.trim();
  if (q === '') return;
  localStorage.setItem(KEY, JSON.stringify([q, ...queryHistory().filter((h) => h !== q)].slice(0, MAX)));
}
