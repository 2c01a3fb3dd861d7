import { createHash } from 'node:crypto';
import { isHashedImageType, sniffMediaType, UNKNOWN_MEDIA_TYPE } from '../signals/media-type.ts';

/** Exact hashes (lowercase hex) and size of a whole decoded body, whatever its size or type. */
export interface ExactDigest {
  sha256: string;
  sha1: string;
  md5: string;
  size: number;
}

export interface CollectedBody {
  exact: ExactDigest;
  /** From magic bytes (the signals sniffer), null when it recognises nothing. */
  mediaType: string | null;
  /** The body, only when it is a decodable image or an HTML page within the in-memory cap. */
  bytes: Buffer | null;
}

/** Enough of the start for every signature the sniffer knows (ftyp brands, the first tag of markup). */
const sniffBytes = 4096;

/** Types worth holding in memory: images whose pixels we hash, and pages whose media we fetch. */
function isKeptType(mediaType: string): boolean {
  return isHashedImageType(mediaType) || mediaType === 'text/html';
}

/**
 * Where a body goes while it streams: every chunk feeds the exact hashes; chunks are kept only
 * while the body may still be a decodable image or a page within `maxBytes`. Anything else (a
 * video, an archive, an image past the cap) is hashed and overwritten, so partner lists that
 * identify files by MD5 or SHA-1 still match without the file ever being held.
 */
export class BodySink {
  private readonly hashes = {
    sha256: createHash('sha256'),
    sha1: createHash('sha1'),
    md5: createHash('md5'),
  };
  private chunks: Buffer[] | null = [];
  private mediaType: string | undefined;
  size = 0;

  /** `onStreaming` is told once the body turns out to be hashed only, not kept (it may take longer). */
  constructor(
    private readonly maxBytes: number,
    private readonly onStreaming: () => void = () => {},
  ) {}

  add(chunk: Buffer): void {
    for (const hash of Object.values(this.hashes)) hash.update(chunk);
    this.size += chunk.length;
    if (this.chunks === null) {
      chunk.fill(0);
      return;
    }
    this.chunks.push(chunk);
    if (this.mediaType === undefined && this.size >= sniffBytes) this.sniff();
    this.dropUnlessKept();
  }

  finish(): CollectedBody {
    if (this.mediaType === undefined) this.sniff();
    this.dropUnlessKept();
    const bytes = this.chunks === null ? null : Buffer.concat(this.chunks, this.size);
    this.drop();
    const { sha256, sha1, md5 } = this.hashes;
    const mediaType = this.mediaType === UNKNOWN_MEDIA_TYPE ? null : (this.mediaType ?? null);
    return {
      exact: { sha256: sha256.digest('hex'), sha1: sha1.digest('hex'), md5: md5.digest('hex'), size: this.size },
      mediaType,
      bytes,
    };
  }

  /**
   * Overwrites and forgets the chunks held. Best effort: copies the runtime made on the way (socket
   * and TLS buffers, a concatenation handed to the caller) are out of reach here.
   */
  drop(): void {
    for (const chunk of this.chunks ?? []) chunk.fill(0);
    this.chunks = null;
  }

  private sniff(): void {
    const head = Buffer.concat(this.chunks ?? [], Math.min(this.size, sniffBytes));
    this.mediaType = sniffMediaType(head);
    head.fill(0);
  }

  private dropUnlessKept(): void {
    if (this.mediaType === undefined || this.chunks === null) return;
    if (!isKeptType(this.mediaType) || this.size > this.maxBytes) {
      this.drop();
      this.onStreaming();
    }
  }
}
