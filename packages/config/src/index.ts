export { ConfigError, type ConfigErrorCode, type ConfigPosition } from './errors.js';
export {
  DEFAULT_SCRAPE_PROTOCOLS,
  defaultGlobalConfig,
  defaultHttpClientConfig,
} from './defaults.js';
export { defaultConfigOptions, expandGlob, loadConfig, parseConfig, type ConfigOptions } from './load.js';
export { readDuration } from './internal/scalars.js';
export { YamlReader, type FieldHandlers, type YamlReaderOptions, type YNode } from './internal/yaml-reader.js';
export {
  ScrapeProtocol,
  type AlertingConfig,
  type AlertmanagerConfig,
  type Authorization,
  type BasicAuth,
  type Config,
  type DiscoveryConfigs,
  type DnsSdConfig,
  type FileSdConfig,
  type GlobalConfig,
  type HttpClientConfig,
  type HttpSdConfig,
  type MetadataConfig,
  type NameValidationScheme,
  type OAuth2Config,
  type QueueConfig,
  type RemoteReadConfig,
  type RemoteWriteConfig,
  type ScrapeConfig,
  type ScrapeLimits,
  type StorageConfig,
  type TargetGroup,
  type TlsConfig,
} from './types.js';
// prometheus/common's HTTP client section, for other Prometheus-family config files
// (alertmanager.yml) that embed it.
export { httpClientFields, readTlsConfig } from './internal/http-client.js';
export { defaultTlsConfig } from './defaults.js';
