/**
 * The arithmetic-heavy steps of PDQ, run as WebAssembly because WebAssembly has single-precision
 * arithmetic: each f32 and f32x4 add, sub, mul and div below is, in each lane, the same IEEE
 * operation as the reference's float code, with no conversions between. (In JavaScript every
 * step needs a Math.fround round trip, which made the filter three times slower than the
 * decoder.) The binary is assembled here by hand: some forty opcodes do not justify a compiler
 * toolchain or a dependency. The module's memory holds the planes and scratch (MEMORY below).
 *
 * filterColumnsTransposed(input, output, lanes, laneCount, length, window, sums) is the Jarosz
 * box filter over `laneCount` groups of four adjacent columns of a plane of `length` rows,
 * PLANE_STRIDE floats a row: group k is columns lanes[k] .. lanes[k] + 3, one v128 per row, so one
 * instruction advances four columns, and the groups' independent running sums keep the processor
 * busy. Each output is the mean over a window of `window` values reaching `half - 1` before and
 * `window - half` after it (clipped at the ends, where the mean is over the values covered), from
 * a running float sum: added before subtracted, as in the reference's box1DFloat. The means are
 * written transposed (column c, row r of the input's filtered values to row c, column r of
 * `output`), so that the next pass filters the other direction with the same contiguous loads:
 * rows are filtered as the columns of the transposed plane. `sums` is scratch for laneCount
 * groups of four floats.
 *
 * lumaRow(row, columns, from, to, out, outStep) is the luminance of one row of the sampled grid
 * (see luma.ts), product(...) the DCT's matrix products (see dct.ts). Pointers are byte
 * addresses in the module's memory.
 */

/** The reference tool squashes larger images to 512x512 (see luma.ts): the largest plane. */
export const REFERENCE_MAX_SIDE = 512;

/**
 * Floats per row of a plane: the reference's largest side and a little, so that rows are not a
 * power of two bytes apart (which made loads wait on unrelated stores at the same cache offsets).
 */
export const PLANE_STRIDE = 516;

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
const I32_CONST = 0x41;
const I32_GE_S = 0x4e;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_MUL = 0x6c;
const I32_SHL = 0x74;
const I32_SHR_S = 0x75;
const F32_CONVERT_I32_S = 0xb2;
const I32 = 0x7f;
const V128 = 0x7b;
/** SIMD instructions: the 0xfd prefix, then the opcode as an unsigned LEB128. */
const V128_LOAD = [0xfd, 0x00];
const V128_STORE = [0xfd, 0x0b];
const V128_CONST = [0xfd, 0x0c];
const F32X4_SPLAT = [0xfd, 0x13];
const V128_STORE32_LANE = [0xfd, 0x5a];
const F32X4_ADD = [0xfd, 0xe4, 0x01];
const F32X4_SUB = [0xfd, 0xe5, 0x01];
const F32X4_DIV = [0xfd, 0xe7, 0x01];
/** Alignment 2^2, offset 0: a 4-byte value at its own address. */
const WORD = [0x02, 0x00];
/** Alignment 2^4, offset 0: a 16-byte vector (the address is only a hint to the engine). */
const VECTOR = [0x04, 0x00];

// Parameters, then locals, by index.
const [INPUT, OUTPUT, LANES, LANE_COUNT, LENGTH, WINDOW, SUMS] = [0, 1, 2, 3, 4, 5, 6];
const [HALF, COUNT, READ, DROP, WRITE, I, K, LANE, ADDRESS] = [7, 8, 9, 10, 11, 12, 13, 14, 15];
const [SUM, COUNT_F32X4, MEAN] = [16, 17, 18];

const get = (local: number) => [LOCAL_GET, local];
const set = (local: number) => [LOCAL_SET, local];
const i32 = (value: number) => [I32_CONST, value]; // small non-negative values only (one LEB byte)
const i32Wide = (value: number) => [I32_CONST, ...sleb(value)];
const increment = (local: number, by: number[]) => [...get(local), ...by, I32_ADD, ...set(local)];

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

const sleb = (value: number): number[] => {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
};

