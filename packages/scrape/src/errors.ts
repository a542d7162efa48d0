/** Every condition the scrape package reports, as a closed union of stable codes. */
export type ScrapeErrorCode =
  /** The target answered with a status other than 200. */
  | 'http_status'
  /** The request or the body did not finish within scrape_timeout. */
  | 'timeout'
  /** Connection or protocol failure. */
  | 'network'
  /** The uncompressed body exceeded body_size_limit. */
  | 'body_size_limit'
  /** The Content-Type is missing or unsupported and no fallback protocol is set. */
  | 'content_type'
  /** The body is not valid exposition text. */
  | 'parse'
  /** More samples than sample_limit after relabeling. */
  | 'sample_limit'
  /** A series broke label_limit, label_name_length_limit or label_value_length_limit. */
  | 'label_limit'
  /** A series has no or an invalid metric name, or an invalid label, after relabeling. */
  | 'invalid_series'
  /** The job has more targets than target_limit; every target fails until it has fewer. */
  | 'target_limit'
  /** A service-discovery source failed (file unreadable, HTTP SD error, bad content). */
  | 'discovery';

/** The one error class of the scrape package; `code` says which condition, `cause` keeps the origin. */
export class ScrapeError extends Error {
  override readonly name = 'ScrapeError';
  constructor(readonly code: ScrapeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
