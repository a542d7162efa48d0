/** A short description of a query API answer: status and the number of series and points it holds (to compare servers' answers). */
export function describeAnswer(status: number, body: string): string {
  const parsed = JSON.parse(body) as { status: string; error?: string; data?: { result: { values: unknown[] }[] } };
  if (parsed.status !== 'success') return `HTTP ${status} ${parsed.error ?? ''}`;
  const result = parsed.data?.result ?? [];
  return `${result.length} series, ${result.reduce((n, s) => n + s.values.length, 0)} points`;
}
