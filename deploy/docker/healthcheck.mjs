#!/usr/bin/env node
// The images' health check (node:20-bookworm-slim has neither curl nor wget): exits 0 when the URL
// given as the only argument answers 2xx within 3 s, 1 otherwise, printing why.
const url = process.argv[2];
if (url === undefined) {
  console.error('usage: healthcheck <url>');
  process.exit(2);
}
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  await res.arrayBuffer();
  if (!res.ok) console.error(`${url}: HTTP ${res.status}`);
  process.exit(res.ok ? 0 : 1);
} catch (err) {
  console.error(`${url}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
