import { readFileSync } from 'node:fs';
import { ScratchError } from './errors.js';

/** Numeric ids of a user on this machine. */
export interface HostIds {
  readonly uid: number;
  readonly gid: number;
}

/**
 * This machine's ids for an image's user name (the emulation runs the image's users as host users
 * of the same name; `root` is 0:0). Throws naming the user when this machine has none.
 */
export function hostIds(user: string): HostIds {
  if (user === 'root' || user === '0') return { uid: 0, gid: 0 };
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((l) => l.split(':'))
    .find((fields) => fields[0] === user || fields[2] === user);
  if (entry === undefined) throw new ScratchError('unknown-user', `the image's user ${JSON.stringify(user)} has no account on this machine to run as`);
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}
