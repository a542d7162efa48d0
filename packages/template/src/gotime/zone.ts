/** The offset from UTC and the abbreviation (`CET`, `UTC`) in effect at some instant. */
export interface ZoneInfo {
  readonly abbreviation: string;
  readonly offsetSeconds: number;
}

/**
 * A time zone, as Go's `*time.Location`: its name (`UTC`, `Local`, `Europe/Paris`, or empty for a
 * fixed offset parsed from a timestamp) and what is in effect at a Unix time in seconds.
 */
export interface Zone {
  readonly name: string;
  lookup(unixSeconds: number): ZoneInfo;
}

/**
 * Finds a zone by its IANA name as Go's `time.LoadLocation` does; returns undefined for an
 * unknown name. `""` and `"UTC"` are always UTC. Supplied by the host: the Node entry point reads
 * the system's tzdata (`/usr/share/zoneinfo`), as Go does.
 */
export type ZoneLoader = (name: string) => Zone | undefined;

export const UTC: Zone = {
  name: 'UTC',
  lookup: () => ({ abbreviation: 'UTC', offsetSeconds: 0 }),
};

/** A zone with a constant offset, as Go's `time.FixedZone(name, offset)`. */
export function fixedZone(name: string, offsetSeconds: number): Zone {
  const info: ZoneInfo = { abbreviation: name, offsetSeconds };
  return { name, lookup: () => info };
}
