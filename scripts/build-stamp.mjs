// Lets a second `npm start` skip `pnpm install` and `pnpm run build` when nothing they read has
// changed. After a successful install and build, a stamp records hashes of their inputs and a
// fingerprint of the build output; a later start compares. Anything that differs (a source file,
// a tsconfig, a package.json, the lockfile, the Node or pnpm version, a dist file touched or
// deleted) means install and/or build run again, so a stale build is never started.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Top-level folders of a workspace package that the build neither reads nor writes. */
const NOT_BUILD_INPUT = new Set(['dist', '.turbo', 'test', 'bench', 'testdata', 'coverage']);

/** @param {string} root */
const stampFile = (root) => join(root, 'node_modules', '.cache', 'pyrometer', 'build-stamp.json');

/**
 * The workspace packages' folders (pnpm-workspace.yaml's `packages:` entries: `dir/*` or `dir`).
 * @param {string} root
 * @returns {string[]} absolute paths of folders holding a package.json
 */
function workspacePackages(root) {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = /^packages:\n((?:[ \t]+-.*\n?)+)/m.exec(yaml)?.[1] ?? '';
  const dirs = [];
  for (const m of block.matchAll(/^[ \t]+-\s*['"]?([^'"\n]+?)['"]?\s*$/gm)) {
    const pattern = m[1] ?? '';
    if (pattern.endsWith('/*')) {
      const parent = join(root, pattern.slice(0, -2));
      if (existsSync(parent)) for (const name of readdirSync(parent).sort()) dirs.push(join(parent, name));
    } else dirs.push(join(root, pattern));
  }
  return dirs.filter((d) => existsSync(join(d, 'package.json')));
}

/**
 * Files under `dir` (sorted, relative paths) except `*.md`, node_modules folders and the
 * top-level folders named in `skipTop`.
 * @param {string} dir
 * @param {ReadonlySet<string>} skipTop
 * @returns {string[]}
 */
function filesUnder(dir, skipTop, prefix = '') {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name === 'node_modules' || (prefix === '' && skipTop.has(entry.name))) continue;
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(join(dir, entry.name), skipTop, rel));
    else if (entry.isFile() && !entry.name.endsWith('.md')) out.push(rel);
  }
  return out;
}

/**
 * Hash of what `pnpm install` reads.
 * @param {string} root
 */
export function installInputs(root) {
  const hash = createHash('sha256').update(`node ${process.version}\n`);
  for (const file of ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml']) hash.update(`${file}\n`).update(readFileSync(join(root, file)));
  for (const dir of workspacePackages(root)) hash.update(`${dir}/package.json\n`).update(readFileSync(join(dir, 'package.json')));
  return hash.digest('hex');
}

/**
 * Hash of what `pnpm run build` reads: the root's tsconfig and turbo files, and every file of
 * each workspace package except tests, benchmarks, docs and outputs.
 * @param {string} root
 */
export function buildInputs(root) {
  const hash = createHash('sha256').update(installInputs(root));
  for (const file of readdirSync(root).filter((f) => /^(tsconfig.*\.json|turbo\.json)$/.test(f)).sort()) hash.update(`${file}\n`).update(readFileSync(join(root, file)));
  for (const dir of workspacePackages(root)) {
    for (const file of filesUnder(dir, NOT_BUILD_INPUT)) hash.update(`${dir}/${file}\n`).update(readFileSync(join(dir, file)));
  }
  return hash.digest('hex');
}

/**
 * Fingerprint of the build output: every dist file's path, size and modification time, and
 * which packages with a build script have no dist at all.
 * @param {string} root
 */
export function buildOutputs(root) {
  const hash = createHash('sha256');
  for (const dir of workspacePackages(root)) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (pkg.scripts?.build === undefined) continue;
    const dist = join(dir, 'dist');
    hash.update(`${dist}: ${existsSync(dist) ? 'present' : 'missing'}\n`);
    for (const file of filesUnder(dist, new Set())) {
      const st = statSync(join(dist, file));
      hash.update(`${file} ${st.size} ${st.mtimeMs}\n`);
    }
  }
  return hash.digest('hex');
}

/**
 * @typedef {{ install?: string, build?: string, outputs?: string }} Stamp
 */

/** @param {string} root @returns {Stamp} */
function readStamp(root) {
  try {
    return JSON.parse(readFileSync(stampFile(root), 'utf8'));
  } catch {
    return {};
  }
}

/** @param {string} root @param {Stamp} stamp */
function writeStamp(root, stamp) {
  mkdirSync(join(stampFile(root), '..'), { recursive: true });
  writeFileSync(stampFile(root), JSON.stringify(stamp) + '\n');
}

/**
 * What a start must redo.
 * @param {string} root
 * @returns {{ install: boolean, build: boolean }}
 */
export function staleSteps(root) {
  const stamp = readStamp(root);
  const install = !existsSync(join(root, 'node_modules', '.modules.yaml')) || stamp.install !== installInputs(root);
  const build = install || stamp.build !== buildInputs(root) || stamp.outputs !== buildOutputs(root);
  return { install, build };
}

/**
 * Records a successful install (with `build` undefined) or install and build.
 * @param {string} root
 * @param {{ install: string, build?: string }} inputs hashes taken before the step ran
 */
export function recordSuccess(root, inputs) {
  writeStamp(root, inputs.build === undefined ? { install: inputs.install } : { install: inputs.install, build: inputs.build, outputs: buildOutputs(root) });
}
