/**
 * The reference's box filter, run as WebAssembly because WebAssembly has single-precision
 * arithmetic: each f32.add, f32.sub and f32.div below is the same IEEE operation as the
 * reference's float code, with no conversions between. (In JavaScript every step needs a
 * Math.fround round trip, which made the filter three times slower than the decoder.)
 *
 * boxFilterLanes(input, output, lanes, laneCount, step, length, window, sums) filters `laneCount`
 * lines at once (independent running sums keep the processor busy): line k starts at element
 * lanes[k] of `input`, its values `step` elements apart, `length` of them. Each output is the mean
 * over a window of `window` values reaching `half - 1` before and `window - half` after it
 * (clipped at the ends, where the mean is over the values covered), from a running float sum:
 * added before subtracted, as in the reference's box1DFloat. Pointers are byte addresses in
 * the module's memory; `sums` is scratch for laneCount floats.
 */

// Opcodes and encodings of the WebAssembly binary format (the subset used here).
const BLOCK = 0x02;
const LOOP = 0x03;
const BR = 0x0c;
const BR_IF = 0x0d;
const END = 0x0b;
const EMPTY = 0x40;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_LOAD = 0x28;
const F32_LOAD = 0x2a;
const F32_STORE = 0x38;
const I32_CONST = 0x41;
const I32_GE_S = 0x4e;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_SHL = 0x74;
const I32_SHR_S = 0x75;
const F32_ADD = 0x92;
const F32_SUB = 0x93;
const F32_DIV = 0x95;
const F32_CONVERT_I32_S = 0xb2;
const I32 = 0x7f;
const F32 = 0x7d;
/** Alignment 2^2, offset 0: every access here is a 4-byte value at its own address. */
const WORD = [0x02, 0x00];

// Parameters, then locals, by index.
const [INPUT, OUTPUT, LANES, LANE_COUNT, STEP, LENGTH, WINDOW, SUMS] = [0, 1, 2, 3, 4, 5, 6, 7];
const [HALF, COUNT, READ, DROP, WRITE, I, K, LANE] = [8, 9, 10, 11, 12, 13, 14, 15];
const [SUM, COUNT_F32] = [16, 17];

const get = (local: number) => [LOCAL_GET, local];
const set = (local: number) => [LOCAL_SET, local];
const i32 = (value: number) => [I32_CONST, value]; // small non-negative values only (one LEB byte)
const increment = (local: number, by: number[]) => [...get(local), ...by, I32_ADD, ...set(local)];

/** for (i = 0; i < <limit>; i++) body, with `i` a local. */
const loopTimes = (i: number, limit: number[], body: number[]) => [
  ...i32(0),
  ...set(i),
  BLOCK,
  EMPTY,
  LOOP,
  EMPTY,
  ...get(i),
  ...limit,
  I32_GE_S,
  BR_IF,
  1,
  ...body,
  ...increment(i, i32(1)),
  BR,
  0,
  END,
  END,
];

/** Byte address of element (lane + position) of the line array at `base`. */
const element = (base: number, position: number) => [
  ...get(base),
  ...get(LANE),
  ...get(position),
  I32_ADD,
  ...i32(2),
  I32_SHL,
  I32_ADD,
];
const sumAddress = [...get(SUMS), ...get(K), ...i32(2), I32_SHL, I32_ADD];
const loadLane = [...get(LANES), ...get(K), ...i32(2), I32_SHL, I32_ADD, I32_LOAD, ...WORD, ...set(LANE)];
const loadSum = [...sumAddress, F32_LOAD, ...WORD];
const addRead = [...element(INPUT, READ), F32_LOAD, ...WORD, F32_ADD];
const subtractDrop = [...element(INPUT, DROP), F32_LOAD, ...WORD, F32_SUB];
/** sums[k] = SUM; output[lane + write] = SUM / count */
const storeSumAndMean = [
  ...sumAddress,
  ...get(SUM),
  F32_STORE,
  ...WORD,
  ...element(OUTPUT, WRITE),
  ...get(SUM),
  ...get(COUNT_F32),
  F32_DIV,
  F32_STORE,
  ...WORD,
];
const setCount = (delta: number[]) => [
  ...get(COUNT),
  ...delta,
  ...set(COUNT),
  ...get(COUNT),
  F32_CONVERT_I32_S,
  ...set(COUNT_F32),
];
const eachLane = (body: number[]) => loopTimes(K, get(LANE_COUNT), [...loadLane, ...body]);

