/**
 * An express-session store on the application's own database, so sessions survive a restart and
 * work identically on PGlite (one connection) and PostgreSQL.
 */
import type { Request } from 'express'
import session, { type Session, type SessionData } from 'express-session'
import { eq, lt } from 'drizzle-orm'
import type { Db } from '../../../db/connection.ts'
import { loadSessionWithUser, type SignedIn } from '../../../services/access/accounts.ts'
import { session as sessionTable } from '../../../db/schema/index.ts'

type Callback<T = void> = (err?: unknown, value?: T) => void

interface UserReadWithSession {
  userId: string | null
  signedIn: SignedIn | null
}
const READ_WITH_SESSION = Symbol('user read with the session')
const usersReadWithSession = new WeakMap<Request, UserReadWithSession>()

/**
 * The signed-in user read in the same query as this request's session, if the session was read
 * for this request and its user is `userId`: the actor (null when the account was deactivated or
 * no longer exists). Undefined when there is nothing to go on, and the user must be read.
 */
export function userReadWithSession(req: Request, userId: string): SignedIn | null | undefined {
  const read = usersReadWithSession.get(req)
  return read && read.userId === userId ? read.signedIn : undefined
}

/** Sessions whose last written expiry is remembered (a map entry is about 100 bytes). */
const WRITTEN_LIMIT = 10_000

export class DatabaseSessionStore extends session.Store {
  private lastPrune = 0

  constructor(
    private readonly db: Db,
    private readonly defaultTtlMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    super()
  }

  private expiry(data: SessionData): Date {
    const expires = data.cookie?.expires
    return expires ? new Date(expires) : new Date(this.now().getTime() + this.defaultTtlMs)
  }

  /**
   * The session, read with its user in one query (loadSessionWithUser); the user is handed to
   * this request's loadSignedInUser through createSession, below, and kept nowhere else.
   */
  override get(sid: string, callback: Callback<SessionData | null>): void {
    loadSessionWithUser(this.db, sid).then((row) => {
      if (!row || row.expiresAt <= this.now()) return callback(null, null)
      const data = row.data as SessionData
      // Not enumerable: neither stored with the session nor part of express-session's hash of it.
      Object.defineProperty(data, READ_WITH_SESSION, { value: { userId: row.userId, signedIn: row.signedIn }, enumerable: false })
      callback(null, data)
    }, callback)
  }

  /** express-session makes the request's session from what get() answered: the user read with it goes to the request. */
  override createSession(req: Request, data: SessionData): Session & SessionData {
    const read = (data as { [READ_WITH_SESSION]?: UserReadWithSession })[READ_WITH_SESSION]
    if (read) usersReadWithSession.set(req, read)
    return super.createSession(req, data)
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    const expiresAt = this.expiry(data)
    const userId = (data as { userId?: string }).userId ?? null
    this.db
      .insert(sessionTable)
      .values({ sid, data, expiresAt, userId })
      .onConflictDoUpdate({ target: sessionTable.sid, set: { data, expiresAt, userId } })
      .then(() => this.remember(sid, expiresAt))
      .then(() => this.prune())
      .then(() => callback?.(), (err) => callback?.(err))
  }

  /**
   * Moves the expiry on with each request (rolling sessions), but writes it only once it has moved
   * by more than a fiftieth of the idle time (36 s of 30 minutes): a write per page view made every
   * read of a record wait on a commit. The session still ends within that slack of its idle time.
   */
  override touch(sid: string, data: SessionData, callback?: Callback): void {
    const expiresAt = this.expiry(data)
    const slackMs = Math.min(60_000, this.defaultTtlMs / 50)
    const written = this.written.get(sid)
    if (written !== undefined && expiresAt.getTime() - written < slackMs) {
      callback?.()
      return
    }
    this.db
      .update(sessionTable)
      .set({ expiresAt })
      .where(eq(sessionTable.sid, sid))
      .then(() => {
        this.remember(sid, expiresAt)
        callback?.()
      }, (err) => callback?.(err))
  }

  /**
   * Whole seconds until a signed-in session ends (0 when it has ended or has no user), read
   * without extending it: for the time-out warning's question (GET /session/status).
   */
  async signedInSecondsLeft(sid: string): Promise<number> {
    const [row] = await this.db
      .select({ userId: sessionTable.userId, expiresAt: sessionTable.expiresAt })
      .from(sessionTable)
      .where(eq(sessionTable.sid, sid))
    if (!row?.userId) return 0
    // What is stored is the truth (another process, or another tab's request, may have moved it).
    this.remember(sid, row.expiresAt)
    return Math.max(0, Math.floor((row.expiresAt.getTime() - this.now().getTime()) / 1000))
  }

  /** The expiry this process last wrote for each session, newest sessions kept. */
  private readonly written = new Map<string, number>()

  private remember(sid: string, expiresAt: Date): void {
    this.written.delete(sid)
    this.written.set(sid, expiresAt.getTime())
    if (this.written.size > WRITTEN_LIMIT) this.written.delete(this.written.keys().next().value!)
  }

  override destroy(sid: string, callback?: Callback): void {
    this.written.delete(sid)
    this.db
      .delete(sessionTable)
      .where(eq(sessionTable.sid, sid))
      .then(() => callback?.(), (err) => callback?.(err))
  }

  /** Removes expired sessions at most once a minute, piggybacking on writes. */
  private async prune(): Promise<void> {
    const now = this.now()
    if (now.getTime() - this.lastPrune < 60_000) return
    this.lastPrune = now.getTime()
    await this.db.delete(sessionTable).where(lt(sessionTable.expiresAt, now))
  }
}
