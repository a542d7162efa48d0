import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';
import { peer, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { call, startTestAlertmanager } from './helpers.js';

const amtool = peer('amtool', 'prometheus-alertmanager');
const CONFIG = 'route: {receiver: r}\nreceivers: [{name: r}]\n';

describe('--web.config.file', () => {
  it.skipIf(amtool.missingReason !== undefined)(`serves TLS with basic auth to amtool's http.config.file${amtool.missingReason ? ` — skipped: ${amtool.missingReason}` : ''}`, async () => {
    const dir = tempDir();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    writeFileSync(join(dir, 'web.yml'), `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  ops: ${bcrypt.hashSync('s3cret', 4)}\n`);
    const am = await startTestAlertmanager(CONFIG, [`--web.config.file=${join(dir, 'web.yml')}`], {}, dir);
    try {
      expect(am.url).toMatch(/^https:/);
      const tool = (http: string) => {
        writeFileSync(join(dir, 'http.yml'), http);
        return promisify(execFile)(amtool.path!, [`--alertmanager.url=${am.url}/`, `--http.config.file=${join(dir, 'http.yml')}`, 'silence', 'query'], { timeout: 15_000 });
      };
      await expect(tool(`tls_config: {ca_file: ${join(dir, 'cert.pem')}}\nbasic_auth: {username: ops, password: wrong}\n`)).rejects.toThrow();
      const { stdout } = await tool(`tls_config: {ca_file: ${join(dir, 'cert.pem')}}\nbasic_auth: {username: ops, password: s3cret}\n`);
      expect(stdout).toContain('ID');
    } finally {
      await am.close();
    }
  }, 30_000);

  it('refuses to start on a web config with an unknown field, naming it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'web.yml'), 'basic_auth_userz:\n  ops: x\n');
    await expect(startTestAlertmanager(CONFIG, [`--web.config.file=${join(dir, 'web.yml')}`], {}, dir)).rejects.toThrow(/web.yml: field basic_auth_userz not found in type web.Config/);
  });
});

describe('route prefix and external URL', () => {
  it('serves everything under the external URL path and redirects / there', async () => {
    const am = await startTestAlertmanager(CONFIG, ['--web.external-url=http://am.example:9093/alertmanager/']);
    try {
      expect(am.url).toMatch(/\/alertmanager$/);
      const root = am.url.replace(/\/alertmanager$/, '');
      expect((await call(`${am.url}/api/v2/status`)).status).toBe(200);
      expect((await call(`${am.url}/-/healthy`)).body).toBe('OK');
      expect((await call(`${root}/api/v2/status`)).status).toBe(404);
      const redirect = await fetch(`${root}/`, { redirect: 'manual' });
      expect([redirect.status, redirect.headers.get('location')]).toEqual([302, '/alertmanager']);
    } finally {
      await am.close();
    }
  });

  it("answers Grafana's probe for a Mimir path with 404 when there is no prefix", async () => {
    const am = await startTestAlertmanager(CONFIG);
    try {
      expect((await call(`${am.url}/alertmanager/api/v2/status`)).status).toBe(404);
      expect((await call(`${am.url}/api/v2/status`)).status).toBe(200);
    } finally {
      await am.close();
    }
  });
});
