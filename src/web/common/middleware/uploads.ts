/**
 * File uploads (multipart/form-data), accepted only on the routes that declare one with
 * `uploadRoute()`, and only there after sign-in, the route's own permission check and the CSRF
 * check; streamed to a temporary file with the route's size limit, never held in memory.
 *
 * - `multipartOnlyWhereAccepted()` runs before sessions and body parsing: a multipart body to any
 *   other route is refused with 415 (and one over the route's limit by its Content-Length with
 *   413) without being read, and the connection is closed rather than drained.
 * - The global CSRF check skips a multipart request to an upload route: its token is in the
 *   form's `_csrf` field, which the route's `accept` middleware checks as soon as the file part
 *   begins (the field comes before the file in the form, as browsers send fields in order) and
 *   before a byte of the file is stored; a form with no file part is checked when it ends.
 * - A truncated or malformed body is a 400 and a file over the limit a message on the file field;
 *   the temporary file is removed when the response ends.
 * - A route's path may name parameters (`/cases/:id/documents/new`), and a route may take several
 *   files (`maxFiles`, in `req.files`), in more than one field (`moreFields`: `req.files` by
 *   field). A request with an API token has no session and no CSRF token
 *   to check, as everywhere in the API.
 */
import { mkdirSync, rm } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import multer from 'multer'
import { csrf } from './csrf.ts'
import { MalformedRequest } from './errors.ts'

declare module 'express-serve-static-core' {
  interface Request {
    /** Why an upload could not be read (too large, too many files), to show beside the file field. */
    uploadError?: string
    /** Set for a multipart request to a declared upload route: its CSRF check is the route's. */
    uploadRoute?: UploadRoute
  }
}

export interface UploadRoute {
  /** The path the form posts to, exactly or with `:name` parameters (one path segment each). */
  readonly path: string
  /** The file field's name. */
  readonly field: string
  /** The largest file the route takes. */
  readonly maxBytes: number
  /** How many files the route takes at once (1 unless given: `req.file`; more: `req.files`). */
  readonly maxFiles: number
  /** Further file fields, each taking up to `maxFiles` files too (`req.files` is then by field). */
  readonly moreFields: readonly string[]
  /** Parses the upload to temporary files (`req.file.path`, `req.files`), checking the form's CSRF token first. */
  readonly accept: RequestHandler
}

interface UploadOptions {
  path: string
  field: string
  maxBytes: number
  maxFiles?: number
  moreFields?: readonly string[]
}

/** Room for the form's other fields and the multipart framing around the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024
const UPLOAD_DIR = join(tmpdir(), 'together-uploads')
const routes = new Map<string, UploadRoute>()
/** Routes whose paths name parameters, with the pattern matching them. */
const patternRoutes: { pattern: RegExp; route: UploadRoute }[] = []

function routeOf(path: string): UploadRoute | undefined {
  return routes.get(path) ?? patternRoutes.find((r) => r.pattern.test(path))?.route
}

const isMultipart = (req: Request) => /^multipart\//i.test(req.headers['content-type'] ?? '')

/** Declares a POST route that takes up to `maxFiles` files (one unless given) in `field`, each of at most `maxBytes`. */
export function uploadRoute(options: UploadOptions): UploadRoute {
  const full = { ...options, maxFiles: options.maxFiles ?? 1, moreFields: options.moreFields ?? [] }
  const route: UploadRoute = { ...full, accept: acceptUpload(full) }
  if (options.path.includes(':')) {
    const source = options.path.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')
    patternRoutes.push({ pattern: new RegExp(`^${source}$`), route })
  } else {
    routes.set(options.path, route)
  }
  return route
}

