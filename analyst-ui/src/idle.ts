import { useEffect, useState } from 'preact/hooks';

/** The server's idle limit when the session answer does not say (HOTLINE_SESSION_IDLE_MINUTES default). */
export const defaultIdleMs = 30 * 60_000;

/** When to warn before an idle sign-out: two minutes ahead, or a quarter of a short limit. */
export const warnAheadMs = (idleMs: number) => Math.min(2 * 60_000, idleMs / 4);

export type IdlePhase = 'active' | 'warning' | 'ended';

/**
 * The idle countdown since the last answer of the server (every API call restarts the server's
 * idle clock, and the app makes one on every screen): `warning` shortly before the limit, `ended` at it.
 */
export function useIdlePhase(lastAnswerAt: number, idleMs: number): IdlePhase {
  const [phase, setPhase] = useState<IdlePhase>('active');
  useEffect(() => {
    setPhase('active');
    const untilEnd = lastAnswerAt + idleMs - Date.now();
    const warn = setTimeout(() => setPhase('warning'), Math.max(0, untilEnd - warnAheadMs(idleMs)));
    const end = setTimeout(() => setPhase('ended'), Math.max(0, untilEnd));
    return () => {
      clearTimeout(warn);
      clearTimeout(end);
    };
  }, [lastAnswerAt, idleMs]);
  return phase;
}
