import { DEFAULT_MAX_EXEMPLARS } from '../defaults.js';
import type { StorageConfig } from '../types.js';
import { readDuration, readSize } from './scalars.js';
import type { YamlReader, YNode } from './yaml-reader.js';

/** Reads the `storage` section; retention 0 means "use the command-line default". */
export function readStorage(r: YamlReader, n: YNode): StorageConfig {
  const s: StorageConfig = { tsdb: { outOfOrderTimeWindow: 0, retentionTime: 0, retentionSize: 0 }, exemplars: { maxExemplars: DEFAULT_MAX_EXEMPLARS } };
  r.struct(n, 'config.StorageConfig', {
    tsdb: (v) =>
      r.struct(v, 'config.TSDBConfig', {
        out_of_order_time_window: (x) => (s.tsdb.outOfOrderTimeWindow = readDuration(r, x, 'out_of_order_time_window')),
        retention: (x) =>
          r.struct(x, 'config.TSDBRetentionConfig', {
            time: (y) => (s.tsdb.retentionTime = readDuration(r, y, 'retention.time')),
            size: (y) => (s.tsdb.retentionSize = readSize(r, y, 'retention.size')),
          }),
      }),
    exemplars: (v) =>
      r.struct(v, 'config.ExemplarsConfig', {
        max_exemplars: (x) => (s.exemplars.maxExemplars = r.uint(x, 'max_exemplars')),
      }),
  });
  return s;
}
