export { BasicAuth, loadWebConfig, tlsServerOptions, WebConfigError, webConfigGate, type WebConfig } from './web-config.js';
