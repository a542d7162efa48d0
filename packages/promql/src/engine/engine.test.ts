import { Labels } from '@pyrometer/model';
import { MemoryStorage, readFloatsFrom, type FloatColumns, type Queryable } from '@pyrometer/storage';
import { describe, expect, it } from 'vitest';
import { apiErrorType, PromQLError } from '../errors.js';
import { Engine } from './engine.js';

/** A storage with `http_requests_total{job}` counters and a gauge, one sample every 15 s for 10 minutes. */
async function storage(): Promise<MemoryStorage> {
  const s = new MemoryStorage();
  const app = s.appender();
  for (const job of ['api', 'db']) {
    const counter = Labels.from({ __name__: 'http_requests_total', job });
    const gauge = Labels.from({ __name__: 'temperature', job });
    for (let t = 0; t <= 600_000; t += 15_000) {
      app.append(0, counter, t, (t / 1000) * (job === 'api' ? 2 : 1));
      app.append(0, gauge, t, job === 'api' ? 20 : 30);
    }
  }
  await app.commit();
  return s;
}

describe('Engine', () => {
  it('evaluates an instant vector selector and rate', async () => {
    const q = new Engine();
    const st = await storage();
    const sel = await q.instantQuery(st, 'http_requests_total{job="api"}', 300_000).exec();
    expect(sel.value).toEqual({ type: 'vector', samples: [{ metric: Labels.from({ __name__: 'http_requests_total', job: 'api' }), t: 300_000, f: 600 }] });
    const rate = await q.instantQuery(st, 'sum(rate(http_requests_total[1m]))', 300_000).exec();
    expect(rate.value.type).toBe('vector');
    if (rate.value.type === 'vector') expect(rate.value.samples[0]!.f).toBeCloseTo(3, 9);
  });

  it('evaluates a query parsed once at any time, as the text, over the range instantQueryRange names', async () => {
    const engine = new Engine();
    const st = await storage();
    const text = 'sum by (job) (rate(http_requests_total[1m])) * on (job) temperature';
    const parsed = engine.parseQuery(text);
    for (const t of [120_000, 300_000, 600_000]) {
      expect((await engine.instantQuery(st, parsed, t).exec()).value).toEqual((await engine.instantQuery(st, text, t).exec()).value);
      const opened: [number, number][] = [];
      const recording = { querier: (mint: number, maxt: number) => (opened.push([mint, maxt]), st.querier(mint, maxt)) };
      await engine.instantQuery(recording, parsed, t).exec();
      expect(opened).toEqual([engine.instantQueryRange(parsed, t)]);
    }
    expect(() => engine.parseQuery('sum(')).toThrow(PromQLError);
  });

  it('decodes for a range selector only the samples its windows read, not the whole range the query opens', async () => {
    const st = await storage();
    // Records the range each series is decoded over (what the engine asks of a series' readFloats).
    const decoded: [number, number][] = [];
    const recording: Queryable = {
      querier: async (mint, maxt) => {
        const q = await st.querier(mint, maxt);
        return Object.assign(Object.create(q) as typeof q, {
          select: async (...args: Parameters<typeof q.select>) => {
            const set = await q.select(...args);
            const series = set.series.map((s) => ({ ...s, iterator: s.iterator.bind(s), readFloats: (from: number, to: number, out: FloatColumns) => (decoded.push([from, to]), readFloatsFrom(s.iterator(), from, to, out)) }));
            return { ...set, series };
          },
        });
      },
    };
    const engine = new Engine();
    for (const [text, from, to] of [
      ['sum by (job) (rate(http_requests_total[1m]))', 240_000, 300_000],
      ['delta(temperature[5m] offset 1m)', -60_000, 240_000],
      ['rate(http_requests_total[1m]) > http_requests_total', 240_000, 300_000],
    ] as const) {
      decoded.length = 0;
      const [mint] = engine.instantQueryRange(engine.parseQuery(text), 300_000);
      expect(mint).toBeLessThan(from);
      expect((await engine.instantQuery(recording, text, 300_000).exec()).value).toEqual((await engine.instantQuery(st, text, 300_000).exec()).value);
      // One read per series (two series), over the window only.
      expect(decoded).toEqual([
        [from, to],
        [from, to],
      ]);
    }
  });

  it('rejects a range function whose series differ only by name, and not those of one name', async () => {
    const st = await storage();
    await expect(new Engine().instantQuery(st, 'rate({__name__=~"http_requests_total|temperature"}[1m])', 300_000).exec()).rejects.toMatchObject({ code: 'execution', message: 'vector cannot contain metrics with the same labelset' });
    const one = await new Engine().instantQuery(st, 'rate({__name__=~"http_requests_total"}[1m])', 300_000).exec();
    expect(one.value.type === 'vector' && one.value.samples.map((s) => s.metric.toString())).toEqual(['{job="api"}', '{job="db"}']);
  });

  it('rejects `vector op scalar` whose series differ only by name, and not those of one name', async () => {
    const st = await storage();
    for (const text of ['{__name__=~"http_requests_total|temperature"} / 2', '2 * ({__name__=~"http_requests_total|temperature"})']) {
      await expect(new Engine().instantQuery(st, text, 300_000).exec()).rejects.toMatchObject({ code: 'execution', message: 'vector cannot contain metrics with the same labelset' });
    }
    const one = await new Engine().instantQuery(st, '2 * temperature', 300_000).exec();
    expect(one.value.type === 'vector' && one.value.samples.map((s) => `${s.metric.toString()} ${s.f}`)).toEqual(['{job="api"} 40', '{job="db"} 60']);
  });

  it('groups `by` several labels by their values, which may contain any character', async () => {
    const st = new MemoryStorage();
    const app = st.appender();
    for (const [a, b] of [['xy', 'z'], ['x', 'yz'], ['1:x', '1:y'], ['1', 'x1:y']] as const) app.append(0, Labels.from({ __name__: 'm', a, b, i: '1' }), 0, 1);
    app.append(0, Labels.from({ __name__: 'm', a: 'xy', b: 'z', i: '2' }), 0, 1);
    await app.commit();
    const res = await new Engine().instantQuery(st, 'sum by (b, a) (m)', 0).exec();
    expect(res.value.type === 'vector' && res.value.samples.map((s) => `${s.metric.toString()} ${s.f}`).sort()).toEqual(['{a="1", b="x1:y"} 1', '{a="1:x", b="1:y"} 1', '{a="x", b="yz"} 1', '{a="xy", b="z"} 2']);
  });

  it('answers range queries with one point per step, sorted by labels', async () => {
    const res = await new Engine().rangeQuery(await storage(), 'temperature * 2', 0, 120_000, 60_000).exec();
    expect(res.value.type).toBe('matrix');
    if (res.value.type !== 'matrix') return;
    expect(res.value.series.map((s) => s.metric.toString())).toEqual(['{job="api"}', '{job="db"}']);
    expect(res.value.series[0]!.floats).toEqual([
      { t: 0, f: 40 },
      { t: 60_000, f: 40 },
      { t: 120_000, f: 40 },
    ]);
  });

  it('returns scalars and strings tagged with the API result type', async () => {
    const st = await storage();
    expect((await new Engine().instantQuery(st, '1 + 2', 1000).exec()).value).toEqual({ type: 'scalar', t: 1000, v: 3 });
    expect((await new Engine().instantQuery(st, '"hello"', 1000).exec()).value).toEqual({ type: 'string', t: 1000, v: 'hello' });
  });

  it.each([
    { name: 'syntax error', query: 'sum(foo', code: 'bad_data', message: /parse error/ },
    { name: 'unknown function', query: 'foo_bar(x)', code: 'bad_data', message: /unknown function with name "foo_bar"/ },
    { name: 'range query of a matrix', query: 'foo[5m]', code: 'bad_data', message: /invalid expression type "range vector" for range query/ },
  ])('rejects $name with a bad_data error', async ({ query, code, message }) => {
    const st = await storage();
    let err: unknown;
    try {
      await new Engine().rangeQuery(st, query, 0, 60_000, 15_000).exec();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PromQLError);
    expect((err as PromQLError).code).toBe(code);
    expect(apiErrorType((err as PromQLError).code)).toBe('bad_data');
    expect((err as PromQLError).message).toMatch(message);
  });

  it('fails with the upstream text when a query loads too many samples', async () => {
    const engine = new Engine({ maxSamples: 10 });
    await expect(engine.rangeQuery(await storage(), 'temperature', 0, 600_000, 15_000).exec()).rejects.toMatchObject({
      code: 'too_many_samples',
      message: 'query processing would load too many samples into memory in query execution',
    });
  });

  it('is canceled through an AbortSignal or any polled signal, and times out with the injected clock', async () => {
    const st = await storage();
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(new Engine().instantQuery(st, 'temperature', 0).exec(ctrl.signal)).rejects.toMatchObject({ code: 'canceled' });
    // A signal that turns aborted during evaluation (as a worker's shared-memory cell does) is seen by the step loop.
    let polls = 0;
    const polled = { get aborted() { return ++polls > 20; } };
    await expect(new Engine().instantQuery(st, 'count_over_time(vector(1)[10m:1s])', 600_000).exec(polled)).rejects.toMatchObject({ code: 'canceled' });
    expect(polls).toBe(21);
    let now = 0;
    const engine = new Engine({ timeout: 5, now: () => (now += 10) });
    await expect(engine.instantQuery(st, 'temperature', 0).exec()).rejects.toMatchObject({ code: 'timeout', message: 'query timed out in expression evaluation' });
  });

  it("fails with the signal's reason when it is a PromQLError, and asks the signal before building a label value of a size the query chose", async () => {
    const st = await storage();
    const reason = new PromQLError('too_many_samples', 'query processing would use too much memory');
    let stopped = false;
    const asked: number[] = [];
    const memorySignal = {
      get aborted() { return stopped; },
      get reason() { return stopped ? reason : undefined; },
      fits(bytes: number) {
        asked.push(bytes);
        stopped = bytes > 1000;
        return !stopped;
      },
    };
    const engine = new Engine();
    // 'api' times 4, then times 4 again: 12, then 48 characters (two bytes each at most).
    const grown = 'label_replace(label_replace(temperature, "job", "$1$1$1$1", "job", "(.*)"), "job", "$1$1$1$1", "job", "(.*)")';
    const ok = await engine.instantQuery(st, grown, 0).exec(memorySignal);
    expect(ok.value).toMatchObject({ samples: [{ metric: Labels.from({ __name__: 'temperature', job: 'api'.repeat(16) }) }, { metric: Labels.from({ __name__: 'temperature', job: 'db'.repeat(16) }) }] });
    expect(asked).toEqual([24, 16, 96, 64]);
    await expect(engine.instantQuery(st, `label_join(temperature, "big", "", ${Array.from({ length: 200 }, () => '"job"').join(', ')})`, 0).exec(memorySignal)).rejects.toBe(reason);
    expect(asked.at(-1)).toBe(2 * 3 * 200);
    await expect(engine.instantQuery(st, 'temperature', 0).exec(memorySignal)).rejects.toBe(reason);
  });

  it('reports the possible-non-counter info with its position and stats', async () => {
    const res = await new Engine().instantQuery(await storage(), 'rate(temperature[1m])', 300_000).exec();
    expect(res.infos).toEqual(['PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "temperature" (1:6)']);
    expect(res.stats.samples.totalQueryableSamples).toBeGreaterThan(0);
  });

  it('runs vector matching with group_left and rejects many-to-many', async () => {
    const st = await storage();
    const ok = await new Engine().instantQuery(st, 'temperature / on(job) group_left http_requests_total', 60_000).exec();
    expect(ok.value.type === 'vector' && ok.value.samples.length).toBe(2);
    await expect(new Engine().instantQuery(st, 'temperature + on() http_requests_total', 60_000).exec()).rejects.toMatchObject({ code: 'execution' });
  });
});
