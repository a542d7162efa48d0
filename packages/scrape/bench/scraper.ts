// Our side of the scrape benchmark, run as its own process so that its CPU time and RSS can be read
// from /proc exactly as Prometheus's are: a ScrapeManager scraping the targets of the config file in
// argv[2] into a no-op Appendable (refs are handed out, samples are counted and discarded), so the
// figures cover HTTP, parsing, the series cache, relabeling and staleness, not storage.
import { loadConfig } from '@pyrometer/config';
import type { Appendable, Appender } from '@pyrometer/storage';
import { ScrapeManager } from '../src/index.js';

let nextRef = 1;
let samples = 0;
const appender: Appender = {
  append(ref) {
    samples++;
    return ref === 0 ? nextRef++ : ref;
  },
  appendHistogram(ref) {
    samples++;
    return ref === 0 ? nextRef++ : ref;
  },
  commit: async () => undefined,
  rollback: async () => undefined,
};
const appendable: Appendable = { appender: () => appender };

const manager = new ScrapeManager(appendable);
await manager.applyConfig(await loadConfig(process.argv[2]!));
// Progress for the benchmark, once a second: samples appended so far and series seen.
setInterval(() => console.log(JSON.stringify({ samples, series: nextRef - 1 })), 1000);
// Exit with the benchmark process (stdin is its pipe).
process.stdin.on('end', () => process.exit(0)).resume();
