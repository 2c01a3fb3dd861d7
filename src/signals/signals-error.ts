/** Why some bytes were refused. Stable codes: callers and the CLI switch on them. */
export type SignalsRefusal =
  /** More bytes than the limit; nothing was computed. */
  | 'too_large'
  /** The image declares more pixels than the limit (e.g. a decompression bomb); not decoded. */
  | 'too_many_pixels'
  /** The bytes look like an image we hash, but the decoder does not agree on what they are. */
  | 'unsupported_media'
  /** The bytes look like an image we hash, but it cannot be read (truncated, damaged). */
  | 'corrupt';

/** The exact hashes, which hold for any bytes and are worth keeping even when decoding fails. */
export interface ExactSignals {
  sha256: string;
  sha1: string;
  md5: string;
}

export class SignalsError extends Error {
  override readonly name = 'SignalsError';

  constructor(
    readonly reason: SignalsRefusal,
    message: string,
    /** Computed before the refusal (null only for `too_large`, where nothing is read). */
    readonly exact: ExactSignals | null,
  ) {
    super(message);
  }
}
