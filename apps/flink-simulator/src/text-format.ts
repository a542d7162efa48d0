import { doubleToGoString } from './java-format.js';
import type { Family } from './metrics-builder.js';

const INVALID_VALUE_CHARS = /[^a-zA-Z0-9:_]/g;

/**
 * Renders families exactly as simpleclient 0.8.1's `TextFormat.write004` does: HELP (escaping
 * `\\` and newline), TYPE, and samples whose label sets end with a trailing comma, values in
 * Java formatting, no timestamps. With `filterLabelValueCharacters` every label value character
 * outside `[a-zA-Z0-9:_]` becomes `_` (Flink's default; the `quantile` label is simpleclient's and
 * is never filtered).
 */
export function writeText004(families: readonly Family[], filterLabelValueCharacters: boolean): string {
  let out = '';
  for (const family of families) {
    out += `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
    for (const sample of family.samples) {
      out += family.name + sample.suffix;
      if (sample.labels.length > 0) {
        out += '{';
        for (const [name, raw] of sample.labels) {
          const value = filterLabelValueCharacters && name !== 'quantile' ? raw.replace(INVALID_VALUE_CHARS, '_') : raw;
          out += `${name}="${escapeLabelValue(value)}",`;
        }
        out += '}';
      }
      out += ` ${doubleToGoString(sample.value)}\n`;
    }
  }
  return out;
}

function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
