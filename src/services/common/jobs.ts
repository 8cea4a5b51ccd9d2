/**
 * Periodic jobs: chasing overdue information requests, then e-mailing notifications, then the DfE
 * daily data feed of each partnership that has turned it on (once a day), then (with a virus
 * scanner configured) rescanning the documents clamd could not scan when they were uploaded. The server
 * runs them every TOGETHER_JOBS_INTERVAL_SECONDS and `together jobs run` runs them once. A
 * PostgreSQL advisory lock lets only one process sweep at a time, so several servers never send
 * the same reminder twice (each row is also claimed with a conditional update).
 */
import { sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { queryRows } from '../../db/connection.ts'
import { jobRunTimer } from '../../metrics.ts'
import { deliverPendingEmails, type DeliveryResult } from '../multi-agency/email/delivery.ts'
import type { EmailProvider } from '../multi-agency/email/provider.ts'
import { sweepInformationRequests, type SweepResult } from '../multi-agency/information-request-sweep.ts'
import { runDueFeeds, type ScheduledFeedsResult } from '../returns/csc-feed-schedule.ts'
import type { VirusScanner } from '../records/clamd.ts'
import type { DocumentStore } from '../records/document-store.ts'
import { rescanPendingVersions, type RescanResult } from '../records/documents.ts'

/** An arbitrary, fixed key for the advisory lock: "Together jobs". */
const JOBS_LOCK_KEY = 7_406_118_001

export interface JobsResult {
  /** False when another process held the lock, so nothing was done. */
  ran: boolean
  requests: SweepResult
  emails: DeliveryResult
  /** DfE daily feeds sent and failed. */
  feeds: ScheduledFeedsResult
  /** Documents rescanned (none without a scanner). */
  scans: RescanResult
}

export interface JobsOptions {
  now: Date
  emailProvider: EmailProvider
  baseUrl: string
  /** Where DfE's API settings (TOGETHER_CSC_*) are read from; process.env unless given. */
  env?: NodeJS.ProcessEnv
  /** ClamAV's clamd, when configured: pending documents are rescanned. */
  scanner?: VirusScanner | null
  /** The S3-compatible object store, when configured: pending versions kept there are rescanned too. */
  objectStore?: DocumentStore | null
}

export async function runJobs(db: Db, options: JobsOptions): Promise<JobsResult> {
  const idle: JobsResult = { ran: false, requests: { reminded: 0, escalated: 0 }, emails: { sent: 0, failed: 0 }, feeds: { sent: 0, failed: 0 }, scans: { clean: 0, infected: 0, pending: 0 } }
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${JOBS_LOCK_KEY}) as locked`)
    if (!lock?.locked) return idle
    const requests = await sweepInformationRequests(tx, options.now)
    const emails = await deliverPendingEmails(tx, options.emailProvider, { now: options.now, baseUrl: options.baseUrl })
    const feeds = await runDueFeeds(tx, { now: options.now, env: options.env })
    const scans = options.scanner ? await rescanPendingVersions(tx, options.scanner, options.now, options.objectStore ?? null) : idle.scans
    return { ran: true, requests, emails, feeds, scans }
  })
}

/** Runs the jobs every `intervalSeconds` until stopped; a failed run is logged and the next one tries again. */
export function scheduleJobs(
  db: Db,
  options: { intervalSeconds: number; now: () => Date; emailProvider: EmailProvider; baseUrl: string; scanner?: VirusScanner | null; objectStore?: DocumentStore | null; logger: { info(o: object, m: string): void; error(o: object, m: string): void } },
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve()
  const timer = setInterval(() => {
    const measured = jobRunTimer()
    running = runJobs(db, { now: options.now(), emailProvider: options.emailProvider, baseUrl: options.baseUrl, scanner: options.scanner, objectStore: options.objectStore })
      .then((r) => {
        measured.done({ ran: r.ran, items: { requests: { ...r.requests }, emails: { ...r.emails }, feeds: { ...r.feeds }, scans: { ...r.scans } } })
        if (r.ran && (r.requests.reminded || r.requests.escalated || r.emails.sent || r.emails.failed || r.feeds.sent || r.feeds.failed || r.scans.clean || r.scans.infected)) options.logger.info(r, 'jobs ran')
      })
      .catch((err: unknown) => {
        measured.failed()
        options.logger.error({ err }, 'jobs failed')
      })
  }, options.intervalSeconds * 1000)
  timer.unref()
  return {
    stop: async () => {
      clearInterval(timer)
      await running
    },
  }
}
