// `pnpm bench exposition`: parser and writer throughput beside npm's parse-prometheus-text-format
// on the same bodies (there is no upstream Prometheus binary that parses a body in isolation).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir, reportBench } from '@pyrometer/testkit/bench';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { ExpositionParser, parseFamilies, writeText } from '../src/index.js';
import { flinkBody } from './flink-body.js';

const BASELINE = 'parse-prometheus-text-format';

/** Median seconds per call of `fn`, over several ~0.3 s rounds after a warm-up. */
function time(fn: () => unknown): number {
  const deadline = performance.now() + 300;
  while (performance.now() < deadline) fn();
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < 300) {
      fn();
      calls++;
      now = performance.now();
    }
    rounds.push((now - start) / 1000 / calls);
  }
  rounds.sort((a, b) => a - b);
  return rounds[3]!;
}

/** The scraper's hot path: every entry, and per series its raw text (the cache key) and value. */
function pull(body: Buffer): number {
  const p = new ExpositionParser(body, 'text');
  let n = 0;
  for (let e = p.next(); e !== null; e = p.next()) {
    if (e !== 'series') continue;
    if (p.seriesText().length + p.value() !== -1) n++;
  }
  return n;
}

/** The cold path: every series is new, so its labels are built. */
function pullWithLabels(body: Buffer): number {
  const p = new ExpositionParser(body, 'text');
  let n = 0;
  for (let e = p.next(); e !== null; e = p.next()) if (e === 'series' && p.labels().size > 0) n++;
  return n;
}

const conformance = conformanceDir();

const inputs = [
  { name: 'alltypes.237mfs.prom.txt', body: readFileSync(join(conformance, 'exposition', 'alltypes.237mfs.prom.txt')) },
  { name: '10k-series Flink push', body: Buffer.from(flinkBody(10_000)) },
];

for (const { name, body } of inputs) {
  const mb = body.length / 1e6;
  const samples = pull(body);
  const theirs = time(() => parsePrometheusTextFormat(body.toString('utf8')));
  const ours = time(() => pull(body));
  const note = `${samples} samples, ${(body.length / 1024).toFixed(0)} KiB; baseline includes Buffer→string`;
  reportBench({ suite: 'exposition', case: `pull-parse ${name}`, unit: 'MB/s', ours: mb / ours, baseline: { name: BASELINE, value: mb / theirs }, higherIsBetter: true, note });
  reportBench({ suite: 'exposition', case: `pull-parse ${name}`, unit: 'ns/sample', ours: (ours * 1e9) / samples, baseline: { name: BASELINE, value: (theirs * 1e9) / samples }, higherIsBetter: false });
  const withLabels = time(() => pullWithLabels(body));
  reportBench({ suite: 'exposition', case: `pull-parse + labels() ${name}`, unit: 'ns/sample', ours: (withLabels * 1e9) / samples, baseline: { name: BASELINE, value: (theirs * 1e9) / samples }, higherIsBetter: false });
  const families = time(() => parseFamilies(body, 'text/plain'));
  reportBench({ suite: 'exposition', case: `parseFamilies ${name}`, unit: 'MB/s', ours: mb / families, baseline: { name: BASELINE, value: mb / theirs }, higherIsBetter: true, note: 'both build families' });
  const parsed = parseFamilies(body, 'text/plain');
  const outMb = Buffer.byteLength(writeText(parsed)) / 1e6;
  const write = time(() => Buffer.from(writeText(parsed)));
  reportBench({ suite: 'exposition', case: `writeText ${name}`, unit: 'MB/s', ours: outMb / write, higherIsBetter: true, note: 'output bytes, string → Buffer included' });
}
