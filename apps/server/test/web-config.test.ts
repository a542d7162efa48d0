import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { startServer } from './harness.js';

function httpsGet(url: string, ca: string, auth?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: auth ? { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('--web.config.file (upstream exporter-toolkit format)', () => {
  it('serves TLS and requires basic auth with bcrypt-hashed passwords', async () => {
    const dir = tempDir();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const hash = bcrypt.hashSync('s3cret', 4);
    writeFileSync(join(dir, 'web.yml'), `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  alice: ${hash}\n`);
    const server = await startServer(dir, 'scrape_configs: []\n', [`--web.config.file=${join(dir, 'web.yml')}`]);
    const ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const base = `https://127.0.0.1:${server.port}`;
    try {
      expect((await httpsGet(`${base}/-/healthy`, ca)).status).toBe(401);
      expect((await httpsGet(`${base}/-/healthy`, ca, 'alice:wrong')).status).toBe(401);
      expect(await httpsGet(`${base}/-/healthy`, ca, 'alice:s3cret')).toEqual({ status: 200, body: 'Prometheus Server is Healthy.\n' });
    } finally {
      await server.stop();
    }
  }, 30_000);

  it('refuses to start on a web config with an unknown field, naming it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'web.yml'), 'basic_auth_userz:\n  alice: x\n');
    await expect(startServer(dir, 'scrape_configs: []\n', [`--web.config.file=${join(dir, 'web.yml')}`])).rejects.toThrow(/web.yml: field basic_auth_userz not found in type web.Config/);
  });
});
