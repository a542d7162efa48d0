import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuietPeriod } from './quiet-period.js';

describe('QuietPeriod', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls back once a quiet spell has lasted its period, not when tasks come back to back', () => {
    let calls = 0;
    const period = new QuietPeriod(50, () => calls++);
    for (let task = 0; task < 10; task++) {
      period.busy();
      vi.advanceTimersByTime(5);
      period.quiet();
      vi.advanceTimersByTime(20);
    }
    expect(calls).toBe(0);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(29);
    expect(calls).toBe(0);
    vi.advanceTimersByTime(1);
    expect(calls).toBe(1);
    period.quiet();
    vi.advanceTimersByTime(49);
    expect(calls).toBe(1);
    vi.advanceTimersByTime(1);
    expect(calls).toBe(2);
  });

  it('a spell already under way keeps its start, and a stopped period calls back no more', () => {
    let calls = 0;
    const period = new QuietPeriod(50, () => calls++);
    period.quiet();
    vi.advanceTimersByTime(30);
    period.quiet();
    vi.advanceTimersByTime(20);
    expect(calls).toBe(1);
    period.quiet();
    period.stop();
    vi.advanceTimersByTime(100);
    expect(calls).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
