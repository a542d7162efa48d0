export { HttpClient, type HttpClientSettings, type HttpRequest, type TlsSettings } from './client.js';
