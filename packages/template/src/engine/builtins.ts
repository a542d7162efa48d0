import { functionError } from '../errors.js';
import { sprint, sprintf, sprintln } from '../fmt/print.js';
import { goTypeName, isIntLike, isMapValue, isTruthy, kindOf, lengthOf, mapLookup, mapZero, stringValue, TypedString } from '../values.js';
import { eq, ge, gt, le, lt, ne } from './compare.js';
import { htmlEscapeString, jsEscapeString, urlQueryEscape } from './escape.js';
import { checkArgument, normalizeFunction, templateFunction, type TemplateFunction } from './functions.js';
import { printedValue } from './output.js';

/**
 * Go's predefined template functions. `and` and `or` are evaluated lazily by the executor (they
 * never reach `call`), and `call` receives the callee's name first, as in Go.
 */
export const BUILTINS: Readonly<Record<string, TemplateFunction>> = {
  and: templateFunction(['value'], lazyOnly, 'value'),
  or: templateFunction(['value'], lazyOnly, 'value'),
  not: templateFunction(['value'], (v: unknown) => !isTruthy(v)),
  call: templateFunction(['value'], callValue, 'value'),
  html: templateFunction([], (...args: unknown[]) => htmlEscapeString(evalArgs(args)), 'any'),
  js: templateFunction([], (...args: unknown[]) => jsEscapeString(evalArgs(args)), 'any'),
  urlquery: templateFunction([], (...args: unknown[]) => urlQueryEscape(evalArgs(args)), 'any'),
  index: templateFunction(['value'], index, 'value'),
  slice: templateFunction(['value'], slice, 'value'),
  len: templateFunction(['value'], length),
  print: templateFunction([], (...args: unknown[]) => sprint(args), 'any'),
  printf: templateFunction(['string'], (format: string, ...args: unknown[]) => sprintf(format, args), 'any'),
  println: templateFunction([], (...args: unknown[]) => sprintln(args), 'any'),
  eq: templateFunction(['value'], eq, 'value'),
  ne: templateFunction(['value', 'value'], ne),
  lt: templateFunction(['value', 'value'], lt),
  le: templateFunction(['value', 'value'], le),
  gt: templateFunction(['value', 'value'], gt),
  ge: templateFunction(['value', 'value'], ge),
};

function lazyOnly(): never {
  throw functionError('and/or are evaluated by the executor');
}

/** Go's `evalArgs`: `fmt.Sprint` of the arguments, a missing one printing as `<no value>`. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === undefined || a === null ? printedValue(a) : a)));
}

function indexArg(index: unknown, cap: number): number {
  let x: bigint;
  if (typeof index === 'bigint') x = index;
  else if (isIntLike(index)) x = index.goInt();
  else if (index === undefined || index === null) throw functionError('cannot index slice/array with nil');
  else throw functionError(`cannot index slice/array with type ${goTypeName(index)}`);
  if (x < 0n || x > BigInt(cap)) throw functionError(`index out of range: ${x}`);
  return Number(x);
}

/** `index x 1 2` is `x[1][2]`: slices and strings by integer, maps by key (a missing key gives the zero value). */
function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw functionError('index of untyped nil');
  let current: unknown = item;
  for (const ix of indexes) {
    if (current === undefined || current === null) throw functionError('index of nil pointer');
    const kind = kindOf(current);
    if (kind === 'slice') {
      const items = current as unknown[];
      const x = indexArg(ix, items.length);
      if (x === items.length) throw functionError('reflect: slice index out of range');
      current = items[x];
    } else if (kind === 'string') {
      const bytes = new TextEncoder().encode(stringValue(current as string | TypedString));
      const x = indexArg(ix, bytes.length);
      if (x === bytes.length) throw functionError('reflect: string index out of range');
      current = BigInt(bytes[x]!);
    } else if (isMapValue(current)) {
      if (ix === undefined || ix === null) throw functionError('value is nil; should be of type string');
      if (typeof ix !== 'string' && !(current instanceof Map)) throw functionError(`value has type ${goTypeName(ix)}; should be string`);
      const { found, value } = mapLookup(current, ix);
      current = found ? value : mapZero(current);
    } else throw functionError(`can't index item of type ${goTypeName(current)}`);
  }
  return current;
}

/** `slice x 1 2` is `x[1:2]`; strings are sliced by UTF-8 bytes, as in Go. */
function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw functionError('slice of untyped nil');
  if (indexes.length > 3) throw functionError(`too many slice indexes: ${indexes.length}`);
  const kind = kindOf(item);
  let cap: number;
  if (kind === 'string') {
    if (indexes.length === 3) throw functionError('cannot 3-index slice a string');
    cap = new TextEncoder().encode(stringValue(item as string | TypedString)).length;
  } else if (kind === 'slice') cap = (item as unknown[]).length;
  else throw functionError(`can't slice item of type ${goTypeName(item)}`);
  const idx = [0, cap, cap];
  indexes.forEach((ix, i) => (idx[i] = indexArg(ix, cap)));
  if (idx[0]! > idx[1]!) throw functionError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw functionError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (kind === 'slice') return (item as unknown[]).slice(idx[0], idx[1]);
  const bytes = new TextEncoder().encode(stringValue(item as string | TypedString)).subarray(idx[0], idx[1]);
  const text = new TextDecoder().decode(bytes);
  return item instanceof TypedString ? new TypedString(text, item.typeName) : text;
}

function length(item: unknown): bigint {
  if (item === undefined || item === null) throw functionError('reflect: call of reflect.Value.Type on zero Value');
  const n = lengthOf(item);
  if (n === undefined) throw functionError(`len of type ${goTypeName(item)}`);
  return BigInt(n);
}

/** `call fn args…`: calls a function value found in the data. */
async function callValue(calleeName: string, fn: unknown, ...args: unknown[]): Promise<unknown> {
  if (fn === undefined || fn === null) throw functionError('call of nil');
  if (kindOf(fn) !== 'func' && !isTemplateFunction(fn)) throw functionError(`non-function ${calleeName} of type ${goTypeName(fn)}`);
  const f = normalizeFunction(calleeName, fn as TemplateFunction);
  const numIn = f.params.length;
  if (f.variadic !== undefined) {
    if (args.length < numIn) throw functionError(`wrong number of args for ${calleeName}: got ${args.length} want at least ${numIn}`);
  } else if (args.length !== numIn) throw functionError(`wrong number of args for ${calleeName}: got ${args.length} want ${numIn}`);
  const argv = args.map((arg, i) => {
    const checked = checkArgument(arg, i < numIn ? f.params[i]! : f.variadic!);
    if (!checked.ok) throw functionError(`arg ${i}: ${checked.message.replace(/^wrong type for value; expected (.*); got (.*)$/, 'value has type $2; should be $1')}`);
    return checked.value;
  });
  return (f.call as (...a: unknown[]) => unknown)(...argv);
}

function isTemplateFunction(v: unknown): v is TemplateFunction {
  return typeof v === 'object' && v !== null && typeof (v as TemplateFunction).call === 'function' && Array.isArray((v as TemplateFunction).params);
}
