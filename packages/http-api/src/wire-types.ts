// Types of the HTTP API v1 answers (the `data` of the envelope), as upstream's JSON has them:
// what the UI reads and what the server writes. Times are RFC 3339 strings, durations Go
// duration strings ("15s"), sample values strings (Go float format), unless noted.

/** The envelope of every `/api/v1` answer. */
export interface ApiEnvelope<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
  warnings?: string[];
  infos?: string[];
}

export type LabelSet = Record<string, string>;

/** `[<unix seconds>, "<value>"]`. */
export type SamplePair = [number, string];

/** A native histogram as the API writes it; buckets are `[boundaryRule, lower, upper, count]`. */
export interface HistogramValue {
  count: string;
  sum: string;
  buckets?: [number, string, string, string][];
}

export interface InstantSample {
  metric: LabelSet;
  value?: SamplePair;
  histogram?: [number, HistogramValue];
}

export interface RangeSeries {
  metric: LabelSet;
  values?: SamplePair[];
  histograms?: [number, HistogramValue][];
}

/** `data` of `/query` and `/query_range`. */
export type QueryData =
  | { resultType: 'vector'; result: InstantSample[] }
  | { resultType: 'matrix'; result: RangeSeries[] }
  | { resultType: 'scalar'; result: SamplePair }
  | { resultType: 'string'; result: [number, string] };

export type TargetHealth = 'up' | 'down' | 'unknown';

export interface ActiveTarget {
  discoveredLabels: LabelSet;
  labels: LabelSet;
  scrapePool: string;
  scrapeUrl: string;
  globalUrl: string;
  lastError: string;
  lastScrape: string;
  /** Seconds. */
  lastScrapeDuration: number;
  health: TargetHealth;
  scrapeInterval: string;
  scrapeTimeout: string;
}

export interface DroppedTarget {
  discoveredLabels: LabelSet;
  scrapePool?: string;
}

/** `data` of `/targets`. */
export interface TargetsData {
  activeTargets: ActiveTarget[];
  droppedTargets: DroppedTarget[];
  droppedTargetCounts: Record<string, number>;
}

/** `data` of `/targets/relabel_steps`: each rule with the labels after it and whether the target was kept. */
export interface RelabelStepsData {
  steps: { rule: Record<string, unknown>; output: LabelSet; keep: boolean }[];
}

export type AlertState = 'inactive' | 'pending' | 'firing';
export type RuleHealth = 'ok' | 'err' | 'unknown';

export interface RuleAlert {
  labels: LabelSet;
  annotations: LabelSet;
  state: AlertState;
  activeAt?: string;
  keepFiringSince?: string;
  value: string;
}

interface RuleCommon {
  name: string;
  query: string;
  labels?: LabelSet;
  health: RuleHealth;
  lastError?: string;
  /** Seconds. */
  evaluationTime: number;
  lastEvaluation: string;
}

export interface AlertingRule extends RuleCommon {
  type: 'alerting';
  state: AlertState;
  /** Seconds. */
  duration: number;
  /** Seconds. */
  keepFiringFor?: number;
  annotations: LabelSet;
  alerts?: RuleAlert[];
}

export interface RecordingRule extends RuleCommon {
  type: 'recording';
}

export type Rule = AlertingRule | RecordingRule;

export interface RuleGroup {
  name: string;
  file: string;
  rules: Rule[];
  /** Seconds. */
  interval: number;
  limit?: number;
  /** Seconds. */
  evaluationTime: number;
  lastEvaluation: string;
}

/** `data` of `/rules`. */
export interface RulesData {
  groups: RuleGroup[];
  groupNextToken?: string;
}

/** `data` of `/alerts`. */
export interface AlertsData {
  alerts: RuleAlert[];
}

/** `data` of `/alertmanagers`. */
export interface AlertmanagersData {
  activeAlertmanagers: { url: string }[];
  droppedAlertmanagers: { url: string }[];
}

/** `data` of `/status/buildinfo`. */
export interface BuildInfoData {
  version: string;
  revision: string;
  branch: string;
  buildUser: string;
  buildDate: string;
  goVersion: string;
}

/** `data` of `/status/runtimeinfo`. */
export interface RuntimeInfoData {
  startTime: string;
  CWD: string;
  hostname?: string;
  serverTime?: string;
  reloadConfigSuccess: boolean;
  lastConfigTime: string;
  corruptionCount: number;
  goroutineCount: number;
  GOMAXPROCS: number;
  GOMEMLIMIT?: number;
  GOGC: string;
  GODEBUG: string;
  storageRetention: string;
}

export interface NameCount {
  name: string;
  value: number;
}

/** `data` of `/status/tsdb`. */
export interface TsdbStatusData {
  headStats: { numSeries: number; numLabelPairs: number; chunkCount: number; minTime: number; maxTime: number };
  seriesCountByMetricName: NameCount[];
  labelValueCountByLabelName: NameCount[];
  memoryInBytesByLabelName: NameCount[];
  seriesCountByLabelValuePair: NameCount[];
}

/** One node of `/parse_query`'s syntax tree (upstream's translateAST); fields depend on `type`. */
export interface AstNode {
  type: 'aggregation' | 'binaryExpr' | 'call' | 'matrixSelector' | 'subquery' | 'numberLiteral' | 'parenExpr' | 'stringLiteral' | 'unaryExpr' | 'vectorSelector';
  [field: string]: unknown;
}
