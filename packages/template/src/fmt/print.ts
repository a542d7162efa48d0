import { goTypeName, isIntLike, kindOf, sortedMapEntries, structFields, TypedString, type GoMap } from '../values.js';
import { Formatter } from './format.js';

/**
 * Go's `fmt.Sprintf`, `fmt.Sprint` and `fmt.Sprintln` over template values (see `values.ts` for
 * how JavaScript values stand for Go's): the same verbs, flags, widths, precisions, argument
 * indexes, and the same `%!verb(type=value)` texts for mistakes. Values with a `String()` or
 * `Error()` method, and JavaScript `Error`s, print through it for `%v %s %q %x %X`, as Go's
 * Stringer and error do.
 */
export function sprintf(format: string, args: readonly unknown[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.f.out;
}

/** `fmt.Sprint`: spaces between operands when neither is a string. */
export function sprint(args: readonly unknown[]): string {
  const p = new Printer();
  p.doPrint(args, false);
  return p.f.out;
}

/** `fmt.Sprintln`: spaces between all operands and a final newline. */
export function sprintln(args: readonly unknown[]): string {
  const p = new Printer();
  p.doPrint(args, true);
  return p.f.out + '\n';
}

class Printer {
  readonly f = new Formatter();
  private erroring = false;
  private reordered = false;
  private goodArgNum = true;

  doPrint(args: readonly unknown[], addSpace: boolean): void {
    let prevString = false;
    args.forEach((arg, argNum) => {
      this.f.clearFlags();
      if (argNum > 0) {
        const isString = kindOf(arg) === 'string';
        if (addSpace || (!isString && !prevString)) this.f.out += ' ';
      }
      prevString = this.printArg(arg, 'v', 0);
    });
  }

  doPrintf(format: string, a: readonly unknown[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    this.reordered = false;
    for (let i = 0; i < end; ) {
      this.goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== '%') i++;
      if (i > lasti) this.f.out += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      this.f.clearFlags();
      flags: for (; i < end; i++) {
        switch (format[i]) {
          case '#': this.f.sharp = true; break;
          case '0': this.f.zero = !this.f.minus; break;
          case '+': this.f.plus = true; break;
          case '-': this.f.minus = true; this.f.zero = false; break;
          case ' ': this.f.space = true; break;
          default: break flags;
        }
      }
      [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i < end && format[i] === '*') {
        i++;
        [this.f.wid, this.f.widPresent, argNum] = intFromArg(a, argNum);
        if (!this.f.widPresent) this.f.out += '%!(BADWIDTH)';
        if (this.f.wid < 0) {
          this.f.wid = -this.f.wid;
          this.f.minus = true;
          this.f.zero = false;
        }
        afterIndex = false;
      } else {
        [this.f.wid, this.f.widPresent, i] = parseNum(format, i, end);
        if (afterIndex && this.f.widPresent) this.goodArgNum = false;
      }
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) this.goodArgNum = false;
        [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
        if (format[i] === '*') {
          i++;
          [this.f.prec, this.f.precPresent, argNum] = intFromArg(a, argNum);
          if (this.f.prec < 0) {
            this.f.prec = 0;
            this.f.precPresent = false;
          }
          if (!this.f.precPresent) this.f.out += '%!(BADPREC)';
          afterIndex = false;
        } else {
          [this.f.prec, this.f.precPresent, i] = parseNum(format, i, end);
          if (!this.f.precPresent) {
            this.f.prec = 0;
            this.f.precPresent = true;
          }
        }
      }
      if (!afterIndex) [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i >= end) {
        this.f.out += '%!(NOVERB)';
        break;
      }
      const verb = String.fromCodePoint(format.codePointAt(i)!);
      i += verb.length;
      if (verb === '%') {
        this.f.out += '%';
        continue;
      }
      if (!this.goodArgNum) {
        this.f.out += `%!${verb}(BADINDEX)`;
        continue;
      }
      if (argNum >= a.length) {
        this.f.out += `%!${verb}(MISSING)`;
        continue;
      }
      const arg = a[argNum];
      argNum++;
      if (verb === 'v') {
        if (this.f.sharp) {
          this.f.sharp = false;
          this.f.sharpV = true;
        }
        if (this.f.plus) {
          this.f.plus = false;
          this.f.plusV = true;
        }
      }
      this.printArg(arg, verb, 0);
    }
    if (!this.reordered && argNum < a.length) {
      this.f.clearFlags();
      this.f.out += '%!(EXTRA ';
      for (; argNum < a.length; argNum++) {
        const arg = a[argNum];
        if (kindOf(arg) !== 'invalid') this.f.out += goTypeName(arg) + '=';
        this.printArg(arg, 'v', 0);
        if (argNum + 1 < a.length) this.f.out += ', ';
      }
      this.f.out += ')';
    }
  }

  private argNumber(argNum: number, format: string, i: number, numArgs: number): [number, number, boolean] {
    if (format.length <= i || format[i] !== '[') return [argNum, i, false];
    this.reordered = true;
    const [index, wid, ok] = parseArgNumber(format.slice(i));
    if (ok && index >= 0 && index < numArgs) return [index, i + wid, true];
    this.goodArgNum = false;
    return [argNum, i + wid, true];
  }

  /** Prints one operand with one verb; returns whether it printed a plain string (for Sprint's spacing). */
  printArg(arg: unknown, verb: string, depth: number): boolean {
    if (arg === undefined || arg === null) {
      if (verb === 'T' || verb === 'v') this.f.pad('<nil>');
      else this.badVerb(verb, arg);
      return false;
    }
    if (verb === 'T') {
      this.printArg(goTypeName(arg), 's', 0);
      return false;
    }
    switch (typeof arg) {
      case 'boolean':
        this.fmtBool(arg, verb);
        return false;
      case 'bigint':
        this.fmtInteger(arg, verb, arg);
        return false;
      case 'number':
        this.fmtFloat(arg, verb);
        return false;
      case 'string':
        this.fmtString(arg, verb, arg);
        return verb === 's' || verb === 'v';
    }
    if (this.handleMethods(arg, verb, depth)) return false;
    this.printReflected(arg, verb, depth);
    return false;
  }

  private handleMethods(arg: unknown, verb: string, depth: number): boolean {
    if (this.erroring || this.f.sharpV) return false;
    if (verb !== 'v' && verb !== 's' && verb !== 'x' && verb !== 'X' && verb !== 'q') return false;
    const text = stringerText(arg);
    if (text === undefined) return false;
    this.printArg(text, verb, depth);
    return true;
  }

  private printReflected(v: unknown, verb: string, depth: number): void {
    if (v instanceof TypedString) return this.fmtString(v.value, verb, v);
    if (isIntLike(v)) return this.fmtInteger(v.goInt(), verb, v);
    switch (kindOf(v)) {
      case 'slice': {
        const items = v as unknown[];
        this.f.out += '[';
        items.forEach((item, i) => {
          if (i > 0) this.f.out += ' ';
          this.printValue(item, verb, depth + 1);
        });
        this.f.out += ']';
        return;
      }
      case 'map': {
        this.f.out += 'map[';
        sortedMapEntries(v as GoMap).forEach(([key, value], i) => {
          if (i > 0) this.f.out += ' ';
          this.printValue(key, verb, depth + 1);
          this.f.out += ':';
          this.printValue(value, verb, depth + 1);
        });
        this.f.out += ']';
        return;
      }
      case 'struct': {
        this.f.out += '{';
        structFields(v as object).forEach(([name, value], i) => {
          if (i > 0) this.f.out += ' ';
          if (this.f.plusV || this.f.sharpV) this.f.out += `${name}:`;
          this.printValue(value, verb, depth + 1);
        });
        this.f.out += '}';
        return;
      }
      default:
        this.badVerb(verb, v);
    }
  }

  /** Nested values: nil prints as `<nil>`; methods apply at every depth. */
  private printValue(v: unknown, verb: string, depth: number): void {
    if (v === undefined || v === null) {
      if (verb === 'T' || verb === 'v') this.f.out += '<nil>';
      else this.badVerb(verb, v);
      return;
    }
    this.printArg(v, verb, depth);
  }

  private badVerb(verb: string, arg: unknown): void {
    this.erroring = true;
    this.f.out += `%!${verb}(`;
    if (arg === undefined || arg === null) this.f.out += '<nil>';
    else {
      this.f.out += goTypeName(arg) + '=';
      this.printArg(arg, 'v', 0);
    }
    this.f.out += ')';
    this.erroring = false;
  }

  private fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.f.fmtBoolean(v);
    else this.badVerb(verb, v);
  }

  private fmtInteger(v: bigint, verb: string, original: unknown): void {
    switch (verb) {
      case 'b': return this.f.fmtInteger(v, 2, verb, false);
      case 'c': return this.f.fmtC(v);
      case 'd':
      case 'v': return this.f.fmtInteger(v, 10, verb, false);
      case 'o':
      case 'O': return this.f.fmtInteger(v, 8, verb, false);
      case 'q':
        if (v >= 0n && v <= 0x10ffffn) return this.f.fmtQc(v);
        return this.badVerb(verb, original);
      case 'x': return this.f.fmtInteger(v, 16, verb, false);
      case 'X': return this.f.fmtInteger(v, 16, verb, true);
      case 'U': return this.f.fmtUnicode(v);
      default: return this.badVerb(verb, original);
    }
  }

  private fmtFloat(v: number, verb: string): void {
    switch (verb) {
      case 'v': return this.f.fmtFloat(v, 'g', -1);
      case 'g':
      case 'G': return this.f.fmtFloat(v, verb, -1);
      case 'e':
      case 'E':
      case 'f': return this.f.fmtFloat(v, verb, 6);
      case 'F': return this.f.fmtFloat(v, 'f', 6);
      default: return this.badVerb(verb, v);
    }
  }

  private fmtString(v: string, verb: string, original: unknown): void {
    switch (verb) {
      case 'v': return this.f.sharpV ? this.f.fmtQ(v) : this.f.fmtS(v);
      case 's': return this.f.fmtS(v);
      case 'x': return this.f.fmtSx(v, false);
      case 'X': return this.f.fmtSx(v, true);
      case 'q': return this.f.fmtQ(v);
      default: return this.badVerb(verb, original);
    }
  }
}

