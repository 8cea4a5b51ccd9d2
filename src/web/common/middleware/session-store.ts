/**
 * An express-session store on the application's own database, so sessions survive a restart and
 * work identically on PGlite (one connection) and PostgreSQL.
 */
import session, { type SessionData } from 'express-session'
import { eq, lt } from 'drizzle-orm'
import type { Db } from '../../../db/connection.ts'
import { session as sessionTable } from '../../../db/schema/index.ts'

type Callback<T = void> = (err?: unknown, value?: T) => void

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

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.db
      .select()
      .from(sessionTable)
      .where(eq(sessionTable.sid, sid))
      .then(([row]) => {
        if (!row || row.expiresAt <= this.now()) return callback(null, null)
        callback(null, row.data as SessionData)
      }, callback)
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
