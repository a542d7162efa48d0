// Synthetic scrape targets for the benchmark: `count` HTTP servers on 127.0.0.1 (ports from argv),
// each serving `series` counter lines in text format 0.0.4. Two pre-rendered bodies alternate so
// values change between scrapes without costing the server CPU per request.
import { createServer } from 'node:http';

const [seriesArg, ...ports] = process.argv.slice(2);
const series = Number(seriesArg);

function body(target: number, round: number): Buffer {
  let out = '# HELP bench_requests_total Synthetic requests.\n# TYPE bench_requests_total counter\n';
  for (let i = 0; i < series; i++) {
    out += `bench_requests_total{target="t${target}",handler="/api/v1/handler_${i % 50}",code="${200 + (i % 5)}",series="${i}"} ${i * 10 + round}\n`;
  }
  return Buffer.from(out);
}

ports.forEach((port, target) => {
  const bodies = [body(target, 0), body(target, 1)];
  let n = 0;
  createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(bodies[n++ % 2]);
  }).listen(Number(port), '127.0.0.1');
});
console.log('ready');
// Exit with the benchmark process (stdin is its pipe).
process.stdin.on('end', () => process.exit(0)).resume();
