import { relabel, type Labels, type RelabelRule } from '@pyrometer/model';
import type { Logger } from '@pyrometer/telemetry';
import type { PositionFile } from './position-file.js';
import { QueueManager, type QueueOptions } from './queue-manager.js';
import type { WalPosition, WalReader, WalRecordHandler, WalSource } from './wal-source.js';

export interface WriteDestinationOptions {
  queue: QueueOptions;
  /** write_relabel_configs followed by the external labels. */
  rules: readonly RelabelRule[];
  wal: WalSource;
  position: PositionFile;
  logger: Logger;
  /** How long `stop` keeps sending what is queued (the rest is sent after the next start). */
  flushDeadlineMs: number;
  /** The WAL is read on every write notification and, as a fallback, this often. */
  pollIntervalMs: number;
}

/** Figures of a destination beyond its queue's, for self-metrics and tests. */
export interface DestinationStats {
  /** Samples read but not sent: dropped by write_relabel_configs or of an unknown series. */
  dropped: number;
  /** The highest sample timestamp read from the WAL (ms). */
  highestReadTimestampMs: number;
}

/** A WAL position reached once `settled` samples have been delivered. */
interface Mark {
  settled: number;
  position: WalPosition;
}

/** Longest a read of the WAL runs before letting other work in (ms). */
const READ_SLICE_MS = 10;

/**
 * One remote_write destination fed from the WAL, as upstream's queue manager is by its WAL
 * watcher: reads records from its own delivered position, relabels each series once, and feeds its
 * queue while the queue has room (backpressure: nothing is dropped). After each batch is accepted
 * (or refused for good by a 4xx) it saves the position up to which everything was delivered, so a
 * restart resends only what was not. With no saved position it starts at the end of the WAL.
 */
export class WriteDestination implements WalRecordHandler {
  readonly queue: QueueManager;
  readonly stats: DestinationStats = { dropped: 0, highestReadTimestampMs: 0 };
  private readonly reader: WalReader;
  /** Series ref → the labels sent for it (null when write_relabel_configs drop it). */
  private readonly labels = new Map<number, Labels | null>();
  private readonly marks: Mark[] = [];
  private firstMark = 0;
  private enqueued = 0;
  private settled = 0;
  private delivered: WalPosition;
  private saved: WalPosition;
  private scheduled: NodeJS.Immediate | undefined;
  private readonly poll: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(private readonly options: WriteDestinationOptions) {
    this.queue = new QueueManager(options.queue, options.logger, (n) => this.onSettled(n));
    const start = options.position.load(options.logger);
    this.reader = options.wal.openReader(start, this);
    this.delivered = this.saved = this.reader.position;
    if (start === undefined || !samePosition(start, this.saved)) options.position.save(this.saved);
    this.unsubscribe = options.wal.onWrite(() => this.schedule());
    this.poll = setInterval(() => this.schedule(), options.pollIntervalMs).unref();
    this.schedule();
  }

  /** The segment its WAL reader is in. */
  get currentSegment(): number {
    return this.reader.currentSegment;
  }

  /** @internal WalRecordHandler: called by the reader. */
  series(ref: number, labels: Labels): void {
    this.labels.set(ref, relabel(labels, this.options.rules) ?? null);
  }

  /** @internal WalRecordHandler: called by the reader. */
  sample(ref: number, t: number, v: number, stale: boolean): void {
    if (t > this.stats.highestReadTimestampMs) this.stats.highestReadTimestampMs = t;
    const labels = this.labels.get(ref);
    if (labels === undefined || labels === null) {
      this.stats.dropped++;
      return;
    }
    this.queue.enqueue(labels, t, v, stale);
    this.enqueued++;
  }

  /**
   * Stops reading, sends what is queued for up to `flushDeadlineMs`, and saves the delivered
   * position; what was not delivered is sent after the next start.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe();
    clearInterval(this.poll);
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    await this.queue.stop(this.options.flushDeadlineMs);
    this.save();
    this.reader.close();
  }

  private schedule(): void {
    if (!this.stopped) this.scheduled ??= setImmediate(() => this.read());
  }

  /** Reads records while the queue has room, for at most one slice of time. */
  private read(): void {
    this.scheduled = undefined;
    const until = performance.now() + READ_SLICE_MS;
    try {
      while (!this.stopped && this.queue.hasRoom() && this.reader.next()) {
        this.mark(this.reader.position);
        if (performance.now() > until) {
          this.schedule();
          break;
        }
      }
    } catch (err) {
      this.options.logger.error('Reading the WAL failed; retrying', { err: err as Error });
    }
    this.advance();
  }

  /** Notes that `position` is delivered once every sample enqueued so far is. */
  private mark(position: WalPosition): void {
    const last = this.marks.at(-1);
    if (last !== undefined && this.marks.length > this.firstMark && last.settled === this.enqueued) last.position = position;
    else this.marks.push({ settled: this.enqueued, position });
  }

  private onSettled(samples: number): void {
    this.settled += samples;
    this.advance();
    this.save();
    this.schedule();
  }

  private advance(): void {
    const marks = this.marks;
    while (this.firstMark < marks.length && marks[this.firstMark]!.settled <= this.settled) this.delivered = marks[this.firstMark++]!.position;
    if (this.firstMark === marks.length || this.firstMark > 1024) {
      marks.splice(0, this.firstMark);
      this.firstMark = 0;
    }
  }

  private save(): void {
    if (samePosition(this.delivered, this.saved)) return;
    try {
      this.options.position.save(this.delivered);
      this.saved = this.delivered;
    } catch (err) {
      this.options.logger.error('Saving the remote write position failed', { dir: this.options.position.dir, err: err as Error });
    }
  }
}

function samePosition(a: WalPosition, b: WalPosition): boolean {
  return a.segment === b.segment && a.offset === b.offset;
}
