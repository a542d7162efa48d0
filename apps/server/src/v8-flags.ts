import { setFlagsFromString } from 'node:v8';

/**
 * Sets the V8 flags the server's process runs with (main.ts, at start). The build sets them too
 * before a worker writes the query workers' code cache (scripts/bundle.mjs): V8 checks the flags a
 * cache was made under and rejects it under others, so a server whose flags differ from the build's
 * compiles every worker from its text (README, "RSS per series, third pass").
 *
 * Old-generation headroom of 50% of the live heap after a full collection: V8 chooses 10–30% for
 * this process, which then ran a full collection every 1.5 s under a steady scrape load (~30% of
 * its CPU; README, "Scrape ingestion CPU"). Read at every collection, so it applies at once.
 */
export function setServerV8Flags(): void {
  setFlagsFromString('--heap-growing-percent=50');
}
