import { ConfigError } from './errors.js';
import { YamlReader } from './internal/yaml-reader.js';

/**
 * The part of rule-file loading that belongs to loading prometheus.yml (the rule format itself is
 * `@pyrometer/rules`' business): every `rule_files` pattern must be a valid glob (Go's
 * filepath.Glob syntax), a path without `*` must name an existing file (promtool's rule), and every
 * file a pattern names must be readable YAML. Throws a {@link ConfigError} naming the file (and
 * line and column for YAML errors); `expand` lists the files of a pattern.
 */
export async function checkRuleFiles(configFile: string, patterns: readonly string[], expand: (pattern: string) => Promise<string[]>, read: (file: string) => Promise<string>): Promise<void> {
  for (const pattern of patterns) {
    const bad = globSyntaxError(pattern);
    if (bad !== undefined) throw new ConfigError('invalid', `error retrieving rule files for ${JSON.stringify(pattern)}: ${bad}`, { file: configFile });
    const files = await expand(pattern);
    if (!pattern.includes('*') && files.length === 0) throw new ConfigError('invalid', `rule file ${JSON.stringify(pattern)} does not point to an existing file`, { file: configFile });
    for (const file of files) new YamlReader(file, await read(file));
  }
}

/** Why `pattern` is not a valid Go glob (an unclosed or empty `[…]`, a reversed range, a trailing `\`), or undefined. */
function globSyntaxError(pattern: string): string | undefined {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 >= pattern.length) return 'syntax error in pattern (trailing \\)';
      i++;
    } else if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      const start = j;
      while (j < pattern.length && (pattern[j] !== ']' || j === start)) {
        if (pattern[j] === '-' && j > start && j + 1 < pattern.length && pattern[j + 1] !== ']' && pattern[j + 1]! < pattern[j - 1]!) return 'syntax error in pattern (reversed range)';
        j++;
      }
      if (j >= pattern.length || j === start) return 'syntax error in pattern (unclosed [)';
      i = j;
    }
  }
  return undefined;
}
