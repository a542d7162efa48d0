import { BodyBuffer } from './http-target-client.js';

/** The most free body buffers a pool keeps for the next fetches (scrapes that read at the same moment). */
const FREE_BODIES = 4;

/**
 * The body buffers a scrape manager's loops share: each scrape takes one for its fetch and parse
 * and gives it back. A buffer per loop held between scrapes cost a whole body per target (the
 * scrape cache keeps another, its guesses), ~100 bytes per scraped series; a few free ones serve
 * the loops that read at the same moment. Owned by one manager, so its memory goes with it.
 */
export class BodyBufferPool {
  private readonly free: BodyBuffer[] = [];

  /** A buffer for one fetch, a free one when there is one. */
  take(): BodyBuffer {
    return this.free.pop() ?? new BodyBuffer();
  }

  /** Gives back a buffer from {@link take} whose bytes are no longer read; a few are kept. */
  giveBack(buffer: BodyBuffer): void {
    if (this.free.length < FREE_BODIES) this.free.push(buffer);
  }
}
