import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PushgatewayError } from '../errors.js';
import { groupingKeyOf } from '../grouping-key.js';
import { decodeGroup, encodeGroup, type JsonGroup } from './group-codec.js';
import type { GroupRecord } from './group-record.js';

const FORMAT = 'pyrometer-pushgateway/v1';

/**
 * Writes all groups to `file` atomically: a temporary file in the same directory is written and
 * fsynced, then renamed over `file`, then the directory is fsynced. A crash at any point leaves
 * either the previous file or the new one, never a torn one. The file is readable by its owner
 * only (0600), as upstream's.
 */
export async function writeStateFile(file: string, groups: Iterable<GroupRecord>): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.tmp-${process.pid}-${Date.now()}`);
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(`{"format":${JSON.stringify(FORMAT)},"groups":[`);
    let first = true;
    for (const group of groups) {
      await handle.writeFile((first ? '\n' : ',\n') + JSON.stringify(encodeGroup(group)));
      first = false;
    }
    await handle.writeFile('\n]}\n');
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(tmp).catch(() => undefined);
    throw new PushgatewayError('persistence', `writing ${tmp}: ${(err as Error).message}`, { cause: err });
  }
  await handle.close();
  await rename(tmp, file);
  const dirHandle = await open(dir, 'r');
  await dirHandle.sync().finally(() => dirHandle.close());
}

/** Reads a state file written by {@link writeStateFile}; a missing file yields no groups. */
export async function readStateFile(file: string): Promise<GroupRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new PushgatewayError('persistence', `reading ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return decodeStateFile(file, text);
  } catch (err) {
    throw new PushgatewayError('corrupt_state', (err as Error).message, { cause: err });
  }
}

/**
 * Moves a state file that {@link readStateFile} found corrupt to `<file>.unreadable-<ms>` and
 * returns that path; leaves files that could not be read at all (permissions, a directory) alone.
 */
export async function setAsideCorrupt(file: string, err: unknown): Promise<string | undefined> {
  if (!(err instanceof PushgatewayError && err.code === 'corrupt_state')) return undefined;
  const aside = `${file}.unreadable-${Date.now()}`;
  try {
    await rename(file, aside);
    return aside;
  } catch {
    return undefined;
  }
}

function decodeStateFile(file: string, text: string): GroupRecord[] {
  let parsed: { format?: unknown; groups?: unknown };
  try {
    parsed = JSON.parse(text) as { format?: unknown; groups?: unknown };
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed.format !== FORMAT || !Array.isArray(parsed.groups)) throw new Error(`${file} is not a Pyrometer Pushgateway state file (expected format ${FORMAT})`);
  return (parsed.groups as JsonGroup[]).map((g, i) => decodeGroup(groupingKeyOf(g.labels), g, `${file} group #${i + 1}`));
}
