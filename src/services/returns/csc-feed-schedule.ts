/**
 * The DfE daily data feed as a scheduled job: a partnership turns it on (an administrator or a
 * performance analyst, on the page or in the API), and the server's periodic jobs send it once a
 * day (`together jobs run` does the same once). Every run is kept, a failed one with its error, so
 * the page shows the last run, its batches and what went wrong; a failed run is tried again an
 * hour later, and since nothing of it was remembered, the next run sends the same children.
 */
import { and, desc, eq, gte, inArray, like } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { cscFeedRun, instanceSetting } from '../../db/schema/index.ts'
import { decideGeneral } from '../../domain/access/policy.ts'
import { endOfLondonDay, londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { addDays } from '../../domain/timescales/calendar/iso-date.ts'
import { appendAudit, audit } from '../access/audit.ts'
import { type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { commitFeed, feedEndpointFromEnv, prepareFeed, sendFeed, type FeedTrigger } from './csc-feed.ts'
import { laCodeOf } from './la-code.ts'

const SETTING_PREFIX = 'returns.csc-feed.enabled.'
const enabledKey = (partnershipId: string) => `${SETTING_PREFIX}${partnershipId}`
/** How long after a failed run the schedule tries again. */
const RETRY_AFTER_MS = 60 * 60 * 1000
const RUNS_SHOWN = 30

export interface FeedRunView {
  id: string
  ranAt: string
  trigger: string
  kind: string
  destination: string
  children: number
  purged: number
  batches: number
  status: string
  error: string | null
}

export interface FeedStatus {
  enabled: boolean
  /** Whether the server has DfE's API settings (TOGETHER_CSC_*) and the partnership an LA code. */
  configured: boolean
  lastRun: FeedRunView | null
  runs: FeedRunView[]
}

/** Administrators and performance analysts see and run the feed. */
export function mayManageFeed(ctx: ServiceContext): void {
  if (decideGeneral(ctx.actor, 'returns:run').allowed) return
  requireGeneral(ctx, 'returns:import')
}

export async function feedEnabled(db: Db, partnershipId: string): Promise<boolean> {
  const [row] = await db.select({ value: instanceSetting.value }).from(instanceSetting).where(eq(instanceSetting.key, enabledKey(partnershipId)))
  return row?.value === 'on'
}

const runView = (r: typeof cscFeedRun.$inferSelect): FeedRunView => ({
  id: r.id,
  ranAt: r.ranAt.toISOString(),
  trigger: r.trigger,
  kind: r.kind,
  destination: r.destination,
  children: r.children,
  purged: r.purged,
  batches: Array.isArray(r.receipts) ? r.receipts.length : 0,
  status: r.status,
  error: r.error,
})

/** Whether the feed is on, whether it can send, and its latest runs (newest first). No child's details. */
export async function feedStatus(ctx: ServiceContext, env: NodeJS.ProcessEnv = process.env): Promise<FeedStatus> {
  mayManageFeed(ctx)
  const partnershipId = ctx.actor.partnershipId
  const [enabled, laCode, rows] = await Promise.all([
    feedEnabled(ctx.db, partnershipId),
    laCodeOf(ctx.db, partnershipId, env),
    ctx.db.select().from(cscFeedRun).where(eq(cscFeedRun.partnershipId, partnershipId)).orderBy(desc(cscFeedRun.ranAt)).limit(RUNS_SHOWN),
  ])
  const runs = rows.map(runView)
  return { enabled, configured: feedEndpointFromEnv(env, laCode) !== null, lastRun: runs[0] ?? null, runs }
}

/** Turns the scheduled feed on or off for the partnership (audited). */
export async function setFeedEnabled(ctx: ServiceContext, enabled: boolean, env: NodeJS.ProcessEnv = process.env): Promise<FeedStatus> {
  mayManageFeed(ctx)
  const value = enabled ? 'on' : 'off'
  await ctx.db.transaction(async (txn) => {
    const tx = txn as unknown as Db
    await tx
      .insert(instanceSetting)
      .values({ key: enabledKey(ctx.actor.partnershipId), value })
      .onConflictDoUpdate({ target: instanceSetting.key, set: { value } })
    await audit(ctx, tx, { action: enabled ? 'returns:csc-feed.turn-on' : 'returns:csc-feed.turn-off', recordType: 'csc-feed' })
  })
  return feedStatus(ctx, env)
}

export interface FeedRunOptions {
  now: Date
  env?: NodeJS.ProcessEnv
  trigger: FeedTrigger
  actorUserId: string | null
  fetcher?: typeof fetch
}

/**
 * Sends today's feed for one partnership to DfE and keeps the run: sent (what was sent is
 * remembered) or failed (with the error; nothing remembered, so the next run sends it again).
 */
export async function sendFeedRun(db: Db, partnershipId: string, options: FeedRunOptions): Promise<FeedRunView> {
  const env = options.env ?? process.env
  const endpoint = feedEndpointFromEnv(env, await laCodeOf(db, partnershipId, env))
  const selection = await prepareFeed(db, partnershipId, londonDate(options.now))
  const purged = selection.records.filter((r) => r.purge).length
  let error: string
  try {
    if (!endpoint) throw new Error('the feed is not configured: the server needs TOGETHER_CSC_API_URL, TOGETHER_CSC_TOKEN_URL, TOGETHER_CSC_CLIENT_ID, TOGETHER_CSC_CLIENT_SECRET, and the partnership an LA code')
    const receipts = await sendFeed(selection.records, endpoint, { fetcher: options.fetcher })
    await commitFeed(db, partnershipId, selection, { destination: 'dfe', receipts, now: options.now, actorUserId: options.actorUserId, trigger: options.trigger })
    const [run] = await db.select().from(cscFeedRun).where(eq(cscFeedRun.partnershipId, partnershipId)).orderBy(desc(cscFeedRun.ranAt)).limit(1)
    return runView(run!)
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } }
    // fetch's own failure says only "fetch failed"; its cause says why (ECONNREFUSED ...).
    error = e.name === 'TypeError' && e.cause?.code ? `DfE's API could not be reached (${e.cause.code})` : e.message
  }
  const [failed] = await db
    .insert(cscFeedRun)
    .values({ partnershipId, ranAt: options.now, kind: selection.kind, children: selection.records.length - purged, purged, destination: 'dfe', receipts: [], status: 'failed', error, trigger: options.trigger })
    .returning()
  await appendAudit(db, {
    partnershipId,
    actorUserId: options.actorUserId,
    action: 'returns:csc-feed.failed',
    recordType: 'csc-feed',
    recordId: failed!.id,
    detail: { kind: selection.kind, children: selection.records.length - purged, purged, error },
    occurredAt: options.now,
  })
  return runView(failed!)
}

