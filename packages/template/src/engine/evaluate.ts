import { goQuote } from '@pyrometer/model';
import { GoDuration } from '../gotime/duration.js';
import { goTypeName, isExportedName, isMapValue, isTruthy, kindOf, mapLookup, mapZero } from '../values.js';
import type { ExecState } from './exec-state.js';
import { canBeNil, checkArgument, nilValueFor, paramTypeName, type ParamType, type TemplateFunction } from './functions.js';
import { findMethod } from './methods.js';
import { nodeString, type ArgNode, type ChainNode, type CommandNode, type FieldNode, type IdentifierNode, type NumberNode, type PipeNode, type VariableNode } from './nodes.js';

/** Marks "no value from a previous pipeline stage" (Go's `missingVal`). */
export const MISSING: unique symbol = Symbol('missing');
type Final = unknown;

/**
 * Evaluates a pipeline: each command receives the previous command's value as its last argument.
 * Declared variables are pushed (or assigned); callers pop them when their scope ends.
 */
export async function evalPipeline(s: ExecState, dot: unknown, pipe: PipeNode | undefined): Promise<unknown> {
  if (pipe === undefined) return undefined;
  s.at(pipe);
  let value: unknown = MISSING;
  for (const cmd of pipe.cmds) value = await evalCommand(s, dot, cmd, value);
  for (const v of pipe.decl) {
    if (pipe.isAssign) s.setVar(v.ident[0]!, value);
    else s.push(v.ident[0]!, value);
  }
  return value;
}

async function evalCommand(s: ExecState, dot: unknown, cmd: CommandNode, final: Final): Promise<unknown> {
  const first = cmd.args[0]!;
  switch (first.kind) {
    case 'field':
      return evalFieldNode(s, dot, first, cmd.args, final);
    case 'chain':
      return evalChainNode(s, dot, first, cmd.args, final);
    case 'identifier':
      return evalFunction(s, dot, first, cmd, cmd.args, final);
    case 'pipe':
      notAFunction(s, cmd.args, final);
      return evalPipeline(s, dot, first);
    case 'variable':
      return evalVariableNode(s, dot, first, cmd.args, final);
  }
  s.at(first);
  notAFunction(s, cmd.args, final);
  switch (first.kind) {
    case 'bool':
      return first.value;
    case 'dot':
      return dot;
    case 'nil':
      return s.errorf('nil is not a command');
    case 'number':
      return idealConstant(s, first);
    case 'string':
      return first.text;
  }
}

function notAFunction(s: ExecState, args: readonly ArgNode[], final: Final): void {
  if (args.length > 1 || final !== MISSING) s.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
}

/** A number literal where no type is expected: an int unless written as a float (`1.5`, `1e3`). */
function idealConstant(s: ExecState, n: NumberNode): unknown {
  s.at(n);
  if (n.isComplex) return s.errorf(`complex constant ${n.text} is not supported`);
  const hexInt = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text);
  if (n.isFloat && !hexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return n.float;
  if (n.isInt) return n.int;
  return s.errorf(`${n.text} overflows int`);
}

async function evalFieldNode(s: ExecState, dot: unknown, field: FieldNode, args: readonly ArgNode[], final: Final): Promise<unknown> {
  s.at(field);
  return evalFieldChain(s, dot, dot, field, field.ident, args, final);
}

async function evalChainNode(s: ExecState, dot: unknown, chain: ChainNode, args: readonly ArgNode[], final: Final): Promise<unknown> {
  s.at(chain);
  if (chain.field.length === 0) s.errorf('internal error: no fields in evalChainNode');
  if (chain.node.kind === 'nil') s.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
  const receiver = await evalArg(s, dot, 'any', chain.node);
  return evalFieldChain(s, dot, receiver, chain, chain.field, args, final);
}

async function evalVariableNode(s: ExecState, dot: unknown, variable: VariableNode, args: readonly ArgNode[], final: Final): Promise<unknown> {
  s.at(variable);
  const value = s.varValue(variable.ident[0]!);
  if (variable.ident.length === 1) {
    notAFunction(s, args, final);
    return value;
  }
  return evalFieldChain(s, dot, value, variable, variable.ident.slice(1), args, final);
}

async function evalFieldChain(s: ExecState, dot: unknown, receiver: unknown, node: ArgNode, ident: readonly string[], args: readonly ArgNode[], final: Final): Promise<unknown> {
  let current = receiver;
  for (let i = 0; i < ident.length - 1; i++) current = await evalField(s, dot, ident[i]!, node, [], MISSING, current);
  return evalField(s, dot, ident[ident.length - 1]!, node, args, final, current);
}

async function evalFunction(s: ExecState, dot: unknown, node: IdentifierNode, cmd: CommandNode | IdentifierNode, args: readonly ArgNode[], final: Final): Promise<unknown> {
  s.at(node);
  const found = s.ctx.lookupFunction(node.ident);
  if (found === undefined) return s.errorf(`${goQuote(node.ident)} is not a defined function`);
  return evalCall(s, dot, found.fn, found.builtin, cmd, node.ident, args, final);
}

