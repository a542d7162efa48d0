import { ApiError, ErrorType, errorJson, statusOf, successJson } from '@pyrometer/http-api';
import { HttpError } from '@pyrometer/http-server';
import { apiErrorType, PromQLError } from '@pyrometer/promql';
import { StorageError } from '@pyrometer/storage';
import { FormParams } from '../web/request.js';
import { send } from '../web/response.js';
import type { RouteContext, RouteHandler } from '../web/router.js';

/** A successful API answer: `data` is encoded JSON; annotations go beside it in the envelope. */
export interface ApiResult {
  data: string;
  warnings?: string[];
  infos?: string[];
}

/** An API handler: returns the data, or undefined for upstream's 204 No Content answers. */
export type ApiHandler = (ctx: RouteContext, form: FormParams) => Promise<ApiResult | undefined>;

const JSON_TYPE = 'application/json';

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
      send(ctx.req, ctx.res, 200, JSON_TYPE, successJson(result.data, result));
    } catch (err) {
      const apiError = toApiError(err);
      send(ctx.req, ctx.res, statusOf(apiError.type), JSON_TYPE, errorJson(apiError.type, apiError.message));
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
