export { RulesError, type RuleFileLocation, type RulesErrorCode } from './errors.js';
export { checkRuleFile, checkRulesExitCode, duplicateRulesMessage, findDuplicateRules, type DuplicateRule, type RuleCheckOptions, type RuleFileCheck, type RulesLint } from './rulefmt/check.js';
export { loadRuleFile, parseRuleFile, type ParsedRuleFile, type RuleConfig, type RuleFileOptions, type RuleGroupConfig } from './rulefmt/rule-file.js';
