export { createHttpServer, MAX_HEADER_BYTES, type HttpServerOptions, type TargetListener } from './http-server.js';
export { parseQueryString } from './query-string.js';
export { parseRequestTarget, type RequestTarget, type TargetOutcome } from './request-target.js';
export type { HttpRoute } from './route.js';
