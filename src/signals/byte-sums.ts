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

  /**
   * Adds to out[at + k] the sum of the bytes start + k * length .. start + (k + 1) * length - 1,
   * for k = 0 .. count - 1. Runs of whole words (at most 128 of them, so that no lane overflows)
   * starting on a word are summed four words a step, without sum()'s per-range setup; other runs
   * go through sum().
   */
  addRunSums(start: number, length: number, count: number, out: Float64Array, at: number): void {
    const { words, wordBase } = this;
    if (((start - wordBase) & 3) !== 0 || (length & 3) !== 0 || length > 512) {
      for (let k = 0; k < count; k++) {
        out[at + k] = (out[at + k] as number) + this.sum(start + k * length, start + (k + 1) * length);
      }
      return;
    }
    const runWords = length >> 2;
    for (let k = 0, word = (start - wordBase) >> 2; k < count; k++) {
      // Even and odd bytes in separate lane pairs: each lane stays under 2^15 until they are added.
      let even = 0;
      let odd = 0;
      const end = word + runWords;
      for (const stop = word + (runWords & ~3); word < stop; word += 4) {
        const a = words[word] as number;
        const b = words[word + 1] as number;
        const c = words[word + 2] as number;
        const d = words[word + 3] as number;
        even += (a & 0x00ff00ff) + (b & 0x00ff00ff) + ((c & 0x00ff00ff) + (d & 0x00ff00ff));
        odd +=
          ((a >>> 8) & 0x00ff00ff) + ((b >>> 8) & 0x00ff00ff) + (((c >>> 8) & 0x00ff00ff) + ((d >>> 8) & 0x00ff00ff));
      }
      for (; word < end; word++) {
        const w = words[word] as number;
        even += w & 0x00ff00ff;
        odd += (w >>> 8) & 0x00ff00ff;
      }
      const lanes = even + odd;
      out[at + k] = (out[at + k] as number) + (lanes & 0xffff) + (lanes >>> 16);
    }
  }
}
