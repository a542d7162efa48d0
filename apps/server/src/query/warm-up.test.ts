import { Engine } from '@pyrometer/promql';
import { describe, expect, it } from 'vitest';
import { WARM_UP_QUERIES, WarmUpWhenIdle, warmUp } from './warm-up.js';

describe('query worker warm-up', () => {
  it('answers every dashboard shape over its synthetic chunks, every round', async () => {
    expect(await warmUp(new Engine(), { aborted: false })).toEqual({ next: WARM_UP_QUERIES, answered: WARM_UP_QUERIES });
  });

  it('stops as soon as it is told to (a task arrived), and says where to resume', async () => {
    expect(await warmUp(new Engine(), { aborted: true })).toEqual({ next: 0, answered: 0 });
    let checks = 0;
    const stop = { get aborted() { return ++checks > 40; } };
    const { next } = await warmUp(new Engine(), stop);
    expect(next).toBeLessThan(WARM_UP_QUERIES);
    expect(await warmUp(new Engine(), { aborted: false }, next)).toEqual({ next: WARM_UP_QUERIES, answered: WARM_UP_QUERIES - next });
  });

  it('lets a message that arrives while it runs be read before its next query (a worker\'s first task)', async () => {
    const stop = { aborted: false };
    // Over synthetic data the engine never waits for I/O: only a turn of the event loop runs this.
    setImmediate(() => (stop.aborted = true));
    expect((await warmUp(new Engine(), stop)).next).toBeLessThanOrEqual(1);
  });

  it('resumes at the next idle moment where a task stopped it, until it has run through', async () => {
    let resume: () => void = () => {};
    const warm = new WarmUpWhenIdle(new Engine(), true, { paused: () => resume(), readMessages: () => {} }, 0);
    const sliceEnded = (): Promise<boolean> =>
      Promise.race([new Promise<boolean>((resolve) => (resume = () => resolve(true))), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 500))]);
    let slices = 0;
    for (; slices <= WARM_UP_QUERIES; slices++) {
      const ended = sliceEnded();
      warm.idle();
      // A task arrives at the slice's first query: the slice ends there.
      setTimeout(() => setImmediate(() => warm.taskArrived()));
      if (!(await ended)) break;
    }
    // More than one slice (it resumed), and it ended (it did not start over each time).
    expect(slices).toBeGreaterThan(1);
    expect(slices).toBeLessThanOrEqual(WARM_UP_QUERIES);
  });

  it('reads the worker\'s messages while a warm-up query runs, and stops that query when one is a task', async () => {
    let reads = 0;
    const paused = new Promise<void>((resolve) => {
      const warm = new WarmUpWhenIdle(new Engine(), true, {
        paused: resolve,
        // A task is among the messages read at the query's fifth check: without reading them
        // mid-query, it would be read only between two queries, by which time the first had run.
        readMessages: () => {
          if (++reads === 5) warm.taskArrived();
        },
      }, 0);
      warm.idle();
    });
    await paused;
    expect(reads).toBe(5);
  });

  it('neither starts nor resumes while held (a task runs on another worker), and goes on once released', async () => {
    let checks = 0;
    let paused: () => void = () => {};
    const warm = new WarmUpWhenIdle(new Engine(), true, { paused: () => paused(), readMessages: () => checks++ }, 0);
    warm.hold(true);
    warm.idle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(checks).toBe(0);
    // Released, it runs; held again while it runs, it stops at the engine's next check.
    const stopped = new Promise<void>((resolve) => (paused = resolve));
    warm.hold(false);
    warm.idle();
    setTimeout(() => setImmediate(() => warm.hold(true)));
    await stopped;
    expect(checks).toBeGreaterThan(0);
    expect(warm.done).toBe(false);
    const ended = new Promise<void>((resolve) => (paused = resolve));
    warm.hold(false);
    warm.idle();
    await ended;
    expect(warm.done).toBe(true);
  });

  it('starts only once the worker has had no task for its idle time', async () => {
    let checks = 0;
    let paused: () => void = () => {};
    const warm = new WarmUpWhenIdle(new Engine(), true, { paused: () => paused(), readMessages: () => checks++ }, 50);
    // A task arrives 10 ms into the idle time: no warm-up query starts (none reads messages).
    warm.idle();
    setTimeout(() => warm.taskArrived(), 10);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(checks).toBe(0);
    // Left idle, it runs through.
    const ended = new Promise<void>((resolve) => (paused = resolve));
    warm.idle();
    await ended;
    expect(checks).toBeGreaterThan(0);
    expect(warm.done).toBe(true);
  });
});
