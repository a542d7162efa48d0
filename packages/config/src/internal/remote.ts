import { goQuote } from '@pyrometer/model';
import { DEFAULT_REMOTE_READ_TIMEOUT, DEFAULT_REMOTE_WRITE_TIMEOUT, defaultMetadataConfig, defaultQueueConfig } from '../defaults.js';
import type { MetadataConfig, QueueConfig, RemoteReadConfig, RemoteWriteConfig } from '../types.js';
import { httpClientFields } from './http-client.js';
import { readRelabelConfigs } from './relabel.js';
import { readDuration } from './scalars.js';
import type { YamlReader, YNode } from './yaml-reader.js';

/** Headers the remote protocols set themselves (prometheus/config `reservedHeaders`), lower-case. */
const RESERVED_HEADERS = new Set(
  ['Authorization', 'Host', 'Content-Encoding', 'Content-Length', 'Content-Type', 'User-Agent', 'Connection', 'Keep-Alive', 'Proxy-Authenticate', 'Proxy-Authorization', 'Www-Authenticate', 'Accept-Encoding', 'X-Prometheus-Remote-Write-Version', 'X-Prometheus-Remote-Read-Version', 'X-Prometheus-Scrape-Timeout-Seconds'].map((h) => h.toLowerCase()),
);

function readHeaders(r: YamlReader, n: YNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of r.entries(n, 'headers', (v) => r.string(v, 'header value'))) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw r.error(n, `${name} is a reserved header. It must not be changed`);
    out[name] = value;
  }
  return out;
}

function readUrl(r: YamlReader, n: YNode, what: string): string {
  const s = r.string(n, what);
  if (s === '') return s;
  try {
    new URL(s);
  } catch {
    // Upstream accepts anything url.Parse accepts, which includes scheme-less "host:port".
    if (/\s/.test(s)) throw r.error(n, `invalid URL ${goQuote(s)}`);
  }
  return s;
}

/** Reads one `remote_write` entry. */
export function readRemoteWrite(r: YamlReader, n: YNode): RemoteWriteConfig {
  if (r.isNull(n)) throw r.error(n, 'empty or null remote write config section');
  const client = httpClientFields(r, n);
  const c: RemoteWriteConfig = {
    url: '',
    remoteTimeout: DEFAULT_REMOTE_WRITE_TIMEOUT,
    headers: {},
    writeRelabelConfigs: [],
    name: '',
    sendExemplars: false,
    sendNativeHistograms: false,
    protobufMessage: 'prometheus.WriteRequest',
    queueConfig: defaultQueueConfig(),
    metadataConfig: defaultMetadataConfig(),
    httpClient: client.config,
  };
  r.struct(n, 'config.plain', {
    ...client.fields,
    url: (v) => (c.url = readUrl(r, v, 'url')),
    remote_timeout: (v) => (c.remoteTimeout = readDuration(r, v, 'remote_timeout')),
    headers: (v) => (c.headers = readHeaders(r, v)),
    write_relabel_configs: (v) => (c.writeRelabelConfigs = readRelabelConfigs(r, v, 'empty or null relabeling rule in remote write config')),
    name: (v) => (c.name = r.string(v, 'name')),
    send_exemplars: (v) => (c.sendExemplars = r.bool(v, 'send_exemplars')),
    send_native_histograms: (v) => (c.sendNativeHistograms = r.bool(v, 'send_native_histograms')),
    round_robin_dns: (v) => void r.bool(v, 'round_robin_dns'),
    protobuf_message: (v) => {
      const m = r.string(v, 'protobuf_message');
      if (m !== 'prometheus.WriteRequest' && m !== 'io.prometheus.write.v2.Request') throw r.error(v, `unknown remote write protobuf message ${m}, supported: prometheus.WriteRequest, io.prometheus.write.v2.Request`);
      c.protobufMessage = m;
    },
    queue_config: (v) => (c.queueConfig = readQueueConfig(r, v)),
    metadata_config: (v) => (c.metadataConfig = readMetadataConfig(r, v)),
  });
  client.finish();
  if (c.url === '') throw r.error(n, 'url for remote_write is empty');
  return c;
}

function readQueueConfig(r: YamlReader, n: YNode): QueueConfig {
  const q = defaultQueueConfig();
  r.struct(n, 'config.QueueConfig', {
    capacity: (v) => (q.capacity = r.uint(v, 'capacity')),
    max_shards: (v) => (q.maxShards = r.uint(v, 'max_shards')),
    min_shards: (v) => (q.minShards = r.uint(v, 'min_shards')),
    max_samples_per_send: (v) => (q.maxSamplesPerSend = r.uint(v, 'max_samples_per_send')),
    batch_send_deadline: (v) => (q.batchSendDeadline = readDuration(r, v, 'batch_send_deadline')),
    min_backoff: (v) => (q.minBackoff = readDuration(r, v, 'min_backoff')),
    max_backoff: (v) => (q.maxBackoff = readDuration(r, v, 'max_backoff')),
    retry_on_http_429: (v) => (q.retryOnHttp429 = r.bool(v, 'retry_on_http_429')),
    sample_age_limit: (v) => (q.sampleAgeLimit = readDuration(r, v, 'sample_age_limit')),
  });
  return q;
}

function readMetadataConfig(r: YamlReader, n: YNode): MetadataConfig {
  const m = defaultMetadataConfig();
  r.struct(n, 'config.MetadataConfig', {
    send: (v) => (m.send = r.bool(v, 'send')),
    send_interval: (v) => (m.sendInterval = readDuration(r, v, 'send_interval')),
    max_samples_per_send: (v) => (m.maxSamplesPerSend = r.uint(v, 'max_samples_per_send')),
  });
  return m;
}

/** Reads one `remote_read` entry. */
export function readRemoteRead(r: YamlReader, n: YNode): RemoteReadConfig {
  if (r.isNull(n)) throw r.error(n, 'empty or null remote read config section');
  const client = httpClientFields(r, n);
  const c: RemoteReadConfig = { url: '', remoteTimeout: DEFAULT_REMOTE_READ_TIMEOUT, headers: {}, readRecent: false, name: '', requiredMatchers: {}, filterExternalLabels: true, httpClient: client.config };
  r.struct(n, 'config.plain', {
    ...client.fields,
    url: (v) => (c.url = readUrl(r, v, 'url')),
    remote_timeout: (v) => (c.remoteTimeout = readDuration(r, v, 'remote_timeout')),
    headers: (v) => (c.headers = readHeaders(r, v)),
    read_recent: (v) => (c.readRecent = r.bool(v, 'read_recent')),
    name: (v) => (c.name = r.string(v, 'name')),
    required_matchers: (v) => (c.requiredMatchers = Object.fromEntries(r.entries(v, 'required_matchers', (x) => r.string(x, 'required matcher')))),
    filter_external_labels: (v) => (c.filterExternalLabels = r.bool(v, 'filter_external_labels')),
  });
  client.finish();
  if (c.url === '') throw r.error(n, 'url for remote_read is empty');
  return c;
}
