import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the test receiver got. */
export interface ReceivedWebhook {
  /** The status code it was answered with (2xx: accepted). */
  readonly status: number;
  /** When it arrived, ms since the epoch. */
  readonly receivedAt: number;
  readonly raw: string;
  readonly body: WebhookBody;
  readonly headers: IncomingHttpHeaders;
}

export interface WebhookBody {
  receiver: string;
  status: string;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string; generatorURL: string; fingerprint: string }[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  version: string;
  groupKey: string;
  truncatedAlerts: number;
}

/**
 * Test helper: a real webhook endpoint on a loopback port. It records every POST and answers
 * with the queued status codes, then with the standing one (200 unless changed).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly statuses: number[] = [];
  private standing = 200;
  private waiters: (() => void)[] = [];

  private constructor(private readonly server: Server, readonly url: string) {}

  /** `beforeAnswer` runs after a request was read and recorded, before it is answered. */
  static async start(options: { beforeAnswer?: (request: ReceivedWebhook) => Promise<void> } = {}): Promise<WebhookReceiver> {
    let receiver!: WebhookReceiver;
    const server = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (raw += c));
      req.on('end', () => {
        const status = receiver.statuses.shift() ?? receiver.standing;
        const request = { status, receivedAt: Date.now(), raw, body: JSON.parse(raw) as WebhookBody, headers: req.headers };
        receiver.received.push(request);
        void (options.beforeAnswer?.(request) ?? Promise.resolve()).then(() => {
          res.writeHead(status, { 'content-type': 'text/plain' });
          res.end(status === 200 ? '' : `status ${status}`);
          for (const w of receiver.waiters.splice(0)) w();
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
    return receiver;
  }

  /** Queues status codes for the next requests. */
  respondWith(...statuses: number[]): void {
    this.statuses.push(...statuses);
  }

  /** Answers every request after the queued ones with `status` (e.g. 500 while "down", 200 to recover). */
  respondAlwaysWith(status: number): void {
    this.standing = status;
  }

  /** The requests that were answered 2xx: the notifications the receiver accepted. */
  get accepted(): ReceivedWebhook[] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300);
  }

  /** Resolves once `count` requests have arrived in total (rejects after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 5_000): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} webhook requests, got ${this.received.length}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.received;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
