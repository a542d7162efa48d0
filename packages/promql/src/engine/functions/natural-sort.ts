/** Splits into runs of digits and non-digits. */
function chunks(s: string): string[] {
  return s.match(/(\d+|\D+)/g) ?? [];
}

/**
 * Natural "less than" as the natsort package sort_by_label uses: digit runs compare as integers,
 * other runs as strings, chunk by chunk.
 */
export function naturalLess(a: string, b: string): boolean {
  const ca = chunks(a);
  const cb = chunks(b);
  for (let i = 0; i < ca.length; i++) {
    if (i >= cb.length) return false;
    const x = ca[i]!;
    const y = cb[i]!;
    const xd = /^\d+$/.test(x);
    const yd = /^\d+$/.test(y);
    if (xd && yd) {
      const xi = Number(x);
      const yi = Number(y);
      if (xi === yi) {
        if (i === ca.length - 1) return true;
        if (i === cb.length - 1) return false;
        continue;
      }
      return xi < yi;
    }
    if (x === y) {
      if (i === ca.length - 1) return true;
      if (i === cb.length - 1) return false;
      continue;
    }
    return x < y;
  }
  return false;
}
