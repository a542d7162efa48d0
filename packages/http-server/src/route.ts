/**
 * One route of an app's table, as the app reports it (for its fuzz test and for metrics labels):
 * the methods it answers and its path pattern, with `:name` for one path segment and a trailing
 * `*name` for the rest of the path. Structurally the same as testkit's `FuzzRoute`.
 */
export interface HttpRoute {
  readonly methods: readonly string[];
  readonly path: string;
}
