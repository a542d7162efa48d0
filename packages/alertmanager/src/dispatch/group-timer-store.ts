import type { GroupTimerState } from './aggregation-group.js';

/**
 * Where the aggregation groups' timer states are kept between restarts, by `groupStateKey`
 * (beyond upstream, whose groups start `group_wait` again). `save` replaces what is stored with
 * the groups that exist now; `load` is called once at start.
 */
export interface GroupTimerStore {
  load(): Promise<Map<string, GroupTimerState>>;
  save(states: ReadonlyMap<string, GroupTimerState>): Promise<void>;
}
