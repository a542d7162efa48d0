import { goQuote } from '@pyrometer/model';
import { sprint } from '../fmt/print.js';
import { goTypeName, isIntLike, kindOf, sortedMapEntries, truthOf, type GoMap } from '../values.js';
import { evalPipeline } from './evaluate.js';
import { MAX_EXEC_DEPTH, type ExecState, type PrintHints } from './exec-state.js';
import { nodeString, type BranchNode, type ListNode, type Node, type PipeNode, type TemplateNode } from './nodes.js';

/** How a walk ended: normally, or by `{{break}}` / `{{continue}}` inside a range. */
export type Flow = 'next' | 'break' | 'continue';

/** Executes a node, writing output to the state's sink. */
export async function walk(s: ExecState, dot: unknown, node: Node): Promise<Flow> {
  s.at(node);
  switch (node.kind) {
    case 'action': {
      const value = await evalPipeline(s, dot, node.pipe);
      if (node.pipe.decl.length === 0) {
        s.at(node);
        if (kindOf(value) === 'func') s.errorf(`can't print ${nodeString(node)} of type ${goTypeName(value)}`);
        s.sink.writeValue(value, printHints(node.pipe));
      }
      return 'next';
    }
    case 'break':
      return 'break';
    case 'continue':
      return 'continue';
    case 'comment':
      return 'next';
    case 'if':
    case 'with':
      return walkIfOrWith(s, dot, node);
    case 'list':
      return walkList(s, dot, node);
    case 'range':
      return walkRange(s, dot, node);
    case 'template':
      await walkTemplate(s, dot, node);
      return 'next';
    case 'text':
      s.sink.writeText(node.text);
      return 'next';
  }
}

function printHints(pipe: PipeNode): PrintHints {
  const last = pipe.cmds[pipe.cmds.length - 1]?.args[0];
  if (last?.kind === 'identifier' && (last.ident === 'html' || last.ident === 'urlquery')) return { escapedBy: last.ident };
  return {};
}

async function walkList(s: ExecState, dot: unknown, list: ListNode): Promise<Flow> {
  for (const n of list.nodes) {
    const flow = await walk(s, dot, n);
    if (flow !== 'next') return flow;
  }
  return 'next';
}

async function walkIfOrWith(s: ExecState, dot: unknown, node: BranchNode): Promise<Flow> {
  const mark = s.mark();
  try {
    const value = await evalPipeline(s, dot, node.pipe);
    const { truth, ok } = truthOf(value);
    if (!ok) s.errorf(`if/with can't use ${sprint([value])}`);
    if (truth) return await walkList(s, node.kind === 'with' ? value : dot, node.list);
    if (node.elseList !== undefined) return await walkList(s, dot, node.elseList);
    return 'next';
  } finally {
    s.pop(mark);
  }
}

async function walkRange(s: ExecState, dot: unknown, r: BranchNode): Promise<Flow> {
  s.at(r);
  const outer = s.mark();
  try {
    const value = await evalPipeline(s, dot, r.pipe);
    const mark = s.mark();
    const oneIteration = async (index: unknown, elem: unknown): Promise<Flow> => {
      setRangeVariables(s, r.pipe, index, elem);
      try {
        const flow = await walkList(s, elem, r.list);
        return flow === 'continue' ? 'next' : flow;
      } finally {
        s.pop(mark);
      }
    };
    let ran = false;
    switch (kindOf(value)) {
      case 'slice':
        for (const [i, elem] of (value as unknown[]).entries()) {
          ran = true;
          if ((await oneIteration(BigInt(i), elem)) === 'break') break;
        }
        break;
      case 'map':
        for (const [key, elem] of sortedMapEntries(value as GoMap)) {
          ran = true;
          if ((await oneIteration(key, elem)) === 'break') break;
        }
        break;
      case 'int': {
        if (r.pipe.decl.length > 1) s.errorf(`can't use ${sprint([value])} to iterate over more than one variable`);
        const n = typeof value === 'bigint' ? value : isIntLike(value) ? value.goInt() : 0n;
        for (let i = 0n; i < n; i++) {
          ran = true;
          if ((await oneIteration(i, i)) === 'break') break;
        }
        break;
      }
      case 'invalid':
        break;
      default:
        s.errorf(`range can't iterate over ${sprint([value])}`);
    }
    if (!ran && r.elseList !== undefined) return await walkList(s, dot, r.elseList);
    return 'next';
  } finally {
    s.pop(outer);
  }
}

/** `{{range $e := …}}` binds the element; `{{range $i, $e := …}}` the index (or key) and element. */
function setRangeVariables(s: ExecState, pipe: PipeNode, index: unknown, elem: unknown): void {
  const decl = pipe.decl;
  if (decl.length === 0) return;
  if (pipe.isAssign) {
    if (decl.length > 1) {
      s.setVar(decl[0]!.ident[0]!, index);
      s.setVar(decl[1]!.ident[0]!, elem);
    } else s.setVar(decl[0]!.ident[0]!, elem);
    return;
  }
  s.setTopVar(1, elem);
  if (decl.length > 1) s.setTopVar(2, index);
}

async function walkTemplate(s: ExecState, dot: unknown, t: TemplateNode): Promise<void> {
  s.at(t);
  const tree = s.ctx.lookupTemplate(t.name);
  if (tree === undefined) s.errorf(`template ${goQuote(t.name)} not defined`);
  if (s.depth >= MAX_EXEC_DEPTH) s.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
  const newDot = await evalPipeline(s, dot, t.pipe);
  await walkList(s.enter(t.name, newDot), newDot, tree.root);
}
