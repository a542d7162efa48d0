import { DEFAULT_ALERTMANAGER_TIMEOUT } from '../defaults.js';
import type { AlertingConfig, AlertmanagerConfig } from '../types.js';
import { discoveryFields, noDiscovery } from './discovery.js';
import { httpClientFields } from './http-client.js';
import { readRelabelConfigs } from './relabel.js';
import { readDuration } from './scalars.js';
import type { YamlReader, YNode } from './yaml-reader.js';

/** Reads the `alerting` section. Only API version v2 exists upstream since Prometheus 3. */
export function readAlerting(r: YamlReader, n: YNode): AlertingConfig {
  const a: AlertingConfig = { alertRelabelConfigs: [], alertmanagers: [] };
  r.struct(n, 'config.AlertingConfig', {
    alert_relabel_configs: (v) => (a.alertRelabelConfigs = readRelabelConfigs(r, v, 'empty or null alert relabeling rule')),
    alertmanagers: (v) => (a.alertmanagers = r.list(v, 'alertmanagers', (it) => readAlertmanager(r, it))),
  });
  return a;
}

function readAlertmanager(r: YamlReader, n: YNode): AlertmanagerConfig {
  if (r.isNull(n)) throw r.error(n, 'empty or null alertmanager config section');
  const client = httpClientFields(r, n);
  const c: AlertmanagerConfig = {
    scheme: 'http',
    pathPrefix: '',
    timeout: DEFAULT_ALERTMANAGER_TIMEOUT,
    apiVersion: 'v2',
    httpClient: client.config,
    ...noDiscovery(),
    relabelConfigs: [],
    alertRelabelConfigs: [],
  };
  r.struct(n, 'config.plain', {
    ...client.fields,
    ...discoveryFields(r, c),
    scheme: (v) => (c.scheme = r.string(v, 'scheme')),
    path_prefix: (v) => (c.pathPrefix = r.string(v, 'path_prefix')),
    timeout: (v) => (c.timeout = readDuration(r, v, 'timeout')),
    api_version: (v) => {
      const s = r.string(v, 'api_version');
      if (s !== 'v2') throw r.error(v, `expected Alertmanager api version to be one of [v2] but got ${s}`);
      c.apiVersion = s;
    },
    relabel_configs: (v) => (c.relabelConfigs = readRelabelConfigs(r, v, 'empty or null Alertmanager target relabeling rule')),
    alert_relabel_configs: (v) => (c.alertRelabelConfigs = readRelabelConfigs(r, v, 'empty or null Alertmanager alert relabeling rule')),
  });
  client.finish();
  return c;
}
