import { GO_METHODS, isExportedName } from '../values.js';
import type { ParamType, TemplateFunction } from './functions.js';

/** Prototypes where method lookup stops: what JavaScript itself provides is never a Go method. */
const BUILTIN_PROTOTYPES = new Set<unknown>([Object.prototype, Array.prototype, Map.prototype, Function.prototype, null]);

type MethodDeclarations = Readonly<Record<string, { readonly params: readonly ParamType[]; readonly variadic?: ParamType }>>;

/**
 * Finds the method `name` of a data object, as Go's `MethodByName`: an exported (capitalised)
 * function on its prototype chain. Its parameter types come from the class's static
 * `[GO_METHODS]` declaration, or default to `fn.length` arguments of any type. Returns a function
 * bound to the receiver, or undefined.
 */
export function findMethod(receiver: unknown, name: string): TemplateFunction | undefined {
  if (typeof receiver !== 'object' || receiver === null || !isExportedName(name)) return undefined;
  for (let proto = Object.getPrototypeOf(receiver) as object | null; !BUILTIN_PROTOTYPES.has(proto); proto = Object.getPrototypeOf(proto) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor === undefined) continue;
    const fn: unknown = descriptor.value;
    if (typeof fn !== 'function') return undefined;
    const declared = declaration(receiver, name);
    const call = (...args: unknown[]) => (fn as (...a: unknown[]) => unknown).apply(receiver, args);
    if (declared === undefined) return { params: Array.from({ length: fn.length }, () => 'any' as const), call };
    return declared.variadic === undefined ? { params: declared.params, call } : { params: declared.params, variadic: declared.variadic, call };
  }
  return undefined;
}

function declaration(receiver: object, name: string): MethodDeclarations[string] | undefined {
  for (let proto = Object.getPrototypeOf(receiver) as object | null; !BUILTIN_PROTOTYPES.has(proto); proto = Object.getPrototypeOf(proto) as object | null) {
    const ctor = (proto as { constructor?: unknown }).constructor as Record<symbol, MethodDeclarations | undefined> | undefined;
    const declared = ctor?.[GO_METHODS]?.[name];
    if (declared !== undefined) return declared;
  }
  return undefined;
}
