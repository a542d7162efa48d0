import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { peer, tempDir } from '@pyrometer/testkit';
import { runPromtool } from '../src/app.js';
import { bufferIO } from '../src/io.js';

/** What a promtool run printed and returned. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs our promtool in-process, as the binary does, with `stdin`. */
export async function ours(args: readonly string[], stdin: string | Buffer = ''): Promise<Run> {
  const io = bufferIO(stdin);
  const code = await runPromtool(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** Debian's promtool (2.42), when installed. */
export const debianPromtool = peer('promtool', 'prometheus');

const exec = promisify(execFile);

/** Runs Debian's promtool with the same arguments and `stdin`. */
export async function debian(args: readonly string[], stdin: string | Buffer = ''): Promise<Run> {
  const child = exec(debianPromtool.path!, [...args]);
  child.child.stdin?.end(stdin);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A temp folder holding the given files (name → text). */
export function folderWith(files: Readonly<Record<string, string>>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
