import type { WebhookPayload } from './payload.js';

/** One notification as the receiver got it. */
export interface ReceivedNotification {
  /** 1 for the first notification since the start, then counting up. */
  readonly id: number;
  /** When it arrived, ms since the epoch. */
  readonly receivedAt: number;
  /** The request path it was POSTed to (e.g. `/critical`): which webhook_config sent it. */
  readonly path: string;
  readonly payload: WebhookPayload;
}

/**
 * The latest notifications, in memory: at most `capacity`, the oldest dropped first. Not
 * persisted: a restarted receiver starts empty (Alertmanager keeps the history that matters, in
 * its notification log).
 */
export class Inbox {
  private readonly entries: ReceivedNotification[] = [];
  private received = 0;

  constructor(private readonly capacity: number) {}

  add(path: string, payload: WebhookPayload, receivedAt: number): ReceivedNotification {
    const entry: ReceivedNotification = { id: ++this.received, receivedAt, path, payload };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
    return entry;
  }

  /** The kept notifications, newest first. */
  newestFirst(): readonly ReceivedNotification[] {
    return [...this.entries].reverse();
  }

  /** How many arrived since the start, including those no longer kept. */
  get total(): number {
    return this.received;
  }
}
