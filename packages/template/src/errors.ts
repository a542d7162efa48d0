/**
 * What went wrong, as a closed set:
 * - `parse`: the template text is not valid (`template: NAME:LINE: …`, Go's wording);
 * - `exec`: executing a template failed (`template: NAME:LINE:COL: executing "NAME" at <…>: …`);
 * - `function`: a template function refused its arguments (wrapped by an `exec` error when raised
 *   during execution, as Go wraps it in `error calling NAME: …`);
 * - `not_defined`: no template of the requested name exists in the set;
 * - `definition`: a function map or option given to the engine is invalid (a programming error);
 * - `load`: a template file could not be read or a glob pattern is malformed.
 */
export type TemplateErrorCode = 'parse' | 'exec' | 'function' | 'not_defined' | 'definition' | 'load';

/**
 * The one error class of `@pyrometer/template`. `message` is worded as Go's `text/template` words
 * it, so callers can show it unchanged (Prometheus and Alertmanager users recognise these texts).
 * For `exec` errors caused by a function, `cause` is the function's own error.
 */
export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An error raised inside a template function, worded as the Go function would word it. */
export function functionError(message: string, cause?: unknown): TemplateError {
  return new TemplateError('function', message, cause === undefined ? undefined : { cause });
}
