export { goQuote } from './go-quote.js';
export { isLegacyLabelName, isLegacyMetricName, isValidLabelName, isValidMetricName, isValidUtf8, METRIC_NAME_LABEL } from './label-names.js';
export { Labels, LabelsBuilder } from './labels.js';
export { Matcher, MatchType, matchesAll } from './matcher.js';
export { AnchoredRegex, RegexSyntaxError } from './regex.js';
