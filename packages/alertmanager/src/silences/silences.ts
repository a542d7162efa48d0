import { randomUUID } from 'node:crypto';
import { isValidUtf8, type Labels } from '@pyrometer/model';
import type { Clock } from '../clock.js';
import { AlertmanagerError } from '../errors.js';
import { matchesAll, type Matcher } from '../labels/matcher.js';
import { compileRegex } from '../labels/regex.js';
import type { StateStore } from '../state/state-store.js';
import { fromMillis, isZero, ZERO_TIME } from '../time/instant.js';
import { silenceSize } from './codec.js';
import { silenceState, type Silence, type SilenceState, type StoredSilence } from './silence.js';

/** What a client asks to store: an `id` updates that silence (or replaces it, see {@link Silences.set}). */
export interface SilenceInput {
  id: string;
  matchers: readonly Matcher[];
  startsAt: bigint;
  endsAt: bigint;
  createdBy: string;
  comment: string;
}

/** `--silences.max-silences` and `--silences.max-silence-size-bytes`; 0 = no limit. */
export interface SilenceLimits {
  maxSilences: number;
  maxSilenceSizeBytes: number;
}

export interface SilencesOptions {
  store: StateStore<StoredSilence>;
  clock: Clock;
  /** How long a silence is kept after it ends (`--data.retention`), ms. */
  retentionMs: number;
  limits: SilenceLimits;
  /** Label name rules of the matcher mode (classic or UTF-8). */
  isValidLabelName: (name: string) => boolean;
}

/** Which silences {@link Silences.query} returns; all criteria must hold. */
export interface SilenceQuery {
  ids?: readonly string[];
  states?: readonly SilenceState[];
  /** Only silences whose matchers all match these labels. */
  matching?: Labels;
}

const fail = (message: string) => new AlertmanagerError('invalid_silence', message);

/**
 * The silences (`silence.Silences`): creation, update-or-replace, expiry, queries and garbage
 * collection with upstream's rules, over a {@link StateStore} that persists them. `version`
 * grows whenever a silence is added, so callers can cache query results per version.
 * Methods that change state resolve once the store has persisted the change.
 */
export class Silences {
  private readonly st = new Map<string, StoredSilence>();
  private stateVersion = 0;
  private unsubscribe: () => void = () => undefined;

  private constructor(private readonly o: SilencesOptions) {}

  /** Loads the stored silences and follows changes other replicas make. */
  static async open(o: SilencesOptions): Promise<Silences> {
    const s = new Silences(o);
    for (const [id, stored] of await o.store.load()) s.st.set(id, stored);
    s.unsubscribe = o.store.subscribe((_id, stored) => s.merge(stored));
    return s;
  }

  get version(): number {
    return this.stateVersion;
  }

  private now(): bigint {
    return fromMillis(this.o.clock.now());
  }

  /**
   * Creates or changes a silence and returns its id. With an `id`, the silence is changed in
   * place when only its end (or a pending start) moves; any other change of an active or pending
   * silence expires it and creates a new one with a new id, so history stays truthful. Throws
   * `invalid_silence`, `not_found` or `limit`.
   */
  async set(input: SilenceInput): Promise<string> {
    const now = this.now();
    const sil = { ...input, startsAt: isZero(input.startsAt) ? now : input.startsAt, updatedAt: now };
    this.validate(sil);
    const prev = input.id === '' ? undefined : this.st.get(input.id)?.silence;
    if (input.id !== '' && prev === undefined) throw new AlertmanagerError('not_found', 'silence not found');
    if (prev !== undefined && canUpdate(prev, sil, now)) {
      await this.store(this.checkedSize({ silence: sil, expiresAt: sil.endsAt + fromMillis(this.o.retentionMs) }));
      return sil.id;
    }
    const max = this.o.limits.maxSilences;
    if (max > 0 && this.st.size + 1 > max) throw new AlertmanagerError('limit', `exceeded maximum number of silences: ${this.st.size} (limit: ${max})`);
    const created: Silence = { ...sil, id: randomUUID(), startsAt: sil.startsAt < now ? now : sil.startsAt };
    const stored = this.checkedSize({ silence: created, expiresAt: created.endsAt + fromMillis(this.o.retentionMs) });
    if (prev !== undefined && silenceState(prev, now) !== 'expired') await this.expire(prev.id);
    await this.store(stored);
    return created.id;
  }

