import { useEffect } from 'preact/hooks';
import type { MessageKey } from './i18n/index.ts';

/** Every single-key shortcut and what it does; the `?` dialog lists exactly these. */
export const shortcutList: { key: string; label: MessageKey; adminOnly?: boolean }[] = [
  { key: '?', label: 'shortcuts.help' },
  { key: 'h', label: 'shortcuts.home' },
  { key: 'n', label: 'shortcuts.next' },
  { key: 'l', label: 'shortcuts.items' },
  { key: 'c', label: 'shortcuts.toConfirm' },
  { key: 'u', label: 'shortcuts.users', adminOnly: true },
  { key: 'b', label: 'shortcuts.blur' },
];

/** Typing in a field, or a key with a modifier, is never a shortcut. */
function isTyping(e: KeyboardEvent): boolean {
  const target = e.target as HTMLElement | null;
  const tag = target?.tagName ?? '';
  return (
    e.ctrlKey || e.metaKey || e.altKey || ['INPUT', 'SELECT', 'TEXTAREA'].includes(tag) || !!target?.isContentEditable
  );
}

/** Calls `onKey` with each shortcut key pressed outside a field while `enabled`. */
export function useShortcuts(onKey: (key: string) => void, enabled = true) {
  useEffect(() => {
    if (!enabled) return;
    const listener = (e: KeyboardEvent) => {
      if (isTyping(e) || !shortcutList.some((s) => s.key === e.key)) return;
      e.preventDefault();
      onKey(e.key);
    };
    addEventListener('keydown', listener);
    return () => removeEventListener('keydown', listener);
  }, [onKey, enabled]);
}
