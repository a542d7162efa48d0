import { goQuote } from '../go-quote.js';
import { isLegacyLabelName, isValidLabelName } from '../label-names.js';
import { AnchoredRegex, RegexSyntaxError } from '../regex.js';
import { hasTemplateVariable } from './expand.js';

/** Every relabel action Prometheus knows, by its configuration spelling. */
export const RelabelAction = {
  Replace: 'replace',
  Keep: 'keep',
  Drop: 'drop',
  KeepEqual: 'keepequal',
  DropEqual: 'dropequal',
  HashMod: 'hashmod',
  LabelMap: 'labelmap',
  LabelDrop: 'labeldrop',
  LabelKeep: 'labelkeep',
  Lowercase: 'lowercase',
  Uppercase: 'uppercase',
} as const;
export type RelabelAction = (typeof RelabelAction)[keyof typeof RelabelAction];

const ACTIONS: ReadonlySet<string> = new Set(Object.values(RelabelAction));

/**
 * One relabeling rule as written in prometheus.yml (`relabel_configs`, `metric_relabel_configs`,
 * `alert_relabel_configs`, `write_relabel_configs`), with camelCase names. Start from
 * {@link defaultRelabelConfig} and override what the user wrote: the defaults matter, because
 * several actions reject fields that differ from them.
 */
export interface RelabelConfig {
  /** Labels whose values are joined with `separator` into the input of `regex`; empty = not set. */
  readonly sourceLabels: readonly string[];
  /** Default `;`. */
  readonly separator: string;
  /** RE2 pattern, matched fully anchored with `.` matching newlines; default `(.*)`. */
  readonly regex: string;
  /** For `hashmod`: the bucket count, a positive safe integer; 0 = not set. */
  readonly modulus: number;
  /** The label written by `replace`, `hashmod`, `lowercase`, `uppercase`, or compared by `keepequal`/`dropequal`; may use `$1`/`${name}` for `replace`. */
  readonly targetLabel: string;
  /** Template for `replace` and `labelmap`; default `$1`. */
  readonly replacement: string;
  /** One of {@link RelabelAction}, case-insensitive as upstream; default `replace`. `''` stands for a missing or null action. */
  readonly action: string;
}

/** Upstream's defaults (`relabel.DefaultRelabelConfig`): replace `(.*)` with `$1`, separator `;`. */
export function defaultRelabelConfig(): RelabelConfig {
  return { sourceLabels: [], separator: ';', regex: '(.*)', modulus: 0, targetLabel: '', replacement: '$1', action: RelabelAction.Replace };
}

/** How label names are checked: Prometheus 3's UTF-8 rules (default) or the legacy character set. */
export interface RelabelValidationOptions {
  /** True for `metric_name_validation_scheme: legacy`. */
  readonly legacy?: boolean;
}

// A target label under the legacy rules that may contain $var / ${var} references.
const LEGACY_TARGET_WITH_VARS = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;

/**
 * Checks a rule as Prometheus does when loading a configuration, returning upstream's message for
 * the first problem (for example `relabel configuration for replace action requires
 * 'target_label' value`) or `undefined` when the rule is valid. Never throws.
 */
export function validateRelabelConfig(config: RelabelConfig, options: RelabelValidationOptions = {}): string | undefined {
  const action = config.action.toLowerCase();
  const validName = options.legacy ? isLegacyLabelName : isValidLabelName;
  const validNameWithVars = options.legacy ? (s: string) => LEGACY_TARGET_WITH_VARS.test(s) : isValidLabelName;
  const defaults = defaultRelabelConfig();
  const target = config.targetLabel;

  if (action === '') return 'relabel action cannot be empty';
  if (!ACTIONS.has(action)) return `unknown relabel action ${goQuote(config.action)}`;
  try {
    new AnchoredRegex(config.regex);
  } catch (err) {
    if (err instanceof RegexSyntaxError) return err.detail;
    throw err;
  }
  if (!(Number.isSafeInteger(config.modulus) && config.modulus >= 0)) return `invalid modulus ${config.modulus}: must be a non-negative integer`;
  if (config.modulus === 0 && action === RelabelAction.HashMod) return 'relabel configuration for hashmod requires non-zero modulus';

  const writesTarget = action === RelabelAction.Replace || action === RelabelAction.HashMod || action === RelabelAction.Lowercase || action === RelabelAction.Uppercase;
  const comparesTarget = action === RelabelAction.KeepEqual || action === RelabelAction.DropEqual;
  const fixedTarget = action === RelabelAction.Lowercase || action === RelabelAction.Uppercase || comparesTarget;
  const invalidTarget = `${goQuote(target)} is invalid 'target_label' for ${action} action`;

  if ((writesTarget || comparesTarget) && target === '') return `relabel configuration for ${action} action requires 'target_label' value`;
  if (action === RelabelAction.Replace && !hasTemplateVariable(target) && !validName(target)) return invalidTarget;
  if (action === RelabelAction.Replace && hasTemplateVariable(target) && !validNameWithVars(target)) return invalidTarget;
  if (fixedTarget && !validName(target)) return invalidTarget;
  if (fixedTarget && config.replacement !== defaults.replacement) return `'replacement' can not be set for ${action} action`;
  if (action === RelabelAction.LabelMap && !validNameWithVars(config.replacement)) return `${goQuote(config.replacement)} is invalid 'replacement' for ${action} action`;
  if (action === RelabelAction.HashMod && !validName(target)) return invalidTarget;

  if (comparesTarget && (config.regex !== defaults.regex || config.modulus !== defaults.modulus || config.separator !== defaults.separator || config.replacement !== defaults.replacement)) {
    return `${action} action requires only 'source_labels' and \`target_label\`, and no other fields`;
  }
  if (
    (action === RelabelAction.LabelDrop || action === RelabelAction.LabelKeep) &&
    (config.sourceLabels.length > 0 || target !== defaults.targetLabel || config.modulus !== defaults.modulus || config.separator !== defaults.separator || config.replacement !== defaults.replacement)
  ) {
    return `${action} action requires only 'regex', and no other fields`;
  }
  return undefined;
}
