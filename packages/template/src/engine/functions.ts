import { TemplateError } from '../errors.js';
import { GoDuration } from '../gotime/duration.js';
import { GoTime } from '../gotime/time.js';
import { goTypeName, kindOf } from '../values.js';

/**
 * The Go parameter types template functions declare, which decide how arguments are checked and
 * how literals convert (as Go's reflection does): `any` is `interface{}` (literals keep their
 * syntax: `1` an int, `1.5` a float64), `value` is `reflect.Value` (like `any`, and a missing
 * value stays missing), `float64` accepts the literal `1` as 1.0, `strings` is `[]string`.
 */
export type ParamType = 'any' | 'value' | 'string' | 'int' | 'float64' | 'bool' | 'strings' | 'time' | 'duration' | NamedParamType;

/** A parameter of a package-defined Go type, such as Prometheus's `template.queryResult`. */
export interface NamedParamType {
  readonly typeName: string;
  readonly accepts: (v: unknown) => boolean;
  /** Whether nil is acceptable (slices, maps and pointers in Go). */
  readonly nilable: boolean;
}

/**
 * A template function: parameter types, an optional variadic parameter type, and the
 * implementation. `call` receives the checked arguments and may return a Promise (execution waits
 * for it). Throwing fails the execution with `error calling NAME: <message>`; use
 * {@link functionError} for Go-worded messages.
 */
export interface TemplateFunction {
  readonly params: readonly ParamType[];
  readonly variadic?: ParamType;
  readonly call: (...args: never[]) => unknown;
}

/** Functions by name. A plain JS function counts as one taking `fn.length` arguments of any type. */
export type FuncMap = Readonly<Record<string, TemplateFunction | ((...args: never[]) => unknown)>>;

/** Declares a template function with its parameter types. */
export function templateFunction<A extends unknown[]>(params: readonly ParamType[], call: (...args: A) => unknown, variadic?: ParamType): TemplateFunction {
  return variadic === undefined ? { params, call: call as TemplateFunction['call'] } : { params, variadic, call: call as TemplateFunction['call'] };
}

/** A function map entry in its declared form. */
export function normalizeFunction(name: string, f: TemplateFunction | ((...args: never[]) => unknown)): TemplateFunction {
  if (typeof f === 'function') return { params: Array.from({ length: f.length }, () => 'any' as const), call: f };
  if (typeof f !== 'object' || f === null || typeof f.call !== 'function' || !Array.isArray(f.params)) {
    throw new TemplateError('definition', `value for ${name} not a function`);
  }
  return f;
}

/** Go's `goodName`: a function name must be an identifier. */
export function checkFunctionName(name: string): void {
  if (!/^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(name)) throw new TemplateError('definition', `function name ${JSON.stringify(name)} is not a valid identifier`);
}

/** How a parameter type prints in messages. */
export function paramTypeName(t: ParamType): string {
  if (typeof t === 'object') return t.typeName;
  switch (t) {
    case 'any':
      return 'interface {}';
    case 'value':
      return 'reflect.Value';
    case 'strings':
      return '[]string';
    case 'time':
      return 'time.Time';
    case 'duration':
      return 'time.Duration';
    default:
      return t;
  }
}

/** Whether nil converts to the parameter type (as a zero value). */
export function canBeNil(t: ParamType): boolean {
  if (typeof t === 'object') return t.nilable;
  return t === 'any' || t === 'value' || t === 'strings';
}

/** The zero value a nil argument takes for a parameter type. */
export function nilValueFor(t: ParamType): unknown {
  return t === 'strings' ? [] : undefined;
}

/**
 * Checks a computed argument against a parameter type, returning it (possibly converted) or a
 * Go-worded error message.
 */
export function checkArgument(value: unknown, t: ParamType): { ok: true; value: unknown } | { ok: false; message: string } {
  if (value === undefined || value === null) {
    if (canBeNil(t)) return { ok: true, value: nilValueFor(t) };
    return { ok: false, message: `invalid value; expected ${paramTypeName(t)}` };
  }
  const wrong = () => ({ ok: false as const, message: `wrong type for value; expected ${paramTypeName(t)}; got ${goTypeName(value)}` });
  if (typeof t === 'object') return t.accepts(value) ? { ok: true, value } : wrong();
  switch (t) {
    case 'any':
    case 'value':
      return { ok: true, value };
    case 'string':
      return typeof value === 'string' ? { ok: true, value } : wrong();
    case 'int':
      return typeof value === 'bigint' ? { ok: true, value } : wrong();
    case 'float64':
      return typeof value === 'number' ? { ok: true, value } : wrong();
    case 'bool':
      return typeof value === 'boolean' ? { ok: true, value } : wrong();
    case 'strings':
      return kindOf(value) === 'slice' && (value as unknown[]).every((e) => typeof e === 'string') ? { ok: true, value } : wrong();
    case 'time':
      return value instanceof GoTime ? { ok: true, value } : wrong();
    case 'duration':
      return value instanceof GoDuration ? { ok: true, value } : wrong();
  }
}
