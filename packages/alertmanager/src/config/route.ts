import type { Matcher } from '../labels/matcher.js';
import type { MatcherParser } from '../labels/parse.js';
import { matchersField, matchField, matchReField } from './matcher-fields.js';
import { bool, custom, modelDuration, readStruct, emitStruct, schema, str, strList, type Schema } from './schema.js';

/**
 * A node of the routing tree as written (`config.Route`). Unset timers and receiver are
 * inherited from the parent when the tree is built (see `dispatch/route.ts`); durations are ms.
 */
export interface RouteConfig {
  receiver: string;
  /** `group_by` as written; `...` means every label. */
  groupBy: string[];
  match: Record<string, string>;
  matchRe: Record<string, string>;
  matchers: Matcher[];
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  continue: boolean;
  routes: RouteConfig[];
  groupWait: number | undefined;
  groupInterval: number | undefined;
  repeatInterval: number | undefined;
}

/** The route schema for one matcher parsing mode (routes nest, so the schema refers to itself). */
export function routeSchema(parser: MatcherParser): Schema<RouteConfig> {
  const self: Schema<RouteConfig> = schema(
    'config.plain',
    {
      receiver: str('receiver', { omitEmpty: true }),
      groupBy: strList('group_by', { omitEmpty: true }),
      match: matchField('match'),
      matchRe: matchReField('match_re'),
      matchers: matchersField('matchers', parser),
      muteTimeIntervals: strList('mute_time_intervals', { omitEmpty: true }),
      activeTimeIntervals: strList('active_time_intervals', { omitEmpty: true }),
      continue: bool('continue'),
      routes: custom<RouteConfig[]>('routes', () => [], (r, n) => r.list(n, 'routes', (item) => readStruct(r, item, self)), (v) => (v.length === 0 ? undefined : { seq: v.map((x) => emitStruct(self, x)) })),
      groupWait: modelDuration('group_wait'),
      groupInterval: modelDuration('group_interval'),
      repeatInterval: modelDuration('repeat_interval'),
    },
    (route, r, node) => {
      const labels = route.groupBy.filter((l) => l !== '...');
      for (const l of labels) if (!parser.isValidLabelName(l)) throw r.error(node, `invalid label name ${JSON.stringify(l)} in group_by list`);
      if (labels.length > 0 && labels.length < route.groupBy.length) throw r.error(node, 'cannot have wildcard group_by (`...`) and other other labels at the same time');
      const seen = new Set<string>();
      for (const l of labels) {
        if (seen.has(l)) throw r.error(node, `duplicated label ${JSON.stringify(l)} in group_by`);
        seen.add(l);
      }
      if (route.groupInterval === 0) throw r.error(node, 'group_interval cannot be zero');
      if (route.repeatInterval === 0) throw r.error(node, 'repeat_interval cannot be zero');
    },
  );
  return self;
}
