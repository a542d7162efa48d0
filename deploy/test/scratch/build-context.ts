import { cpSync, existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import dockerignore from '@balena/dockerignore';
import { ScratchError } from './errors.js';

/**
 * The files `docker build <context>` sends: everything under the context folder except what
 * `.dockerignore` excludes (Docker's matching rules, through @balena/dockerignore). As in Docker,
 * an excluded directory is not walked unless a `!` exception could bring something back inside it.
 */
export class BuildContext {
  private readonly ignores: (relativePath: string) => boolean;
  private readonly hasExceptions: boolean;

  constructor(readonly dir: string) {
    const file = join(dir, '.dockerignore');
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    // The package is CommonJS; its factory is also its own `default` property, which types and runtime agree on.
    const matcher = dockerignore.default().add(text);
    this.ignores = (p) => matcher.ignores(p);
    this.hasExceptions = text.split(/\r?\n/).some((l) => l.trim().startsWith('!'));
  }

  /** Whether a path relative to the context is sent to the builder. */
  includes(relativePath: string): boolean {
    return relativePath === '' || !this.ignores(relativePath);
  }

  /**
   * Copies a context source (a file, or a directory whose contents are copied) to `dest` as COPY
   * does. Throws naming the source when it is missing or excluded.
   */
  copy(source: string, dest: string, where: string): void {
    const from = join(this.dir, source);
    const rel = relative(this.dir, from);
    if (rel.startsWith('..')) throw new ScratchError('missing-source', `${where}: COPY ${source} is outside the build context`);
    if (!existsSync(from) || !this.includes(rel)) throw new ScratchError('missing-source', `${where}: COPY ${source}: not in the build context${existsSync(from) ? ' (excluded by .dockerignore)' : ''}`);
    if (!statSync(from).isDirectory()) {
      cpSync(from, dest);
      return;
    }
    this.copyTree(from, dest);
  }

  private copyTree(fromDir: string, destDir: string): void {
    cpSync(fromDir, destDir, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => {
        const rel = relative(this.dir, src);
        if (this.includes(rel)) return true;
        // An excluded folder may still hold a `!` exception: walk it only then.
        return this.hasExceptions && lstatSync(src).isDirectory();
      },
    });
  }
}