/** Refuses a multipart body anywhere but a declared upload route, before anything reads it. */
export function multipartOnlyWhereAccepted(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isMultipart(req)) return next()
    const route = req.method === 'POST' ? routeOf(req.path) : undefined
    const length = Number(req.headers['content-length'])
    const refusal = !route || !req.is('multipart/form-data')
      ? new MalformedRequest(415, 'This address does not take file uploads')
      : length > route.maxBytes * route.maxFiles * (1 + route.moreFields.length) + FORM_OVERHEAD_BYTES
        ? new MalformedRequest(413, 'The upload is larger than this form takes')
        : null
    if (refusal) {
      // Answer at once and close the connection, rather than reading (or draining) the body.
      res.setHeader('Connection', 'close')
      return next(refusal)
    }
    req.uploadRoute = route
    next()
  }
}

function acceptUpload(options: Required<UploadOptions>): RequestHandler {
  const tooLarge = `The file must be smaller than ${Math.round(options.maxBytes / 1024 / 1024)} MB`
  const tooMany = options.maxFiles === 1 ? 'Choose one file' : `Choose at most ${options.maxFiles} files`
  const messages: Partial<Record<multer.ErrorCode, string>> = {
    LIMIT_FILE_SIZE: tooLarge,
    LIMIT_FILE_COUNT: tooMany,
    LIMIT_UNEXPECTED_FILE: tooMany,
  }
  const fileCount = options.maxFiles * (1 + options.moreFields.length)
  const multerOf = multer({
    storage: multer.diskStorage({
      destination: (_req, _file, cb) => {
        try {
          mkdirSync(UPLOAD_DIR, { recursive: true, mode: 0o700 })
          cb(null, UPLOAD_DIR)
        } catch (err) {
          cb(err as Error, UPLOAD_DIR)
        }
      },
    }),
    limits: { fileSize: options.maxBytes, files: fileCount, fields: 20, fieldSize: 16 * 1024, parts: 21 + fileCount, headerPairs: 50 },
    // The file part has begun: the fields before it (the CSRF token) have been read, the file has not.
    fileFilter: (req, _file, cb) => {
      if (!req.viaApiToken && !csrf.isRequestValid(req)) {
        req.refuseUpload?.(csrf.invalidCsrfTokenError)
        return cb(csrf.invalidCsrfTokenError)
      }
      req.csrfChecked = true
      cb(null, true)
    },
  })
  const parse =
    options.moreFields.length > 0
      ? multerOf.fields([options.field, ...options.moreFields].map((name) => ({ name, maxCount: options.maxFiles })))
      : options.maxFiles === 1
        ? multerOf.single(options.field)
        : multerOf.array(options.field, options.maxFiles)

  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.uploadRoute) return next()
    res.once('close', () => {
      const files = [req.file, ...(Array.isArray(req.files) ? req.files : Object.values(req.files ?? {}).flat())]
      for (const f of files) if (f?.path) rm(f.path, { force: true }, () => undefined)
    })
    let settled = false
    const settle = (err?: unknown) => {
      if (settled) return
      settled = true
      next(err)
    }
    // A refused token is answered at once, closing the connection: multer would drain the whole body first.
    req.refuseUpload = (err) => {
      res.setHeader('Connection', 'close')
      settle(err)
    }
    parse(req, res, (err?: unknown) => {
      if (err === csrf.invalidCsrfTokenError) return settle(err)
      if (!err && !req.csrfChecked && !req.viaApiToken && !csrf.isRequestValid(req)) return settle(csrf.invalidCsrfTokenError)
      if (err instanceof multer.MulterError) {
        const message = messages[err.code]
        if (message) {
          req.uploadError = message
          return settle()
        }
        return settle(new MalformedRequest(err.code.startsWith('LIMIT_') ? 413 : 400, 'The form could not be read'))
      }
      // The disk failing (ENOSPC, EACCES) is the server's problem; anything else from busboy
      // ("Unexpected end of form", "Malformed part header", a missing boundary) is a broken body.
      const e = err as { syscall?: unknown; expose?: unknown } | undefined
      if (err && (e!.syscall !== undefined || e!.expose === true)) return settle(err)
      if (err) return settle(new MalformedRequest(400, 'The form could not be read'))
      settle()
    })
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The upload's CSRF token was checked when its file part began. */
    csrfChecked?: boolean
    /** Ends an upload early with an error (a refused CSRF token). */
    refuseUpload?: (err: unknown) => void
  }
}
