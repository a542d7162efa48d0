import { SCENARIOS, type Scenario } from '@pyrometer/flink-simulator';
import { describe, expect, it } from 'vitest';
import { playScenario } from './flink-scenarios.js';

// Each scenario of the Flink simulator, played through the Pushgateway store, the scrape manager
// and the rule manager with deploy/rules on a manual clock (simulated time: minutes take seconds),
// raises exactly its alerts — and `steady` none. Times are simulated ms after the scenario began;
// the bounds are what deploy/rules/README.md reports for these scenarios.

const MINUTE = 60_000;

interface Expectation {
  /** How long the scenario runs after a 3-minute steady warm-up. */
  readonly durationMs: number;
  /** Every alert that must fire, and the latest time it may first fire. */
  readonly alerts: Readonly<Record<string, number>>;
}

const EXPECTED: Readonly<Record<Scenario, Expectation>> = {
  // Longer than the longest window of any rule (15m) plus its `for`.
  steady: { durationMs: 17 * MINUTE, alerts: {} },
  backpressure: { durationMs: 8 * MINUTE, alerts: { FlinkBackpressure: 6 * MINUTE, FlinkWatermarkLag: 6 * MINUTE, FlinkCheckpointSlow: 7 * MINUTE } },
  // The simulator reports the failed checkpoints' 10-minute duration as lastCheckpointDuration, so they are slow too.
  'checkpoint-failures': { durationMs: 16 * MINUTE, alerts: { FlinkCheckpointsFailing: 2 * MINUTE, FlinkCheckpointSlow: 3 * MINUTE, FlinkCheckpointsNotCompleting: 16 * MINUTE } },
  'taskmanager-loss': { durationMs: 6 * MINUTE, alerts: { FlinkTaskManagerLost: 2 * MINUTE, PushgatewayGroupStale: 5 * MINUTE } },
  'restart-loop': { durationMs: 4 * MINUTE, alerts: { FlinkJobRestartLoop: 3 * MINUTE } },
};

const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;

describe('the Flink alert pack on the simulator’s scenarios', () => {
  it.each(SCENARIOS)('%s raises its alerts and no other', async (scenario) => {
    const expected = EXPECTED[scenario];
    const fired = await playScenario(scenario, { warmupMs: 3 * MINUTE, durationMs: expected.durationMs });
    console.log(`${scenario}: ${[...fired].map(([alert, t]) => `${alert} after ${seconds(t)}`).join(', ') || 'no alert'}`);
    expect([...fired].filter(([, t]) => t < 0), 'alerts during the steady warm-up').toEqual([]);
    expect([...fired.keys()].sort()).toEqual(Object.keys(expected.alerts).sort());
    for (const [alert, within] of Object.entries(expected.alerts)) expect(fired.get(alert), alert).toBeLessThanOrEqual(within);
  }, 240_000);
});
