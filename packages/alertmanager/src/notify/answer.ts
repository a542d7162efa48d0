/**
 * A receiver's answer read as Go's `json.Unmarshal` into a struct reads it: a JSON object (`null`
 * reads as an empty one). Anything else is handed to `fail`, which returns the error to throw
 * (each integration decides the message and whether it is retried).
 */
export function jsonObject(body: string, fail: (cause: Error) => Error): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw fail(err as Error);
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw fail(new Error(`cannot unmarshal ${body} into an object`));
  return parsed as Record<string, unknown>;
}
