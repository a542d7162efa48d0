import { goQuote } from '@pyrometer/model';
import { utf8ByteLength } from '../values.js';
import type { NumberValue } from './number-literal.js';

/**
 * The parse tree of a template, shaped like Go's `text/template/parse` nodes. Every node knows the
 * source it came from (`source`) and its position there, which is what execution errors report
 * (`NAME:LINE:COL`). `nodeString` prints a node back the way Go's `Node.String()` does; errors
 * quote that text in `at <…>`.
 */

/** The text a tree was parsed from, and the name errors use for it (Go's `ParseName`). */
export interface TreeSource {
  readonly parseName: string;
  readonly text: string;
}

interface Base {
  readonly pos: number;
  readonly source: TreeSource;
}

export interface TextNode extends Base { readonly kind: 'text'; readonly text: string }
export interface CommentNode extends Base { readonly kind: 'comment'; readonly text: string }
export interface ActionNode extends Base { readonly kind: 'action'; readonly line: number; readonly pipe: PipeNode }
export interface BreakNode extends Base { readonly kind: 'break'; readonly line: number }
export interface ContinueNode extends Base { readonly kind: 'continue'; readonly line: number }
export interface PipeNode extends Base {
  readonly kind: 'pipe';
  readonly line: number;
  isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}
export interface CommandNode extends Base { readonly kind: 'command'; readonly args: ArgNode[] }
export interface IdentifierNode extends Base { readonly kind: 'identifier'; readonly ident: string }
export interface VariableNode extends Base { readonly kind: 'variable'; readonly ident: readonly string[] }
export interface DotNode extends Base { readonly kind: 'dot' }
export interface NilNode extends Base { readonly kind: 'nil' }
export interface FieldNode extends Base { readonly kind: 'field'; readonly ident: readonly string[] }
export interface ChainNode extends Base { readonly kind: 'chain'; readonly node: ArgNode; readonly field: string[] }
export interface BoolNode extends Base { readonly kind: 'bool'; readonly value: boolean }
/**
 * A numeric constant, held as every type that can represent it (Go's ideal constants): `int` when
 * integral and within int64, `float` when representable as a float64. `isComplex` marks complex
 * constants, which parse but cannot be evaluated here.
 */
export interface NumberNode extends Base, NumberValue {
  readonly kind: 'number';
}
export interface StringNode extends Base { readonly kind: 'string'; readonly quoted: string; readonly text: string }
export interface ListNode extends Base { readonly kind: 'list'; readonly nodes: Node[] }
export interface BranchNode extends Base {
  readonly kind: 'if' | 'range' | 'with';
  readonly line: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | undefined;
}
export interface TemplateNode extends Base { readonly kind: 'template'; readonly line: number; readonly name: string; readonly pipe: PipeNode | undefined }

/** Operands of a command. */
export type ArgNode = IdentifierNode | VariableNode | DotNode | NilNode | FieldNode | ChainNode | BoolNode | NumberNode | StringNode | PipeNode;
/** Nodes that appear in a list (the body of a template or a branch). */
export type Node = TextNode | CommentNode | ActionNode | BreakNode | ContinueNode | BranchNode | TemplateNode | ListNode;
/** Any node. */
export type AnyNode = Node | ArgNode | CommandNode;

/** Go's `Node.String()`. */
export function nodeString(n: AnyNode): string {
  switch (n.kind) {
    case 'text':
      return n.text;
    case 'comment':
      return `{{${n.text}}}`;
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
    case 'pipe': {
      let out = n.decl.length > 0 ? `${n.decl.map(nodeString).join(', ')} := ` : '';
      out += n.cmds.map(nodeString).join(' | ');
      return out;
    }
    case 'command':
      return n.args.map((a) => (a.kind === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'identifier':
      return n.ident;
    case 'variable':
      return n.ident.join('.');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'field':
      return n.ident.map((id) => `.${id}`).join('');
    case 'chain': {
      const head = n.node.kind === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return head + n.field.map((f) => `.${f}`).join('');
    }
    case 'bool':
      return n.value ? 'true' : 'false';
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'list':
      return n.nodes.map(nodeString).join('');
    case 'if':
    case 'range':
    case 'with': {
      const elsePart = n.elseList === undefined ? '' : `{{else}}${nodeString(n.elseList)}`;
      return `{{${n.kind} ${nodeString(n.pipe)}}}${nodeString(n.list)}${elsePart}{{end}}`;
    }
    case 'template':
      return `{{template ${goQuote(n.name)}${n.pipe === undefined ? '' : ` ${nodeString(n.pipe)}`}}}`;
  }
}

/** True when a tree holds nothing but white space and comments (Go's `IsEmptyTree`). */
export function isEmptyTree(n: Node | undefined): boolean {
  if (n === undefined) return true;
  switch (n.kind) {
    case 'comment':
      return true;
    case 'list':
      return n.nodes.every(isEmptyTree);
    case 'text':
      return n.text.trim().length === 0;
    default:
      return false;
  }
}

/** `NAME:LINE:COL` of a node, with the column counted in UTF-8 bytes as Go counts it. */
export function nodeLocation(n: AnyNode): string {
  const before = n.source.text.slice(0, n.pos);
  const lastNewline = before.lastIndexOf('\n');
  const line = 1 + countChar(before, '\n');
  const column = utf8ByteLength(lastNewline < 0 ? before : before.slice(lastNewline + 1));
  return `${n.source.parseName}:${line}:${column}`;
}

function countChar(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}
