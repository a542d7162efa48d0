import { isValidLabelName, isValidUtf8, parseDuration } from '@pyrometer/model';
import type { YamlReader, YNode } from './yaml-reader.js';
import { parseBase2Bytes } from './units.js';

/** Reads a Prometheus duration (`30s`, `1h30m`, `1d`) as milliseconds. */
export function readDuration(r: YamlReader, node: YNode, what: string): number {
  const s = r.string(node, what);
  try {
    return parseDuration(s);
  } catch (e) {
    throw r.error(node, `${what}: ${(e as Error).message}`);
  }
}

/** Reads a base-2 byte size (`100MB`, `1GiB`, `0`). */
export function readSize(r: YamlReader, node: YNode, what: string): number {
  const v = parseBase2Bytes(r.string(node, what));
  if (typeof v === 'string') throw r.error(node, `${what}: ${v}`);
  return v;
}

/** Reads a mapping of label names to values; names and values are validated (UTF-8 names). */
export function readLabelSet(r: YamlReader, node: YNode, what: string, expand?: (v: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = r.entries(node, what, (valueNode) => valueNode, 'label name');
  for (const [name, valueNode] of entries) {
    if (!isValidLabelName(name)) throw r.error(valueNode, `${JSON.stringify(name)} is not a valid label name`);
    let value = r.string(valueNode, 'label value');
    if (expand) value = expand(value);
    if (!isValidUtf8(value)) throw r.error(valueNode, `${JSON.stringify(value)} is not a valid label value`);
    out[name] = value;
  }
  return out;
}
