import { exactSignalType } from './signal-type.ts';

export const sha256 = exactSignalType('sha256', 256);
