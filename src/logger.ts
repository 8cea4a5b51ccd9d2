/**
 * The application logger. Logs carry ids, never a person's name, date of birth, address or
 * identifiers: request bodies and query strings are never logged, and the fields below are
 * redacted wherever they appear.
 */
import { pino, type Logger } from 'pino'

export const REDACTED_PATHS = [
  '*.givenName',
  '*.familyName',
  '*.name',
  '*.displayName',
  '*.email',
  '*.password',
  '*.dateOfBirth',
  '*.nhsNumber',
  '*.upn',
  '*.postcode',
  '*.address',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
]

export function createLogger(level = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'together' } },
    destination ?? process.stdout,
  )
}
