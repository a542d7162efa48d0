/** The label that holds a series' metric name. */
export const METRIC_NAME_LABEL = '__name__';

const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** True when `name` is a label name under the legacy (pre-UTF-8) rules: `[a-zA-Z_][a-zA-Z0-9_]*`. */
export function isLegacyLabelName(name: string): boolean {
  return LEGACY_LABEL_NAME.test(name);
}

/** True when `name` is a metric name under the legacy rules: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export function isLegacyMetricName(name: string): boolean {
  return LEGACY_METRIC_NAME.test(name);
}

/**
 * True when `s` is well-formed UTF-16, i.e. it encodes to valid UTF-8 (no lone surrogates).
 * Prometheus requires label values and UTF-8 names to be valid UTF-8.
 */
export function isValidUtf8(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return false;
    const next = s.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
    i++;
  }
  return true;
}

/** True when `name` is a label name under Prometheus 3's UTF-8 rules: non-empty valid UTF-8. */
export function isValidLabelName(name: string): boolean {
  return name.length > 0 && isValidUtf8(name);
}

/** True when `name` is a metric name under Prometheus 3's UTF-8 rules: non-empty valid UTF-8. */
export function isValidMetricName(name: string): boolean {
  return name.length > 0 && isValidUtf8(name);
}
