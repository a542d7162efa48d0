import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp.js';

/** A certificate and its key, as PEM text and as files. */
export interface TestCertificate {
  readonly cert: string;
  readonly key: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * A self-signed certificate for `localhost`, 127.0.0.1 and the given extra DNS names, valid for
 * a day, made with the system's `openssl` in a temporary folder. A client trusts it by using it
 * as its CA.
 */
export function selfSignedCert(dnsNames: readonly string[] = []): TestCertificate {
  const dir = tempDir('pyrometer-cert-');
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', `subjectAltName=${['localhost', ...dnsNames].map((n) => `DNS:${n}`).join(',')},IP:127.0.0.1`, '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
}
