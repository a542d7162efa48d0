import type { Matcher } from '../labels/matcher.js';
import type { MatcherParser } from '../labels/parse.js';
import { matchersField, matchField, matchReField } from './matcher-fields.js';
import { schema, strList, type Schema } from './schema.js';

/** An `inhibit_rules:` entry as written (`config.InhibitRule`); the deprecated maps are kept apart. */
export interface InhibitRuleConfig {
  sourceMatch: Record<string, string>;
  sourceMatchRe: Record<string, string>;
  sourceMatchers: Matcher[];
  targetMatch: Record<string, string>;
  targetMatchRe: Record<string, string>;
  targetMatchers: Matcher[];
  equal: string[];
}

export function inhibitRuleSchema(parser: MatcherParser): Schema<InhibitRuleConfig> {
  return schema(
    'config.plain',
    {
      sourceMatch: matchField('source_match'),
      sourceMatchRe: matchReField('source_match_re'),
      sourceMatchers: matchersField('source_matchers', parser),
      targetMatch: matchField('target_match'),
      targetMatchRe: matchReField('target_match_re'),
      targetMatchers: matchersField('target_matchers', parser),
      equal: strList('equal', { omitEmpty: true }),
    },
    (rule, r, node) => {
      for (const l of rule.equal) if (!parser.isValidLabelName(l)) throw r.error(node, `invalid label name ${JSON.stringify(l)} in equal list`);
    },
  );
}
