import { goQuote } from '@pyrometer/model';

/** Every condition the rules package reports, as a closed union of stable codes. */
export type RulesErrorCode =
  /** A rule file could not be read. */
  | 'read'
  /** A rule file is not well-formed YAML, or a field has the wrong type or is unknown. */
  | 'yaml'
  /** A rule file is well-formed but breaks a rule (upstream's `rulefmt` validation). */
  | 'invalid'
  /** A rule produced two samples with the same labels once its labels were applied. */
  | 'duplicate_labelset'
  /** A rule produced more series or alerts than its group's `limit`. */
  | 'limit_exceeded'
  /** A rule's expression evaluated to something other than an instant vector or a scalar. */
  | 'result_type';

/** Where in a rule file a problem is. All fields are optional: a read error has only the file. */
export interface RuleFileLocation {
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  col?: number;
  group?: string;
  /** 1-based position of the rule in its group. */
  rule?: number;
  /** The rule's `record` or `alert` name (may be empty). */
  ruleName?: string;
}

/**
 * The one error class of the rules package. For rule-file problems the message is upstream's
 * layout — `file: line:col: group "g", rule 2, "name": problem` — so it names the file, the line
 * and the group and rule; `problem` holds the text alone and `location` the parts.
 */
export class RulesError extends Error {
  override readonly name = 'RulesError';
  readonly problem: string;

  constructor(
    readonly code: RulesErrorCode,
    problem: string,
    readonly location: RuleFileLocation = {},
    options?: { cause?: unknown },
  ) {
    super(formatLocation(location) + problem, options);
    this.problem = problem;
  }
}

function formatLocation(l: RuleFileLocation): string {
  let out = l.file !== undefined ? `${l.file}: ` : '';
  if (l.line !== undefined) out += l.col !== undefined ? `${l.line}:${l.col}: ` : `${l.line}: `;
  if (l.group !== undefined && l.rule !== undefined) out += `group ${goQuote(l.group)}, rule ${l.rule}, ${goQuote(l.ruleName ?? '')}: `;
  return out;
}
