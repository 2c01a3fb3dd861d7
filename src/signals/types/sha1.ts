import { exactSignalType } from './signal-type.ts';

/** Partner lists (VICS) still carry SHA-1s. */
export const sha1 = exactSignalType('sha1', 160);
