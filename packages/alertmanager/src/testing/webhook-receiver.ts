import type { IncomingHttpHeaders } from 'node:http';
import { HttpRecorder, type RecordedRequest } from '@pyrometer/testkit';

/** One request the test receiver got. */
export interface ReceivedWebhook {
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
 * with the queued status codes (200 once they run out).
 */
export class WebhookReceiver {
  private constructor(private readonly recorder: HttpRecorder, readonly url: string) {}

  static async start(): Promise<WebhookReceiver> {
    const recorder = await HttpRecorder.start();
    return new WebhookReceiver(recorder, `${recorder.url}/hook`);
  }

  /** The requests so far, their bodies parsed. */
  get received(): ReceivedWebhook[] {
    return this.recorder.requests.map(toWebhook);
  }

  /** Queues status codes for the next requests. */
  respondWith(...statuses: number[]): void {
    this.recorder.answer(...statuses.map((status) => ({ status, body: status === 200 ? '' : `status ${status}` })));
  }

  /** Resolves once `count` requests have arrived in total (rejects after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 5_000): Promise<ReceivedWebhook[]> {
    return (await this.recorder.waitFor(count, timeoutMs)).map(toWebhook);
  }

  close(): Promise<void> {
    return this.recorder.close();
  }
}

function toWebhook(r: RecordedRequest): ReceivedWebhook {
  return { raw: r.body, body: JSON.parse(r.body) as WebhookBody, headers: r.headers };
}