/** The filter's code. */
function filterBody(): number[] {
  /** Byte address of the group's first element at `position` (a row) of the input. */
  const input = (position: number) => [
    ...get(INPUT),
    ...get(LANE),
    ...get(position),
    ...i32Wide(PLANE_STRIDE),
    I32_MUL,
    I32_ADD,
    ...i32(2),
    I32_SHL,
    I32_ADD,
  ];
  const sumAddress = [...get(SUMS), ...get(K), ...i32(4), I32_SHL, I32_ADD];
  const loadLane = [...get(LANES), ...get(K), ...i32(2), I32_SHL, I32_ADD, I32_LOAD, ...WORD, ...set(LANE)];
  const loadSum = [...sumAddress, ...V128_LOAD, ...VECTOR];
  const addRead = [...input(READ), ...V128_LOAD, ...VECTOR, ...F32X4_ADD];
  const subtractDrop = [...input(DROP), ...V128_LOAD, ...VECTOR, ...F32X4_SUB];
  /**
   * sums[k] = SUM; then SUM / count, transposed: the mean of column lane + j at `write` goes to
   * row lane + j, column `write`, of the output.
   */
  const storeSumAndMean = [
    ...sumAddress,
    ...get(SUM),
    ...V128_STORE,
    ...VECTOR,
    ...get(SUM),
    ...get(COUNT_F32X4),
    ...F32X4_DIV,
    ...set(MEAN),
    ...get(OUTPUT),
    ...get(LANE),
    ...i32Wide(PLANE_STRIDE),
    I32_MUL,
    ...get(WRITE),
    I32_ADD,
    ...i32(2),
    I32_SHL,
    I32_ADD,
    ...set(ADDRESS),
    ...[0, 1, 2, 3].flatMap((lane) => [
      ...get(ADDRESS),
      ...get(MEAN),
      ...V128_STORE32_LANE,
      0x02,
      ...uleb(lane * PLANE_STRIDE * 4),
      lane,
    ]),
  ];
  const setCount = (delta: number[]) => [
    ...get(COUNT),
    ...delta,
    ...set(COUNT),
    ...get(COUNT),
    F32_CONVERT_I32_S,
    ...F32X4_SPLAT,
    ...set(COUNT_F32X4),
  ];
  const eachLane = (body: number[]) => loopTimes(K, get(LANE_COUNT), [...loadLane, ...body]);
  const zero = [...V128_CONST, ...new Array(16).fill(0)]; // a float 0 has all bits 0
  const next = (local: number) => increment(local, i32(1));

  return [
    // half = (window + 2) >> 1; sums[0 .. laneCount) = 0
    ...get(WINDOW),
    ...i32(2),
    I32_ADD,
    ...i32(1),
    I32_SHR_S,
    ...set(HALF),
    ...loopTimes(K, get(LANE_COUNT), [...sumAddress, ...zero, ...V128_STORE, ...VECTOR]),
    // Phase 1: the first half - 1 values, summed, nothing written.
    ...loopTimes(
      I,
      [...get(HALF), ...i32(1), I32_SUB],
      [
        ...setCount([...i32(1), I32_ADD]),
        ...eachLane([
          ...loadSum,
          ...addRead,
          ...[LOCAL_TEE, SUM],
          ...sumAddress,
          ...get(SUM),
          ...V128_STORE,
          ...VECTOR,
        ]),
        ...next(READ),
      ],
    ),
    // Phase 2: the window grows to its full size, each mean written.
    ...loopTimes(
      I,
      [...get(WINDOW), ...get(HALF), I32_SUB, ...i32(1), I32_ADD],
      [
        ...setCount([...i32(1), I32_ADD]),
        ...eachLane([...loadSum, ...addRead, ...set(SUM), ...storeSumAndMean]),
        ...next(READ),
        ...next(WRITE),
      ],
    ),
    // Phase 3: the full window slides: add the value entering, then subtract the one leaving.
    ...loopTimes(
      I,
      [...get(LENGTH), ...get(WINDOW), I32_SUB],
      [
        ...eachLane([...loadSum, ...addRead, ...subtractDrop, ...set(SUM), ...storeSumAndMean]),
        ...next(READ),
        ...next(DROP),
        ...next(WRITE),
      ],
    ),
    // Phase 4: the window shrinks at the end of the line.
    ...loopTimes(
      I,
      [...get(HALF), ...i32(1), I32_SUB],
      [
        ...setCount([...i32(1), I32_SUB]),
        ...eachLane([...loadSum, ...subtractDrop, ...set(SUM), ...storeSumAndMean]),
        ...next(DROP),
        ...next(WRITE),
      ],
    ),
    END,
  ];
}

