import { fuzzHttp } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { startOurs } from './helpers.js';

// Every route the Pushgateway reports, thrown malformed requests at (see @pyrometer/testkit's
// fuzzHttp), with every optional endpoint on so its handler is reached; the lifecycle endpoint's
// quit callback does nothing here.

describe('the Pushgateway under fuzzing', () => {
  it('answers every malformed request at every route below 500 with a message, and stays healthy', async () => {
    const gateway = await startOurs({ enableAdminApi: true, enableLifecycle: true, enableDeleteByMatchers: true });
    // No oversized body: the limit is 256 MiB (the bombs and a declared 10 GiB body cover it).
    const report = await fuzzHttp({ baseUrl: gateway.url, routes: gateway.routes, healthPath: '/-/healthy' });
    expect(report.findings).toEqual([]);
    expect(report.ran).toBeGreaterThan(300);
  }, 300_000);
});
