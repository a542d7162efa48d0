import { RE2JS } from 're2js';

/** Alertmanager's anchoring: `^(?:pattern)$` (no dot-all, unlike PromQL). Throws with Go's regexp message. */
export function compileAnchored(pattern: string): RE2JS {
  return RE2JS.compile(`^(?:${pattern})$`);
}

/** Compiles a pattern as written, unanchored (upstream's silence validation does so). */
export function compileRegex(pattern: string): RE2JS {
  return RE2JS.compile(pattern);
}

