import type { TargetGroup } from '@pyrometer/config';
import { isValidLabelName, isValidUtf8 } from '@pyrometer/model';
import { ScrapeError } from '../errors.js';

/**
 * Validates the file_sd / http_sd document shape — a list of `{targets: [string], labels: {string:
 * string}}` — and turns it into groups whose source is `<prefix>:<index>`, with `extra` labels
 * (e.g. `__meta_filepath`) added. Throws {@link ScrapeError} `discovery` naming the problem.
 */
export function parseTargetGroups(doc: unknown, prefix: string, extra: Record<string, string>): TargetGroup[] {
  if (!Array.isArray(doc)) throw new ScrapeError('discovery', `${prefix}: expected a list of target groups`);
  return doc.map((item: unknown, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new ScrapeError('discovery', `${prefix}: target group ${i} is not an object`);
    const { targets, labels, ...rest } = item as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) throw new ScrapeError('discovery', `${prefix}: target group ${i}: unknown field ${unknown}`);
    if (!Array.isArray(targets) || targets.some((t) => typeof t !== 'string')) throw new ScrapeError('discovery', `${prefix}: target group ${i}: targets must be a list of strings`);
    const groupLabels: Record<string, string> = { ...extra };
    if (labels !== undefined && labels !== null) {
      if (typeof labels !== 'object' || Array.isArray(labels)) throw new ScrapeError('discovery', `${prefix}: target group ${i}: labels must be a mapping`);
      for (const [k, v] of Object.entries(labels)) {
        if (!isValidLabelName(k)) throw new ScrapeError('discovery', `${prefix}: target group ${i}: ${JSON.stringify(k)} is not a valid label name`);
        if (typeof v !== 'string' || !isValidUtf8(v)) throw new ScrapeError('discovery', `${prefix}: target group ${i}: invalid value for label ${JSON.stringify(k)}`);
        groupLabels[k] = v;
      }
    }
    return {
      targets: (targets as string[]).map((address) => {
        if (address.includes('/')) throw new ScrapeError('discovery', `${prefix}: target group ${i}: ${JSON.stringify(address)} is not a valid hostname`);
        return { __address__: address };
      }),
      labels: groupLabels,
      source: `${prefix}:${i}`,
    };
  });
}