// lumaRow's parameters, then locals.
const [ROW, COLUMNS, FROM, TO, OUT, OUT_STEP] = [0, 1, 2, 3, 4, 5];
const [X, PIXEL] = [6, 7];
const F32_CONST = 0x43;
const F32_MUL = 0x94;
const F32_ADD = 0x92;
const F32_STORE = 0x38;
const I32_AND = 0x71;
const I32_SHR_U = 0x76;
const f32 = (value: number) => [F32_CONST, ...new Uint8Array(Float32Array.of(value).buffer)];
/** The float product of the pixel's byte at bit `shift` and the float coefficient. */
const channel = (shift: number, coefficient: number) => [
  ...get(PIXEL),
  ...(shift > 0 ? [...i32(shift), I32_SHR_U] : []),
  ...i32Wide(0xff),
  I32_AND,
  F32_CONVERT_I32_S,
  ...f32(coefficient),
  F32_MUL,
];
/**
 * lumaRow(row, columns, from, to, out, outStep): for x in from .. to, the luminance of the pixel
 * whose red, green and blue bytes are at row + columns[x] (read as one unaligned word), to `out`,
 * then `out` advances outStep bytes: red + green, then + blue, each product and sum a float.
 */
const lumaBody = [
  ...get(FROM),
  ...set(X),
  BLOCK,
  EMPTY,
  LOOP,
  EMPTY,
  ...get(X),
  ...get(TO),
  I32_GE_S,
  BR_IF,
  1,
  ...get(ROW),
  ...get(COLUMNS),
  ...get(X),
  ...i32(2),
  I32_SHL,
  I32_ADD,
  I32_LOAD,
  ...WORD,
  I32_ADD,
  I32_LOAD,
  0x00,
  0x00,
  ...set(PIXEL),
  ...get(OUT),
  ...channel(0, 0.299),
  ...channel(8, 0.587),
  F32_ADD,
  ...channel(16, 0.114),
  F32_ADD,
  F32_STORE,
  ...WORD,
  ...increment(OUT, get(OUT_STEP)),
  ...increment(X, i32(1)),
  BR,
  0,
  END,
  END,
  END,
];

// product's parameters, then locals.
const [LEFT, RIGHT, PRODUCT, ROWS, GROUPS, INNER, LEFT_ROW, RIGHT_ROW] = [0, 1, 2, 3, 4, 5, 6, 7];
const [PI, PG, PK, PACC] = [8, 9, 10, 11];
const F32_LOAD = 0x2a;
const F32X4_MUL = [0xfd, 0xe6, 0x01];
/**
 * product(left, right, out, rows, groups, inner, leftRow, rightRow): out = left x right, for a
 * left matrix of `rows` x `inner` floats (rows leftRow bytes apart) and a right one of `inner` x
 * 4 * groups (rows rightRow bytes apart), out packed. Each dot product is summed from k = 0 up,
 * each product and sum a float, four adjacent outputs per instruction.
 */
const productBody = [
  ...loopTimes(
    PI,
    get(ROWS),
    loopTimes(PG, get(GROUPS), [
      ...[...V128_CONST, ...new Array(16).fill(0)],
      ...set(PACC),
      ...loopTimes(PK, get(INNER), [
        ...get(PACC),
        ...[...get(LEFT), ...get(PI), ...get(LEFT_ROW), I32_MUL, I32_ADD, ...get(PK), ...i32(2), I32_SHL, I32_ADD],
        F32_LOAD,
        ...WORD,
        ...F32X4_SPLAT,
        ...[...get(RIGHT), ...get(PK), ...get(RIGHT_ROW), I32_MUL, I32_ADD, ...get(PG), ...i32(4), I32_SHL, I32_ADD],
        ...V128_LOAD,
        ...VECTOR,
        ...F32X4_MUL,
        ...F32X4_ADD,
        ...set(PACC),
      ]),
      ...[...get(PRODUCT), ...get(PI), ...get(GROUPS), I32_MUL, ...get(PG), I32_ADD, ...i32(4), I32_SHL, I32_ADD],
      ...get(PACC),
      ...V128_STORE,
      ...VECTOR,
    ]),
  ),
  END,
];

