/** Every condition the config loader reports, as a closed union of stable codes. */
export type ConfigErrorCode =
  /** The file could not be read. */
  | 'read'
  /** The text is not well-formed YAML. */
  | 'yaml'
  /** A field name that the section does not have. */
  | 'unknown_field'
  /** A field or mapping key given twice. */
  | 'duplicate_key'
  /** A value of the wrong kind or outside its allowed range, or a rule between fields broken. */
  | 'invalid';

/** Where in a file a problem is; `line` and `col` are 1-based and absent when YAML gives none. */
export interface ConfigPosition {
  file: string;
  line?: number;
  col?: number;
}

/**
 * The one error class of the config package. The message starts with `file:line:col: ` (or
 * `file: ` when the problem has no position) followed by the problem, so it can be printed as is;
 * `problem` holds the text without the position.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly code: ConfigErrorCode,
    readonly problem: string,
    readonly position: ConfigPosition,
    options?: { cause?: unknown },
  ) {
    super(`${formatPosition(position)}: ${problem}`, options);
  }
}

function formatPosition(p: ConfigPosition): string {
  if (p.line === undefined) return p.file;
  return p.col === undefined ? `${p.file}:${p.line}` : `${p.file}:${p.line}:${p.col}`;
}
