import { goQuote } from '@pyrometer/model';
import { TemplateError } from '../errors.js';
import { describeItem, Item, Lexer, type LexItem } from './lexer.js';
import {
  isEmptyTree,
  nodeString,
  type ArgNode,
  type BranchNode,
  type CommandNode,
  type ListNode,
  type Node,
  type PipeNode,
  type TemplateNode,
  type TreeSource,
  type VariableNode,
} from './nodes.js';
import { parseNumber } from './number-literal.js';
import { unquoteGo } from './unquote.js';

/** A parsed template: its name and body. */
export interface ParsedTree {
  readonly name: string;
  readonly root: ListNode;
}

/** What the parser needs to know besides the text. */
export interface ParseOptions {
  readonly leftDelim?: string;
  readonly rightDelim?: string;
  /** Whether a function of this name exists; unknown names fail with `function "x" not defined`. */
  readonly hasFunction: (name: string) => boolean;
}

const MAX_PAREN_DEPTH = 10000;
const MAX_PIPELINE_COMMANDS = 100000;

/**
 * Parses `text` as the template `name`, returning every tree it defines: `name` itself and one per
 * `{{define}}` / `{{block}}`. Throws {@link TemplateError} `parse` with Go's message
 * (`template: NAME:LINE: …`). Defining the same non-empty template twice in one text is an error.
 */
export function parseTemplates(name: string, text: string, options: ParseOptions): Map<string, ParsedTree> {
  const source: TreeSource = { parseName: name, text };
  const lexer = new Lexer(text, options.leftDelim || '{{', options.rightDelim || '}}', {
    emitComment: false,
    breakOK: !options.hasFunction('break'),
    continueOK: !options.hasFunction('continue'),
  });
  const treeSet = new Map<string, ParsedTree>();
  new Parser(name, source, lexer, treeSet, options.hasFunction).parseTopLevel();
  return treeSet;
}

class ParseAbort {
  constructor(readonly message: string) {}
}

class Parser {
  private readonly token: LexItem[] = [];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;
  private parenDepth = 0;
  private root: ListNode | undefined;

  constructor(
    private name: string,
    private readonly source: TreeSource,
    private readonly lex: Lexer,
    private readonly treeSet: Map<string, ParsedTree>,
    private readonly hasFunction: (name: string) => boolean,
  ) {}

  parseTopLevel(): void {
    try {
      this.root = this.newList(this.peek().pos);
      while (this.peek().type !== Item.EOF) {
        if (this.peek().type === Item.LeftDelim) {
          const delim = this.next();
          if (this.nextNonSpace().type === Item.Define) {
            new Parser('definition', this.source, this.lex, this.treeSet, this.hasFunction).parseDefinition();
            continue;
          }
          this.backup2(delim);
        }
        const n = this.textOrAction();
        if (n.kind === 'end' || n.kind === 'else') this.errorf(`unexpected ${n.kind === 'end' ? '{{end}}' : '{{else}}'}`);
        this.root.nodes.push(n as Node);
      }
      this.add();
    } catch (err) {
      if (err instanceof ParseAbort) throw new TemplateError('parse', err.message);
      throw err;
    }
  }

  // --- token stream ---

