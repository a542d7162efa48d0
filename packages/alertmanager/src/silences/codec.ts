import { ProtoWriter, WireType, type ProtoReader } from '@pyrometer/codec';
import { Matcher, MatchType } from '../labels/matcher.js';
import { decodeMesh, encodeMesh, type RecordCodec } from '../state/mesh-snapshot.js';
import { readTimestamp, writeTimestamp } from '../state/proto-time.js';
import type { Silence, StoredSilence } from './silence.js';

// Upstream's silence snapshot file: varint-delimited `silencepb.MeshSilence` messages, so a data
// folder written by Alertmanager is read here and the other way round.
//   MeshSilence { Silence silence = 1; Timestamp expires_at = 2; }
//   Silence { string id = 1; repeated Matcher matchers = 2; Timestamp starts_at = 3; ends_at = 4;
//             updated_at = 5; string created_by = 8; string comment = 9; }
//   Matcher { Type type = 1 (EQUAL 0, REGEXP 1, NOT_EQUAL 2, NOT_REGEXP 3); string name = 2; string pattern = 3; }

const TYPE_CODES: Record<MatchType, number> = { '=': 0, '=~': 1, '!=': 2, '!~': 3 };
const CODE_TYPES: MatchType[] = [MatchType.Equal, MatchType.Regexp, MatchType.NotEqual, MatchType.NotRegexp];

function encodeSilence(w: ProtoWriter, s: Silence): void {
  if (s.id !== '') w.string(1, s.id);
  for (const m of s.matchers) {
    const mw = new ProtoWriter();
    if (TYPE_CODES[m.type] !== 0) {
      mw.tag(1, WireType.Varint);
      mw.varint(TYPE_CODES[m.type]);
    }
    if (m.name !== '') mw.string(2, m.name);
    if (m.value !== '') mw.string(3, m.value);
    w.bytes(2, mw.finish());
  }
  writeTimestamp(w, 3, s.startsAt);
  writeTimestamp(w, 4, s.endsAt);
  writeTimestamp(w, 5, s.updatedAt);
  if (s.createdBy !== '') w.string(8, s.createdBy);
  if (s.comment !== '') w.string(9, s.comment);
}

function decodeMatcher(r: ProtoReader): Matcher {
  let type = 0;
  let name = '';
  let pattern = '';
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Varint) type = r.varint();
    else if (field === 2 && wire === WireType.Bytes) name = r.string();
    else if (field === 3 && wire === WireType.Bytes) pattern = r.string();
    else r.skip(wire);
  }
  const t = CODE_TYPES[type];
  if (t === undefined) throw new Error(`unknown matcher type ${type}`);
  return new Matcher(t, name, pattern);
}

function decodeSilence(r: ProtoReader): Silence {
  const s = { id: '', matchers: [] as Matcher[], startsAt: 0n, endsAt: 0n, updatedAt: 0n, createdBy: '', comment: '' };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (wire !== WireType.Bytes) {
      r.skip(wire);
      continue;
    }
    if (field === 1) s.id = r.string();
    else if (field === 2) s.matchers.push(decodeMatcher(r.message()));
    else if (field === 3) s.startsAt = readTimestamp(r.message());
    else if (field === 4) s.endsAt = readTimestamp(r.message());
    else if (field === 5) s.updatedAt = readTimestamp(r.message());
    else if (field === 8) s.createdBy = r.string();
    else if (field === 9) s.comment = r.string();
    else r.skip(wire);
  }
  return s;
}

/** The byte size of a silence as upstream measures it (`--silences.max-silence-size-bytes`). */
export function silenceSize(s: StoredSilence): number {
  return meshSilence(s).length;
}

function meshSilence(s: StoredSilence): Uint8Array {
  const inner = new ProtoWriter();
  encodeSilence(inner, s.silence);
  return encodeMesh(inner.finish(), s.expiresAt);
}

/** A silence as a `MeshSilence`; the later update (by `updatedAt`) wins. */
export const silenceCodec: RecordCodec<StoredSilence> = {
  key: (s) => s.silence.id,
  version: (s) => s.silence.updatedAt,
  encode: meshSilence,
  decode: (bytes) => {
    const { value, expiresAt } = decodeMesh(bytes, decodeSilence, 'a silence');
    return { silence: value, expiresAt };
  },
};
