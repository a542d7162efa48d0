import { describe, expect, it } from 'vitest';
import { TemplateError } from '../errors.js';
import { sprint } from '../fmt/print.js';
import { GO_METHODS, GO_TYPE, GoMap, goTypeName, StringMap } from '../values.js';
import { templateFunction, type FuncMap } from './functions.js';
import { TemplateSet } from './template-set.js';

// Cases restated from Go's text/template/exec_test.go: the same template text on data of the same
// shape (ints are bigints, floats numbers, structs classes with capitalised members), the same
// output, or an error where Go fails.

class U {
  static readonly [GO_TYPE] = '*template.U';
  static readonly [GO_METHODS] = { TrueFalse: { params: ['bool'] } };
  constructor(readonly V: string) {}
  TrueFalse(b: boolean): string {
    return b ? 'true' : '';
  }
}

class Stringer {
  String(): string {
    return 'foozle';
  }
}

class T {
  static readonly [GO_TYPE] = 'template.T';
  static readonly [GO_METHODS] = {
    Method1: { params: ['int'] },
    Method2: { params: ['int', 'string'] },
    Method3: { params: ['any'] },
    MAdd: { params: ['int', 'any'] },
    MyError: { params: ['bool'] },
  };
  True = true;
  I = 17n;
  U16 = 16n;
  X = 'x';
  S = 'xyz';
  U = new U('v');
  FloatZero = 0;
  SI = [3n, 4n, 5n];
  SIEmpty: bigint[] = [];
  SB = [true, false];
  AI = [3n, 4n, 5n];
  MSI = new GoMap({ one: 1n, two: 2n, three: 3n }, 0n, 'map[string]int');
  MSIone = new GoMap({ one: 1n }, 0n, 'map[string]int');
  MSIEmpty = new GoMap<bigint>({}, 0n, 'map[string]int');
  MXI: Record<string, unknown> = {};
  SMSI = [new GoMap({ one: 1n, two: 2n }, 0n, 'map[string]int'), new GoMap({ eleven: 11n, twelve: 12n }, 0n, 'map[string]int')];
  Empty0: unknown = undefined;
  Empty1: unknown = 3n;
  Empty2: unknown = 'empty2';
  Empty3: unknown = [7n, 8n];
  Empty4: unknown = new U('UinEmpty');
  Str = new Stringer();
  Err = new Error('erroozle');
  BinaryFunc = templateFunction(['string', 'string'], (a: string, b: string) => `[${a}=${b}]`);
  VariadicFunc = templateFunction([], (...s: string[]) => `<${s.join('+')}>`, 'string');
  VariadicFuncInt = templateFunction(['int'], (a: bigint, ...s: string[]) => `${a}=<${s.join('+')}>`, 'string');
  NilOKFunc = templateFunction(['any'], (v: unknown) => v === undefined);
  ErrFunc = () => 'bla';

  Method0(): string {
    return 'M0';
  }
  Method1(a: bigint): bigint {
    return a;
  }
  Method2(a: bigint, b: string): string {
    return `Method2: ${a} ${b}`;
  }
  Method3(v: unknown): string {
    return `Method3: ${sprint([v])}`;
  }
  MAdd(a: bigint, b: bigint[]): bigint[] {
    return b.map((x) => x + a);
  }
  MyError(fail: boolean): boolean {
    if (fail) throw new Error('my error');
    return false;
  }
  GetU(): U {
    return this.U;
  }
  Copy(): T {
    return this;
  }
}

const funcs: FuncMap = {
  add: templateFunction([], (...args: bigint[]) => args.reduce((a, b) => a + b, 0n), 'int'),
  die: templateFunction([], () => {
    throw new Error('die');
  }),
  echo: templateFunction(['any'], (v: unknown) => v),
  makemap: templateFunction(
    [],
    (...args: string[]) => {
      const pairs: [string, string][] = [];
      for (let i = 0; i < args.length; i += 2) pairs.push([args[i]!, args[i + 1]!]);
      return new StringMap(pairs);
    },
    'string',
  ),
  mapOfThree: templateFunction([], () => new GoMap({ three: 3n }, 0n, 'map[string]int')),
  oneArg: templateFunction(['string'], (a: string) => `oneArg=${a}`),
  twoArgs: templateFunction(['string', 'string'], (a: string, b: string) => `twoArgs=${a}${b}`),
  dddArg: templateFunction(['int'], (a: bigint, ...b: string[]) => `${a} [${b.join(' ')}]\n`, 'string'),
  returnInt: templateFunction([], () => 7n),
  valueString: templateFunction(['string'], () => 'value is ignored'),
  zeroArgs: templateFunction([], () => 'zeroArgs'),
  stringer: templateFunction(['any'], (s: Stringer) => s.String()),
};

