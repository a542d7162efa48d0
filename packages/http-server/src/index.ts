export { HttpError, type HttpErrorCode } from './http-error.js';
export { createHttpServer, MAX_HEADER_BYTES, type HttpServerOptions, type TargetListener } from './http-server.js';
export { parseFormBody, parseQueryString } from './query-string.js';
export { readBody } from './read-body.js';
export { parseRequestTarget, type RequestTarget, type TargetOutcome } from './request-target.js';
export type { HttpRoute } from './route.js';
