import type { YamlReader, YNode } from '@pyrometer/config';
import type { MatcherParser } from '../labels/parse.js';
import { custom, emitStruct, initialStruct, nodeOf, optionalStruct, readStruct, schema, strList, structList, type Schema } from './schema.js';
import { globalSchema } from './global.js';
import { inhibitRuleSchema, type InhibitRuleConfig } from './inhibit.js';
import { receiverSchema, type ReceiverConfig } from './receivers/receiver.js';
import { routeSchema, type RouteConfig } from './route.js';
import { namedTimeIntervalSchema, type NamedTimeInterval } from './time-intervals.js';
import { applyGlobals } from './validate.js';
import { emitYaml } from './yaml-emit.js';

type Infer<S> = S extends Schema<infer T> ? T : never;

/** The `global:` section, defaults filled in; durations in ms. */
export type GlobalConfig = Infer<typeof globalSchema>;

/**
 * A loaded alertmanager.yml (`config.Config`): every section with upstream's defaults, receivers
 * completed from `global`, relative paths resolved against the file's folder.
 */
export interface AlertmanagerConfig {
  global: GlobalConfig;
  route: RouteConfig;
  inhibitRules: InhibitRuleConfig[];
  receivers: ReceiverConfig[];
  /** Template file globs, in order. */
  templates: string[];
  /** The deprecated top-level `mute_time_intervals:`, merged with `time_intervals:` for use. */
  muteTimeIntervals: NamedTimeInterval[];
  timeIntervals: NamedTimeInterval[];
}

interface Sections {
  global: GlobalConfig;
  route: RouteConfig | undefined;
  inhibitRules: InhibitRuleConfig[];
  receivers: ReceiverConfig[];
  templates: string[];
  muteTimeIntervals: NamedTimeInterval[];
  timeIntervals: NamedTimeInterval[];
}

function topSchema(parser: MatcherParser): Schema<Sections> {
  return schema('config.plain', {
    global: custom('global', () => initialStruct(globalSchema), (r, n) => readStruct(r, n, globalSchema), (v) => emitStruct(globalSchema, v)),
    route: optionalStruct('route', routeSchema(parser)),
    inhibitRules: structList('inhibit_rules', inhibitRuleSchema(parser), { omitEmpty: true }),
    receivers: structList('receivers', receiverSchema, { omitEmpty: true }),
    templates: strList('templates'),
    muteTimeIntervals: structList('mute_time_intervals', namedTimeIntervalSchema('mute time interval'), { omitEmpty: true }),
    timeIntervals: structList('time_intervals', namedTimeIntervalSchema('time interval'), { omitEmpty: true }),
  });
}

/** Reads and validates the whole document (upstream's `Config.UnmarshalYAML` and `Load`). */
export function readConfig(r: YamlReader, parser: MatcherParser): AlertmanagerConfig {
  if (r.isNull(r.root)) throw r.error(r.root, 'no route provided in config');
  const c = readStruct(r, r.root, topSchema(parser));
  applyGlobals(c, r, nodeOf(r.root, 'receivers'));
  const route = c.route;
  const at: YNode = nodeOf(r.root, 'route');
  if (route === undefined) throw r.error(r.root, 'no routes provided');
  if (route.receiver === '') throw r.error(at, 'root route must specify a default receiver');
  if (Object.keys(route.match).length > 0 || Object.keys(route.matchRe).length > 0 || route.matchers.length > 0) throw r.error(at, 'root route must not have any matchers');
  if (route.muteTimeIntervals.length > 0) throw r.error(at, 'root route must not have any mute time intervals');
  if (route.activeTimeIntervals.length > 0) throw r.error(at, 'root route must not have any active time intervals');
  const receivers = new Set(c.receivers.map((rcv) => rcv.name));
  checkReceivers(route, receivers, r, at);
  const intervals = new Set<string>();
  for (const [list, what] of [[c.muteTimeIntervals, 'mute time interval'], [c.timeIntervals, 'time interval']] as const) {
    for (const ti of list) {
      if (intervals.has(ti.name)) throw r.error(nodeOf(r.root, what === 'time interval' ? 'time_intervals' : 'mute_time_intervals'), `${what} ${JSON.stringify(ti.name)} is not unique`);
      intervals.add(ti.name);
    }
  }
  checkTimeIntervals(route, intervals, r, at);
  if (route.continue) throw r.error(at, 'cannot have continue in root route');
  return { ...c, route };
}

// Children first, as upstream walks the tree, so the deepest offender is the one reported.
function checkReceivers(route: RouteConfig, receivers: ReadonlySet<string>, r: YamlReader, at: YNode): void {
  for (const child of route.routes) checkReceivers(child, receivers, r, at);
  if (route.receiver !== '' && !receivers.has(route.receiver)) throw r.error(at, `undefined receiver ${JSON.stringify(route.receiver)} used in route`);
}

function checkTimeIntervals(route: RouteConfig, intervals: ReadonlySet<string>, r: YamlReader, at: YNode): void {
  for (const child of route.routes) checkTimeIntervals(child, intervals, r, at);
  for (const name of [...route.activeTimeIntervals, ...route.muteTimeIntervals]) {
    if (!intervals.has(name)) throw r.error(at, `undefined time interval ${JSON.stringify(name)} used in route`);
  }
}

/**
 * The config as `/api/v2/status` reports it in `config.original` (upstream's `Config.String()`):
 * the loaded config written back as YAML, defaults included and secrets replaced by `<secret>`.
 */
export function marshalConfig(config: AlertmanagerConfig, parser: MatcherParser): string {
  return emitYaml(emitStruct(topSchema(parser), config));
}
