import { Labels } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { parseAlertmanagerConfig } from '../config/load.js';
import { Route } from './route.js';

// The routing tree of upstream's dispatch TestRouteMatch, restated.
const ROUTE = `
route:
  receiver: notify-def
  routes:
  - match: {owner: team-A}
    receiver: notify-A
    routes:
    - match: {env: testing}
      receiver: notify-testing
      group_by: [...]
    - match: {env: production}
      receiver: notify-productionA
      group_wait: 1m
      continue: true
    - match_re: {env: "produ.*", job: ".*"}
      receiver: notify-productionB
      group_wait: 30s
      group_interval: 5m
      repeat_interval: 1h
      group_by: [job]
  - match_re: {owner: 'team-(B|C)'}
    group_by: [foo, bar]
    group_wait: 2m
    receiver: notify-BC
  - match: {group_by: role}
    group_by: [role]
    routes:
    - match: {env: testing}
      receiver: notify-testing
      routes:
      - match: {wait: long}
        group_wait: 2m
receivers: [{name: notify-def}, {name: notify-A}, {name: notify-testing}, {name: notify-productionA}, {name: notify-productionB}, {name: notify-BC}]
`;

const tree = Route.build(parseAlertmanagerConfig(ROUTE, 'test.yml', { matcherMode: 'fallback' }).config.route);
const m = (s: number) => s * 60_000;

describe('routing tree', () => {
  it.each([
    { labels: { owner: 'team-A' }, keys: ['{}/{owner="team-A"}'], receivers: ['notify-A'], groupBy: [[]], waits: [30_000] },
    { labels: { owner: 'team-A', env: 'unset' }, keys: ['{}/{owner="team-A"}'], receivers: ['notify-A'], groupBy: [[]], waits: [30_000] },
    { labels: { owner: 'team-C' }, keys: ['{}/{owner=~"^(?:team-(B|C))$"}'], receivers: ['notify-BC'], groupBy: [['foo', 'bar']], waits: [m(2)] },
    { labels: { owner: 'team-A', env: 'testing' }, keys: ['{}/{owner="team-A"}/{env="testing"}'], receivers: ['notify-testing'], groupBy: [['...']], waits: [30_000] },
    {
      labels: { owner: 'team-A', env: 'production' },
      keys: ['{}/{owner="team-A"}/{env="production"}', '{}/{owner="team-A"}/{env=~"^(?:produ.*)$",job=~"^(?:.*)$"}'],
      receivers: ['notify-productionA', 'notify-productionB'],
      groupBy: [[], ['job']],
      waits: [m(1), 30_000],
    },
    { labels: { group_by: 'role' }, keys: ['{}/{group_by="role"}'], receivers: ['notify-def'], groupBy: [['role']], waits: [30_000] },
    { labels: { env: 'testing', group_by: 'role' }, keys: ['{}/{group_by="role"}/{env="testing"}'], receivers: ['notify-testing'], groupBy: [['role']], waits: [30_000] },
    { labels: { env: 'testing', group_by: 'role', wait: 'long' }, keys: ['{}/{group_by="role"}/{env="testing"}/{wait="long"}'], receivers: ['notify-testing'], groupBy: [['role']], waits: [m(2)] },
    { labels: { other: 'x' }, keys: ['{}'], receivers: ['notify-def'], groupBy: [[]], waits: [30_000] },
  ])('$labels', ({ labels, keys, receivers, groupBy, waits }) => {
    const routes = tree.match(Labels.from(labels));
    expect(routes.map((r) => r.key())).toEqual(keys);
    expect(routes.map((r) => r.opts.receiver)).toEqual(receivers);
    expect(routes.map((r) => (r.opts.groupByAll ? ['...'] : [...r.opts.groupBy]))).toEqual(groupBy);
    expect(routes.map((r) => r.opts.groupWait)).toEqual(waits);
  });

  it('inherits timers and numbers sibling routes in ids', () => {
    const [a, b] = tree.match(Labels.from({ owner: 'team-A', env: 'production' }));
    expect(b!.opts.repeatInterval).toBe(m(60));
    expect(a!.opts.repeatInterval).toBe(m(240));
    expect(a!.id()).toBe('{}/{owner="team-A"}/0/{env="production"}/1');
  });

  it('groups by the route labels only', () => {
    const [route] = tree.match(Labels.from({ owner: 'team-C', foo: '1', baz: '2' }));
    expect(route!.groupLabels(Labels.from({ owner: 'team-C', foo: '1', baz: '2' })).toString()).toBe('{foo="1"}');
  });
});
