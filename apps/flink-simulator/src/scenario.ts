/** The behaviours the simulator can play, chosen by `--scenario`. */
export const SCENARIOS = ['steady', 'backpressure', 'checkpoint-failures', 'taskmanager-loss', 'restart-loop'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export function parseScenario(value: string): Scenario {
  if ((SCENARIOS as readonly string[]).includes(value)) return value as Scenario;
  throw new Error(`unknown scenario ${JSON.stringify(value)}; expected one of ${SCENARIOS.join(', ')}`);
}
