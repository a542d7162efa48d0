import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** A service of docker-compose.yml, as the tests read it (after interpolation). */
export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  command?: string[] | string;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
  environment?: Record<string, string>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

/** Every `${…}` reference of a compose file's text, with its variable and default (undefined when it has none). */
export function composeVariables(text: string): { name: string; fallback: string | undefined }[] {
  return [...text.replace(/\$\$/g, '').matchAll(/\$\{(\w+)(?::?-([^}]*))?\}/g)].map((m) => ({ name: m[1]!, fallback: m[2] }));
}

/**
 * docker-compose.yml as Compose reads it with the environment `env`: `${VAR:-default}` and
 * `${VAR-default}` take the default when VAR is unset, `$$` is a literal `$`. YAML merge keys apply.
 */
export function loadCompose(root: string, env: Record<string, string> = {}): ComposeFile {
  const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
  const interpolated = text
    .replace(/\$\{(\w+)(?:(:?)-([^}]*))?\}/g, (_m, name: string, colon: string | undefined, fallback: string | undefined) => {
      const value = env[name];
      if (value !== undefined && (colon !== ':' || value !== '')) return value;
      return fallback ?? '';
    })
    .replace(/\$\$/g, '$');
  return parseYaml(interpolated, { merge: true }) as ComposeFile;
}
