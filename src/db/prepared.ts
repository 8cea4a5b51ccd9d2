/**
 * Queries prepared once: for the hot reads of every request (the session and its user, the case
 * and the user's relationships to it). drizzle then builds a query's SQL once instead of on every
 * call, and PostgreSQL parses it once for each connection (a named statement). A prepared query
 * runs on the handle it was prepared on, so it is kept for each database handle, and inside a
 * transaction the caller builds its query as usual. Behind a pooler in transaction mode
 * (TOGETHER_DATABASE_POOLING=transaction) the statements go unnamed (connection.ts's
 * UnnamedStatementsClient): drizzle's SQL is still built once, and PostgreSQL parses it each time.
 */
import { is } from 'drizzle-orm'
import { PgTransaction } from 'drizzle-orm/pg-core'
import type { Db } from './connection.ts'

/** Whether `db` is a transaction's handle (drizzle's transactions, savepoints included, are PgTransactions). */
export function isTransaction(db: Db): boolean {
  return is(db, PgTransaction)
}

const preparedByDb = new WeakMap<Db, Map<(db: Db) => unknown, unknown>>()

/**
 * What `prepare` made for this database handle, made on first use (`prepare`, a module-level
 * function, is the key it is kept by); inside a transaction, made afresh for it.
 */
export function preparedOn<T>(db: Db, prepare: (db: Db) => T): T {
  if (isTransaction(db)) return prepare(db)
  let prepared = preparedByDb.get(db)
  if (!prepared) preparedByDb.set(db, (prepared = new Map()))
  let made = prepared.get(prepare) as T | undefined
  if (made === undefined) prepared.set(prepare, (made = prepare(db)))
  return made
}
