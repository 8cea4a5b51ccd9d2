/**
 * PostgreSQL read replicas (DATABASE_REPLICA_URL): a pool per streaming replica, a monitor that
 * asks each, every second, how far it has replayed the primary's write-ahead log, and the choice
 * of a replica for a read that tolerates a little lag. docs/deployment.md ("Read replicas") says
 * which reads those are; everything else, and every policy decision and audit append, stays on
 * the primary.
 *
 * A replica is used only when it answered its last check (within a few seconds), is still in
 * recovery (a promoted one is a primary of its own), is no more than the maximum lag behind, has
 * replayed the migrations this process started with, and has replayed the position the reader's own last write left the primary at (read-your-writes:
 * web/common/middleware/read-your-writes.ts keeps it in the session). A query a replica fails
 * to answer for want of a connection (it stopped, restarted, or cancelled the query for a
 * recovery conflict) is answered by the primary instead, and the replica is set aside until its
 * next good check.
 */
import { drizzle } from 'drizzle-orm/node-postgres'
import { sql } from 'drizzle-orm'
import pg from 'pg'
import { schema } from './schema/index.ts'
import { hostAndPort, postgresPool, queryRows, type Database, type DatabasePooling, type DatabaseTimeouts, type Db } from './connection.ts'

export interface ReplicaSettings {
  /** Connection strings of the replicas (DATABASE_REPLICA_URL, comma-separated). */
  urls: string[]
  /** A replica further behind the primary than this is not read from (TOGETHER_REPLICA_MAX_LAG_SECONDS). */
  maxLagSeconds: number
}

/** What `/health` shows of a replica: where it is (host:port, never the credentials), whether it is read from, and its lag. */
export interface ReplicaState {
  replica: string
  /** up: read from; behind: answering but further behind than the maximum lag; down: not answering, or not a replica. */
  status: 'up' | 'behind' | 'down'
  /** Seconds behind the primary (0 when it has replayed everything); null when not known. */
  lagSeconds: number | null
  /** The last write-ahead log position it replayed. */
  replayLsn: string | null
  /** When it last answered its check. */
  checkedAt: string | null
}

