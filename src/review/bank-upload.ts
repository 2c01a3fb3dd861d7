import type { RequestHandler } from 'express';
import multer from 'multer';
import type { ImportFormat } from '../banks/import.ts';
import { badRequest, HttpError } from '../http/errors.ts';

/**
 * The multipart upload of a bank file (field `file`), held in memory only, up to `maxBytes`;
 * multer's errors become our 4xx answers.
 */
export function bankFileUpload(maxBytes: number): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 },
  }).single('file');
  return (req, res, next) =>
    upload(req, res, (error: unknown) => {
      if (error instanceof multer.MulterError) {
        return next(
          error.code === 'LIMIT_FILE_SIZE'
            ? new HttpError(413, 'payload_too_large', 'error.payload_too_large')
            : badRequest('upload_invalid', 'error.upload_invalid', { file: 'error.upload_invalid' }),
        );
      }
      next(error);
    });
}

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

const notText = () => badRequest('upload_invalid', 'error.upload_invalid', { file: 'error.upload.not_text' });
