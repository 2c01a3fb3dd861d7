import { readFileSync } from 'node:fs';

/** The clock every part of a process reads (`deps.now`): the real one, in production. */
export type Clock = () => number;

/**
 * Tests only (HOTLINE_TEST_CLOCK_FILE, refused unless NODE_ENV=test): the real clock moved by the
 * number of milliseconds written in `file`, read again at every call, so a test can move a running
 * server's time (a reporter's status days later) without waiting. A missing or empty file is no offset.
 */
export function offsetClock(file: string): Clock {
  return () => {
    let text = '';
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch {
      // Not written yet: no offset.
    }
    const offset = Number(text);
    if (!Number.isFinite(offset)) throw new Error(`${file}: not a number of milliseconds`);
    return Date.now() + offset;
  };
}
