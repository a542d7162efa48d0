import { parseGoFloat } from '@pyrometer/model';
import { PromtoolError } from './errors.js';

/**
 * Parses a time as promtool does (`parseTime`): Unix seconds with an optional fraction, or an
 * RFC 3339 date. Returns milliseconds since the epoch (fractional below a millisecond is dropped).
 */
export function parseTime(text: string): number {
  const seconds = parseGoFloat(text);
  if (seconds !== undefined && Number.isFinite(seconds)) return Math.trunc(seconds * 1000);
  if (RFC3339.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new PromtoolError('time', `cannot parse ${JSON.stringify(text)} to a valid timestamp`);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
