const UNITS: Record<string, number> = { B: 1 };
['K', 'M', 'G', 'T', 'P', 'E'].forEach((p, i) => {
  UNITS[`${p}B`] = 1024 ** (i + 1);
  UNITS[`${p}iB`] = 1024 ** (i + 1);
});

/**
 * Parses a base-2 byte size as prometheus.yml writes `body_size_limit` (alecthomas/units
 * `ParseBase2Bytes`): a sequence of `<number><unit>` terms, units B, KB/KiB, MB/MiB … EB/EiB, all
 * powers of 1024; "0" alone is allowed. Returns the byte count or an error message.
 */
export function parseBase2Bytes(s: string): number | string {
  if (s === '0') return 0;
  if (s === '') return 'units: invalid empty size';
  let rest = s;
  let total = 0;
  while (rest !== '') {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([^\d.]*)/.exec(rest);
    if (!m) return `units: invalid ${s}`;
    const num = Number(m[1]);
    const unit = m[2] ?? '';
    const mult = UNITS[unit];
    if (mult === undefined) return `units: unknown unit ${unit} in ${s}`;
    total += num * mult;
    rest = rest.slice(m[0].length);
  }
  return Math.floor(total);
}

/** Go's os.Expand with the environment: `${X}` and `$X` expand, `$$` is a literal `$`. */
export function expandEnv(s: string, env: Readonly<Record<string, string | undefined>>): string {
  return s.replace(/\$(\$|\{([^}]*)\}|([A-Za-z0-9_]+))/g, (_m, all: string, braced: string | undefined, bare: string | undefined) => {
    if (all === '$') return '$';
    return env[braced ?? bare ?? ''] ?? '';
  });
}