const tVal = new T();

interface ExecCase {
  name: string;
  input: string;
  output: string;
  data?: unknown;
  ok: boolean;
}

// An explicit `undefined` data argument means nil data; leaving it out means tVal.
const ok = (name: string, input: string, output: string, ...data: unknown[]): ExecCase => ({ name, input, output, data: data.length > 0 ? data[0] : tVal, ok: true });
const fails = (name: string, input: string, ...data: unknown[]): ExecCase => ({ name, input, output: '', data: data.length > 0 ? data[0] : tVal, ok: false });

const execCases: ExecCase[] = [
  ok('empty', '', ''),
  ok('text', 'some text', 'some text'),
  // Ideal constants.
  ok('ideal int', '{{typeOf 3}}', 'int'),
  ok('ideal float', '{{typeOf 1.0}}', 'float64'),
  ok('ideal exp float', '{{typeOf 1e1}}', 'float64'),
  ok('ideal hex int', '{{typeOf 0x10}}', 'int'),
  ok('ideal rune', "{{typeOf 'x'}}", 'int'),
  // Fields of structs.
  ok('.X', '-{{.X}}-', '-x-'),
  ok('.U.V', '-{{.U.V}}-', '-v-'),
  // Fields on maps.
  ok('map .one', '{{.MSI.one}}', '1'),
  ok('map .two', '{{.MSI.two}}', '2'),
  ok('map .NO', '{{.MSI.NO}}', '<no value>'),
  ok('map .one interface', '{{.MXI.one}}', '<no value>'),
  fails('map .WRONG args', '{{.MSI.one 1}}'),
  // Dots of all kinds to test basic evaluation.
  ok('dot int', '<{{.}}>', '<13>', 13n),
  ok('dot float', '<{{.}}>', '<15.1>', 15.1),
  ok('dot bool', '<{{.}}>', '<true>', true),
  ok('dot string', '<{{.}}>', '<hello>', 'hello'),
  ok('dot slice', '<{{.}}>', '<[-1 -2 -3]>', [-1n, -2n, -3n]),
  ok('dot map', '<{{.}}>', '<map[two:22]>', new GoMap({ two: 22n })),
  // $ variable.
  ok('$', '{{$}}', '123', 123n),
  ok('$.I', '{{$.I}}', '17'),
  ok('$.U.V', '{{$.U.V}}', 'v'),
  ok('declare in action', '{{$x := $.U.V}}{{$x}}', 'v'),
  ok('simple assignment', '{{$x := 2}}{{$x = 3}}{{$x}}', '3'),
  ok('nested assignment', '{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{$x}}', '3'),
  ok('nested assignment changes the last declaration', '{{$x := 1}}{{if true}}{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{end}}{{$x}}', '1'),
  // Type with String method.
  ok('V{6666}.String()', '-{{.Str}}-', '-foozle-'),
  ok('error', '-{{.Err}}-', '-erroozle-'),
  // Empty interfaces holding values.
  ok('empty nil', '{{.Empty0}}', '<no value>'),
  ok('empty with int', '{{.Empty1}}', '3'),
  ok('empty with string', '{{.Empty2}}', 'empty2'),
  ok('empty with slice', '{{.Empty3}}', '[7 8]'),
  ok('empty with struct', '{{.Empty4}}', '{UinEmpty}'),
  ok('empty with struct, field', '{{.Empty4.V}}', 'UinEmpty'),
  ok('field on nil', '{{.foo}}', '<no value>', undefined),
  ok('field on parenthesized nil', '{{(.).foo}}', '<no value>', undefined),
  fails('unparenthesized non-function', '{{1 2}}', undefined),
  fails('parenthesized non-function', '{{(1) 2}}', undefined),
  ok('parenthesized non-function with no args', '{{(1)}}', '1', undefined),
  // Method calls.
  ok('.Method0', '-{{.Method0}}-', '-M0-'),
  ok('.Method1(1234)', '-{{.Method1 1234}}-', '-1234-'),
  ok('.Method1(.I)', '-{{.Method1 .I}}-', '-17-'),
  ok('.Method2(3, .X)', '-{{.Method2 3 .X}}-', '-Method2: 3 x-'),
  ok('.Method2(.U16, `str`)', '-{{.Method2 .U16 `str`}}-', '-Method2: 16 str-'),
  ok('.Method2(.U16, $x)', '{{if $x := .X}}-{{.Method2 .U16 $x}}{{end}}-', '-Method2: 16 x-'),
  ok('.Method3(nil constant)', '-{{.Method3 nil}}-', '-Method3: <nil>-'),
  ok('.Method3(nil value)', '-{{.Method3 .MXI.unset}}-', '-Method3: <nil>-'),
  ok('method on var', '{{if $x := .}}-{{$x.Method2 .U16 $x.X}}{{end}}-', '-Method2: 16 x-'),
  ok('method on chained var', '{{range .MSIone}}{{if $.U.TrueFalse $.True}}{{$.U.TrueFalse $.True}}{{else}}WRONG{{end}}{{end}}', 'true'),
  ok('chained method', '{{range .MSIone}}{{if $.GetU.TrueFalse $.True}}{{$.U.TrueFalse $.True}}{{else}}WRONG{{end}}{{end}}', 'true'),
  ok('chained method on variable', '{{with $x := .}}{{with .SI}}{{$.GetU.TrueFalse $.True}}{{end}}{{end}}', 'true'),
  ok('.NilOKFunc not nil', '{{call .NilOKFunc .I}}', 'false'),
  ok('.NilOKFunc nil', '{{call .NilOKFunc nil}}', 'true'),
  // Function call builtin.
  ok('.BinaryFunc', '{{call .BinaryFunc `1` `2`}}', '[1=2]'),
  ok('.VariadicFunc0', '{{call .VariadicFunc}}', '<>'),
  ok('.VariadicFunc2', '{{call .VariadicFunc `he` `llo`}}', '<he+llo>'),
  ok('.VariadicFuncInt', '{{call .VariadicFuncInt 33 `he` `llo`}}', '33=<he+llo>'),
  ok('if .BinaryFunc call', '{{ if .BinaryFunc}}{{call .BinaryFunc `1` `2`}}{{end}}', '[1=2]'),
  ok('if not .BinaryFunc call', '{{ if not .BinaryFunc}}{{call .BinaryFunc `1` `2`}}{{else}}No{{end}}', 'No'),
  ok('Interface Call', '{{stringer .S}}', 'foozle', { S: new Stringer() }),
  ok('.ErrFunc', '{{call .ErrFunc}}', 'bla'),
  fails('call nil', '{{call nil}}'),
  fails('empty call', '{{call}}'),
  ok('empty call after pipe valid', '{{.ErrFunc | call}}', 'bla'),
  fails('empty call after pipe invalid', '{{1 | call}}'),
  fails('.BinaryFuncTooFew', '{{call .BinaryFunc `1`}}'),
  fails('.BinaryFuncTooMany', '{{call .BinaryFunc `1` `2` `3`}}'),
  fails('.BinaryFuncBad0', '{{call .BinaryFunc 1 3}}'),
  fails('.BinaryFuncBad1', '{{call .BinaryFunc `1` 3}}'),
  fails('.VariadicFuncBad0', '{{call .VariadicFunc 3}}'),
  fails('.VariadicFuncIntBad0', '{{call .VariadicFuncInt}}'),
  fails('.VariadicFuncIntBad`', '{{call .VariadicFuncInt `x`}}'),
  fails('.VariadicFuncNilBad', '{{call .VariadicFunc nil}}'),
  // Pipelines.
  ok('pipeline', '-{{.Method0 | .Method2 .U16}}-', '-Method2: 16 M0-'),
  ok('pipeline func', '-{{call .VariadicFunc `llo` | call .VariadicFunc `he` }}-', '-<he+<llo>>-'),
  ok('nil pipeline', '{{ .Empty0 | call .NilOKFunc }}', 'true'),
  ok('nil call arg', '{{ call .NilOKFunc .Empty0 }}', 'true'),
  fails('bad nil pipeline', '{{ .Empty0 | .VariadicFunc }}'),
  // Parenthesized expressions.
  ok('parens in pipeline', '{{printf `%d %d %d` (1) (2 | add 3) (add 4 (add 5 6))}}', '1 5 15'),
  ok('parens: $ in paren', '{{($).X}}', 'x'),
  ok('parens: $.GetU in paren', '{{($.GetU).V}}', 'v'),
  ok('parens: $ in paren in pipe', '{{($ | echo).X}}', 'x'),
  ok('parens: spaces and args', '{{(makemap "up" "down" "left" "right").left}}', 'right'),
  // If.
  ok('if true', '{{if true}}TRUE{{end}}', 'TRUE'),
  ok('if false', '{{if false}}TRUE{{else}}FALSE{{end}}', 'FALSE'),
  fails('if nil', '{{if nil}}TRUE{{end}}'),
  ok('if 1', '{{if 1}}NON-ZERO{{else}}ZERO{{end}}', 'NON-ZERO'),
  ok('if 0', '{{if 0}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO'),
  ok('if 1.5', '{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}', 'NON-ZERO'),
  ok('if 0.0', '{{if .FloatZero}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO'),
  ok('if emptystring', '{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY'),
  ok('if string', '{{if `notempty`}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY'),
  ok('if emptyslice', '{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY'),
  ok('if slice', '{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY'),
  ok('if emptymap', '{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY'),
  ok('if map', '{{if .MSI}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY'),
  ok('if map unset', '{{if .MXI.none}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO'),
  ok('if map not unset', '{{if not .MXI.none}}ZERO{{else}}NON-ZERO{{end}}', 'ZERO'),
  ok('if $x with $y int', '{{if $x := true}}{{with $y := .I}}{{$x}},{{$y}}{{end}}{{end}}', 'true,17'),
  ok('if $x with $x int', '{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}', '17,true'),
  ok('if else if', '{{if false}}FALSE{{else if true}}TRUE{{end}}', 'TRUE'),
  ok('if else chain', '{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}', '3'),
  // Print etc.
  ok('print', '{{print "hello, print"}}', 'hello, print'),
  ok('print 123', '{{print 1 2 3}}', '1 2 3'),
  ok('print nil', '{{print nil}}', '<nil>'),
  ok('println', '{{println 1 2 3}}', '1 2 3\n'),
  ok('printf int', '{{printf "%04x" 127}}', '007f'),
  ok('printf float', '{{printf "%g" 3.5}}', '3.5'),
  ok('printf string', '{{printf "%s" "hello"}}', 'hello'),
  ok('printf function', '{{printf "%#q" zeroArgs}}', '`zeroArgs`'),
  ok('printf field', '{{printf "%s" .U.V}}', 'v'),
  ok('printf method', '{{printf "%s" .Method0}}', 'M0'),
  ok('printf dot', '{{with .I}}{{printf "%d" .}}{{end}}', '17'),
  ok('printf var', '{{with $x := .I}}{{printf "%d" $x}}{{end}}', '17'),
  // HTML, JavaScript, URL query.
  ok('html', '{{html "<script>alert(\\"XSS\\");</script>"}}', '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;', undefined),
  ok('html pipeline', '{{printf "<script>alert(\\"XSS\\");</script>" | html}}', '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;', undefined),
  ok('html untyped nil', '{{html .Empty0}}', '&lt;no value&gt;'),
  ok('js', '{{js .}}', "It\\'d be nice.", "It'd be nice."),
  ok('urlquery', '{{"http://www.example.org/"|urlquery}}', 'http%3A%2F%2Fwww.example.org%2F', undefined),
  // Booleans.
  ok('not', '{{not true}} {{not false}}', 'false true', undefined),
  ok('and', '{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}', 'false 0 0 1', undefined),
  ok('or', '{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}', '0 1 true 1', undefined),
  ok('or short-circuit', '{{or 0 1 (die)}}', '1', undefined),
  ok('and short-circuit', '{{and 1 0 (die)}}', '0', undefined),
  fails('or short-circuit2', '{{or 0 0 (die)}}', undefined),
  fails('and short-circuit2', '{{and 1 1 (die)}}', undefined),
  ok('and pipe-true', '{{1 | and 1}}', '1', undefined),
  ok('and pipe-false', '{{0 | and 1}}', '0', undefined),
  ok('or pipe-true', '{{1 | or 0}}', '1', undefined),
  ok('or pipe-false', '{{0 | or 0}}', '0', undefined),
  ok('and undef', '{{and 1 .Unknown}}', '<no value>', undefined),
  ok('or undef', '{{or 0 .Unknown}}', '<no value>', undefined),
  ok('boolean if', '{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}', 'TRUE'),
  ok('boolean if not', '{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}', 'FALSE', undefined),
  ok('boolean if pipe', '{{if true | not | and 1}}TRUE{{else}}FALSE{{end}}', 'FALSE', undefined),
  // Indexing.
  ok('slice[0]', '{{index .SI 0}}', '3'),
  ok('slice[1]', '{{index .SI 1}}', '4'),
  fails('slice[HUGE]', '{{index .SI 10}}'),
  fails('slice[WRONG]', '{{index .SI `hello`}}'),
  fails('slice[nil]', '{{index .SI nil}}'),
  ok('map[one]', '{{index .MSI `one`}}', '1'),
  ok('map[two]', '{{index .MSI `two`}}', '2'),
  ok('map[NO]', '{{index .MSI `XXX`}}', '0'),
  fails('map[nil]', '{{index .MSI nil}}'),
  ok('map[``]', '{{index .MSI ``}}', '0'),
  fails('map[WRONG]', '{{index .MSI 10}}'),
  ok('double index', '{{index .SMSI 1 `eleven`}}', '11'),
  fails('nil[1]', '{{index nil 1}}'),
  ok('index of an interface field', '{{index .Empty3 0}}', '7'),
  // Slicing.
  ok('slice[:]', '{{slice .SI}}', '[3 4 5]'),
  ok('slice[1:]', '{{slice .SI 1}}', '[4 5]'),
  ok('slice[1:2]', '{{slice .SI 1 2}}', '[4]'),
  fails('slice[-1:]', '{{slice .SI -1}}'),
  fails('slice[1:-2]', '{{slice .SI 1 -2}}'),
  fails('slice[1:2:-1]', '{{slice .SI 1 2 -1}}'),
  fails('slice[2:1]', '{{slice .SI 2 1}}'),
  fails('slice[2:2:1]', '{{slice .SI 2 2 1}}'),
  fails('out of range', '{{slice .SI 4 5}}'),
  ok('string[:]', '{{slice .S}}', 'xyz'),
  ok('string[0:1]', '{{slice .S 0 1}}', 'x'),
  ok('string[1:]', '{{slice .S 1}}', 'yz'),
  ok('string[1:2]', '{{slice .S 1 2}}', 'y'),
  fails('string out of range', '{{slice .S 1 5}}'),
  fails('3-index slice of string', '{{slice .S 1 2 2}}'),
  ok('slice of an interface field', '{{slice .Empty3 0 1}}', '[7]'),
  // Len.
  ok('len slice', '{{len .SI}}', '3'),
  ok('len map', '{{len .MSI }}', '3'),
  fails('len of int', '{{len 3}}'),
  fails('len of nothing', '{{len .Empty0}}'),
  ok('len of an interface field', '{{len .Empty3}}', '2'),
  // With.
  ok('with true', '{{with true}}{{.}}{{end}}', 'true'),
  ok('with false', '{{with false}}{{.}}{{else}}FALSE{{end}}', 'FALSE'),
  ok('with 1', '{{with 1}}{{.}}{{else}}ZERO{{end}}', '1'),
  ok('with 0', '{{with 0}}{{.}}{{else}}ZERO{{end}}', 'ZERO'),
  ok('with 1.5', '{{with 1.5}}{{.}}{{else}}ZERO{{end}}', '1.5'),
  ok('with 0.0', '{{with .FloatZero}}{{.}}{{else}}ZERO{{end}}', 'ZERO'),
  ok('with emptystring', '{{with ``}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY'),
  ok('with string', '{{with `notempty`}}{{.}}{{else}}EMPTY{{end}}', 'notempty'),
  ok('with emptyslice', '{{with .SIEmpty}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY'),
  ok('with slice', '{{with .SI}}{{.}}{{else}}EMPTY{{end}}', '[3 4 5]'),
  ok('with emptymap', '{{with .MSIEmpty}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY'),
  ok('with map', '{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}', 'map[one:1]'),
  ok('with empty interface, struct field', '{{with .Empty4}}{{.V}}{{end}}', 'UinEmpty'),
  ok('with $x int', '{{with $x := .I}}{{$x}}{{end}}', '17'),
  ok('with $x struct.U.V', '{{with $x := $}}{{$x.U.V}}{{end}}', 'v'),
  ok('with variable and action', '{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}', 'v'),
  ok('with else with', '{{with 0}}{{.}}{{else with true}}{{.}}{{end}}', 'true'),
  ok('with else with chain', '{{with 0}}{{.}}{{else with false}}{{.}}{{else with `notempty`}}{{.}}{{end}}', 'notempty'),
  // Range.
  ok('range []int', '{{range .SI}}-{{.}}-{{end}}', '-3--4--5-'),
  ok('range empty no else', '{{range .SIEmpty}}-{{.}}-{{end}}', ''),
  ok('range []int else', '{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}', '-3--4--5-'),
  ok('range empty else', '{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}', 'EMPTY'),
  ok('range []int break else', '{{range .SI}}-{{.}}-{{break}}NOTREACHED{{else}}EMPTY{{end}}', '-3-'),
  ok('range []int continue else', '{{range .SI}}-{{.}}-{{continue}}NOTREACHED{{else}}EMPTY{{end}}', '-3--4--5-'),
  ok('range []bool', '{{range .SB}}-{{.}}-{{end}}', '-true--false-'),
  ok('range []int method', '{{range .SI | .MAdd .I}}-{{.}}-{{end}}', '-20--21--22-'),
  ok('range map', '{{range .MSI}}-{{.}}-{{end}}', '-1--3--2-'),
  ok('range empty map no else', '{{range .MSIEmpty}}-{{.}}-{{end}}', ''),
  ok('range map else', '{{range .MSI}}-{{.}}-{{else}}EMPTY{{end}}', '-1--3--2-'),
  ok('range empty map else', '{{range .MSIEmpty}}-{{.}}-{{else}}EMPTY{{end}}', 'EMPTY'),
  ok('range empty interface', '{{range .Empty3}}-{{.}}-{{else}}EMPTY{{end}}', '-7--8-'),
  ok('range empty nil', '{{range .Empty0}}-{{.}}-{{end}}', ''),
  ok('range $x SI', '{{range $x := .SI}}<{{$x}}>{{end}}', '<3><4><5>'),
  ok('range $x $y SI', '{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}', '<0=3><1=4><2=5>'),
  ok('range $x MSIone', '{{range $x := .MSIone}}<{{$x}}>{{end}}', '<1>'),
  ok('range $x $y MSIone', '{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}', '<one=1>'),
  ok('declare in range', '{{range $x := .SI}}<{{$foo:=$x}}{{$x}}>{{end}}', '<3><4><5>'),
  ok('range int', '{{range $v := .}}{{printf "%T%d" $v $v}}{{end}}', 'int0int1int2int3int4', 5n),
  ok('range int zero', '{{range $v := .}}{{print $v}}{{else}}empty{{end}}', 'empty', 0n),
  ok('range 5', '{{range $v := 5}}{{printf "%T%d" $v $v}}{{end}}', 'int0int1int2int3int4', undefined),
  fails('range int over two variables', '{{range $i, $v := 5}}{{end}}', undefined),
  fails('range float', '{{range 1.5}}{{end}}', undefined),
  ok('or as if true', '{{or .SI "slice is empty"}}', '[3 4 5]'),
  ok('or as if false', '{{or .SIEmpty "slice is empty"}}', 'slice is empty'),
  // Error handling.
  fails('error method, error', '{{.MyError true}}'),
  ok('error method, no error', '{{.MyError false}}', 'false'),
  // Numbers.
  ok('decimal', '{{print 1234}}', '1234'),
  ok('decimal _', '{{print 12_34}}', '1234'),
  ok('binary', '{{print 0b101}}', '5'),
  ok('binary _', '{{print 0b_1_0_1}}', '5'),
  ok('BINARY', '{{print 0B101}}', '5'),
  ok('octal0', '{{print 0377}}', '255'),
  ok('octal', '{{print 0o377}}', '255'),
  ok('octal _', '{{print 0o_3_7_7}}', '255'),
  ok('OCTAL', '{{print 0O377}}', '255'),
  ok('hex', '{{print 0x123}}', '291'),
  ok('hex _', '{{print 0x1_23}}', '291'),
  ok('HEX', '{{print 0X123ABC}}', '1194684'),
  ok('float', '{{print 123.4}}', '123.4'),
  ok('float _', '{{print 0_0_1_2_3.4}}', '123.4'),
  ok('hex float', '{{print +0x1.ep+2}}', '7.5'),
  ok('hex float _', '{{print +0x_1.e_0p+0_2}}', '7.5'),
  ok('HEX float', '{{print +0X1.EP+2}}', '7.5'),
  ok('print multi', '{{print 1_2_3_4 7.5_00_00_00}}', '1234 7.5'),
  ok('print multi2', '{{print 1234 0x0_1.e_0p+02}}', '1234 7.5'),
  // Fixed bugs.
  ok('bug0', '{{range .MSIone}}{{if $.Method1 .}}X{{end}}{{end}}', 'X'),
  ok('bug3', '{{with $}}{{.Method0}}{{end}}', 'M0'),
  ok('bug4', '{{if .Empty0}}non-nil{{else}}nil{{end}}', 'nil'),
  ok('bug5', '{{.Str}}', 'foozle'),
  ok('bug5a', '{{.Err}}', 'erroozle'),
  fails('bug7a', '{{3 2}}'),
  fails('bug7b', '{{$x := 1}}{{$x 2}}'),
  fails('bug7c', '{{$x := 1}}{{3 | $x}}'),
  fails('bug8a', '{{3|oneArg}}'),
  fails('bug8b', '{{4|dddArg 3}}'),
  ok('bug9', '{{.cause}}', 'neglect', new StringMap({ cause: 'neglect' })),
  ok('bug10', '{{mapOfThree.three}}-{{(mapOfThree).three}}', '3-3', 0n),
  ok('bug12xe', '{{printf `%T` 0xef}}', 'int'),
  ok('bug12XE', '{{printf `%T` 0XEE}}', 'int'),
  ok('bug13', '{{print (.Copy).I}}', '17'),
  fails('bug14a', '{{(nil).True}}'),
  fails('bug14b', '{{$x := nil}}{{$x.anything}}'),
  fails('bug14c', '{{$x := (1.0)}}{{$y := ("hello")}}{{$x.anything}}{{$y.true}}'),
  fails('bug15', '{{valueString returnInt}}'),
  fails('bug16a', '{{true|printf}}'),
  fails('bug16b', '{{1|printf}}'),
  fails('bug16c', '{{1.1|printf}}'),
  fails('bug16d', "{{'x'|printf}}"),
  fails('bug16f', '{{true|twoArgs "xxx"}}'),
  ok('bug16g', '{{"aaa" |twoArgs "bbb"}}', 'twoArgs=bbbaaa'),
  fails('bug16h', '{{1|oneArg}}'),
  ok('bug16i', '{{"aaa"|oneArg}}', 'oneArg=aaa'),
  ok('bug16k', '{{"aaa"|printf }}', 'aaa'),
  ok('bug18a', "{{eq . '.'}}", 'true', 46n),
  ok('bug18b', "{{eq . 'e'}}", 'true', 101n),
  ok('issue56490', '{{$i := 0}}{{$x := 0}}{{range $i = .AI}}{{end}}{{$i}}', '5'),
  ok('issue60801', '{{$k := 0}}{{$v := 0}}{{range $k, $v = .AI}}{{$k}}={{$v}} {{end}}', '0=3 1=4 2=5 '),
];

