export { TemplateError, functionError, type TemplateErrorCode } from './errors.js';
export { TemplateSet, type TemplateSetOptions } from './engine/template-set.js';
export type { MissingKey, OutputSink } from './engine/exec-state.js';
export { templateFunction, type FuncMap, type ParamType, type TemplateFunction } from './engine/functions.js';
export { htmlEscapeString, jsEscapeString, urlQueryEscape } from './engine/escape.js';
export { sprint, sprintf, sprintln } from './fmt/print.js';
export { GO_METHODS, GO_TYPE, GoMap, StringMap, TypedString } from './values.js';
export { GoDuration } from './gotime/duration.js';
export { GoTime } from './gotime/time.js';
export { fixedZone, UTC, type Zone, type ZoneInfo, type ZoneLoader } from './gotime/zone.js';
export { zoneFromTzif } from './gotime/tzif.js';
export { prometheusFunctions, humanize, humanize1024, type PrometheusFunctionContext } from './prometheus/functions.js';
export { QueryResult, QuerySampleValue, type QueryFunc, type QuerySample } from './prometheus/query-result.js';
export {
  AlertTemplateData,
  AlertTemplateExpander,
  checkAlertTemplate,
  expandPrometheusTemplate,
  type AlertExpansion,
  type AlertTemplateExpanderOptions,
  type ExpandOptions,
  type LabelPairs,
} from './prometheus/expander.js';
export type { ExecuteOptions } from './engine/template-set.js';
export { alertmanagerFunctions, type AlertmanagerFunctionOptions } from './alertmanager/functions.js';
export { Alert, Alerts, buildTemplateData, KV, Pair, Pairs, quoteMeta, Strings, TemplateData, type NotificationAlert, type TemplateDataInput } from './alertmanager/data.js';
export { templateDataJSON } from './alertmanager/data-json.js';
export { NotificationTemplates, type NotificationTemplatesOptions } from './alertmanager/templates.js';
export { HtmlSink } from './html/sink.js';
export type { PrintHints } from './engine/exec-state.js';
export { marshalJSON } from './common/go-json.js';
