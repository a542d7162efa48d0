import { fuzzHttp } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../src/app.js';
import { startTestReceiver } from './helpers.js';

// Every route the receiver reports, thrown malformed requests at (see @pyrometer/testkit's
// fuzzHttp): every answer below 500 with a message, and the receiver healthy after each.

describe('the webhook receiver under fuzzing', () => {
  it('answers every malformed request at every route below 500 with a message, and stays healthy', async () => {
    const receiver = await startTestReceiver();
    const report = await fuzzHttp({ baseUrl: receiver.url, routes: ROUTES, healthPath: '/-/healthy', oversizeBodyBytes: 16 * 2 ** 20 + 1 });
    expect(report.findings).toEqual([]);
    expect(report.ran).toBeGreaterThan(100);
  }, 300_000);
});
