import { protocolCases } from './protocol-cases.js';
import { noiseBytes, randomRequests } from './random-cases.js';
import { sendRaw, type RawAnswer, type RawTarget } from './raw-http.js';
import { buildRequest, type FuzzCase } from './request.js';
import { bodyRequests, headerRequests, pathRequests, type RouteRequest } from './route-cases.js';

/**
 * One route of an app, as the app itself reports it (so a new route is fuzzed without anyone
 * listing it): the methods it answers and its path pattern, with `:name` for one path segment and
 * a trailing `*name` for the rest of the path.
 */
export interface FuzzRoute {
  readonly methods: readonly string[];
  readonly path: string;
}

/**
 * A 5xx answer that is not a defect because upstream documents it for a valid request (e.g. the
 * admin APIs answer 500 `unavailable` when disabled). Matched on route pattern, method and status.
 */
export interface Allowed5xx {
  route: string;
  method: string;
  status: number;
  /** Why upstream answers this; kept beside the entry so the allow-list explains itself. */
  reason: string;
}

/** What to fuzz and how hard; see {@link fuzzHttp}. */
export interface FuzzOptions {
  /** Where the app listens, e.g. `http://127.0.0.1:9090`, with its route prefix if it has one. */
  baseUrl: string;
  routes: readonly FuzzRoute[];
  /** A GET path that answers 2xx while the app is healthy; probed after every case. */
  healthPath: string;
  /** The explicit exceptions to "never 5xx". */
  allow5xx?: readonly Allowed5xx[];
  /** Headers sent with every request (e.g. basic auth), so cases get past authentication. */
  headers?: readonly (readonly [string, string])[];
  /** When set, each body-taking route also gets a body of this size (the app's limit + 1). */
  oversizeBodyBytes?: number;
  /** Seed of the random cases (default 15). */
  seed?: number;
  /** Seeded random requests per route on top of the fixed cases (default 6). */
  randomCasesPerRoute?: number;
  /** Cases not started within this budget are counted in `notRun` (default 120 s). */
  timeBudgetMs?: number;
  /** How long one request may wait for its answer (default 15 s). */
  requestTimeoutMs?: number;
  /** Extra liveness check, e.g. that a child process has not exited. */
  alive?: () => boolean;
}

/** A request whose answer broke the rules. */
export interface FuzzFinding {
  case: string;
  method: string;
  /** The request target, shortened to 120 characters. */
  target: string;
  problem: string;
}

export interface FuzzReport {
  /** Cases sent. */
  ran: number;
  /** Cases skipped because the time budget ran out (or the app went down). */
  notRun: number;
  findings: FuzzFinding[];
}

/**
 * Throws malformed request lines, paths (`//`, `%ZZ`, NUL, overlong), queries, headers, methods,
 * encodings and bodies (cut short, compression bombs, wrong content types, seeded noise) at every
 * route of an app over raw TCP, and checks each answer: a status below 500 (unless allow-listed),
 * a non-empty message with every 4xx/5xx, an answer at all (unless the request was cut short on
 * purpose), and the health path answering 2xx after every case. Stops at the first case after
 * which the app is down. Cases are interleaved across routes, so a time budget that runs out
 * leaves every route covered by its first cases. Deterministic for a given seed.
 */
export async function fuzzHttp(options: FuzzOptions): Promise<FuzzReport> {
  const base = new URL(options.baseUrl);
  const prefix = base.pathname.replace(/\/$/, '');
  const target: RawTarget = { host: base.hostname, port: Number(base.port), timeoutMs: options.requestTimeoutMs ?? 15_000 };
  const seed = options.seed ?? 15;
  const cases = [...protocolCases(noiseBytes(seed, 256)), ...interleave(options.routes.map((route) => routeCases(route, options, seed, prefix, base.host)))];
  const deadline = Date.now() + (options.timeBudgetMs ?? 120_000);
  const findings: FuzzFinding[] = [];
  const healthRequest = buildRequest({ method: 'GET', target: prefix + options.healthPath }, base.host, options.headers ?? []);
  let ran = 0;
  for (const c of cases) {
    if (Date.now() > deadline) break;
    ran++;
    const answer = await sendRaw(target, c.bytes, c.method === 'HEAD', c.truncated);
    const problem = judge(c, answer, options.allow5xx ?? []);
    if (problem !== undefined) findings.push(finding(c, problem));
    const health = await sendRaw(target, healthRequest, false);
    const healthy = health.status !== undefined && health.status >= 200 && health.status < 300 && (options.alive?.() ?? true);
    if (!healthy) {
      findings.push(finding(c, `the app is down or unhealthy after this case (health: ${health.status ?? health.failure})`));
      break;
    }
  }
  return { ran, notRun: cases.length - ran, findings };
}

function routeCases(route: FuzzRoute, options: FuzzOptions, seed: number, prefix: string, host: string): FuzzCase[] {
  const requests: RouteRequest[] = [
    ...pathRequests(route),
    ...headerRequests(route),
    ...bodyRequests(route, options.oversizeBodyBytes, noiseBytes(seed + 1, 512)),
    ...randomRequests(route, seed, options.randomCasesPerRoute ?? 6),
  ];
  return requests.map((r) => ({
    name: r.name,
    route: route.path,
    method: r.method,
    target: prefix + r.target,
    bytes: buildRequest({ ...r, target: prefix + r.target }, host, options.headers ?? []),
    truncated: r.truncated ?? false,
  }));
}

/** Round-robin over the lists: the first case of every route, then the second, … */
function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const list of lists) if (i < list.length) out.push(list[i]!);
  return out;
}

function judge(c: FuzzCase, answer: RawAnswer, allowed: readonly Allowed5xx[]): string | undefined {
  if (answer.status === undefined) return c.truncated ? undefined : `no answer (${answer.failure})`;
  const message = answer.body.toString('utf8').trim();
  if (answer.status >= 500 && !allowed.some((a) => a.route === c.route && a.method === c.method && a.status === answer.status)) {
    return `answered ${answer.status}: ${JSON.stringify(message.slice(0, 300))}`;
  }
  if (answer.status >= 400 && c.method !== 'HEAD' && message === '') return `answered ${answer.status} without a message`;
  return undefined;
}

function finding(c: FuzzCase, problem: string): FuzzFinding {
  return { case: c.name, method: c.method, target: c.target.length > 120 ? `${c.target.slice(0, 117)}...` : c.target, problem };
}