  /** Ends a silence now (a pending one never starts). Already expired: nothing to do. Unknown: `not_found`. */
  async expire(id: string): Promise<void> {
    const sil = this.st.get(id)?.silence;
    if (sil === undefined) throw new AlertmanagerError('not_found', 'silence not found');
    const now = this.now();
    const state = silenceState(sil, now);
    if (state === 'expired') return;
    const ended: Silence = { ...sil, startsAt: state === 'pending' ? now : sil.startsAt, endsAt: now, updatedAt: now };
    await this.store({ silence: ended, expiresAt: now + fromMillis(this.o.retentionMs) });
  }

  get(id: string): Silence | undefined {
    return this.st.get(id)?.silence;
  }

  /** The silences meeting every criterion, and the state version they reflect. */
  query(q: SilenceQuery = {}): { silences: Silence[]; version: number } {
    const now = this.now();
    const candidates = q.ids !== undefined ? q.ids.flatMap((id) => this.st.get(id)?.silence ?? []) : [...this.st.values()].map((s) => s.silence);
    const silences = candidates.filter((s) => (q.states === undefined || q.states.includes(silenceState(s, now))) && (q.matching === undefined || matchesAll(s.matchers, q.matching)));
    return { silences, version: this.stateVersion };
  }

  /** How many silences are in a state now (`alertmanager_silences`). */
  countState(state: SilenceState): number {
    const now = this.now();
    let n = 0;
    for (const s of this.st.values()) if (silenceState(s.silence, now) === state) n++;
    return n;
  }

  /** Deletes silences past their retention; returns how many. */
  async gc(): Promise<number> {
    const now = this.now();
    const gone = [...this.st.values()].filter((s) => s.expiresAt <= now);
    for (const s of gone) this.st.delete(s.silence.id);
    await this.o.store.delete(gone);
    return gone.length;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.o.store.close();
  }

  /** Applies a silence from another replica when it is newer than ours (upstream's gossip merge). */
  private merge(stored: StoredSilence): boolean {
    if (stored.expiresAt < this.now()) return false;
    const prev = this.st.get(stored.silence.id);
    if (prev !== undefined && prev.silence.updatedAt >= stored.silence.updatedAt) return false;
    this.st.set(stored.silence.id, stored);
    if (prev === undefined) this.stateVersion++;
    return true;
  }

  /** A local change always applies (the clock may not have moved since the last one). */
  private async store(stored: StoredSilence): Promise<void> {
    if (!this.st.has(stored.silence.id)) this.stateVersion++;
    this.st.set(stored.silence.id, stored);
    await this.o.store.put(stored);
  }

  private checkedSize(stored: StoredSilence): StoredSilence {
    const max = this.o.limits.maxSilenceSizeBytes;
    const size = max > 0 ? silenceSize(stored) : 0;
    if (size > max && max > 0) throw new AlertmanagerError('limit', `silence exceeded maximum size: ${size} bytes (limit: ${max} bytes)`);
    return stored;
  }

  private validate(s: Silence): void {
    if (s.matchers.length === 0) throw fail('invalid silence: at least one matcher required');
    let allMatchEmpty = true;
    for (const [i, m] of s.matchers.entries()) {
      const problem = this.matcherProblem(m);
      if (problem !== undefined) throw fail(`invalid silence: invalid label matcher ${i}: ${problem}`);
      allMatchEmpty &&= (m.type === '=' && m.value === '') || (m.type === '=~' && m.matches(''));
    }
    if (allMatchEmpty) throw fail('invalid silence: at least one matcher must not match the empty string');
    if (s.endsAt === ZERO_TIME) throw fail('invalid silence: invalid zero end timestamp');
    if (s.endsAt < s.startsAt) throw fail('invalid silence: end time must not be before start time');
  }

  private matcherProblem(m: Matcher): string | undefined {
    if (!this.o.isValidLabelName(m.name)) return `invalid label name ${JSON.stringify(m.name)}`;
    if (!m.isRegex) return isValidUtf8(m.value) ? undefined : `invalid label value ${JSON.stringify(m.value)}`;
    try {
      compileRegex(m.value);
      return undefined;
    } catch (err) {
      return `invalid regular expression ${JSON.stringify(m.value)}: ${(err as Error).message}`;
    }
  }
}

/** Whether `b` may replace `a` in place without rewriting what `a` silenced so far. */
function canUpdate(a: Silence, b: Silence, now: bigint): boolean {
  if (a.matchers.length !== b.matchers.length || a.matchers.some((m, i) => !m.equals(b.matchers[i]!))) return false;
  switch (silenceState(a, now)) {
    case 'active':
      return a.startsAt / 1_000_000_000n === b.startsAt / 1_000_000_000n && b.endsAt >= now;
    case 'pending':
      return b.startsAt >= now;
    case 'expired':
      return false;
  }
}
