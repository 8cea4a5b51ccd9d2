/**
 * File uploads (multipart/form-data), parsed by multer before the CSRF check so the form's
 * `_csrf` field is read as in any other form. Only a signed-in user's upload is read, into memory
 * and up to a size limit; anyone else's is left unread, so the CSRF check refuses it.
 */
import type { NextFunction, Request, Response } from 'express'
import multer from 'multer'

/** The largest file a form may upload (a 100,000-child census file is about 90 MB). */
export const UPLOAD_LIMIT_BYTES = 200 * 1024 * 1024

declare module 'express-serve-static-core' {
  interface Request {
    /** Why an upload could not be read (too large, too many files), to show beside the file field. */
    uploadError?: string
  }
}

const MESSAGES: Partial<Record<multer.ErrorCode, string>> = {
  LIMIT_FILE_SIZE: `The file must be smaller than ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MB`,
  LIMIT_FILE_COUNT: 'Choose one file',
  LIMIT_UNEXPECTED_FILE: 'Choose one file',
}

export function signedInUploads() {
  const single = multer({ storage: multer.memoryStorage(), limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 20 } }).single('file')
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data') || !req.session?.userId) return next()
    single(req, res, (err?: unknown) => {
      if (err instanceof multer.MulterError) {
        req.uploadError = MESSAGES[err.code] ?? 'The file could not be read: try again'
        return next()
      }
      next(err)
    })
  }
}