const body = [
  // half = (window + 2) >> 1; sums[0 .. laneCount) = 0 (a float 0 has all bits 0)
  ...get(WINDOW),
  ...i32(2),
  I32_ADD,
  ...i32(1),
  I32_SHR_S,
  ...set(HALF),
  ...loopTimes(K, get(LANE_COUNT), [...sumAddress, ...i32(0), 0x36, ...WORD]), // i32.store 0
  // Phase 1: the first half - 1 values, summed, nothing written.
  ...loopTimes(
    I,
    [...get(HALF), ...i32(1), I32_SUB],
    [
      ...setCount([...i32(1), I32_ADD]),
      ...eachLane([...loadSum, ...addRead, ...[LOCAL_TEE, SUM], ...sumAddress, ...get(SUM), F32_STORE, ...WORD]),
      ...increment(READ, get(STEP)),
    ],
  ),
  // Phase 2: the window grows to its full size, each mean written.
  ...loopTimes(
    I,
    [...get(WINDOW), ...get(HALF), I32_SUB, ...i32(1), I32_ADD],
    [
      ...setCount([...i32(1), I32_ADD]),
      ...eachLane([...loadSum, ...addRead, ...set(SUM), ...storeSumAndMean]),
      ...increment(READ, get(STEP)),
      ...increment(WRITE, get(STEP)),
    ],
  ),
  // Phase 3: the full window slides: add the value entering, then subtract the one leaving.
  ...loopTimes(
    I,
    [...get(LENGTH), ...get(WINDOW), I32_SUB],
    [
      ...eachLane([...loadSum, ...addRead, ...subtractDrop, ...set(SUM), ...storeSumAndMean]),
      ...increment(READ, get(STEP)),
      ...increment(DROP, get(STEP)),
      ...increment(WRITE, get(STEP)),
    ],
  ),
  // Phase 4: the window shrinks at the end of the line.
  ...loopTimes(
    I,
    [...get(HALF), ...i32(1), I32_SUB],
    [
      ...setCount([...i32(1), I32_SUB]),
      ...eachLane([...loadSum, ...subtractDrop, ...set(SUM), ...storeSumAndMean]),
      ...increment(DROP, get(STEP)),
      ...increment(WRITE, get(STEP)),
    ],
  ),
  END,
];

const uleb = (value: number): number[] => {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
};
const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
const name = (text: string) => [...uleb(text.length), ...Buffer.from(text)];

/** Enough for a 512x512 plane, its scratch copy, and the lanes and sums of 512 lines. */
export const MEMORY_PAGES = 33;

const locals = [0x02, 8, I32, 2, F32]; // 8 i32 locals, 2 f32 locals
const functionBody = [...locals, ...body];
const moduleBytes = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [0x01, 0x60, 0x08, I32, I32, I32, I32, I32, I32, I32, I32, 0x00]),
  ...section(3, [0x01, 0x00]),
  ...section(5, [0x01, 0x00, ...uleb(MEMORY_PAGES)]),
  ...section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('boxFilterLanes'), 0x00, 0x00]),
  ...section(10, [0x01, ...uleb(functionBody.length), ...functionBody]),
]);

/** The WebAssembly API, which the project's type definitions (Node's, no DOM) do not declare. */
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object) => { exports: Record<string, unknown> };
    };
  }
).WebAssembly;
const instance = new wasm.Instance(new wasm.Module(moduleBytes));

/** The module's memory: the caller keeps the plane, scratch, lanes and sums in it. */
export const boxFilterMemory = (instance.exports.memory as { buffer: ArrayBuffer }).buffer;
export const boxFilterLanes = instance.exports.boxFilterLanes as (
  input: number,
  output: number,
  lanes: number,
  laneCount: number,
  step: number,
  length: number,
  window: number,
  sums: number,
) => void;
