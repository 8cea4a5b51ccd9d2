import { databaseRefusal } from '../logger.ts'

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
  const refusal = databaseRefusal(err)
  if (refusal) return `the database refused the operation (${refusal})`
  return err instanceof Error ? err.message : String(err)
}
