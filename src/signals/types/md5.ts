import { exactSignalType } from './signal-type.ts';

/** Partner lists (VICS, NCMEC) still carry MD5s. */
export const md5 = exactSignalType('md5', 128);