/** `.Field` or `.Method args…` on a receiver: methods first, then struct fields or map keys. */
async function evalField(s: ExecState, dot: unknown, fieldName: string, node: ArgNode, args: readonly ArgNode[], final: Final, receiver: unknown): Promise<unknown> {
  if (receiver === undefined || receiver === null) {
    if (s.ctx.missingKey === 'error') s.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
    return undefined;
  }
  const method = findMethod(receiver, fieldName);
  if (method !== undefined) return evalCall(s, dot, method, false, node, fieldName, args, final);
  const hasArgs = args.length > 1 || final !== MISSING;
  if (isMapValue(receiver)) {
    if (hasArgs) s.errorf(`${fieldName} is not a method but has arguments`);
    const { found, value } = mapLookup(receiver, fieldName);
    if (found) return value;
    switch (s.ctx.missingKey) {
      case 'zero':
        return mapZero(receiver);
      case 'error':
        return s.errorf(`map has no entry for key ${goQuote(fieldName)}`);
      default:
        return undefined;
    }
  }
  if (kindOf(receiver) === 'struct' && typeof receiver === 'object') {
    if (fieldName in receiver) {
      if (!isExportedName(fieldName)) s.errorf(`${fieldName} is an unexported field of struct type ${goTypeName(receiver)}`);
      if (hasArgs) s.errorf(`${fieldName} has arguments but cannot be invoked as function`);
      return (receiver as Record<string, unknown>)[fieldName];
    }
  }
  return s.errorf(`can't evaluate field ${fieldName} in type ${goTypeName(receiver)}`);
}

/**
 * Calls a function or method: checks the argument count and types as Go's reflection does,
 * evaluates the arguments (the pipeline's previous value comes last), and wraps a failure in
 * `error calling NAME: …`. `and` and `or` evaluate their arguments lazily.
 */
async function evalCall(s: ExecState, dot: unknown, fn: TemplateFunction, isBuiltin: boolean, node: CommandNode | ArgNode, name: string, allArgs: readonly ArgNode[], final: Final): Promise<unknown> {
  const args = allArgs.slice(1);
  const numIn = args.length + (final === MISSING ? 0 : 1);
  const numFixed = fn.params.length;
  if (fn.variadic !== undefined) {
    if (numIn < numFixed) s.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
  } else if (numIn !== numFixed) s.errorf(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);

  if (isBuiltin && (name === 'and' || name === 'or')) {
    let v: unknown;
    for (const arg of args) {
      v = await evalArg(s, dot, 'value', arg);
      if (isTruthy(v) === (name === 'or')) return v;
    }
    return final === MISSING ? v : final;
  }

  const argv: unknown[] = [];
  let i = 0;
  for (; i < numFixed && i < args.length; i++) argv.push(await evalArg(s, dot, fn.params[i]!, args[i]!));
  if (fn.variadic !== undefined) for (; i < args.length; i++) argv.push(await evalArg(s, dot, fn.variadic, args[i]!));
  if (final !== MISSING) {
    const t = fn.variadic !== undefined && numIn - 1 >= numFixed ? fn.variadic : fn.params[numIn - 1]!;
    argv.push(validateType(s, final, t));
  }
  if (isBuiltin && name === 'call') argv.unshift(nodeString(args[0] ?? (node as ArgNode)));
  try {
    return await (fn.call as (...a: unknown[]) => unknown)(...argv);
  } catch (err) {
    s.at(node);
    return s.errorf(`error calling ${name}: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}

/** Checks a computed value against a parameter type (Go's `validateType`). */
function validateType(s: ExecState, value: unknown, t: ParamType): unknown {
  const checked = checkArgument(value, t);
  if (!checked.ok) return s.errorf(checked.message);
  return checked.value;
}

/** Evaluates one argument for a parameter of type `t`; literals convert as Go's constants do. */
async function evalArg(s: ExecState, dot: unknown, t: ParamType, n: ArgNode): Promise<unknown> {
  s.at(n);
  switch (n.kind) {
    case 'dot':
      return validateType(s, dot, t);
    case 'nil':
      if (canBeNil(t)) return nilValueFor(t);
      return s.errorf(`cannot assign nil to ${paramTypeName(t)}`);
    case 'field':
      return validateType(s, await evalFieldNode(s, dot, n, [n], MISSING), t);
    case 'variable':
      return validateType(s, await evalVariableNode(s, dot, n, [], MISSING), t);
    case 'pipe':
      return validateType(s, await evalPipeline(s, dot, n), t);
    case 'identifier':
      return validateType(s, await evalFunction(s, dot, n, n, [n], MISSING), t);
    case 'chain':
      return validateType(s, await evalChainNode(s, dot, n, [], MISSING), t);
  }
  switch (t) {
    case 'bool':
      if (n.kind === 'bool') return n.value;
      return s.errorf(`expected bool; found ${nodeString(n)}`);
    case 'float64':
      if (n.kind === 'number' && n.isFloat) return n.float;
      return s.errorf(`expected float; found ${nodeString(n)}`);
    case 'int':
    case 'duration':
      if (n.kind === 'number' && n.isInt) return t === 'int' ? n.int : new GoDuration(n.int);
      return s.errorf(`expected integer; found ${nodeString(n)}`);
    case 'string':
      if (n.kind === 'string') return n.text;
      return s.errorf(`expected string; found ${nodeString(n)}`);
    case 'any':
    case 'value':
      if (n.kind === 'bool') return n.value;
      if (n.kind === 'number') return idealConstant(s, n);
      return n.text;
    default:
      return s.errorf(`can't handle ${nodeString(n)} for arg of type ${paramTypeName(t)}`);
  }
}
