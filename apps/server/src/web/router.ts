import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '@pyrometer/http-server';

/** What a route handler receives: the request, the response, the URL (its query) and the decoded path parameters. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

export type RouteHandler = (ctx: RouteContext) => Promise<void> | void;

/** Paths whose first matching route the router remembers; past this many it forgets them all (paths are the clients'). */
const PATHS_REMEMBERED = 1024;
/**
 * Longest path remembered: the API's and UI's paths are far shorter, and a client sending long
 * made-up paths then cannot make the router hold more than ~256 KiB of them.
 */
const LONGEST_PATH_REMEMBERED = 256;

interface Route {
  methods: readonly string[];
  path: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

/**
 * A small method+path router over decoded paths (as upstream's routers match `r.URL.Path`).
 * Patterns are literal paths with `:name` segments (one path segment) and an optional trailing
 * `*name` (the rest of the path). `match` tells a path that exists under other methods (405) from
 * an unknown one (404); `routes` is the table, for the fuzz test and metrics labels.
 */
export class Router {
  private readonly table: Route[] = [];
  /**
   * For paths asked about lately, the index of the first route whose pattern matches (−1: none):
   * a request's metrics label ({@link patternOf}) and its {@link match} then test the patterns once.
   */
  private readonly firstMatches = new Map<string, number>();

  add(methods: string | readonly string[], path: string, handler: RouteHandler): this {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (segment.startsWith(':')) {
          names.push(segment.slice(1));
          return '([^/]+)';
        }
        if (segment.startsWith('*')) {
          names.push(segment.slice(1));
          return '(.*)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.firstMatches.clear();
    this.table.push({ methods: typeof methods === 'string' ? [methods] : methods, path, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** Every route, in registration order. */
  routes(): HttpRoute[] {
    return this.table.map((r) => ({ methods: r.methods, path: r.path }));
  }

  /** The pattern of the first route whose path matches (any method), e.g. `/api/v1/label/:name/values`, for metrics labels. */
  patternOf(path: string): string | undefined {
    return this.table[this.firstMatch(path)]?.path;
  }

  /** Finds the route for a method and path: the handler with its params, 'method' for a 405, or undefined. */
  match(method: string, path: string): { handler: RouteHandler; params: Record<string, string> } | 'method' | undefined {
    const first = this.firstMatch(path);
    if (first < 0) return undefined;
    for (let r = first; r < this.table.length; r++) {
      const route = this.table[r]!;
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (!route.methods.includes(method) && !(method === 'HEAD' && route.methods.includes('GET'))) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = m[i + 1]!));
      return { handler: route.handler, params };
    }
    return 'method';
  }

  /** The index of the first route whose pattern matches `path` (any method), or −1. */
  private firstMatch(path: string): number {
    let index = this.firstMatches.get(path);
    if (index !== undefined) return index;
    index = this.table.findIndex((r) => r.pattern.test(path));
    if (path.length > LONGEST_PATH_REMEMBERED) return index;
    if (this.firstMatches.size >= PATHS_REMEMBERED) this.firstMatches.clear();
    this.firstMatches.set(path, index);
    return index;
  }
}
