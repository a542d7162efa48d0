import { MetricType, parseFamilies, type MetricFamily } from '@pyrometer/exposition';
import type { PromtoolIO } from '../io.js';
import { lintFamilies } from './promlint.js';

/** How `check metrics` works: `--extended` and `--lint` (`all` or `none`). */
export interface MetricsCheckOptions {
  readonly extended: boolean;
  readonly lint: string;
}

/**
 * `promtool check metrics` (upstream's `CheckMetrics`): reads the text exposition format from
 * standard input, prints each lint problem (`<metric> <problem>`) to standard error and, with
 * `--extended`, a cardinality table. Exit code 3 when there are lint problems, 1 when the input
 * cannot be parsed.
 */
export async function checkMetrics(options: MetricsCheckOptions, io: PromtoolIO): Promise<number> {
  const lint = options.lint !== 'none';
  if (!options.extended && !lint) {
    io.err('error: at least one of --extended or linting must be enabled\nUse --extended for cardinality analysis, or remove --lint=none to enable linting\n');
    return 1;
  }
  const body = await io.readStdin();
  let families: MetricFamily[];
  try {
    families = parseFamilies(body, 'text/plain; version=0.0.4');
  } catch (err) {
    io.err(`${lint ? 'error while linting: ' : 'error while parsing text to metric families: '}${(err as Error).message}\n`);
    return 1;
  }
  const problems = lint ? lintFamilies(families) : [];
  for (const p of problems) io.err(`${p.metric} ${p.text}\n`);
  if (options.extended) io.out(cardinalityTable(families));
  return problems.length > 0 ? 3 : 0;
}

/** Series per family (histograms and summaries count their buckets or quantiles, sum and count), largest first, as a table. */
function cardinalityTable(families: readonly MetricFamily[]): string {
  const stats = families.map((f) => ({ name: f.name, cardinality: cardinality(f) }));
  const total = stats.reduce((n, s) => n + s.cardinality, 0);
  stats.sort((a, b) => b.cardinality - a.cardinality);
  const rows = [['Metric', 'Cardinality', 'Percentage'], ...stats.map((s) => [s.name, String(s.cardinality), `${((s.cardinality / total) * 100).toFixed(2)}%`]), ['Total', String(total), '100%']];
  return tabulate(rows);
}

function cardinality(f: MetricFamily): number {
  const first = f.metrics[0];
  if (f.type === MetricType.Histogram) return f.metrics.length * (2 + (first?.histogram?.buckets.length ?? 0));
  if (f.type === MetricType.Summary) return f.metrics.length * (2 + (first?.summary?.quantiles.length ?? 0));
  return f.metrics.length;
}

/** Go's `tabwriter` with minwidth 4, padding 4 and spaces, every cell tab-terminated, as upstream prints the table. */
function tabulate(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, col) => Math.max(4, ...rows.map((r) => r[col]!.length + 4)));
  return rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col]!)).join('') + '\n').join('');
}
