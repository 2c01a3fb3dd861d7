import type { ImportFormat } from '../banks/import.ts';
import { Invalid } from '../errors.ts';

/**
 * The format of a bank file, told from its content, never its name: UTF-8 text starting with `{`
 * or `[` is VICS JSON, other text is CSV. Anything that is not text is refused.
 */
export function bankFileFormat(bytes: Buffer): { format: ImportFormat; text: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw notText();
  }
  if (text.includes('\u0000') || text.trim() === '') throw notText();
  return { format: /^\s*[[{]/.test(text) ? 'vics' : 'csv', text };
}

const notText = () => new Invalid({ file: 'error.upload.not_text' });
