/** The PromQL features promtool's `--enable-feature` switches on. */
export interface PromqlFeatures {
  /** `promql-experimental-functions`: limitk, sort_by_label, … in rule files, tests and checks. */
  readonly experimentalFunctions: boolean;
  /** `promql-delayed-name-removal`. */
  readonly delayedNameRemoval: boolean;
}

/**
 * Reads `--enable-feature` values (each a comma-separated list, as upstream). Unknown names are
 * returned as warnings in upstream's wording; they change nothing.
 */
export function parseFeatures(values: readonly string[]): { features: PromqlFeatures; warnings: string[] } {
  let experimentalFunctions = false;
  let delayedNameRemoval = false;
  const warnings: string[] = [];
  for (const name of values.flatMap((v) => v.split(','))) {
    if (name === 'promql-experimental-functions') experimentalFunctions = true;
    else if (name === 'promql-delayed-name-removal') delayedNameRemoval = true;
    else if (name !== '') warnings.push(`  WARNING: Unknown feature passed to --enable-feature: ${name}`);
  }
  return { features: { experimentalFunctions, delayedNameRemoval }, warnings };
}
