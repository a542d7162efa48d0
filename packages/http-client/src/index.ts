export { HttpClient, type HttpClientSettings, type HttpRequest } from './client.js';
