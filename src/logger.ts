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

const IDENTIFIER = /^[\w.$-]{1,100}$/
const ERROR_FIELDS = ['code', 'constraint', 'table', 'column', 'schema', 'dataType', 'routine', 'errno', 'syscall'] as const

/**
 * An error as it may be logged: its class, the database's error code and the names of the
 * constraint, table or column it is about, its HTTP status, and its stack frames (each cause the
 * same way). Never its message, detail or hint, nor a query's parameters: a failed query's message
 * carries its parameters (drizzle's "Failed query: … params: …") and PostgreSQL's messages and
 * details quote the values they refused ("Key (nhs_number)=(…) already exists").
 */
export function errorForLog(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: err === null ? 'null' : typeof err }
  const e = err as Error & Record<string, unknown>
  const out: Record<string, unknown> = { type: className(e) }
  for (const field of ERROR_FIELDS) {
    const value = e[field]
    if ((typeof value === 'string' && IDENTIFIER.test(value)) || typeof value === 'number') out[field] = value
  }
  for (const field of ['status', 'statusCode'] as const) if (typeof e[field] === 'number') out[field] = e[field]
  if (typeof e.type === 'string' && IDENTIFIER.test(e.type)) out.kind = e.type
  out.stack = stackFrames(e)
  if (e.cause !== undefined && depth < 4) out.cause = errorForLog(e.cause, depth + 1)
  return out
}

function className(e: Error): string {
  const name = e.constructor?.name && e.constructor.name !== 'Error' ? e.constructor.name : e.name
  return typeof name === 'string' && IDENTIFIER.test(name) ? name : 'Error'
}

/** Only the "    at …" lines after the header (which holds the message, however many lines it has). */
function stackFrames(e: Error): string | undefined {
  if (typeof e.stack !== 'string') return undefined
  let rest = e.stack
  const header = `${e.name}: ${e.message}`
  // If the message changed after the stack was taken, the header cannot be told from the frames.
  if (!rest.startsWith(header)) return undefined
  rest = rest.slice(header.length)
  return rest.split('\n').filter((line) => /^ {4}at \S/.test(line)).join('\n')
}

/**
 * A database error as one safe line, "PostgreSQL error 23505; constraint person_nhs, table person",
 * from the first SQLSTATE in its causes; null when `err` is not a database error (no SQLSTATE, not
 * a failed query). For the CLI's and importers' messages, which must not quote a refused value.
 */
export function databaseRefusal(err: unknown): string | null {
  let isDatabase = false
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const f = e as Error & Record<string, unknown>
    if (typeof f.code === 'string' && /^[0-9A-Z]{5}$/.test(f.code)) {
      const about = (['constraint', 'table'] as const).filter((k) => typeof f[k] === 'string' && IDENTIFIER.test(f[k])).map((k) => `${k} ${String(f[k])}`)
      return `PostgreSQL error ${f.code}${about.length > 0 ? `; ${about.join(', ')}` : ''}`
    }
    if ('query' in f || 'params' in f || f.name === 'DatabaseError') isDatabase = true
  }
  return isDatabase ? 'no error code' : null
}

/** The serializers every logger uses (pino-http's request logger takes the same `err`). */
export const SERIALIZERS = { err: errorForLog }

export function createLogger(level = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'together' },
      serializers: SERIALIZERS,
      hooks: {
        // pino takes an error's message as the log message when none is given: give one instead.
        logMethod(args, method) {
          const [first, second] = args as unknown[]
          const carriesError = first instanceof Error || (typeof first === 'object' && first !== null && 'err' in first)
          if (carriesError && typeof second !== 'string') return method.apply(this, [first as object, 'error'])
          return method.apply(this, args)
        },
      },
    },
    destination ?? process.stdout,
  )
}
