export { HttpClient, tlsConnectOptions, type HttpClientSettings, type HttpRequest } from './client.js';
