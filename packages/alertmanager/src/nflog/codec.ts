import { ProtoWriter, WireType, type ProtoReader } from '@pyrometer/codec';
import { decodeMesh, encodeMesh, type RecordCodec } from '../state/mesh-snapshot.js';
import { readTimestamp, writeTimestamp } from '../state/proto-time.js';
import { entryKey, type NflogEntry, type NflogReceiver, type StoredEntry } from './entry.js';

// Upstream's notification log file: varint-delimited `nflogpb.MeshEntry` messages.
//   MeshEntry { Entry entry = 1; Timestamp expires_at = 2; }
//   Entry { bytes group_key = 1; Receiver receiver = 2; Timestamp timestamp = 5;
//           repeated uint64 firing_alerts = 6; repeated uint64 resolved_alerts = 7; }
//   Receiver { string group_name = 1; string integration = 2; uint32 idx = 3; }

function encodeEntry(e: NflogEntry): Uint8Array {
  const w = new ProtoWriter();
  if (e.groupKey !== '') w.string(1, e.groupKey);
  const r = new ProtoWriter();
  if (e.receiver.groupName !== '') r.string(1, e.receiver.groupName);
  if (e.receiver.integration !== '') r.string(2, e.receiver.integration);
  if (e.receiver.idx !== 0) {
    r.tag(3, WireType.Varint);
    r.varint(e.receiver.idx);
  }
  w.bytes(2, r.finish());
  writeTimestamp(w, 5, e.timestamp);
  for (const [field, hashes] of [[6, e.firingAlerts], [7, e.resolvedAlerts]] as const) {
    if (hashes.length === 0) continue;
    const packed = new ProtoWriter();
    for (const h of hashes) packed.uint64(h);
    w.bytes(field, packed.finish());
  }
  return w.finish();
}

function decodeReceiver(r: ProtoReader): NflogReceiver {
  const out = { groupName: '', integration: '', idx: 0 };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Bytes) out.groupName = r.string();
    else if (field === 2 && wire === WireType.Bytes) out.integration = r.string();
    else if (field === 3 && wire === WireType.Varint) out.idx = r.varint();
    else r.skip(wire);
  }
  return out;
}

function decodeEntry(r: ProtoReader): NflogEntry {
  const e = { groupKey: '', receiver: { groupName: '', integration: '', idx: 0 } as NflogReceiver, timestamp: 0n, firingAlerts: [] as bigint[], resolvedAlerts: [] as bigint[] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Bytes) e.groupKey = r.string();
    else if (field === 2 && wire === WireType.Bytes) e.receiver = decodeReceiver(r.message());
    else if (field === 5 && wire === WireType.Bytes) e.timestamp = readTimestamp(r.message());
    else if (field === 6 || field === 7) {
      const into = field === 6 ? e.firingAlerts : e.resolvedAlerts;
      if (wire === WireType.Varint) into.push(r.uint64());
      else if (wire === WireType.Bytes) {
        const packed = r.message();
        while (!packed.done()) into.push(packed.uint64());
      } else r.skip(wire);
    } else r.skip(wire);
  }
  return e;
}

/** A log entry as a `MeshEntry`; newer notifications (by timestamp) replace older ones. */
export const nflogEntryCodec: RecordCodec<StoredEntry> = {
  key: (s) => entryKey(s.entry.groupKey, s.entry.receiver),
  version: (s) => s.entry.timestamp,
  encode: (s) => encodeMesh(encodeEntry(s.entry), s.expiresAt),
  decode: (bytes) => {
    const { value, expiresAt } = decodeMesh(bytes, decodeEntry, 'an entry');
    return { entry: value, expiresAt };
  },
};
