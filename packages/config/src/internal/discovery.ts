import { goQuote } from '@pyrometer/model';
import { DEFAULT_DNS_SD_REFRESH, DEFAULT_FILE_SD_REFRESH, DEFAULT_HTTP_SD_REFRESH } from '../defaults.js';
import type { DnsSdConfig, FileSdConfig, HttpSdConfig, TargetGroup } from '../types.js';
import { httpClientFields } from './http-client.js';
import { readDuration, readLabelSet } from './scalars.js';
import type { FieldHandlers, YamlReader, YNode } from './yaml-reader.js';

/** The service-discovery sections shared by scrape configs and alertmanager configs. */
export interface DiscoveryConfigs {
  staticConfigs: TargetGroup[];
  fileSdConfigs: FileSdConfig[];
  httpSdConfigs: HttpSdConfig[];
  dnsSdConfigs: DnsSdConfig[];
}

/** No SD sections. */
export function noDiscovery(): DiscoveryConfigs {
  return { staticConfigs: [], fileSdConfigs: [], httpSdConfigs: [], dnsSdConfigs: [] };
}

/** Field handlers that fill `into` with the SD sections. */
export function discoveryFields(r: YamlReader, into: DiscoveryConfigs): FieldHandlers {
  return {
    static_configs: (n) => (into.staticConfigs = r.list(n, 'static_configs', (it, i) => readStaticConfig(r, it, i))),
    file_sd_configs: (n) => (into.fileSdConfigs = r.list(n, 'file_sd_configs', (it) => readFileSd(r, it))),
    http_sd_configs: (n) => (into.httpSdConfigs = r.list(n, 'http_sd_configs', (it) => readHttpSd(r, it))),
    dns_sd_configs: (n) => (into.dnsSdConfigs = r.list(n, 'dns_sd_configs', (it) => readDnsSd(r, it))),
  };
}

function readStaticConfig(r: YamlReader, n: YNode, index: number): TargetGroup {
  if (r.isNull(n)) throw r.error(n, 'empty or null section in static_configs');
  const group: TargetGroup = { targets: [], labels: {}, source: String(index) };
  r.struct(n, 'targetgroup.plain', {
    targets: (v) => {
      group.targets = r.list(v, 'targets', (t) => {
        const address = r.string(t, 'target');
        if (address.includes('/')) throw r.error(t, `${goQuote(address)} is not a valid hostname`);
        return { __address__: address };
      });
    },
    labels: (v) => (group.labels = readLabelSet(r, v, 'labels')),
  });
  return group;
}

const FILE_SD_PATTERN = /\.(json|ya?ml)$/;

function readFileSd(r: YamlReader, n: YNode): FileSdConfig {
  const c: FileSdConfig = { files: [], refreshInterval: DEFAULT_FILE_SD_REFRESH };
  r.struct(n, 'file.SDConfig', {
    files: (v) => {
      c.files = r.list(v, 'files', (f) => {
        const name = r.string(f, 'file');
        if (!FILE_SD_PATTERN.test(name)) throw r.error(f, `path name ${goQuote(name)} is not valid for file discovery`);
        const slash = name.lastIndexOf('/');
        if (/[*?[]/.test(name.slice(0, slash + 1))) throw r.error(f, `path name ${goQuote(name)} is not valid for file discovery: globs are only allowed in the last path element`);
        return name;
      });
    },
    refresh_interval: (v) => (c.refreshInterval = readDuration(r, v, 'refresh_interval')),
  });
  if (c.files.length === 0) throw r.error(n, 'file service discovery config must contain at least one path name');
  return c;
}

function readHttpSd(r: YamlReader, n: YNode): HttpSdConfig {
  const client = httpClientFields(r, n);
  const c: HttpSdConfig = { url: '', refreshInterval: DEFAULT_HTTP_SD_REFRESH, httpClient: client.config };
  r.struct(n, 'http.SDConfig', {
    ...client.fields,
    url: (v) => (c.url = r.string(v, 'url')),
    refresh_interval: (v) => (c.refreshInterval = readDuration(r, v, 'refresh_interval')),
  });
  client.finish();
  if (c.url === '') throw r.error(n, 'URL is missing');
  let parsed: URL;
  try {
    parsed = new URL(c.url);
  } catch {
    throw r.error(n, `invalid URL ${goQuote(c.url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw r.error(n, 'URL scheme must be \'http\' or \'https\'');
  if (parsed.hostname === '') throw r.error(n, 'host is missing in URL');
  return c;
}

function readDnsSd(r: YamlReader, n: YNode): DnsSdConfig {
  const c: DnsSdConfig = { names: [], type: 'SRV', port: 0, refreshInterval: DEFAULT_DNS_SD_REFRESH };
  r.struct(n, 'dns.SDConfig', {
    names: (v) => (c.names = r.strings(v, 'names')),
    type: (v) => (c.type = r.string(v, 'type').toUpperCase()),
    port: (v) => (c.port = r.uint(v, 'port')),
    refresh_interval: (v) => (c.refreshInterval = readDuration(r, v, 'refresh_interval')),
  });
  if (c.names.length === 0) throw r.error(n, 'DNS-SD config must contain at least one SRV record name');
  if (!['SRV', 'A', 'AAAA', 'MX', 'NS'].includes(c.type)) throw r.error(n, `invalid DNS-SD records type ${c.type}`);
  if (c.type !== 'SRV' && c.type !== 'MX' && c.type !== 'NS' && c.port === 0) throw r.error(n, 'a port is required in DNS-SD configs for all record types except SRV');
  return c;
}
