import { compareUtf8 } from '@pyrometer/model';
import { functionError } from '../errors.js';
import { sprint } from '../fmt/print.js';
import { goTypeName, isIntLike, kindOf, stringValue, TypedString } from '../values.js';

/** The comparison builtins `eq ne lt le gt ge`, with Go's rules: basic kinds only, no mixing int and float. */

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid';

function basicKind(v: unknown): BasicKind {
  const k = kindOf(v);
  return k === 'bool' || k === 'int' || k === 'float' || k === 'string' ? k : 'invalid';
}

function intValue(v: unknown): bigint {
  return typeof v === 'bigint' ? v : isIntLike(v) ? v.goInt() : 0n;
}

function text(v: unknown): string {
  return typeof v === 'string' || v instanceof TypedString ? stringValue(v) : '';
}

const isNil = (v: unknown) => v === undefined || v === null;

/** `eq a b c…`: true when `a` equals any of the others. */
export function eq(arg1: unknown, ...others: unknown[]): boolean {
  if (others.length === 0) throw functionError('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const arg of others) {
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (!isNil(arg1) && !isNil(arg)) throw functionError(`incompatible types for comparison: ${goTypeName(arg1)} and ${goTypeName(arg)}`);
    } else {
      switch (k1) {
        case 'bool':
        case 'float':
          truth = arg1 === arg;
          break;
        case 'int':
          truth = intValue(arg1) === intValue(arg);
          break;
        case 'string':
          truth = text(arg1) === text(arg);
          break;
        default:
          truth = equalOther(arg1, arg);
      }
    }
    if (truth) return true;
  }
  return false;
}

/** Equality of non-basic values: nil against anything nil-able, otherwise only comparable kinds. */
function equalOther(a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb && ka !== 'invalid' && kb !== 'invalid') {
    throw functionError(`non-comparable types ${sprint([a])}: ${goTypeName(a)}, ${goTypeName(b)}: ${sprint([b])}`);
  }
  if (isNil(a) || isNil(b)) return isNil(a) === isNil(b);
  if (kb === 'slice' || kb === 'map' || kb === 'func') throw functionError(`non-comparable type ${sprint([b])}: ${goTypeName(b)}`);
  return a === b;
}

export function ne(a: unknown, b: unknown): boolean {
  return !eq(a, b);
}

export function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k2 === 'invalid') throw functionError('invalid type for comparison');
  if (k1 !== k2) throw functionError(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
  switch (k1) {
    case 'float':
      return (a as number) < (b as number);
    case 'int':
      return intValue(a) < intValue(b);
    case 'string':
      return compareUtf8(text(a), text(b)) < 0;
    default:
      throw functionError('invalid type for comparison');
  }
}

export function le(a: unknown, b: unknown): boolean {
  return lt(a, b) || eq(a, b);
}

export function gt(a: unknown, b: unknown): boolean {
  return !le(a, b);
}

export function ge(a: unknown, b: unknown): boolean {
  return !lt(a, b);
}