/** The text of a Go `error` (a JS Error, or an `Error()` method) or `Stringer` (`String()`), if any. */
export function stringerText(v: unknown): string | undefined {
  if (v instanceof Error) return v.message;
  if (typeof v !== 'object' || v === null) return undefined;
  const withMethods = v as { Error?: unknown; String?: unknown };
  if (typeof withMethods.Error === 'function') return String((withMethods.Error as () => unknown).call(v));
  if (typeof withMethods.String === 'function') return String((withMethods.String as () => unknown).call(v));
  return undefined;
}

function intFromArg(a: readonly unknown[], argNum: number): [number, boolean, number] {
  if (argNum < a.length) {
    const v = a[argNum];
    const isInt = typeof v === 'bigint';
    return [isInt ? Number(v) : 0, isInt, argNum + 1];
  }
  return [0, false, argNum];
}

function parseArgNumber(format: string): [number, number, boolean] {
  for (let i = 1; i < format.length; i++) {
    if (format[i] === ']') {
      const [width, ok, newi] = parseNum(format, 1, i);
      if (!ok || newi !== i) return [0, i + 1, false];
      return [width - 1, i + 1, true];
    }
  }
  return [0, 1, false];
}

function parseNum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isNum = false;
  let i = start;
  for (; i < end && s[i]! >= '0' && s[i]! <= '9'; i++) {
    num = num * 10 + (s.charCodeAt(i) - 48);
    isNum = true;
  }
  return [num, isNum, i];
}
