import { defaultRelabelConfig, validateRelabelConfig, type RelabelConfig } from '@pyrometer/model';
import type { YamlReader, YNode } from './yaml-reader.js';

/**
 * Reads a list of relabel rules. An empty (`-`) item fails with `emptyMessage`, as upstream's
 * per-section messages say. Each rule starts from upstream's defaults and is validated by
 * `@pyrometer/model` (which carries upstream's messages).
 */
export function readRelabelConfigs(r: YamlReader, n: YNode, emptyMessage: string, legacy = false): RelabelConfig[] {
  return r.list(n, 'relabel configs', (item) => {
    if (r.isNull(item)) throw r.error(item, emptyMessage);
    return readRelabelConfig(r, item, legacy);
  });
}

function readRelabelConfig(r: YamlReader, n: YNode, legacy: boolean): RelabelConfig {
  const raw: Record<string, unknown> = {};
  r.struct(n, 'relabel.plain', {
    source_labels: (v) => (raw['sourceLabels'] = r.strings(v, 'source label')),
    separator: (v) => (raw['separator'] = r.string(v, 'separator')),
    regex: (v) => (raw['regex'] = r.string(v, 'regex')),
    modulus: (v) => (raw['modulus'] = r.uint(v, 'modulus')),
    target_label: (v) => (raw['targetLabel'] = r.string(v, 'target_label')),
    replacement: (v) => (raw['replacement'] = r.string(v, 'replacement')),
    action: (v) => (raw['action'] = r.string(v, 'action')),
  });
  const config = { ...defaultRelabelConfig(), ...raw } as RelabelConfig;
  const problem = validateRelabelConfig(config, { legacy });
  if (problem !== undefined) throw r.error(n, problem);
  return config;
}
