/**
 * Duplicate creates that race. A service checks for a duplicate before it inserts, so that a
 * sequential duplicate gets a field message; two requests at the same moment both pass the check,
 * and the database's unique index refuses the second insert (PostgreSQL's unique_violation, 23505),
 * which aborts its transaction. `onUniqueViolation` runs the whole transaction and turns that
 * refusal, on a named constraint, into the same error the sequential duplicate gets.
 */

/** SQLSTATE unique_violation. */
const UNIQUE_VIOLATION = '23505'

/** The constraint (unique index) a database error refused a write on, when it is a unique violation. */
export function uniqueViolationConstraint(err: unknown): string | null {
  // drizzle wraps the driver's error (node-postgres or PGlite) as `cause`.
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const f = e as Error & { code?: unknown; constraint?: unknown }
    if (f.code === UNIQUE_VIOLATION) return typeof f.constraint === 'string' ? f.constraint : ''
  }
  return null
}

/**
 * Runs `work` (a whole transaction: the violation has aborted it), mapping a unique violation on
 * one of the named constraints to the error its function makes. Any other error passes through.
 */
export async function onUniqueViolation<T>(work: () => Promise<T>, errors: Record<string, () => Error>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    const constraint = uniqueViolationConstraint(err)
    const mapped = constraint !== null ? errors[constraint] : undefined
    if (mapped) throw mapped()
    throw err
  }
}
