/** What went wrong while emulating an image build or run. */
export type ScratchErrorCode = 'unsupported-instruction' | 'unknown-stage' | 'missing-source' | 'unknown-user' | 'run-failed' | 'not-healthy';

/** The one error class of the scratch-root emulation; `code` says which step failed. */
export class ScratchError extends Error {
  constructor(
    readonly code: ScratchErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ScratchError';
  }
}
