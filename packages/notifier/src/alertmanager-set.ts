import { posix } from 'node:path';
import { HttpClient, type HttpClientSettings } from '@pyrometer/http-client';
import { compileRelabelConfig, Labels, relabelBuilder, type RelabelConfig, type RelabelRule } from '@pyrometer/model';
import { NotifierError } from './errors.js';

/**
 * One `alerting.alertmanagers` entry, as `@pyrometer/config` loads it (its `AlertmanagerConfig`
 * satisfies this). `timeout` is in milliseconds.
 */
export interface AlertmanagerSetConfig {
  scheme: string;
  pathPrefix: string;
  timeout: number;
  apiVersion: string;
  httpClient: HttpClientSettings;
  relabelConfigs: RelabelConfig[];
  alertRelabelConfigs: RelabelConfig[];
}

/** Discovered targets sharing labels (service discovery's target group; `@pyrometer/config`'s `TargetGroup` satisfies it). */
export interface TargetGroup {
  /** Each target's own labels; at least `__address__`. */
  targets: Record<string, string>[];
  labels: Record<string, string>;
  source: string;
}

/** An Alertmanager after relabeling: where alerts are posted, and the labels that produced it. */
export interface DiscoveredAlertmanager {
  url: string;
  labels: Labels;
}

const SCHEME_LABEL = '__scheme__';
const ADDRESS_LABEL = '__address__';
const PATH_LABEL = '__alerts_path__';

/**
 * The Alertmanagers of one `alerting.alertmanagers` entry: its compiled relabel rules, its HTTP
 * client, and the active and dropped Alertmanagers from the last `sync`. `close` ends the client's
 * connections once no batch needs it any more.
 */
export class AlertmanagerSet {
  active: DiscoveredAlertmanager[] = [];
  dropped: DiscoveredAlertmanager[] = [];

  private constructor(
    readonly config: AlertmanagerSetConfig,
    /** Identifies the configuration: sets with equal fingerprints keep their Alertmanagers across reloads. */
    readonly fingerprint: string,
    readonly targetRules: readonly RelabelRule[],
    readonly alertRules: readonly RelabelRule[],
    readonly client: HttpClient,
  ) {}

  /** Validates and compiles `config` (throws {@link NotifierError} `invalid_config` naming `name`) and builds its client. */
  static async create(name: string, config: AlertmanagerSetConfig, legacyNames: boolean): Promise<AlertmanagerSet> {
    if (config.apiVersion !== 'v2') throw new NotifierError('invalid_config', `${name}: expected Alertmanager api version to be one of [v2] but got ${config.apiVersion}`);
    const compile = (what: string, configs: RelabelConfig[]): RelabelRule[] =>
      configs.map((c, i) => {
        try {
          return compileRelabelConfig(c, { legacy: legacyNames });
        } catch (err) {
          throw new NotifierError('invalid_config', `${name}: ${what}[${i}]: ${(err as Error).message}`, { cause: err });
        }
      });
    const targetRules = compile('relabel_configs', config.relabelConfigs);
    const alertRules = compile('alert_relabel_configs', config.alertRelabelConfigs);
    let client: HttpClient;
    try {
      client = await HttpClient.create(config.httpClient);
    } catch (err) {
      throw new NotifierError('invalid_config', `${name}: cannot set up the HTTP client: ${(err as Error).message}`, { cause: err });
    }
    return new AlertmanagerSet(config, JSON.stringify(config), targetRules, alertRules, client);
  }

  /**
   * Replaces the Alertmanagers with those of `groups` (upstream's `alertmanagerSet.sync`): each
   * target starts from its labels plus `__scheme__`, `__alerts_path__` and the group's labels, then
   * `relabel_configs` runs; a dropped target is kept with its labels before relabeling. Active ones
   * are deduplicated by URL. A group with an invalid address after relabeling is skipped whole and
   * reported through `onError`.
   */
  sync(groups: readonly TargetGroup[], onError: (err: NotifierError) => void): void {
    const active: DiscoveredAlertmanager[] = [];
    const dropped: DiscoveredAlertmanager[] = [];
    const seen = new Set<string>();
    for (const group of groups) {
      try {
        const found = this.fromGroup(group);
        dropped.push(...found.dropped);
        for (const am of found.active) {
          if (seen.has(am.url)) continue;
          seen.add(am.url);
          active.push(am);
        }
      } catch (err) {
        onError(err as NotifierError);
      }
    }
    this.active = active;
    this.dropped = dropped;
  }

  private fromGroup(group: TargetGroup): { active: DiscoveredAlertmanager[]; dropped: DiscoveredAlertmanager[] } {
    const active: DiscoveredAlertmanager[] = [];
    const dropped: DiscoveredAlertmanager[] = [];
    for (const target of group.targets) {
      const builder = Labels.from(target).builder();
      builder.set(SCHEME_LABEL, this.config.scheme);
      builder.set(PATH_LABEL, postPath(this.config.pathPrefix));
      for (const [name, value] of Object.entries(group.labels)) if (!(name in target)) builder.set(name, value);
      const before = builder.labels();
      if (!relabelBuilder(builder, this.targetRules)) {
        dropped.push({ url: alertmanagerUrl(before), labels: before });
        continue;
      }
      const labels = builder.labels();
      const address = labels.get(ADDRESS_LABEL);
      if (address.includes('/')) throw new NotifierError('invalid_alertmanager', `"${address}" is not a valid hostname (target group ${group.source})`);
      active.push({ url: alertmanagerUrl(labels), labels });
    }
    return { active, dropped };
  }
}

/** `<__scheme__>://<__address__><__alerts_path__>`, as upstream builds the URL from the labels. */
function alertmanagerUrl(labels: Labels): string {
  return `${labels.get(SCHEME_LABEL)}://${labels.get(ADDRESS_LABEL)}${labels.get(PATH_LABEL)}`;
}

/** `path_prefix` joined with `/api/v2/alerts`, cleaned like Go's `path.Join("/", prefix, …)`. */
function postPath(prefix: string): string {
  return posix.join('/', prefix, '/api/v2/alerts');
}
