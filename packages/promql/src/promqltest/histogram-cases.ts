import type { Command, EvalCommand, LoadCommand } from './script.js';

/**
 * Tells which cases of a script involve native histograms, as the script's commands come in
 * order: a load with `{{…}}` values or `load_with_nhcb`, and an eval that expects `{{…}}` values
 * or names a metric such a load (since the last `clear`) gave histograms.
 */
export class HistogramCaseTracker {
  private names = new Set<string>();

  /** Whether the command (the next one of the script) involves native histograms. */
  involves(cmd: Command): boolean {
    switch (cmd.kind) {
      case 'clear':
        this.names = new Set();
        return false;
      case 'load': {
        const names = nativeHistogramNames(cmd);
        for (const n of names) this.names.add(n);
        return names.size > 0;
      }
      case 'eval':
        return evalInvolves(cmd, this.names);
    }
  }
}

function evalInvolves(cmd: EvalCommand, names: ReadonlySet<string>): boolean {
  return cmd.expected.some((l) => l.text.includes('{{')) || mentionsAny(cmd.expr, names);
}

/** Metric names a load gives native-histogram samples: `{{…}}` series, and the NHCB names of load_with_nhcb. */
function nativeHistogramNames(cmd: LoadCommand): Set<string> {
  const out = new Set<string>();
  for (const s of cmd.series) {
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(s.text)?.[0];
    if (name === undefined) continue;
    if (s.text.includes('{{')) out.add(name);
    if (cmd.withNHCB) out.add(name.replace(/_(bucket|count|sum)$/, ''));
  }
  return out;
}

function mentionsAny(expr: string, names: ReadonlySet<string>): boolean {
  for (const n of names) if (new RegExp(`(^|[^a-zA-Z0-9_:])${n}($|[^a-zA-Z0-9_:])`).test(expr)) return true;
  return false;
}
