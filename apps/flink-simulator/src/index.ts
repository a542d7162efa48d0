export { doubleToGoString, javaDoubleToString } from './java-format.js';
export type { Family, LabelPairs, Sample } from './metrics-builder.js';
export { groupingPath, javaUrlEncode } from './push-path.js';
export { applyReporterKeys, defaultReporterConfig, parseFlinkDuration, reporterKeysFromFlinkConf, ReporterConfigError, type ReporterConfig } from './reporter-config.js';
export { SimulatorRunner, type RunnerOptions } from './runner.js';
export { parseScenario, SCENARIOS, type Scenario } from './scenario.js';
export { defaultSimulatorOptions, FlinkSimulator, type SimulatedProcess, type SimulatorOptions } from './simulator.js';
export { writeText004 } from './text-format.js';
