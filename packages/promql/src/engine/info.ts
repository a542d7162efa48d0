import { Matcher, MatchType, quoteMeta, type Labels } from '@pyrometer/model';
import { execError } from '../errors.js';
import type { Call, Expr, VectorSelector } from '../parser/index.js';
import { inspect } from '../parser/index.js';
import type { Evaluator } from './evaluator.js';
import { type EvalSeries, evalSeries, type GrowingSeries } from './series-data.js';

const TARGET_INFO = 'target_info';
const IDENTIFYING = ['instance', 'job'];

/** The info metric name matchers in effect: an `=`/`=~` one as given, else `=~".+_info"` added, else `target_info`. */
function effectiveNameMatchers(matchers: Matcher[]): Matcher[] {
  if (matchers.some((m) => m.type === MatchType.Equal || m.type === MatchType.Regexp)) return matchers;
  if (matchers.length > 0) return [new Matcher(MatchType.Regexp, '__name__', '.+_info'), ...matchers];
  return [new Matcher(MatchType.Equal, '__name__', TARGET_INFO)];
}

/** The `@` time and offset of the first selector of the expression (subquery ones added), as upstream. */
function selectTimeAndOffset(ev: Evaluator, expr: Expr): { at: number | undefined; offset: number } {
  let at: number | undefined;
  let offset = 0;
  let done = false;
  inspect(expr, (n, path) => {
    if (done) return false;
    if (n.type !== 'VectorSelector') return;
    done = true;
    at = ev.atTime(n);
    offset = ev.shared.durations.offset(n);
    for (let i = path.length - 1; at === undefined && i >= 0; i--) {
      const p = path[i]!;
      if (p.type === 'SubqueryExpr') {
        offset += ev.shared.durations.offset(p);
        at = ev.atTime(p);
      }
    }
    return false;
  });
  return { at, offset };
}

function identitySignature(name: string, metric: Labels): string {
  let sig = name;
  for (const l of IDENTIFYING) sig += '\xff' + metric.get(l);
  return sig;
}

/** info(v [, selector]): adds the data labels of matching info series (experimental, upstream's evalInfo). */
export async function evalInfo(ev: Evaluator, e: Call): Promise<EvalSeries[]> {
  const { at, offset } = selectTimeAndOffset(ev, e.args[0]!);
  const mat = (await ev.eval(e.args[0]!)) as EvalSeries[];
  const dataMatchers = new Map<string, Matcher[]>();
  let nameMatchers: Matcher[] = [];
  const selector = e.args[1] as VectorSelector | undefined;
  if (selector !== undefined) {
    for (const m of selector.matchers) {
      const list = dataMatchers.get(m.name) ?? [];
      list.push(m);
      dataMatchers.set(m.name, list);
      if (m.name === '__name__') nameMatchers.push(m);
    }
  } else nameMatchers = [new Matcher(MatchType.Equal, '__name__', TARGET_INFO)];
  const effective = effectiveNameMatchers(nameMatchers);
  const ignore = new Set<EvalSeries>(mat.filter((s) => effective.every((m) => m.matches(s.metric.metricName))));

  const idValues = new Map<string, Set<string>>();
  for (const s of mat) {
    if (ignore.has(s)) continue;
    for (const l of IDENTIFYING) {
      const v = s.metric.get(l);
      if (v === '') continue;
      let set = idValues.get(l);
      if (set === undefined) idValues.set(l, (set = new Set()));
      set.add(v);
    }
  }
  const infoNameMatchers = dataMatchers.get('__name__') ?? [];
  dataMatchers.delete('__name__');
  let info: EvalSeries[] = [];
  if (idValues.size > 0) {
    const matchers: Matcher[] = [];
    for (const [name, vals] of idValues) matchers.push(new Matcher(MatchType.Regexp, name, [...vals].map(quoteMeta).join('|')));
    for (const ms of dataMatchers.values()) matchers.push(...ms);
    matchers.push(...effectiveNameMatchers(infoNameMatchers));
    info = ev.instantSeries(await ev.selectMatchers(matchers), offset, at, true);
  }
  return combine(ev, mat, info, ignore, dataMatchers);
}

function combine(ev: Evaluator, mat: EvalSeries[], info: EvalSeries[], ignore: Set<EvalSeries>, dataMatchers: Map<string, Matcher[]>): EvalSeries[] {
  const infoNames = [...new Set(info.map((s) => s.metric.metricName))];
  const baseSigs = new Map<EvalSeries, Map<string, string>>(mat.map((s) => [s, new Map(infoNames.map((n) => [n, identitySignature(n, s.metric)]))]));
  const infoSigs = new Map<EvalSeries, string>(info.map((s) => [s, identitySignature(s.metric.metricName, s.metric)]));
  const allMatchEmpty = [...dataMatchers.values()].every((ms) => ms.every((m) => m.matches('')));
  const cursors = new Map<EvalSeries, number>();
  const at = (s: EvalSeries, ts: number): number | undefined => {
    const k = cursors.get(s) ?? 0;
    if (s.ts[k] !== ts) return undefined;
    cursors.set(s, k + 1);
    return s.fs[k];
  };
  const bySeries = new Map<string, { series: GrowingSeries; lastTs: number }>();
  const order: EvalSeries[] = [];
  for (let ts = ev.s.start; ts <= ev.s.end; ts += ev.s.interval) {
    ev.checkAbort();
    const right = new Map<string, { metric: Labels; origT: number }>();
    for (const s of info) {
      const origT = at(s, ts);
      if (origT === undefined) continue;
      const sig = infoSigs.get(s)!;
      const existing = right.get(sig);
      if (existing === undefined || existing.origT < origT) right.set(sig, { metric: s.metric, origT });
      else if (existing.origT === origT) throw execError(`found duplicate series for info metric: existing ${existing.metric.toString()} @ ${existing.origT}, new ${s.metric.toString()} @ ${origT}`);
    }
    for (const bs of mat) {
      const f = at(bs, ts);
      if (f === undefined) continue;
      let metric = bs.metric;
      if (!ignore.has(bs)) {
        const add = new Map<string, string>();
        let seen = 0;
        for (const sig of baseSigs.get(bs)!.values()) {
          const is = right.get(sig);
          if (is === undefined) continue;
          seen++;
          is.metric.forEach((name, value) => {
            if (name === '__name__') return;
            if (dataMatchers.size > 0 && !dataMatchers.has(name)) return;
            const prev = add.get(name);
            if (prev !== undefined && prev !== value) throw execError(`conflicting label: ${name}`);
            if (bs.metric.has(name)) return;
            add.set(name, value);
          });
        }
        if (seen === 0 && !allMatchEmpty) continue;
        if (add.size > 0) {
          const b = bs.metric.builder();
          for (const [n, v] of add) b.set(n, v);
          metric = b.labels();
        }
      }
      const key = metric.key();
      let entry = bySeries.get(key);
      if (entry === undefined) {
        entry = { series: evalSeries(metric, [], [], bs.dropName), lastTs: NaN };
        bySeries.set(key, entry);
        order.push(entry.series);
      } else if (entry.lastTs === ts) throw execError('vector cannot contain metrics with the same labelset');
      entry.lastTs = ts;
      entry.series.ts.push(ts);
      entry.series.fs.push(f);
    }
  }
  ev.addSamples(order.reduce((n, s) => n + s.ts.length, 0));
  return order;
}
