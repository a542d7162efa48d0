/**
 * Runs tasks one at a time in submission order (the Pushgateway's write queue). A task's failure
 * rejects its own promise only; later tasks still run.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Tasks submitted and not finished yet. */
  get pending(): number {
    return this.waiting;
  }

  run<T>(task: () => T | Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(task).finally(() => this.waiting--);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