  private next(): LexItem {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount]!;
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: LexItem): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: LexItem, t1: LexItem): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): LexItem {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }

  private nextNonSpace(): LexItem {
    let token: LexItem;
    do token = this.next();
    while (token.type === Item.Space);
    return token;
  }

  private peekNonSpace(): LexItem {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  // --- errors ---

  private errorf(message: string): never {
    throw new ParseAbort(`template: ${this.source.parseName}:${this.token[0]?.line ?? 1}: ${message}`);
  }

  private expect(expected: number, context: string): LexItem {
    const token = this.nextNonSpace();
    if (token.type !== expected) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: LexItem, context: string): never {
    if (token.type === Item.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.source.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${describeItem(token)}${extra}`);
    }
    this.errorf(`unexpected ${describeItem(token)} in ${context}`);
  }

  // --- tree set ---

  private add(): void {
    const existing = this.treeSet.get(this.name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.treeSet.set(this.name, { name: this.name, root: this.root! });
      return;
    }
    if (!isEmptyTree(this.root)) this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameToken = this.nextNonSpace();
    if (nameToken.type !== Item.String && nameToken.type !== Item.RawString) this.unexpected(nameToken, context);
    this.name = this.unquote(nameToken.val);
    this.expect(Item.RightDelim, context);
    const [list, end] = this.itemList();
    if (end.kind !== 'end') this.errorf(`unexpected ${describeEnd(end)} in ${context}`);
    this.root = list;
    this.add();
  }

  // --- lists and actions ---

  private itemList(): [ListNode, EndOrElse] {
    const list = this.newList(this.peekNonSpace().pos);
    while (this.peekNonSpace().type !== Item.EOF) {
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node | EndOrElse {
    const token = this.nextNonSpace();
    switch (token.type) {
      case Item.Text:
        return { kind: 'text', pos: token.pos, source: this.source, text: token.val };
      case Item.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case Item.Comment:
        return { kind: 'comment', pos: token.pos, source: this.source, text: token.val };
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(): Node | EndOrElse {
    const token = this.nextNonSpace();
    switch (token.type) {
      case Item.Block:
        return this.blockControl();
      case Item.Break:
        return this.loopControl('break', token);
      case Item.Continue:
        return this.loopControl('continue', token);
      case Item.Else:
        return this.elseControl();
      case Item.End:
        return { kind: 'end', pos: this.expect(Item.RightDelim, 'end').pos };
      case Item.If:
        return this.branch('if');
      case Item.Range:
        return this.branch('range');
      case Item.Template:
        return this.templateControl();
      case Item.With:
        return this.branch('with');
    }
    this.backup();
    const start = this.peek();
    // Variables declared here persist until the enclosing {{end}}.
    return { kind: 'action', pos: start.pos, line: start.line, source: this.source, pipe: this.pipeline('command', Item.RightDelim) };
  }

  private loopControl(kind: 'break' | 'continue', token: LexItem): Node {
    const after = this.nextNonSpace();
    if (after.type !== Item.RightDelim) this.unexpected(after, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { kind, pos: token.pos, line: token.line, source: this.source };
  }

  private elseControl(): EndOrElse {
    const peek = this.peekNonSpace();
    // "{{else if …" and "{{else with …" become "{{else}}{{if …".
    if (peek.type === Item.If || peek.type === Item.With) return { kind: 'else', pos: peek.pos };
    return { kind: 'else', pos: this.expect(Item.RightDelim, 'else').pos };
  }

  private branch(kind: 'if' | 'range' | 'with'): BranchNode {
    const varsMark = this.vars.length;
    try {
      const pipe = this.pipeline(kind, Item.RightDelim);
      if (kind === 'range') this.rangeDepth++;
      const [list, firstEnd] = this.itemList();
      let next = firstEnd;
      if (kind === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.kind === 'else') {
        if (kind === 'if' && this.peek().type === Item.If) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.branch('if'));
        } else if (kind === 'with' && this.peek().type === Item.With) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.branch('with'));
        } else {
          [elseList, next] = this.itemList();
          if (next.kind !== 'end') this.errorf(`expected end; found ${describeEnd(next)}`);
        }
      }
      return { kind, pos: pipe.pos, line: pipe.line, source: this.source, pipe, list, elseList };
    } finally {
      this.vars.length = varsMark;
    }
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    const pipe = this.pipeline(context, Item.RightDelim);
    const block = new Parser(name, this.source, this.lex, this.treeSet, this.hasFunction);
    const [list, end] = block.itemList();
    if (end.kind !== 'end') this.errorf(`unexpected ${describeEnd(end)} in ${context}`);
    block.root = list;
    block.add();
    return { kind: 'template', pos: token.pos, line: token.line, source: this.source, name, pipe };
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== Item.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, Item.RightDelim);
    }
    return { kind: 'template', pos: token.pos, line: token.line, source: this.source, name, pipe };
  }

  private templateName(token: LexItem, context: string): string {
    if (token.type !== Item.String && token.type !== Item.RawString) this.unexpected(token, context);
    return this.unquote(token.val);
  }

  // --- pipelines ---

  private pipeline(context: string, end: number): PipeNode {
    const start = this.peekNonSpace();
    const pipe: PipeNode = { kind: 'pipe', pos: start.pos, line: start.line, source: this.source, isAssign: false, decl: [], cmds: [] };
    this.declarations(pipe, context);
    for (;;) {
      const token = this.nextNonSpace();
      if (token.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (token.type) {
        case Item.Bool:
        case Item.CharConstant:
        case Item.Complex:
        case Item.Dot:
        case Item.Field:
        case Item.Identifier:
        case Item.Number:
        case Item.Nil:
        case Item.RawString:
        case Item.String:
        case Item.Variable:
        case Item.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          if (pipe.cmds.length > MAX_PIPELINE_COMMANDS) this.errorf('pipeline too long');
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  /** `$x :=`, `$x =` and, in range, `$i, $e :=` at the start of a pipeline. */
  private declarations(pipe: PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== Item.Variable) return;
      this.next();
      // Three tokens of look-ahead: "$x foo" uses $x as an argument, "$x := foo" declares it.
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.type === Item.Assign || next.type === Item.Declare) {
        pipe.isAssign = next.type === Item.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        return;
      }
      if (next.type === Item.Char && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const after = this.peekNonSpace().type;
          if (after === Item.Variable || after === Item.RightDelim || after === Item.RightParen) continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      if (tokenAfterVariable.type === Item.Space) this.backup3(v, tokenAfterVariable);
      else this.backup2(v);
      return;
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const first = c.args[0]!.kind;
      if (first === 'bool' || first === 'dot' || first === 'nil' || first === 'number' || first === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: 'command', pos: this.peekNonSpace().pos, source: this.source, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== undefined) cmd.args.push(operand);
      const token = this.next();
      if (token.type === Item.Space) continue;
      if (token.type === Item.RightDelim || token.type === Item.RightParen) this.backup();
      else if (token.type !== Item.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (node === undefined) return undefined;
    if (this.peek().type !== Item.Field) return node;
    const chainPos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === Item.Field) fields.push(this.next().val.slice(1));
    switch (node.kind) {
      case 'field':
        return { kind: 'field', pos: chainPos, source: this.source, ident: [...node.ident, ...fields] };
      case 'variable':
        return { kind: 'variable', pos: chainPos, source: this.source, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
      // falls through: errorf never returns
      default:
        return { kind: 'chain', pos: chainPos, source: this.source, node, field: fields };
    }
  }

  private term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    const base = { pos: token.pos, source: this.source };
    switch (token.type) {
      case Item.Identifier:
        if (!this.hasFunction(token.val)) this.errorf(`function ${goQuote(token.val)} not defined`);
        return { kind: 'identifier', ...base, ident: token.val };
      case Item.Dot:
        return { kind: 'dot', ...base };
      case Item.Nil:
        return { kind: 'nil', ...base };
      case Item.Variable:
        return this.useVariable(token.pos, token.val);
      case Item.Field:
        return { kind: 'field', ...base, ident: token.val.slice(1).split('.') };
      case Item.Bool:
        return { kind: 'bool', ...base, value: token.val === 'true' };
      case Item.CharConstant:
      case Item.Complex:
      case Item.Number:
        try {
          return { kind: 'number', ...base, ...parseNumber(token.val, token.type === Item.CharConstant ? 'char' : token.type === Item.Complex ? 'complex' : 'number') };
        } catch (err) {
          this.errorf(err instanceof Error ? err.message : String(err));
        }
      // falls through: errorf never returns
      case Item.LeftParen: {
        if (this.parenDepth >= MAX_PAREN_DEPTH) this.errorf('max expression depth exceeded');
        this.parenDepth++;
        try {
          return this.pipeline('parenthesized pipeline', Item.RightParen);
        } finally {
          this.parenDepth--;
        }
      }
      case Item.String:
      case Item.RawString:
        return { kind: 'string', ...base, quoted: token.val, text: this.unquote(token.val) };
    }
    this.backup();
    return undefined;
  }

  private useVariable(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (!this.vars.includes(v.ident[0]!)) this.errorf(`undefined variable ${goQuote(v.ident[0]!)}`);
    return v;
  }

  private newVariable(pos: number, ident: string): VariableNode {
    return { kind: 'variable', pos, source: this.source, ident: ident.split('.') };
  }

  private newList(pos: number): ListNode {
    return { kind: 'list', pos, source: this.source, nodes: [] };
  }

  private unquote(quoted: string): string {
    try {
      return unquoteGo(quoted);
    } catch (err) {
      this.errorf(err instanceof Error ? err.message : String(err));
    }
  }
}

/** `{{end}}` and `{{else}}` while parsing; they never reach the tree. */
type EndOrElse = { readonly kind: 'end'; readonly pos: number } | { readonly kind: 'else'; readonly pos: number };

function describeEnd(n: EndOrElse | Node): string {
  if (n.kind === 'end') return '{{end}}';
  if (n.kind === 'else') return '{{else}}';
  return nodeString(n);
}
