/** What `--lint` asks for (upstream's `rulesLintConfig`/`configLintConfig`). */
export interface LintOptions {
  /** The duplicate-rules lint (`duplicate-rules` or `all`). */
  readonly duplicateRules: boolean;
  /** The too-long-scrape-interval lint of `check config` (`too-long-scrape-interval` or `all`). */
  readonly scrapeInterval: boolean;
  /** `--lint-fatal`: lint findings exit 3. */
  readonly fatal: boolean;
  /** Options named that no check knows, for upstream's `WARNING: unknown lint option` line. */
  readonly unknown: readonly string[];
}

/**
 * Reads a `--lint` value: comma-separated options, `none` switching every lint off. `scrapeLints`
 * says whether the config-only option is known (check config) or not (check rules).
 */
export function parseLint(value: string, fatal: boolean, scrapeLints: boolean): LintOptions {
  const options = value.split(',').filter((o) => o !== '');
  const known = new Set(['all', 'duplicate-rules', 'none', ...(scrapeLints ? ['too-long-scrape-interval'] : [])]);
  if (options.includes('none')) return { duplicateRules: false, scrapeInterval: false, fatal, unknown: [] };
  return {
    duplicateRules: options.includes('all') || options.includes('duplicate-rules'),
    scrapeInterval: scrapeLints && (options.includes('all') || options.includes('too-long-scrape-interval')),
    fatal,
    unknown: options.filter((o) => !known.has(o)),
  };
}
