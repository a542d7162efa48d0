export { BasicAuth, loadWebConfig, tlsServerOptions, WebConfigError, type WebConfig } from './web-config.js';
