/** What went wrong while decoding; `too_large` is data whose decoded size exceeds the caller's limit. */
export type CodecErrorCode = 'protobuf' | 'snappy' | 'crc' | 'too_large';

/**
 * The one error class of the codecs: `code` names the format, the message names the offset and
 * what was expected. Callers wrap it into their own domain error (corruption, bad request).
 */
export class CodecError extends Error {
  override readonly name = 'CodecError';
  constructor(readonly code: CodecErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
