import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { commandUsage, parseCommandLine, type CommandSpec } from './commands.js';
import { FlagError, flagBool, flagString, flagStrings } from './flags.js';

// A slice of promtool's command tree: flags at every level, required and repeated arguments.
const TOOL: CommandSpec = {
  name: 'tool',
  help: 'A tool.',
  flags: [{ name: 'enable-feature', type: 'string', repeatable: true, default: '', help: 'Features.' }],
  commands: [
    {
      name: 'check',
      help: 'Check things.',
      commands: [
        {
          name: 'rules',
          help: 'Check rule files.',
          flags: [
            { name: 'lint', type: 'string', default: 'duplicate-rules', help: 'Lints.' },
            { name: 'lint-fatal', type: 'bool', help: 'Fatal lints.' },
          ],
          args: [{ name: 'rule-files', help: 'Files.', repeated: true, existingFile: true }],
        },
      ],
    },
    {
      name: 'query',
      help: 'Query.',
      flags: [{ name: 'format', short: 'o', type: 'enum', values: ['promql', 'json'], default: 'promql', help: 'Format.' }],
      commands: [
        {
          name: 'instant',
          help: 'Instant query.',
          args: [
            { name: 'server', help: 'Server.', required: true },
            { name: 'expr', help: 'Expression.', required: true },
          ],
        },
        { name: 'series', help: 'Series.', flags: [{ name: 'match', type: 'string', repeatable: true, required: true, help: 'Selector.' }], args: [{ name: 'server', help: 'Server.', required: true }] },
      ],
    },
  ],
};

describe('parseCommandLine', () => {
  it('selects nested commands, takes flags of the root and of the command anywhere after it, and positional arguments', () => {
    const dir = tempDir();
    const files = ['a.yml', 'b.yml'].map((f) => join(dir, f));
    for (const f of files) writeFileSync(f, '');
    const parsed = parseCommandLine(TOOL, ['--enable-feature=x,y', 'check', 'rules', files[0]!, '--lint-fatal', '--enable-feature', 'z', files[1]!]);
    expect(parsed.command).toEqual(['check', 'rules']);
    expect(parsed.args.get('rule-files')).toEqual(files);
    expect(flagBool(parsed.flags, 'lint-fatal')).toBe(true);
    expect(flagString(parsed.flags, 'lint')).toBe('duplicate-rules');
    expect(flagStrings(parsed.flags, 'enable-feature')).toEqual(['x,y', 'z']);
    expect(parsed.help).toBe(false);
  });

  it('takes short flags with their value attached or separate, and everything after -- as arguments', () => {
    expect(flagString(parseCommandLine(TOOL, ['query', '-o', 'json', 'instant', 'http://x', 'up']).flags, 'format')).toBe('json');
    expect(flagString(parseCommandLine(TOOL, ['query', '-ojson', 'instant', 'http://x', 'up']).flags, 'format')).toBe('json');
    expect(parseCommandLine(TOOL, ['query', 'instant', '--', 'http://x', '-1']).args.get('expr')).toEqual(['-1']);
  });

  it('reports help for the command reached, without checking its arguments', () => {
    expect(parseCommandLine(TOOL, ['query', 'instant', '--help'])).toMatchObject({ command: ['query', 'instant'], help: true });
    expect(parseCommandLine(TOOL, ['help', 'check', 'rules'])).toMatchObject({ command: ['check', 'rules'], help: true });
    expect(parseCommandLine(TOOL, [])).toMatchObject({ command: [], help: false });
  });

  it.each([
    { name: 'unknown command', argv: ['chekc'], message: 'expected command but got "chekc"' },
    { name: 'command group without subcommand', argv: ['check'], message: "must select a subcommand of 'check'" },
    { name: "a command's flag before the command", argv: ['--lint-fatal', 'check', 'rules'], message: "unknown long flag '--lint-fatal'" },
    { name: 'unknown short flag', argv: ['query', '-x', 'instant'], message: "unknown short flag '-x'" },
    { name: 'missing argument', argv: ['query', 'instant', 'http://x'], message: "required argument 'expr' not provided" },
    { name: 'missing required flag', argv: ['query', 'series', 'http://x'], message: "required flag(s) '--match' not provided" },
    { name: 'extra argument', argv: ['query', 'instant', 'http://x', 'up', 'down'], message: "unexpected argument 'down'" },
    { name: 'missing file', argv: ['check', 'rules', '/nonexistent/rules.yml'], message: "path '/nonexistent/rules.yml' does not exist" },
    { name: 'bad enum', argv: ['query', '--format=xml', 'instant', 'a', 'b'], message: /invalid value "xml" for flag '--format'/ },
  ])('rejects $name with kingpin\'s wording', ({ argv, message }) => {
    expect(() => parseCommandLine(TOOL, argv)).toThrow(FlagError);
    expect(() => parseCommandLine(TOOL, argv)).toThrow(message);
  });
});

describe('commandUsage', () => {
  it('lists the flags in force, the arguments and the subcommands', () => {
    const rules = commandUsage('tool', TOOL, ['check', 'rules']);
    expect(rules).toMatch(/^usage: tool check rules \[<flags>\] \[<rule-files>\.\.\.\]\n\nCheck rule files\.\n/);
    expect(rules).toContain('--enable-feature=<string> ...');
    expect(rules).toContain('--[no-]lint-fatal');
    expect(rules).toContain('(default: duplicate-rules)');
    expect(rules).toContain('<rule-files>  Files.');
    const top = commandUsage('tool', TOOL, []);
    expect(top).toContain('usage: tool [<flags>] <command> [<args> ...]');
    expect(top).toContain('  query instant\n    Instant query.');
    expect(commandUsage('tool', TOOL, ['query'])).toContain('-o, --format=promql|json');
  });
});
