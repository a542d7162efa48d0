import { isLegacyMetricName, type Labels } from '@pyrometer/model';
import { escapeString, writeName } from './escape.js';

/**
 * Writes the sample lines of one metric as expfmt does: `name{l1="v1",…,extra="x"} value[ ts]`,
 * labels in the given order, the name inside the braces (quoted) when it is not a legacy name,
 * no braces when there are no labels. The escaped label block is built once per metric, since a
 * summary or histogram writes it on every line.
 */
export class SampleLines {
  private readonly inside: boolean;
  private readonly block: string;

  /** `ts` is the already formatted timestamp suffix (`' 123'`), or ''. */
  constructor(
    private readonly name: string,
    labels: Labels,
    private readonly ts: string,
  ) {
    this.inside = !isLegacyMetricName(name);
    let block = '';
    for (let i = 0; i < labels.size; i++) block += (i === 0 ? '' : ',') + writeName(labels.nameAt(i)) + '="' + escapeString(labels.valueAt(i), true) + '"';
    this.block = block;
  }

  /** One line; `extra` is `le="…"`/`quantile="…"` already formatted, or ''. */
  line(suffix: string, extra: string, value: string): string {
    const block = this.block;
    let head: string;
    if (this.inside) {
      head = '{' + writeName(this.name + suffix);
      if (block !== '') head += ',' + block;
      if (extra !== '') head += ',' + extra;
      head += '}';
    } else if (block === '' && extra === '') head = this.name + suffix;
    else head = this.name + suffix + '{' + block + (block !== '' && extra !== '' ? ',' : '') + extra + '}';
    return head + ' ' + value + this.ts + '\n';
  }
}
