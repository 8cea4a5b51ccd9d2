import type { Role } from '../../domain/access/roles.ts'
import type { Subject } from '../../domain/access/policy.ts'
import type { Db } from '../../db/connection.ts'
import type { VirusScanner } from '../records/clamd.ts'
import type { DocumentStore } from '../records/document-store.ts'

/** The signed-in user on whose behalf a service runs. */
export interface Actor extends Subject {
  displayName: string
  agencyId: string
  teamId: string | null
  roles: Role[]
}

/** What every service call needs: the database, who is asking, and the request it belongs to. */
export interface ServiceContext {
  db: Db
  /**
   * Where the reads that tolerate a little lag go: a read replica when one qualifies for this
   * request (db/replicas.ts), otherwise `db`. Only for the SELECTs docs/deployment.md lists
   * ("Read replicas"); never a policy decision's data, a write or an audit append. A search or list
   * whose rows come from here asks the primary who may see them before showing any
   * (journey/case-access.ts stillShownOnPrimary). Use readDbOf.
   */
  readDb?: Db
  actor: Actor
  requestId?: string
  /** Injected so tests can fix the time; services never read the clock directly. */
  now: () => Date
  /** The virus scanner uploaded documents are streamed to (ClamAV's clamd), when one is configured. */
  scanner?: VirusScanner | null
  /** The S3-compatible object store new document versions go to, when one is configured; otherwise the database. */
  objectStore?: DocumentStore | null
}

/** The database for this context's lag-tolerant reads: its replica, or the primary. */
export function readDbOf(ctx: ServiceContext): Db {
  return ctx.readDb ?? ctx.db
}

/** Thrown when the access policy refuses an action; carries whether break-glass is offered. */
export class AccessDenied extends Error {
  override name = 'AccessDenied'
  constructor(
    message: string,
    readonly breakGlassAvailable = false,
  ) {
    super(message)
  }
}

export class NotFound extends Error {
  override name = 'NotFound'
}

/** Input that fails a rule beyond its shape (duplicate name, unknown team...). Keyed by field. */
export class ValidationFailed extends Error {
  override name = 'ValidationFailed'
  constructor(readonly fieldErrors: Record<string, string>) {
    super(Object.values(fieldErrors).join(' '))
  }
}

/** Someone else changed the record since it was read: never overwrite silently. */
export class EditConflict extends Error {
  override name = 'EditConflict'
  constructor(
    message: string,
    /** The record as it is now, to show beside the user's version. */
    readonly current?: Record<string, unknown>,
  ) {
    super(message)
  }
}