/** A user's "send it now" (page or API): the same run as the schedule's. */
export async function sendFeedNow(ctx: ServiceContext, options: { env?: NodeJS.ProcessEnv; fetcher?: typeof fetch } = {}): Promise<FeedRunView> {
  mayManageFeed(ctx)
  return sendFeedRun(ctx.db, ctx.actor.partnershipId, { ...options, now: ctx.now(), trigger: 'manual', actorUserId: ctx.actor.userId })
}

export interface ScheduledFeedsResult {
  sent: number
  failed: number
}

/**
 * The periodic job: each partnership that has turned the feed on and has not sent it today
 * (London time) sends it, unless its last attempt failed less than an hour ago.
 */
export async function runDueFeeds(db: Db, options: { now: Date; env?: NodeJS.ProcessEnv; fetcher?: typeof fetch }): Promise<ScheduledFeedsResult> {
  const result: ScheduledFeedsResult = { sent: 0, failed: 0 }
  const settings = await db
    .select({ key: instanceSetting.key })
    .from(instanceSetting)
    .where(and(like(instanceSetting.key, `${SETTING_PREFIX}%`), eq(instanceSetting.value, 'on')))
  if (settings.length === 0) return result
  const partnershipIds = settings.map((s) => s.key.slice(SETTING_PREFIX.length))
  const startOfToday = endOfLondonDay(addDays(londonDate(options.now), -1))
  const recent = await db
    .select({ partnershipId: cscFeedRun.partnershipId, ranAt: cscFeedRun.ranAt, status: cscFeedRun.status })
    .from(cscFeedRun)
    .where(and(inArray(cscFeedRun.partnershipId, partnershipIds), eq(cscFeedRun.destination, 'dfe'), gte(cscFeedRun.ranAt, startOfToday)))
  for (const partnershipId of partnershipIds) {
    const today = recent.filter((r) => r.partnershipId === partnershipId)
    if (today.some((r) => r.status === 'sent')) continue
    if (today.some((r) => r.status === 'failed' && options.now.getTime() - r.ranAt.getTime() < RETRY_AFTER_MS)) continue
    const run = await sendFeedRun(db, partnershipId, { now: options.now, env: options.env, fetcher: options.fetcher, trigger: 'scheduled', actorUserId: null })
    result[run.status === 'sent' ? 'sent' : 'failed']++
  }
  return result
}
