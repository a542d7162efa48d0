import { readFileSync, realpathSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { NotificationTemplates, type NotificationTemplatesOptions } from '../alertmanager/templates.js';
import { TemplateError } from '../errors.js';
import { zoneFromTzif } from '../gotime/tzif.js';
import { UTC, type Zone, type ZoneLoader } from '../gotime/zone.js';
import { goGlob } from './glob.js';

export { goGlob, goMatch } from './glob.js';

/**
 * Node-only helpers of `@pyrometer/template`: time zones from the system's tzdata and the
 * Alertmanager template loader that reads `templates:` globs.
 */

const DEFAULT_ZONEINFO = process.env['ZONEINFO'] ?? '/usr/share/zoneinfo';

/**
 * A zone loader reading compiled tzdata (`/usr/share/zoneinfo`, or `$ZONEINFO`), as Go's
 * `time.LoadLocation` does. Zones are cached; unknown or unreadable names give undefined.
 */
export function systemZoneLoader(zoneinfoDir = DEFAULT_ZONEINFO): ZoneLoader {
  const cache = new Map<string, Zone | undefined>();
  return (name) => {
    if (name === '' || name === 'UTC') return UTC;
    if (!cache.has(name)) cache.set(name, readZone(zoneinfoDir, name));
    return cache.get(name);
  };
}

function readZone(dir: string, name: string): Zone | undefined {
  try {
    return zoneFromTzif(name, readFileSync(join(dir, name)));
  } catch {
    return undefined;
  }
}

/** The zone Go calls `Local`: `$TZ` if set (empty means UTC), else `/etc/localtime`. */
export function systemLocalZone(zoneinfoDir = DEFAULT_ZONEINFO): Zone {
  const tz = process.env['TZ'];
  if (tz === '') return UTC;
  const loaded = tz === undefined ? localtimeZone(zoneinfoDir) : readZone(zoneinfoDir, tz.replace(/^:/, ''));
  return loaded === undefined ? UTC : { name: 'Local', lookup: (t) => loaded.lookup(t) };
}

function localtimeZone(zoneinfoDir: string): Zone | undefined {
  try {
    const target = realpathSync('/etc/localtime');
    const name = relative(zoneinfoDir, target);
    return zoneFromTzif(name.startsWith('..') ? 'Local' : name.split(sep).join('/'), readFileSync(target));
  } catch {
    return undefined;
  }
}

/**
 * Builds the Alertmanager's notification templates as upstream's `FromGlobs`: the built-in
 * templates first, then every file matching each glob of the config's `templates:` list, in order
 * (files sorted within a glob, named by their base name; a glob matching nothing is not an error).
 * Tzdata zones and the local zone come from the system unless given. Throws {@link TemplateError}:
 * `load` for an unreadable file or a malformed glob, `parse` for a template that does not parse
 * (its message names the file: `template: slack.tmpl:3: …`).
 */
export function loadNotificationTemplates(globs: readonly string[], options: NotificationTemplatesOptions = {}): NotificationTemplates {
  const templates = new NotificationTemplates({ zoneLoader: systemZoneLoader(), localZone: systemLocalZone(), ...options });
  for (const pattern of globs) {
    for (const file of goGlob(pattern)) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new TemplateError('load', `cannot read template file ${file}: ${(err as Error).message}`, { cause: err });
      }
      templates.parse(basename(file), text);
    }
  }
  return templates;
}
