import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { defaultRelabelConfig, type RelabelConfig } from '@pyrometer/model';
import type { AlertmanagerSetConfig } from '../alertmanager-set.js';

/** One request a {@link Receiver} got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body parsed as JSON (the alerts). */
  alerts: { labels: Record<string, string>; annotations?: Record<string, string>; startsAt: string; endsAt: string; generatorURL?: string }[];
}

/**
 * A real HTTP(S) server on 127.0.0.1:0 standing in for an Alertmanager: it records every request
 * and answers `status` (mutable). While `hold` is set, answers wait until `release()`.
 */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  status = 200;
  private held: (() => void)[] = [];
  hold = false;

  private constructor(readonly server: Server, readonly scheme: 'http' | 'https') {}

  static async start(tls?: { cert: string; key: string }): Promise<Receiver> {
    let receiver: Receiver | undefined;
    const handler = (req: IncomingMessage, res: ServerResponse): void => receiver!.handle(req, res);
    const server = tls ? createHttpsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, handler) : createHttpServer(handler);
    receiver = new Receiver(server, tls ? 'https' : 'http');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get address(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get url(): string {
    return `${this.scheme}://${this.address}/api/v2/alerts`;
  }

  /** Alert counts of the requests so far. */
  batchSizes(): number[] {
    return this.requests.map((r) => r.alerts.length);
  }

  /** The `alertname` labels received, in order. */
  alertNames(): string[] {
    return this.requests.flatMap((r) => r.alerts.map((a) => a.labels['alertname']!));
  }

  release(): void {
    this.hold = false;
    for (const answer of this.held.splice(0)) answer();
  }

  close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let alerts: ReceivedRequest['alerts'] = [];
      try {
        alerts = JSON.parse(body) as ReceivedRequest['alerts'];
      } catch {
        // recorded as an empty batch; the test asserting on it fails
      }
      this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, alerts });
      const answer = (): void => {
        res.writeHead(this.status).end();
      };
      if (this.hold) this.held.push(answer);
      else answer();
    });
  }
}

/** An Alertmanager set config with upstream's defaults and `overrides`. */
export function setConfig(overrides: Partial<AlertmanagerSetConfig> = {}): AlertmanagerSetConfig {
  return {
    scheme: 'http',
    pathPrefix: '',
    timeout: 10_000,
    apiVersion: 'v2',
    httpClient: { tls: { ca: '', caFile: '', cert: '', certFile: '', key: '', keyFile: '', serverName: '', insecureSkipVerify: false, minVersion: '', maxVersion: '' }, proxyUrl: '', noProxy: '', proxyFromEnvironment: false, followRedirects: true, enableHttp2: true, httpHeaders: {} },
    relabelConfigs: [],
    alertRelabelConfigs: [],
    ...overrides,
  };
}

/** A relabel rule: upstream's defaults and `overrides`. */
export function rule(overrides: Partial<RelabelConfig>): RelabelConfig {
  return { ...defaultRelabelConfig(), ...overrides };
}