function newSet(): TemplateSet {
  return new TemplateSet({ funcs: { ...funcs, typeOf: templateFunction(['any'], (v: unknown) => goTypeName(v)) } });
}

describe('execution (Go exec_test.go)', () => {
  it.each(execCases)('$name', async (c) => {
    const run = newSet().parse(c.name, c.input).execute(c.name, c.data);
    if (c.ok) expect(await run).toBe(c.output);
    else await expect(run).rejects.toBeInstanceOf(TemplateError);
  });

  it('a map read with arguments is an error', async () => {
    await expect(newSet().parse('t', '{{.MSI.one 1}}').execute('t', tVal)).rejects.toThrow('template: t:1:6: executing "t" at <.MSI.one>: one is not a method but has arguments');
  });
});

describe('execution errors as Go words them', () => {
  it('names the nested template and its position (TestExecError)', async () => {
    const text = 'line 1\nline 2\nline 3\n{{template "one" .}}\n{{define "one"}}{{template "two" .}}{{end}}\n{{define "two"}}{{template "three" .}}{{end}}\n{{define "three"}}{{index "hi" $}}{{end}}';
    const set = new TemplateSet().parse('top', text);
    await expect(set.execute('top', 5n)).rejects.toThrow('template: top:7:20: executing "three" at <index "hi" $>: error calling index: index out of range: 5');
  });

  it.each([
    ['{{ eq 1 1.5 }}', 'template: t:1:3: executing "t" at <eq 1 1.5>: error calling eq: incompatible types for comparison: int and float64'],
    ['{{ lt true false }}', 'template: t:1:3: executing "t" at <lt true false>: error calling lt: invalid type for comparison'],
    ['{{ eq 1 }}', 'template: t:1:3: executing "t" at <eq 1>: error calling eq: missing argument for comparison'],
    ['{{ .Nope }}', 'template: t:1:3: executing "t" at <.Nope>: can\'t evaluate field Nope in type template.T'],
    ['{{ nil }}', 'template: t:1:3: executing "t" at <nil>: nil is not a command'],
    ['{{ len 3 }}', 'template: t:1:3: executing "t" at <len 3>: error calling len: len of type int'],
    ['{{ printf }}', 'template: t:1:3: executing "t" at <printf>: wrong number of args for printf: want at least 1 got 0'],
    ['{{ template "zz" }}', 'template: t:1:12: executing "t" at <{{template "zz"}}>: template "zz" not defined'],
    ['{{ .Method1 "x" }}', 'template: t:1:12: executing "t" at <"x">: expected integer; found "x"'],
    ['{{ oneArg 1 }}', 'template: t:1:10: executing "t" at <1>: expected string; found 1'],
    ['{{ valueString .I }}', 'template: t:1:15: executing "t" at <.I>: wrong type for value; expected string; got int'],
    ['{{ if .SB.x }}{{ end }}', 'template: t:1:9: executing "t" at <.SB.x>: can\'t evaluate field x in type []interface {}'],
    ['{{ range 1.5 }}{{ end }}', 'template: t:1:9: executing "t" at <1.5>: range can\'t iterate over 1.5'],
    ['{{ .MyError true }}', 'template: t:1:3: executing "t" at <.MyError>: error calling MyError: my error'],
    ['{{ index .MSI 10 }}', 'template: t:1:3: executing "t" at <index .MSI 10>: error calling index: value has type int; should be string'],
    ['{{ 18446744073709551615 }}', 'template: t:1:3: executing "t" at <18446744073709551615>: 18446744073709551615 overflows int'],
    ['héllo {{ .Nope }}', 'template: t:1:10: executing "t" at <.Nope>: can\'t evaluate field Nope in type template.T'],
  ])('%s', async (text, message) => {
    await expect(newSet().parse('t', text).execute('t', tVal)).rejects.toThrow(message);
  });

  it('missingkey=error names the key; missingkey=zero gives the element type’s zero', async () => {
    const data = { m: new StringMap({ a: '1' }), i: {} };
    await expect(new TemplateSet({ missingKey: 'error' }).parse('t', '{{ .m.b }}').execute('t', data)).rejects.toThrow('map has no entry for key "b"');
    expect(await new TemplateSet({ missingKey: 'zero' }).parse('t', '[{{ .m.b }}][{{ .i.b }}]').execute('t', data)).toBe('[][<no value>]');
    expect(await new TemplateSet().parse('t', '[{{ .m.b }}]').execute('t', data)).toBe('[<no value>]');
  });

  it('runaway recursion stops with an error instead of a crash', async () => {
    const set = new TemplateSet().parse('t', '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}');
    await expect(set.execute('t', undefined)).rejects.toThrow('exceeded maximum template depth (10000)');
  });

  it('an unknown template name is a not_defined error', async () => {
    await expect(new TemplateSet({ name: 'root' }).execute('x', undefined)).rejects.toMatchObject({ code: 'not_defined', message: 'template: no template "x" associated with template "root"' });
  });
});

