export { Annotations, annotations, type Annotation, type PositionRange } from './annotations.js';
export { Engine, type CancelSignal, type ParsedQuery, type Query, type QueryResult, type QueryStats } from './engine/engine.js';
export { matrixColumns, type MatrixColumns } from './engine/matrix-series.js';
export { defaultEngineOptions, type EngineOptions, type ExperimentalFeatures } from './engine/options.js';
export { apiErrorType, PromQLError, PromQLErrorCode, queryStopped } from './errors.js';
export { builtinTestEngineOptions, runTestFile, type CaseResult, type RunOptions, type TestStorage } from './promqltest/runner.js';
export { SKIP_LIST, skipMapFor, type SkipEntry } from './promqltest/skip-list.js';
export { promqlConformanceSuite, scriptCases, type ScriptCase, type ScriptOutcome } from './promqltest/suite.js';
export type { FPoint, HPoint, Sample, Series, Value, ValueTypeName } from './value.js';
