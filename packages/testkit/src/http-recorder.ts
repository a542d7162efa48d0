import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Inbox } from './inbox.js';

/** One request the recorder got. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What the recorder answers. */
export interface RecordedAnswer {
  readonly status: number;
  readonly body?: string;
  readonly contentType?: string;
}

export interface HttpRecorderOptions {
  /** The answer once the queued ones ran out (default 200 with an empty body). */
  readonly otherwise?: RecordedAnswer;
  /** Serve HTTPS with this PEM certificate and key. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/**
 * Test helper: a real HTTP(S) server on a loopback port standing in for a remote API (Slack,
 * PagerDuty, a webhook, …). It records every request and answers with the queued answers, then
 * with `otherwise`.
 */
export class HttpRecorder {
  private readonly inbox = new Inbox<RecordedRequest>('requests');
  private readonly queue: RecordedAnswer[] = [];

  private constructor(private readonly server: Server, readonly url: string, private readonly otherwise: RecordedAnswer) {}

  static async start(options: HttpRecorderOptions = {}): Promise<HttpRecorder> {
    let recorder!: HttpRecorder;
    const handle = (req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const answer = recorder.queue.shift() ?? recorder.otherwise;
        res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/plain' });
        res.end(answer.body ?? '');
        recorder.inbox.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      });
    };
    const server = options.tls ? createHttpsServer(options.tls, handle) : createHttpServer(handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const scheme = options.tls ? 'https' : 'http';
    recorder = new HttpRecorder(server, `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`, options.otherwise ?? { status: 200 });
    return recorder;
  }

  /** Queues answers for the next requests. */
  answer(...answers: RecordedAnswer[]): void {
    this.queue.push(...answers);
  }

  /** The requests so far, in arrival order. */
  get requests(): readonly RecordedRequest[] {
    return this.inbox.items;
  }

  /** Resolves once `count` requests have arrived in total (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs = 5_000): Promise<RecordedRequest[]> {
    return this.inbox.waitFor(count, timeoutMs);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
