import { Labels } from '@pyrometer/model';
import type { RouteConfig } from '../config/route.js';
import { compareMatchers, formatMatchers, Matcher, matchesAll, MatchType } from '../labels/matcher.js';

/** Upstream's `DefaultRouteOpts` timers (ms). */
export const DEFAULT_GROUP_WAIT = 30_000;
export const DEFAULT_GROUP_INTERVAL = 5 * 60_000;
export const DEFAULT_REPEAT_INTERVAL = 4 * 60 * 60_000;

/** The effective settings of a route after inheritance from its ancestors. Durations in ms. */
export interface RouteOpts {
  readonly receiver: string;
  readonly groupBy: ReadonlySet<string>;
  readonly groupByAll: boolean;
  readonly groupWait: number;
  readonly groupInterval: number;
  readonly repeatInterval: number;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
}

/**
 * A node of the routing tree (`dispatch.Route`): its matchers (sorted), effective options and
 * children. Immutable once built; a config reload builds a new tree.
 */
export class Route {
  readonly routes: Route[] = [];
  private cachedKey: string | undefined;
  private cachedId: string | undefined;

  private constructor(
    readonly parent: Route | undefined,
    readonly opts: RouteOpts,
    readonly matchers: readonly Matcher[],
    /** `continue: true`: siblings after this route are tried too. */
    readonly continueMatching: boolean,
  ) {}

  /** Builds the tree for a config's root route, children inheriting unset settings. */
  static build(config: RouteConfig, parent?: Route): Route {
    const base: RouteOpts = parent?.opts ?? {
      receiver: '',
      groupBy: new Set(),
      groupByAll: false,
      groupWait: DEFAULT_GROUP_WAIT,
      groupInterval: DEFAULT_GROUP_INTERVAL,
      repeatInterval: DEFAULT_REPEAT_INTERVAL,
      muteTimeIntervals: [],
      activeTimeIntervals: [],
    };
    const labels = config.groupBy.filter((l) => l !== '...');
    const opts: RouteOpts = {
      receiver: config.receiver !== '' ? config.receiver : base.receiver,
      // As upstream: explicit labels replace the parent's grouping; `...` alone turns "all" on;
      // an empty list inherits both.
      groupBy: labels.length > 0 ? new Set(labels) : base.groupBy,
      groupByAll: labels.length > 0 ? false : base.groupByAll || config.groupBy.includes('...'),
      groupWait: config.groupWait ?? base.groupWait,
      groupInterval: config.groupInterval ?? base.groupInterval,
      repeatInterval: config.repeatInterval ?? base.repeatInterval,
      muteTimeIntervals: config.muteTimeIntervals,
      activeTimeIntervals: config.activeTimeIntervals,
    };
    const matchers = [
      ...Object.entries(config.match).map(([n, v]) => new Matcher(MatchType.Equal, n, v)),
      // Upstream passes the compiled regexp's text, already anchored, so it is anchored twice
      // and appears so in route and group keys.
      ...Object.entries(config.matchRe).map(([n, v]) => new Matcher(MatchType.Regexp, n, `^(?:${v})$`)),
      ...config.matchers,
    ].sort(compareMatchers);
    const route = new Route(parent, opts, matchers, config.continue);
    for (const child of config.routes) route.routes.push(Route.build(child, route));
    return route;
  }

  /**
   * The routes an alert with these labels goes to: depth first, the first matching child wins
   * unless it has `continue`; a node none of whose children match is itself the match.
   */
  match(labels: Labels): Route[] {
    if (!matchesAll(this.matchers, labels)) return [];
    const all: Route[] = [];
    for (const child of this.routes) {
      const matches = child.match(labels);
      all.push(...matches);
      if (matches.length > 0 && !child.continueMatching) break;
    }
    if (all.length === 0) all.push(this);
    return all;
  }

  /** `{}/{team="a"}`: the matchers of the path from the root; the first part of a group key. */
  key(): string {
    this.cachedKey ??= (this.parent ? this.parent.key() + '/' : '') + formatMatchers(this.matchers);
    return this.cachedKey;
  }

  /** Like {@link key}, plus each node's position among its siblings, so that it is unique. */
  id(): string {
    if (this.cachedId === undefined) {
      let id = (this.parent ? this.parent.id() + '/' : '') + formatMatchers(this.matchers);
      if (this.parent) id += '/' + this.parent.routes.indexOf(this);
      this.cachedId = id;
    }
    return this.cachedId;
  }

  /** Visits this node and its descendants, depth first. */
  walk(visit: (route: Route) => void): void {
    visit(this);
    for (const child of this.routes) child.walk(visit);
  }

  /** The labels of an alert that form its group on this route (`group_by`, or all with `...`). */
  groupLabels(labels: Labels): Labels {
    if (this.opts.groupByAll) return labels;
    const pairs: [string, string][] = [];
    labels.forEach((n, v) => {
      if (this.opts.groupBy.has(n)) pairs.push([n, v]);
    });
    return Labels.from(pairs);
  }
}
