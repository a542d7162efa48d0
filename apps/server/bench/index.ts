// `pnpm bench server`: whole-server benchmarks, each beside Debian's Prometheus 2.42 doing the same
// work. PYROMETER_BENCH_SERVER picks some (comma-separated: ingestion, query-load, first-query;
// default all).
import { benchFirstQuery } from './first-query.js';
import { benchIngestion } from './ingestion.js';
import { benchQueryLoad } from './query-load.js';

const BENCHES: Record<string, () => Promise<void>> = { ingestion: benchIngestion, 'query-load': benchQueryLoad, 'first-query': benchFirstQuery };
const chosen = (process.env['PYROMETER_BENCH_SERVER'] ?? Object.keys(BENCHES).join(',')).split(',').map((s) => s.trim());
for (const name of chosen) {
  const bench = BENCHES[name];
  if (bench === undefined) throw new Error(`PYROMETER_BENCH_SERVER: unknown bench ${JSON.stringify(name)} (known: ${Object.keys(BENCHES).join(', ')})`);
  await bench();
}