describe('template sets', () => {
  it('custom delimiters, comments and trimming (TestDelims, TestTree)', async () => {
    for (const [left, right] of [['', ''], ['{{', '}}'], ['<<', '>>'], ['|', '|'], ['(日)', '(本)']] as const) {
      const l = left || '{{';
      const r = right || '}}';
      const text = `${l}.Str${r}${l}/*comment*/${r}${l}"${l}"${r}`;
      expect(await new TemplateSet({ delimiters: [left, right] }).parse('d', text).execute('d', { Str: 'Hello, world' })).toBe(`Hello, world${l}`);
    }
    const tree = '\n\t(- define "tree" -)\n\t[\n\t\t(- .Val -)\n\t\t(- with .Left -)\n\t\t\t(template "tree" . -)\n\t\t(- end -)\n\t\t(- with .Right -)\n\t\t\t(- template "tree" . -)\n\t\t(- end -)\n\t]\n\t(- end -)\n';
    const node = (val: bigint, left?: unknown, right?: unknown) => ({ Val: val, Left: left, Right: right });
    const data = node(1n, node(2n, node(3n, node(4n), undefined), node(5n, node(6n), undefined)), node(7n, node(8n, node(9n), undefined), node(10n, node(11n), undefined)));
    const set = new TemplateSet({ delimiters: ['(', ')'] }).parse('root', tree);
    expect(await set.execute('tree', data)).toBe('[1[2[3[4]][5[6]]][7[8[9]][10[11]]]]');
  });

  it('a later non-empty definition replaces an earlier one; an empty one does not', async () => {
    const set = new TemplateSet().parse('a', '{{ define "x" }}one{{ end }}').parse('b', '{{ define "x" }}two{{ end }}').parse('c', '{{ define "x" }} {{ end }}');
    expect(await set.execute('x', undefined)).toBe('two');
    expect(set.templateNames()).toEqual(['a', 'b', 'c', 'x']);
  });

  it('an overlay sees the base set and leaves it untouched', async () => {
    const base = new TemplateSet().parse('base', '{{ define "x" }}base{{ end }}');
    const overlay = base.overlay().parse('', '{{ define "x" }}over{{ end }}{{ template "x" }}');
    expect(await overlay.execute('', undefined)).toBe('over');
    expect(await base.execute('x', undefined)).toBe('base');
  });

  it('functions may return Promises; execution waits for them in order', async () => {
    const order: string[] = [];
    const set = new TemplateSet({
      funcs: {
        slow: templateFunction(['string'], async (s: string) => {
          await new Promise((resolve) => setTimeout(resolve, s === 'a' ? 5 : 0));
          order.push(s);
          return s.toUpperCase();
        }),
      },
    }).parse('t', '{{ slow "a" }}{{ slow "b" }}');
    expect(await set.execute('t', undefined)).toBe('AB');
    expect(order).toEqual(['a', 'b']);
  });

  it('per-execution function overrides replace the parse-time implementation', async () => {
    const set = new TemplateSet({ funcs: { who: () => 'parse-time' } }).parse('t', '{{ who }}');
    expect(await set.execute('t', undefined, { funcs: { who: () => 'bound' } })).toBe('bound');
    expect(await set.execute('t', undefined)).toBe('parse-time');
  });

  it('rejects function names that are not identifiers', () => {
    expect(() => new TemplateSet({ funcs: { 'a-b': () => 1 } })).toThrow('function name "a-b" is not a valid identifier');
  });
});
