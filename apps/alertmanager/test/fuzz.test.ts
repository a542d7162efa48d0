import { fuzzHttp } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { startTestAlertmanager } from './helpers.js';

// Every route the Alertmanager reports (API v2, the removed v1, lifecycle and metrics), thrown
// malformed requests at (see @pyrometer/testkit's fuzzHttp): every answer below 500 with a
// message, and the process healthy after each.

describe('the Alertmanager under fuzzing', () => {
  it('answers every malformed request at every route below 500 with a message, and stays healthy', async () => {
    const am = await startTestAlertmanager('route: {receiver: r, group_by: [alertname]}\nreceivers: [{name: r}]\n');
    try {
      const report = await fuzzHttp({ baseUrl: am.url, routes: am.routes, healthPath: '/-/healthy' });
      expect(report.findings).toEqual([]);
      expect(report.ran).toBeGreaterThan(300);
    } finally {
      await am.close();
    }
  }, 300_000);
});
