/**
 * Decoded 8-bit pixels, row-major and interleaved: 3 channels (RGB) or 4 (RGBA). This is the only
 * form in which image content exists inside the signals code, and only for the length of one call.
 */
export interface Pixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}
