import { join } from 'node:path';

// Absolute paths are rewritten only where a path starts a word: at the start, after whitespace,
// a quote, `=` or `:` (PATH lists, --flag=/path). `//` (URLs) is never a path start.
const ABSOLUTE_PATH = /(^|[\s"'=:(])(\/(?!\/)[^\s"':;)]*)/g;

/**
 * A directory standing for an image's `/`: paths of the image map into it, so a step the
 * Dockerfile writes as `mkdir /var/lib/x` runs as `mkdir <root>/var/lib/x` on this machine.
 */
export class ScratchRoot {
  constructor(readonly dir: string) {}

  /** The host path of an absolute image path. */
  path(imagePath: string): string {
    return join(this.dir, imagePath);
  }

  /** A command line, argument or environment value with its absolute image paths mapped in. */
  rewrite(text: string): string {
    return text.replace(ABSOLUTE_PATH, (_m, before: string, path: string) => `${before}${this.path(path)}`);
  }
}
