import type { PositionRange } from './ast.js';

/**
 * What kind of problem a ParseError reports: `syntax` for lexing and grammar errors, `type` for
 * type checking (wrong argument types, bad vector matching, …), `experimental` for features
 * that need an option to be enabled.
 */
export type ParseErrorCode = 'syntax' | 'type' | 'experimental';

/**
 * The error every parse function throws for bad input. `pos` is the offending range in the
 * input (0-based, end exclusive); `reason` is the bare message, and `message` is the form
 * Prometheus's HTTP API shows: `line:col: parse error: reason` (1-based line and column).
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';

  constructor(
    readonly code: ParseErrorCode,
    readonly reason: string,
    readonly pos: PositionRange,
    readonly input: string,
    options?: { cause?: unknown },
  ) {
    super(`${positionString(input, pos.start)}: parse error: ${reason}`, options);
  }
}

/** `line:col` (1-based) of a 0-based offset, as upstream prints it; "unknown position" for empty input. */
export function positionString(input: string, offset: number): string {
  if (input === '') return 'unknown position';
  if (offset < 0 || offset > input.length) return 'invalid position';
  let line = 1;
  let lastBreak = -1;
  for (let i = 0; i < offset; i++) {
    if (input.charCodeAt(i) === 10) {
      line++;
      lastBreak = i;
    }
  }
  return `${line}:${offset - lastBreak}`;
}
