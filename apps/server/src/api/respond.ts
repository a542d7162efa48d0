import { ApiError, ErrorType, errorJson, statusOf, successEnvelope } from '@pyrometer/http-api';
import { HttpError } from '@pyrometer/http-server';
import { apiErrorType, PromQLError } from '@pyrometer/promql';
import { StorageError } from '@pyrometer/storage';
import { FormParams } from '../web/request.js';
import { send } from '../web/response.js';
import type { RouteContext, RouteHandler } from '../web/router.js';

/**
 * A successful API answer: `data` is encoded JSON, whole or in pieces of text or UTF-8 bytes
 * (written out one after the other, never joined into one string by the query workers);
 * annotations go beside it in the envelope.
 */
export interface ApiResult {
  data: string | Iterable<string | Uint8Array>;
  warnings?: string[];
  infos?: string[];
}

/** The whole success envelope of a result, in pieces. */
export function* envelopePieces(result: ApiResult): Generator<string | Uint8Array> {
  const { before, after } = successEnvelope(result);
  yield before;
  if (typeof result.data === 'string') yield result.data;
  else yield* result.data;
  yield after;
}

/** The JSON error envelope and status code of any error (see {@link toApiError}). */
export function errorAnswer(err: unknown): { status: number; body: string } {
  const apiError = toApiError(err);
  return { status: statusOf(apiError.type), body: errorJson(apiError.type, apiError.message) };
}

/** An API handler: returns the data, or undefined for upstream's 204 No Content answers. */
export type ApiHandler = (ctx: RouteContext, form: FormParams) => Promise<ApiResult | undefined>;

/** The content type of every API answer. */
export const JSON_TYPE = 'application/json';

/**
 * Adapts an API handler to a route: reads the form parameters, wraps the result in the envelope,
 * and converts every error once, here, into an envelope error with upstream's status code.
 */
export function apiRoute(handler: ApiHandler): RouteHandler {
  return async (ctx) => {
    try {
      const form = await FormParams.read(ctx.req, ctx.url);
      const result = await handler(ctx, form);
      if (result === undefined) {
        ctx.res.writeHead(204);
        ctx.res.end();
        return;
      }
      send(ctx.req, ctx.res, 200, JSON_TYPE, Buffer.concat(Array.from(envelopePieces(result), (piece) => Buffer.from(piece))));
    } catch (err) {
      const { status, body } = errorAnswer(err);
      send(ctx.req, ctx.res, status, JSON_TYPE, body);
    }
  };
}

/** The one place unknown errors become API errors. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HttpError) return new ApiError(ErrorType.BadData, err.message, { cause: err });
  if (err instanceof PromQLError) return new ApiError(apiErrorType(err.code), err.message, { cause: err });
  if (err instanceof StorageError) return new ApiError(ErrorType.Internal, err.message, { cause: err });
  return new ApiError(ErrorType.Internal, err instanceof Error ? err.message : String(err), { cause: err });
}