/** A write-ahead log position ('16/B374D848') as a number, to compare. */
export function lsnValue(lsn: string): bigint {
  const [hi, lo] = lsn.split('/')
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`)
}

/** Errors that mean the replica could not answer (no connection, shutting down, a recovery conflict), not that the query was wrong. */
function replicaUnavailable(err: unknown): boolean {
  if (!(err instanceof pg.DatabaseError)) return true // refused, reset, timed out, or the connection ended
  const code = err.code ?? ''
  return code.startsWith('08') || code.startsWith('57P') || code === '40001'
}

interface Replica {
  name: string
  pool: pg.Pool
  db: Db
  up: boolean
  replay: bigint | null
  replayLsn: string | null
  lagSeconds: number | null
  checkedAt: number | null
  checking: boolean
  /** Queries answered by the replica, and those it failed and the primary answered. */
  reads: number
  fellBack: number
}

/**
 * What drizzle is given for a replica: node-postgres's pool interface (`query`, and `connect` for
 * a transaction), answered by the replica, or by the primary when the replica cannot.
 * ("Pool" in the name: drizzle takes a transaction's connection from anything so named.)
 */
class ReplicaOrPrimaryPool {
  constructor(
    private readonly replica: Replica,
    private readonly primary: pg.Pool,
  ) {}

  async query(...args: unknown[]): Promise<unknown> {
    const query = (pool: pg.Pool) => (pool.query as (...a: unknown[]) => Promise<unknown>).apply(pool, args)
    try {
      const answer = await query(this.replica.pool)
      this.replica.reads++
      return answer
    } catch (err) {
      if (!replicaUnavailable(err)) throw err
      this.replica.up = false
      this.replica.fellBack++
      return query(this.primary)
    }
  }

  async connect(): Promise<pg.PoolClient> {
    try {
      return await this.replica.pool.connect()
    } catch (err) {
      if (!replicaUnavailable(err)) throw err
      this.replica.up = false
      this.replica.fellBack++
      return this.primary.connect()
    }
  }
}

export class ReplicaSet {
  private readonly replicas: Replica[]
  /** The primary's write-ahead log position at each check, oldest first: to tell how long ago a replica's position was the primary's. */
  private readonly primaryPositions: { at: number; lsn: bigint }[] = []
  private timer: NodeJS.Timeout | null = null
  private next = 0
  private closed = false

  constructor(
    private readonly primary: Database,
    private readonly settings: ReplicaSettings,
    options: { pooling?: DatabasePooling; timeouts?: DatabaseTimeouts; intervalMs?: number } = {},
    private readonly clock: () => number = Date.now,
  ) {
    const primaryPool = (primary.db as unknown as { $client: pg.Pool }).$client
    this.intervalMs = options.intervalMs ?? 1000
    this.replicas = settings.urls.map((url) => {
      const replica: Replica = {
        name: hostAndPort(url),
        pool: postgresPool({ kind: 'postgres', url, pooling: options.pooling }, options.timeouts),
        db: null as unknown as Db,
        up: false,
        replay: null,
        replayLsn: null,
        lagSeconds: null,
        checkedAt: null,
        checking: false,
        reads: 0,
        fellBack: 0,
      }
      replica.db = drizzle(new ReplicaOrPrimaryPool(replica, primaryPool) as unknown as pg.Pool, { schema }) as unknown as Db
      return replica
    })
  }

  private readonly intervalMs: number

  /**
   * The primary's position when this process started, after its migrations: no replica is read from
   * before it has replayed them (a table or column the code needs would be missing there).
   */
  private floor = 0n

  /** Checks every replica now, then every interval until closed. */
  async start(): Promise<void> {
    this.floor = lsnValue(await this.primaryLsn())
    await this.check()
    const loop = () => {
      this.timer = setTimeout(() => void this.check().finally(() => !this.closed && loop()), this.intervalMs)
      this.timer.unref()
    }
    loop()
  }

  /** The primary's current write-ahead log position: what a reader's next read must see. */
  async primaryLsn(): Promise<string> {
    const [row] = await queryRows<{ lsn: string }>(this.primary.db, sql`select pg_current_wal_lsn()::text as lsn`)
    return row!.lsn
  }

  /** One round of checks: the primary's position, then each replica's (one check at a time per replica). */
  async check(): Promise<void> {
    let primaryAt: bigint | null = null
    try {
      primaryAt = lsnValue(await this.primaryLsn())
      const at = this.clock()
      this.primaryPositions.push({ at, lsn: primaryAt })
      const keepMs = (this.settings.maxLagSeconds + 10) * 1000
      while (this.primaryPositions.length > 1 && at - this.primaryPositions[0]!.at > keepMs) this.primaryPositions.shift()
    } catch {
      // The primary did not answer: the replicas' lag cannot be told this round.
    }
    await Promise.all(this.replicas.filter((r) => !r.checking).map((r) => this.checkReplica(r, primaryAt)))
  }

  private async checkReplica(r: Replica, primaryAt: bigint | null): Promise<void> {
    r.checking = true
    try {
      const { rows } = await r.pool.query<{ recovery: boolean; replay: string | null; since: number | null }>(
        'select pg_is_in_recovery() as recovery, pg_last_wal_replay_lsn()::text as replay, extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as since',
      )
      const row = rows[0]!
      const now = this.clock()
      r.checkedAt = now
      r.up = row.recovery && row.replay !== null
      r.replayLsn = row.replay
      r.replay = row.replay === null ? null : lsnValue(row.replay)
      r.lagSeconds = r.up ? this.lagOf(r.replay!, primaryAt, row.since, now) : null
    } catch {
      r.up = false
      r.lagSeconds = null
    } finally {
      r.checking = false
    }
  }

  /**
   * How stale a replica at `replay` may be, at most: 0 when it has replayed all the primary had at
   * this check; otherwise the time since the latest check at which the primary was no further on
   * than it (it has everything written before then). Beyond what is remembered, the time since the
   * last transaction it replayed. (That alone would grow while the primary is idle, hence not first.)
   */
  private lagOf(replay: bigint, primaryAt: bigint | null, since: number | null, now: number): number | null {
    if (primaryAt === null) return null
    if (replay >= primaryAt) return 0
    for (let i = this.primaryPositions.length - 1; i >= 0; i--) {
      const p = this.primaryPositions[i]!
      if (p.lsn <= replay) return (now - p.at) / 1000
    }
    return since
  }

  /**
   * A replica to read from, for a reader whose last write left the primary at `writtenLsn`, in
   * turn among those that qualify; null: read from the primary.
   */
  pick(writtenLsn: string | undefined): Db | null {
    const now = this.clock()
    const fresh = now - Math.max(5000, 3 * this.intervalMs)
    const written = writtenLsn ? lsnValue(writtenLsn) : 0n
    const needed = written > this.floor ? written : this.floor
    const usable = this.replicas.filter(
      (r) => r.up && r.checkedAt !== null && r.checkedAt >= fresh && r.lagSeconds !== null && r.lagSeconds <= this.settings.maxLagSeconds && r.replay !== null && r.replay >= needed,
    )
    if (usable.length === 0) return null
    return usable[this.next++ % usable.length]!.db
  }

  /** Each replica's state, for `/health` and the metrics. */
  states(): (ReplicaState & { reads: number; fellBack: number })[] {
    const fresh = this.clock() - Math.max(5000, 3 * this.intervalMs)
    return this.replicas.map((r) => ({
      replica: r.name,
      status: !r.up || r.checkedAt === null || r.checkedAt < fresh ? 'down' : r.lagSeconds === null || r.lagSeconds > this.settings.maxLagSeconds ? 'behind' : 'up',
      lagSeconds: r.lagSeconds === null ? null : Math.round(r.lagSeconds * 10) / 10,
      replayLsn: r.replayLsn,
      checkedAt: r.checkedAt === null ? null : new Date(r.checkedAt).toISOString(),
      reads: r.reads,
      fellBack: r.fellBack,
    }))
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    await Promise.all(this.replicas.map((r) => r.pool.end().catch(() => {})))
  }
}

/** Opens the replicas beside the primary and starts checking them (the server; none without DATABASE_REPLICA_URL). */
export async function openReplicas(primary: Database, settings: ReplicaSettings, timeouts?: DatabaseTimeouts): Promise<ReplicaSet | null> {
  if (settings.urls.length === 0 || primary.target.kind !== 'postgres') return null
  const replicas = new ReplicaSet(primary, settings, { pooling: primary.target.pooling, timeouts })
  await replicas.start()
  return replicas
}
