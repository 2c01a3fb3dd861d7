import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { useI18n } from './i18n/index.ts';

/** A screen's title; it takes the focus when the screen opens, so screen readers announce the change. */
export function ScreenTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** A failure as the analyst reads it: the server's own localised message, else the error's. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error === undefined) return null;
  const text =
    error instanceof ApiError
      ? error.message
      : t('app.error', { message: error instanceof Error ? error.message : '' });
  const fields = error instanceof ApiError ? Object.values(error.fields) : [];
  return (
    <div role="alert" class="error">
      <p>{text}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  reload: () => void;
}

/** Loads `load()` when `key` changes; `reload` runs it again. */
export function useLoad<T>(load: () => Promise<T>, key: unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setError(undefined);
    load().then(
      (value) => current && setData(value),
      (err: unknown) => current && setError(err),
    );
    return () => {
      current = false;
    };
  }, [...key, round]);
  return { data, error, reload: () => setRound((r) => r + 1) };
}

/** Runs an action of a form, keeping its error and whether it is running. */
export function useAction() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}
