/**
 * `together seed --synthetic`: an obviously fictional partnership and N children with several years
 * of journeys, written in one transaction by COPY, a batch of children at a time. Seeding is not a user
 * action, so the rows are not audited one by one: one audit entry, 'seed.synthetic', records what
 * was loaded. Deterministic: the same seed, number of children and dates give the same rows.
 */
import type { PGlite } from '@electric-sql/pglite'
import { eq, getTableName, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { queryRows, type Database, type Db } from '../../../db/connection.ts'
import { partnership, schema } from '../../../db/schema/index.ts'
import { defaultBankHolidayCalendar } from '../../../domain/timescales/calendar/load.ts'
import { isIsoDate } from '../../../domain/timescales/calendar/iso-date.ts'
import { SyntheticDays } from '../../../domain/demo/days.ts'
import { mergeLocalRules } from '../../../domain/timescales/index.ts'
import { appendAudit } from '../../access/audit.ts'
import { JourneyGenerator } from './journey.ts'
import { buildOrganisation, syntheticPartnershipName } from './organisation.ts'
import { emptyBatch, SYNTHETIC_TABLES, TABLE_ORDER, type RowBatch, type TableKey } from './rows.ts'
import { pgliteCopyTarget, postgresCopyTarget, SyntheticWriteError, writeBatch, writeEncoded, type CopyTarget } from './copy-writer.ts'
import { generatedBatches } from './generated-batches.ts'
import type { SyntheticGeneration } from './generation.ts'
import { danglingReferences } from './references.ts'

export const DEFAULT_SYNTHETIC_UNTIL = '2026-11-01'
export const DEFAULT_SYNTHETIC_YEARS = 5
/** Single assessments (WT2013) are what the generator models, so no journey starts before them. */
export const EARLIEST_SYNTHETIC_START = '2013-04-15'
/**
 * The most children a data set can have. The 999 test range holds 909,091 NHS numbers
 * (nhsNumberCapacity()); the children after them are recorded without one, as a child whose
 * NHS number is not yet known is. Unique pupil numbers run to a thousand million.
 */
export const MAX_SYNTHETIC_CHILDREN = 5_000_000

export interface SyntheticSeedOptions extends SyntheticGeneration {
  /** Children generated and written per batch. */
  batchChildren?: number
  onProgress?: (done: number, total: number) => void
}

export interface SyntheticSeedResult {
  partnershipId: string
  partnershipName: string
  seed: number
  children: number
  from: string
  until: string
  rows: number
  rowsByTable: Record<TableKey, number>
  seconds: number
  childrenPerSecond: number
}

/** Options that cannot make a valid data set; the message says which and why. */
export class SyntheticSeedError extends Error {
  override name = 'SyntheticSeedError'
}

export interface SyntheticPlan {
  seed: number
  children: number
  fromDay: number
  untilDay: number
  days: SyntheticDays
}

/** Checks the options and works out the window of days. */
export function planSynthetic(options: SyntheticGeneration): SyntheticPlan {
  const { children, seed } = options
  const until = options.until ?? DEFAULT_SYNTHETIC_UNTIL
  const years = options.years ?? DEFAULT_SYNTHETIC_YEARS
  if (!Number.isSafeInteger(children) || children < 1) throw new SyntheticSeedError('the number of children must be a whole number of at least 1')
  if (children > MAX_SYNTHETIC_CHILDREN) throw new SyntheticSeedError(`at most ${MAX_SYNTHETIC_CHILDREN} children`)
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) throw new SyntheticSeedError('the seed must be a whole number from 0 to 4294967295')
  if (!isIsoDate(until)) throw new SyntheticSeedError(`the end date must be a date like 2026-11-01, not "${until}"`)
  if (!Number.isInteger(years) || years < 1) throw new SyntheticSeedError('the number of years must be a whole number of at least 1')
  const calendar = defaultBankHolidayCalendar()
  const days = new SyntheticDays(calendar)
  const untilDay = days.dayOf(until)
  if (Number(until.slice(0, 4)) >= calendar.lastYear) {
    throw new SyntheticSeedError(`the end date must be before ${calendar.lastYear}: the working-day calendar ends then`)
  }
  const back = days.addMonths(untilDay, -12 * years)
  const backIso = days.iso(back)
  const aprilYear = Number(backIso.slice(0, 4)) - (backIso.slice(5) < '04-01' ? 1 : 0)
  const fromDay = days.dayOf(`${aprilYear}-04-01`)
  if (days.iso(fromDay) < EARLIEST_SYNTHETIC_START) {
    throw new SyntheticSeedError(`the journeys must start on or after ${EARLIEST_SYNTHETIC_START} (single assessments): use fewer years or a later end date`)
  }
  return { seed, children, fromDay, untilDay, days }
}

/** True when the synthetic partnership of this seed is already in the database. */
export async function hasSyntheticPartnership(db: Db, seed: number): Promise<boolean> {
  const rows = await db.select({ id: partnership.id }).from(partnership).where(eq(partnership.name, syntheticPartnershipName(seed)))
  return rows.length > 0
}

function organisationOf(plan: SyntheticPlan) {
  return buildOrganisation({ seed: plan.seed, children: plan.children, createdAt: plan.days.instant(plan.fromDay - 30, 540) })
}

/** The organisation and the journey generator of a data set (no database needed). */
export function syntheticGenerator(options: SyntheticGeneration) {
  const plan = planSynthetic(options)
  const org = organisationOf(plan)
  const generator = new JourneyGenerator({
    seed: plan.seed,
    fromDay: plan.fromDay,
    untilDay: plan.untilDay,
    org,
    days: plan.days,
    localRules: mergeLocalRules({}),
  })
  return { plan, org, generator }
}

