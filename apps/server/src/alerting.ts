import type { Config, TargetGroup } from '@pyrometer/config';
import { alertmanagerSetName, Notifier, sendAlerts, type NotifierOptions, type RuleAlert } from '@pyrometer/notifier';
import { systemClock, TargetDiscovery } from '@pyrometer/scrape';

/** Settings of {@link Alerting}: the notifier's, from upstream's `--alertmanager.*` flags. */
export type AlertingOptions = Pick<NotifierOptions, 'queueCapacity' | 'batchSize' | 'drainOnShutdown' | 'userAgent' | 'logger' | 'registry'>;

/** One Alertmanager set's discovery and the latest groups of each of its providers. */
interface SetDiscovery {
  name: string;
  discovery: TargetDiscovery;
  groups: Map<number, TargetGroup[]>;
}

/**
 * The notifier and the service discovery that feeds it Alertmanagers (upstream's notifier manager
 * plus its "notify" discovery manager). `applyConfig` is all or nothing: the new sections are
 * validated and their discovery started before anything in use changes, so a bad config (a bad
 * relabel rule, an unreadable CA file) leaves the running one untouched. `stop` ends discovery,
 * then drains or drops the queue as `drainOnShutdown` says.
 */
export class Alerting {
  readonly notifier: Notifier;
  private sets: SetDiscovery[] = [];
  private live = false;

  constructor(private readonly options: AlertingOptions) {
    this.notifier = new Notifier(options);
  }

  /** Applies `alerting` and `global.external_labels`; rejects (changing nothing) when they cannot be used. */
  async applyConfig(config: Config): Promise<void> {
    const started: SetDiscovery[] = [];
    const discoveryLogger = this.options.logger.with({ discovery: 'notify' });
    try {
      for (const [i, amConfig] of config.alerting.alertmanagers.entries()) {
        const name = alertmanagerSetName(i);
        const groups = new Map<number, TargetGroup[]>();
        const logger = discoveryLogger.with({ config: name });
        const onFailure = (mechanism: string, err: Error): void => logger.warn('service discovery failed', { mechanism, err: err.message });
        const discovery = await TargetDiscovery.start(amConfig, { clock: systemClock(), logger, onFailure }, (provider, providerGroups) => {
          groups.set(provider, providerGroups);
          // Updates of a discovery that is not (or no longer) in use wait for, or die with, applyConfig.
          if (this.live && this.sets.some((s) => s.groups === groups)) this.notifier.setTargetGroups(name, [...groups.values()].flat());
        });
        started.push({ name, discovery, groups });
      }
      await this.notifier.applyConfig(config);
    } catch (err) {
      for (const set of started) set.discovery.stop();
      throw err;
    }
    for (const set of this.sets) set.discovery.stop();
    this.sets = started;
    this.live = true;
    for (const set of started) if (set.groups.size > 0) this.notifier.setTargetGroups(set.name, [...set.groups.values()].flat());
  }

  /**
   * The rule manager's notify function (upstream's `rules.SendAlerts(notifierManager,
   * externalURL)`): alerts of the rule with expression `expr` go to the notifier with `endsAt` and
   * `generatorURL` as upstream computes them.
   */
  notifyFunc(externalUrl: string): (expr: string, alerts: readonly RuleAlert[]) => void {
    return sendAlerts(this.notifier, externalUrl);
  }

  /** Stops discovery, then the notifier (drain or drop, see the options). */
  async stop(): Promise<void> {
    this.live = false;
    for (const set of this.sets) set.discovery.stop();
    await this.notifier.stop();
  }
}
