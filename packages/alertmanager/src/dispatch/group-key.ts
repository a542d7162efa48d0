import { goQuote, type Labels } from '@pyrometer/model';

/** prometheus/common's `LabelSet.String()`: `{a="1", b="2"}` (names as written, values Go-quoted). */
export function labelSetString(labels: Labels): string {
  const parts: string[] = [];
  labels.forEach((n, v) => parts.push(`${n}=${goQuote(v)}`));
  return `{${parts.join(', ')}}`;
}
