import { ByteSums } from '../byte-sums.ts';
import type { Pixels } from '../pixels.ts';

/**
 * Blockhash, the precise method (`bmvbhash` of blockhash-core), 256 bits (`bits = 16`).
 *
 * The arithmetic mirrors the reference step for step (same weights, same order of additions into
 * each block) because the hash compares block sums with medians: a different rounding could flip a
 * bit on a tie, and we promise exact agreement. A pixel whose alpha is 0 counts as white.
 */
const BITS = 16;
const WHITE = 255 * 3;

export function blockhash(pixels: Pixels): string {
  const even = pixels.width % BITS === 0 && pixels.height % BITS === 0;
  const blocks = even ? evenBlockSums(pixels) : weightedBlockSums(pixels);
  const pixelsPerBlock = (pixels.width / BITS) * (pixels.height / BITS);
  return bitsToHex(blocksToBits(blocks, pixelsPerBlock));
}

function pixelValue(data: Uint8Array, offset: number, channels: number): number {
  if (channels === 4 && data[offset + 3] === 0) return WHITE;
  return (data[offset] as number) + (data[offset + 1] as number) + (data[offset + 2] as number);
}

/** Sizes that divide into 16 blocks exactly: plain integer sums (the reference's `bmvbhashEven`). */
function evenBlockSums({ data, width, height, channels }: Pixels): Float64Array {
  const blockWidth = width / BITS;
  const blockHeight = height / BITS;
  const blocks = new Float64Array(BITS * BITS);
  const bytes = new ByteSums(data);
  for (let y = 0; y < height; y++) {
    const firstBlock = Math.floor(y / blockHeight) * BITS;
    const rowStart = y * width * channels;
    if (channels === 3) {
      // Without alpha, R+G+B summed over a run of pixels is the sum of the run's bytes.
      bytes.addRunSums(rowStart, blockWidth * 3, BITS, blocks, firstBlock);
      continue;
    }
    for (let block = 0; block < BITS; block++) {
      const runStart = rowStart + block * blockWidth * 4;
      addTo(blocks, firstBlock + block, rgbaSum(data, runStart, runStart + blockWidth * 4));
    }
  }
  return blocks;
}

function rgbaSum(data: Uint8Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i += 4) sum += pixelValue(data, i, 4);
  return sum;
}

interface AxisWeights {
  near: Int32Array;
  far: Int32Array;
  nearWeight: Float64Array;
  farWeight: Float64Array;
}

/**
 * For each coordinate along one axis, the one or two blocks it falls in and its weight in each,
 * computed exactly as the reference does inside its pixel loop (hoisted here, same values).
 */
function axisWeights(length: number): AxisWeights {
  const even = length % BITS === 0;
  const blockSize = length / BITS;
  const weights: AxisWeights = {
    near: new Int32Array(length),
    far: new Int32Array(length),
    nearWeight: new Float64Array(length),
    farWeight: new Float64Array(length),
  };
  for (let i = 0; i < length; i++) {
    if (even) {
      weights.near[i] = weights.far[i] = Math.floor(i / blockSize);
      weights.nearWeight[i] = 1;
      weights.farWeight[i] = 0;
      continue;
    }
    const mod = (i + 1) % blockSize;
    const frac = mod - Math.floor(mod);
    const whole = mod - frac;
    weights.nearWeight[i] = 1 - frac;
    weights.farWeight[i] = frac;
    // On a block boundary (whole = 0) the pixel straddles two blocks, except at the far edge.
    weights.near[i] = Math.floor(i / blockSize);
    weights.far[i] = whole > 0 || i + 1 === length ? Math.floor(i / blockSize) : Math.ceil(i / blockSize);
  }
  return weights;
}

/**
 * The reference adds four weighted terms per pixel (top-left, top-right, bottom-left,
 * bottom-right) into the blocks. Each block must receive its terms in the reference's order, so
 * the running sum of the block under the cursor is kept in a local variable (the same additions,
 * without a memory round trip each) and written back when the cursor moves to the next block.
 */
function weightedBlockSums({ data, width, height, channels }: Pixels): Float64Array {
  const columns = axisWeights(width);
  const rows = axisWeights(height);
  const blocks = new Float64Array(BITS * BITS);
  for (let y = 0; y < height; y++) {
    const top = (rows.near[y] as number) * BITS;
    const bottom = (rows.far[y] as number) * BITS;
    const weightTop = rows.nearWeight[y] as number;
    const weightBottom = rows.farWeight[y] as number;
    const sameRow = top === bottom;
    let current = 0;
    let sumTop = blocks[top] as number;
    let sumBottom = blocks[bottom] as number;
    for (let x = 0, offset = y * width * channels; x < width; x++, offset += channels) {
      const left = columns.near[x] as number;
      const right = columns.far[x] as number;
      if (left !== current) {
        blocks[top + current] = sumTop;
        if (!sameRow) blocks[bottom + current] = sumBottom;
        current = left;
        sumTop = blocks[top + current] as number;
        sumBottom = blocks[bottom + current] as number;
      }
      const value = pixelValue(data, offset, channels);
      const upper = value * weightTop;
      const lower = value * weightBottom;
      const weightLeft = columns.nearWeight[x] as number;
      const weightRight = columns.farWeight[x] as number;
      if (left === right && sameRow) {
        sumTop += upper * weightLeft;
        sumTop += upper * weightRight;
        sumTop += lower * weightLeft;
        sumTop += lower * weightRight;
      } else if (left === right) {
        sumTop += upper * weightLeft;
        sumTop += upper * weightRight;
        sumBottom += lower * weightLeft;
        sumBottom += lower * weightRight;
      } else if (sameRow) {
        sumTop += upper * weightLeft;
        addTo(blocks, top + right, upper * weightRight);
        sumTop += lower * weightLeft;
        addTo(blocks, top + right, lower * weightRight);
      } else {
        sumTop += upper * weightLeft;
        addTo(blocks, top + right, upper * weightRight);
        sumBottom += lower * weightLeft;
        addTo(blocks, bottom + right, lower * weightRight);
      }
    }
    blocks[top + current] = sumTop;
    if (!sameRow) blocks[bottom + current] = sumBottom;
  }
  return blocks;
}

function addTo(blocks: Float64Array, index: number, value: number): void {
  blocks[index] = (blocks[index] as number) + value;
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const half = sorted.length / 2;
  return ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
}

/**
 * One bit per block: brighter than the median of its horizontal band (a quarter of the blocks).
 * Blocks equal to a median in the bright half count as 1, so mostly-white images do not hash to
 * all zeros.
 */
function blocksToBits(blocks: Float64Array, pixelsPerBlock: number): Uint8Array {
  const halfBlockValue = (pixelsPerBlock * 256 * 3) / 2;
  const bandSize = blocks.length / 4;
  const bits = new Uint8Array(blocks.length);
  for (let band = 0; band < 4; band++) {
    const m = median(blocks.subarray(band * bandSize, (band + 1) * bandSize));
    for (let i = band * bandSize; i < (band + 1) * bandSize; i++) {
      const v = blocks[i] as number;
      bits[i] = v > m || (Math.abs(v - m) < 1 && m > halfBlockValue) ? 1 : 0;
    }
  }
  return bits;
}

function bitsToHex(bits: Uint8Array): string {
  let hex = '';
  for (let i = 0; i < bits.length; i += 4) {
    const nibble =
      ((bits[i] as number) << 3) |
      ((bits[i + 1] as number) << 2) |
      ((bits[i + 2] as number) << 1) |
      (bits[i + 3] as number);
    hex += nibble.toString(16);
  }
  return hex;
}
