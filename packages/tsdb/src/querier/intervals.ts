/**
 * Deleted time ranges of one series as a flat, sorted list of inclusive `[start, end]` pairs (ms)
 * that neither overlap nor touch. Returns a new list with `[mint, maxt]` merged in.
 */
export function addInterval(list: readonly number[], mint: number, maxt: number): number[] {
  const out: number[] = [];
  let i = 0;
  for (; i < list.length && list[i + 1]! < mint - 1; i += 2) out.push(list[i]!, list[i + 1]!);
  let start = mint;
  let end = maxt;
  while (i < list.length && list[i]! <= maxt + 1) {
    start = Math.min(start, list[i]!);
    end = Math.max(end, list[i + 1]!);
    i += 2;
  }
  out.push(start, end);
  for (; i < list.length; i += 2) out.push(list[i]!, list[i + 1]!);
  return out;
}

/** True when `[mint, maxt]` lies entirely inside one deleted interval. */
export function coversRange(list: readonly number[], mint: number, maxt: number): boolean {
  for (let i = 0; i < list.length; i += 2) if (list[i]! <= mint && maxt <= list[i + 1]!) return true;
  return false;
}