const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
const name = (text: string) => [...uleb(text.length), ...Buffer.from(text)];

const PLANE_BYTES = REFERENCE_MAX_SIDE * PLANE_STRIDE * 4;
/** Bytes of a source row that lumaRow reads at once (longer rows are copied in parts). */
export const ROW_BYTES = 64 * 1024;
/** Sizes in bytes of the regions of the module's memory, in order (each a multiple of 16). */
const REGIONS = {
  plane: PLANE_BYTES,
  scratch: PLANE_BYTES,
  /** The filter's: first line of each group, and running sums. */
  lanes: REFERENCE_MAX_SIDE * 4,
  sums: REFERENCE_MAX_SIDE * 4,
  /** lumaRow's: offsets of the sampled pixels in a row, and the copy of the row. */
  columns: REFERENCE_MAX_SIDE * 4,
  row: ROW_BYTES,
  /** The DCT's: its basis (16x64), the basis transposed, the 64x64 image, D x image, the result. */
  dctBasis: 16 * 64 * 4,
  dctBasisTransposed: 16 * 64 * 4,
  dctImage: 64 * 64 * 4,
  dctPartial: 16 * 64 * 4,
  dctOut: 16 * 16 * 4,
};
type Region = keyof typeof REGIONS;
/** Byte address of each region in the module's memory. */
export const MEMORY = {} as Record<Region, number>;
let memoryEnd = 0;
for (const [region, size] of Object.entries(REGIONS) as [Region, number][]) {
  MEMORY[region] = memoryEnd;
  memoryEnd += size;
}
const MEMORY_PAGES = Math.ceil(memoryEnd / 65536);

/** The module's functions: name, number of i32 parameters, locals (as in a code entry), body. */
const functions: [string, number, number[], number[]][] = [
  ['filterColumnsTransposed', 7, [0x02, 9, I32, 3, V128], filterBody()],
  ['lumaRow', 6, [0x01, 2, I32], lumaBody],
  ['product', 8, [0x02, 3, I32, 1, V128], productBody],
];
const moduleBytes = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  // One type per function: (i32 x n) -> ().
  ...section(1, [functions.length, ...functions.flatMap(([, n]) => [0x60, n, ...new Array(n).fill(I32), 0x00])]),
  ...section(3, [functions.length, ...functions.map((_, index) => index)]),
  ...section(5, [0x01, 0x00, ...uleb(MEMORY_PAGES)]),
  ...section(7, [
    functions.length + 1,
    ...[...name('memory'), 0x02, 0x00],
    ...functions.flatMap(([exported], index) => [...name(exported), 0x00, index]),
  ]),
  ...section(10, [
    functions.length,
    ...functions.flatMap(([, , locals, body]) => [...uleb(locals.length + body.length), ...locals, ...body]),
  ]),
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

/** The module's memory, laid out as MEMORY says. */
export const wasmMemory = (instance.exports.memory as { buffer: ArrayBuffer }).buffer;
export const filterColumnsTransposed = instance.exports.filterColumnsTransposed as (
  input: number,
  output: number,
  lanes: number,
  laneCount: number,
  length: number,
  window: number,
  sums: number,
) => void;
export const lumaRow = instance.exports.lumaRow as (
  row: number,
  columns: number,
  from: number,
  to: number,
  out: number,
  outStep: number,
) => void;
export const product = instance.exports.product as (
  left: number,
  right: number,
  out: number,
  rows: number,
  groups: number,
  inner: number,
  leftRow: number,
  rightRow: number,
) => void;
