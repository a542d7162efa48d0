import { parsePosixTz, type PosixTz } from './posix-tz.js';
import type { Zone, ZoneInfo } from './zone.js';

/**
 * Reads a compiled tzdata file (TZif, RFC 8536: versions 1 to 4) into a {@link Zone}, the way Go's
 * `time.LoadLocationFromTZData` does: transitions from the 64-bit section when present, and the
 * POSIX TZ footer for instants after the last transition. Throws an Error on malformed data.
 */
export function zoneFromTzif(name: string, data: Uint8Array): Zone {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let header = readHeader(view, 0);
  let offset = 44;
  let timeSize = 4;
  if (header.version >= 2) {
    offset += header.timecnt * 4 + header.timecnt + header.typecnt * 6 + header.charcnt + header.leapcnt * 8 + header.isstdcnt + header.isutcnt;
    header = readHeader(view, offset);
    offset += 44;
    timeSize = 8;
  }
  const transitions: number[] = [];
  for (let i = 0; i < header.timecnt; i++) {
    transitions.push(timeSize === 8 ? Number(view.getBigInt64(offset + i * 8)) : view.getInt32(offset + i * 4));
  }
  offset += header.timecnt * timeSize;
  const transitionTypes = Array.from(data.subarray(offset, offset + header.timecnt));
  offset += header.timecnt;
  const rawTypes: { utoff: number; isDst: boolean; abbrIndex: number }[] = [];
  for (let i = 0; i < header.typecnt; i++) {
    rawTypes.push({ utoff: view.getInt32(offset), isDst: data[offset + 4] !== 0, abbrIndex: data[offset + 5]! });
    offset += 6;
  }
  const chars = new TextDecoder().decode(data.subarray(offset, offset + header.charcnt));
  offset += header.charcnt + header.leapcnt * (timeSize + 4) + header.isstdcnt + header.isutcnt;
  if (offset > data.length || rawTypes.length === 0) throw new Error(`malformed time zone information for ${name}`);
  const types: ZoneInfo[] = rawTypes.map((t) => {
    const end = chars.indexOf('\0', t.abbrIndex);
    return { abbreviation: chars.slice(t.abbrIndex, end < 0 ? undefined : end), offsetSeconds: t.utoff };
  });
  let footer: PosixTz | undefined;
  if (header.version >= 2 && data[offset] === 0x0a) {
    const end = data.indexOf(0x0a, offset + 1);
    const text = new TextDecoder().decode(data.subarray(offset + 1, end < 0 ? data.length : end));
    footer = text === '' ? undefined : parsePosixTz(text);
  }
  const firstIndex = firstZoneIndex(rawTypes, transitionTypes);
  return {
    name,
    lookup(unixSeconds: number): ZoneInfo {
      if (transitions.length === 0 || unixSeconds < transitions[0]!) return types[firstIndex]!;
      if (unixSeconds >= transitions[transitions.length - 1]! && footer !== undefined) return footer.lookup(unixSeconds);
      let lo = 0;
      let hi = transitions.length;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (unixSeconds < transitions[mid]!) hi = mid;
        else lo = mid;
      }
      return types[transitionTypes[lo]!] ?? types[0]!;
    },
  };
}

interface TzifHeader {
  version: number;
  isutcnt: number;
  isstdcnt: number;
  leapcnt: number;
  timecnt: number;
  typecnt: number;
  charcnt: number;
}

function readHeader(view: DataView, at: number): TzifHeader {
  if (view.byteLength < at + 44 || view.getUint32(at) !== 0x545a6966) throw new Error('not a TZif file');
  const v = view.getUint8(at + 4);
  return {
    version: v === 0 ? 1 : v - 0x30,
    isutcnt: view.getUint32(at + 20),
    isstdcnt: view.getUint32(at + 24),
    leapcnt: view.getUint32(at + 28),
    timecnt: view.getUint32(at + 32),
    typecnt: view.getUint32(at + 36),
    charcnt: view.getUint32(at + 40),
  };
}

/** Go's `lookupFirstZone`: the zone in effect before the first transition. */
function firstZoneIndex(types: readonly { isDst: boolean }[], transitionTypes: readonly number[]): number {
  if (!transitionTypes.includes(0)) return 0;
  const first = transitionTypes[0]!;
  if (types[first]?.isDst) {
    for (let i = first - 1; i >= 0; i--) if (!types[i]!.isDst) return i;
  }
  const standard = types.findIndex((t) => !t.isDst);
  return standard < 0 ? 0 : standard;
}