/** Generates children [from, to) into one batch. */
export function generateRange(generator: JourneyGenerator, from: number, to: number): RowBatch {
  const batch = emptyBatch()
  for (let i = from; i < to; i++) generator.generate(i, batch)
  return batch
}

/**
 * Turns off per-row triggers (foreign-key checks) for the rest of the transaction when the role is
 * a superuser, as pg_restore --disable-triggers does; the caller then checks the references set-wise.
 * Without the right, the load keeps the triggers and is simply slower.
 */
async function turnOffTriggersIfAllowed(db: Db): Promise<boolean> {
  const [role] = await queryRows<{ superuser: string }>(db, sql`select current_setting('is_superuser') as superuser`)
  if (role?.superuser !== 'on') return false
  await db.execute(sql`set local session_replication_role = replica`)
  return true
}

function addCounts(counts: Record<TableKey, number>, batch: RowBatch): void {
  for (const k of TABLE_ORDER) counts[k] += batch[k].length
}

/** A transaction to load into: where COPY text goes, and Drizzle on the same connection. */
interface LoadSession {
  target: CopyTarget
  db: Db
}

/**
 * Runs `work` in one transaction on a connection of its own (PostgreSQL), or on the embedded
 * database's only session (PGlite), so the whole data set commits or none of it does.
 */
async function inLoadTransaction<T>(database: Database, work: (session: LoadSession) => Promise<T>): Promise<T> {
  if (database.target.kind === 'postgres') {
    const client = new pg.Client({ connectionString: database.target.url, application_name: 'together seed --synthetic' })
    await client.connect()
    try {
      await client.query('begin')
      const result = await work({ target: postgresCopyTarget(client), db: drizzle(client, { schema }) as unknown as Db })
      await client.query('commit')
      return result
    } catch (err) {
      await client.query('rollback').catch(() => undefined)
      throw err
    } finally {
      await client.end()
    }
  }
  // Drizzle's PGlite database keeps its client; PGlite has one session, which the Drizzle queries share.
  const client = (database.db as unknown as { $client: PGlite }).$client
  await client.exec('begin')
  try {
    const result = await work({ target: pgliteCopyTarget(client), db: database.db })
    await client.exec('commit')
    return result
  } catch (err) {
    await client.exec('rollback').catch(() => undefined)
    throw err
  }
}

export async function seedSynthetic(database: Database, options: SyntheticSeedOptions): Promise<SyntheticSeedResult> {
  const started = performance.now()
  // The children are generated on the worker; this thread needs only the window and the organisation.
  const plan = planSynthetic(options)
  const org = organisationOf(plan)
  const { days } = plan
  const name = syntheticPartnershipName(plan.seed)
  if (await hasSyntheticPartnership(database.db, plan.seed)) {
    throw new SyntheticSeedError(`"${name}" is already loaded: choose another --seed`)
  }
  const batchChildren = options.batchChildren ?? (database.target.kind === 'postgres' ? 1000 : 250)
  const counts = Object.fromEntries(TABLE_ORDER.map((k) => [k, 0])) as Record<TableKey, number>

  await inLoadTransaction(database, async ({ target, db }) => {
    addCounts(counts, org.batch)
    await writeBatch(target, org.batch)
    const triggersOff = await turnOffTriggersIfAllowed(db)
    const settings = { children: options.children, seed: options.seed, until: options.until, years: options.years }
    // The worker generates the next batches while this thread copies the last one in.
    for await (const { to, encoded } of generatedBatches({ settings, batchChildren, ahead: 2 })) {
      await writeEncoded(target, encoded)
      for (const t of encoded.tables) counts[t.key] += t.rows
      options.onProgress?.(to, plan.children)
    }
    // Fresh statistics, so the checks below (and the first pages read) are planned for the new size.
    await db.execute(sql.raw(`analyze ${TABLE_ORDER.map((k) => `"${getTableName(SYNTHETIC_TABLES[k])}"`).join(', ')}`))
    if (triggersOff) {
      await db.execute(sql`set local session_replication_role = origin`)
      const dangling = await danglingReferences(db, org.partnershipId)
      if (dangling.length > 0) {
        const list = dangling.map((d) => `${d.table} (${d.constraint}): ${d.rows} rows`).join('; ')
        throw new SyntheticWriteError(`the synthetic rows refer to rows that do not exist, so nothing was loaded: ${list}`)
      }
    }
    const rows = Object.values(counts).reduce((a, b) => a + b, 0)
    await appendAudit(db, {
      partnershipId: org.partnershipId,
      actorUserId: null,
      action: 'seed.synthetic',
      recordType: 'partnership',
      recordId: org.partnershipId,
      detail: { seed: plan.seed, children: plan.children, from: days.iso(plan.fromDay), until: days.iso(plan.untilDay), rows, rowsByTable: counts },
      occurredAt: new Date(),
    })
  })

  const seconds = (performance.now() - started) / 1000
  return {
    partnershipId: org.partnershipId,
    partnershipName: name,
    seed: plan.seed,
    children: plan.children,
    from: days.iso(plan.fromDay),
    until: days.iso(plan.untilDay),
    rows: Object.values(counts).reduce((a, b) => a + b, 0),
    rowsByTable: counts,
    seconds: Math.round(seconds * 1000) / 1000,
    childrenPerSecond: Math.round(plan.children / seconds),
  }
}
