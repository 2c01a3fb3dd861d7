import type { RequestHandler } from 'express';
import multer from 'multer';
import { Invalid } from '../errors.ts';
import { HttpError } from './errors.ts';

/**
 * A multipart upload of one file in the field `field`, held in memory only (never a temporary
 * file), up to `maxBytes`; multer's refusals become our 4xx answers naming the field.
 */
export function singleFileUpload(field: string, maxBytes: number): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 },
  }).single(field);
  return (req, res, next) =>
    upload(req, res, (error: unknown) => {
      if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE') {
        return next(new HttpError(413, 'payload_too_large', 'error.payload_too_large'));
      }
      // Everything else is the body's fault: multer's refusals and busboy's plain errors for a
      // malformed body ("Unexpected end of form", a missing boundary). Memory storage cannot fail.
      next(error ? new Invalid({ [field]: 'error.upload_invalid' }) : undefined);
    });
}
