/**
 * Byte sums read four bytes at a time: each 32-bit word is split into two pairs of bytes added
 * in 16-bit lanes (any byte order gives the same total), the lanes folded into the total before
 * they could overflow. Unaligned ends are read byte by byte.
 */
export class ByteSums {
  private readonly words: Int32Array;
  /** Index in `bytes` of the first byte that starts a 32-bit word in memory. */
  private readonly wordBase: number;

  constructor(private readonly bytes: Uint8Array) {
    this.wordBase = (4 - (bytes.byteOffset & 3)) & 3;
    const count = Math.max(0, Math.floor((bytes.length - this.wordBase) / 4));
    this.words = count > 0 ? new Int32Array(bytes.buffer, bytes.byteOffset + this.wordBase, count) : new Int32Array(0);
  }

  sum(start: number, end: number): number {
    const { bytes, words, wordBase } = this;
    let sum = 0;
    let i = start;
    while (i < end && ((i - wordBase) & 3) !== 0) sum += bytes[i++] as number;
    let word = (i - wordBase) >> 2;
    const wordEnd = (end - wordBase) >> 2;
    while (word < wordEnd) {
      const stop = Math.min(wordEnd, word + 128); // 128 words of at most 2 x 255 per lane fit 16 bits
      let lanes = 0;
      for (; word < stop; word++) {
        const w = words[word] as number;
        lanes += (w & 0x00ff00ff) + ((w >>> 8) & 0x00ff00ff);
      }
      sum += (lanes & 0xffff) + (lanes >>> 16);
    }
    for (i = Math.max(i, wordBase + word * 4); i < end; i++) sum += bytes[i] as number;
    return sum;
  }
}
