import { fuzzHttp, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { startServer } from './harness.js';

// The whole HTTP surface of the server, every route it reports, thrown malformed requests at
// (see @pyrometer/testkit's fuzzHttp): every answer below 500 with a message, the server healthy
// after each. Admin APIs and the remote-write receiver are on so their handlers are reached; the
// lifecycle API stays off, since a well-formed /-/quit would rightly stop the server.

const BODY_LIMIT = 1024 * 1024;

describe('the server under fuzzing', () => {
  it('answers every malformed request at every route below 500 with a message, and stays healthy', async () => {
    const server = await startServer(tempDir(), 'global:\n  scrape_interval: 15s\n', ['--web.enable-admin-api', '--web.enable-remote-write-receiver', `--web.max-request-body-bytes=${BODY_LIMIT}B`]);
    try {
      const report = await fuzzHttp({
        baseUrl: `http://127.0.0.1:${server.port}`,
        routes: server.routes(),
        healthPath: '/-/healthy',
        oversizeBodyBytes: BODY_LIMIT + 1,
        allow5xx: [
          { route: '/api/v1/series', method: 'DELETE', status: 500, reason: 'upstream answers DELETE /api/v1/series with 500 "not implemented" (deletion is the admin API)' },
        ],
      });
      expect(report.findings).toEqual([]);
      expect(report.ran).toBeGreaterThan(1000);
    } finally {
      await server.stop();
    }
  }, 300_000);

  it('does the same with the defaults (admin APIs and the receiver off), where upstream documents one more 5xx', async () => {
    const server = await startServer(tempDir(), 'global:\n  scrape_interval: 15s\n');
    try {
      const disabled = ['/api/v1/admin/tsdb/delete_series', '/api/v1/admin/tsdb/clean_tombstones', '/api/v1/admin/tsdb/snapshot'].flatMap((route) =>
        ['POST', 'PUT'].map((method) => ({ route, method, status: 500, reason: 'upstream answers 500 {"errorType":"unavailable","error":"admin APIs disabled"} while --web.enable-admin-api is off' })),
      );
      const report = await fuzzHttp({
        baseUrl: `http://127.0.0.1:${server.port}`,
        routes: server.routes(),
        healthPath: '/-/healthy',
        randomCasesPerRoute: 0,
        allow5xx: [...disabled, { route: '/api/v1/series', method: 'DELETE', status: 500, reason: 'upstream answers DELETE /api/v1/series with 500 "not implemented"' }],
      });
      expect(report.findings).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 300_000);
});
