/** Exit codes shared by every `together` command. */
export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

/** A problem with what the user asked for: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/**
 * The line printed for an error no command expected. A database error is named by its PostgreSQL
 * code and constraint or table only: its message can quote the values it refused, and a failed
 * query's message (drizzle's "Failed query: … params: …") carries every parameter. Other errors
 * are named by their message.
 */
export function failureMessage(err: unknown): string {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const fields = e as Error & { code?: unknown; constraint?: unknown; table?: unknown; query?: unknown; params?: unknown }
    const sqlState = typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code) ? fields.code : undefined
    if (sqlState || 'query' in fields || 'params' in fields || e.name === 'DatabaseError') {
      const cause = databaseCause(e)
      const about = [cause.constraint && `constraint ${cause.constraint}`, cause.table && `table ${cause.table}`].filter(Boolean).join(', ')
      return `the database refused the operation (${cause.code ? `PostgreSQL error ${cause.code}` : 'no error code'}${about ? `; ${about}` : ''})`
    }
  }
  return err instanceof Error ? err.message : String(err)
}

function databaseCause(err: Error): { code?: string; constraint?: string; table?: string } {
  const name = (v: unknown) => (typeof v === 'string' && /^[\w.$-]{1,100}$/.test(v) ? v : undefined)
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const f = e as Error & { code?: unknown; constraint?: unknown; table?: unknown }
    if (typeof f.code === 'string' && /^[0-9A-Z]{5}$/.test(f.code)) return { code: f.code, constraint: name(f.constraint), table: name(f.table) }
  }
  return {}
}
