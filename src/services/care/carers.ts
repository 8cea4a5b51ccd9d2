/**
 * The partnership's carers (issue 19): the households and settings children in care are placed
 * with, as a list of their own rather than only made from the placement form. Each carer with how
 * many children are placed with them now and in all: counts only, never a child's name, so no read
 * opens a case. Who may do what is the one policy's: those who record placements see the list and
 * add a carer (`carer:record`); only a team manager or an administrator corrects one
 * (`carer:manage`), from the version read (a stale version is a conflict). Every change is audited
 * (`carer.create`, `carer.update`); a carer belongs to no case, so no case revision is kept.
 */
import { and, asc, eq, isNull, lte, or, gt, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { carer, placement } from '../../db/schema/index.ts'
import { decideGeneral } from '../../domain/access/policy.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { audit } from '../access/audit.ts'
import { EditConflict, NotFound, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import type { CarerInput } from './care-input.ts'
import type { CarerUpdate } from './carers-input.ts'
import { addCarer } from './placements.ts'

export interface CarerSummary {
  id: string
  name: string
  /** CARER_KIND. */
  kind: string
  urn: string | null
  version: number
  /** Children placed with the carer today (an open placement, or temporary move, that has started). */
  placedNow: number
  /** Children ever placed with the carer. */
  placedEver: number
}

/** Refuses (audited) a user who may not see or add to the partnership's carers. */
export const mayRecord = (ctx: ServiceContext) => {
  requireGeneral(ctx, 'carer:record', 'Only those who record placements, and their managers, see the partnership’s carers.')
}
const mayManage = (ctx: ServiceContext) => {
  requireGeneral(ctx, 'carer:manage', 'Only a team manager or an administrator corrects a carer’s details.')
}

/** Whether the user may correct carers (for the page to offer the form). */
export const mayEditCarers = (ctx: ServiceContext): boolean => decideGeneral(ctx.actor, 'carer:manage').allowed

async function summaries(ctx: ServiceContext, db: Db, carerId?: string): Promise<CarerSummary[]> {
  const today = londonDate(ctx.now())
  const now = and(lte(placement.startedOn, today), or(isNull(placement.endedOn), gt(placement.endedOn, today)))
  const rows = await db
    .select({
      id: carer.id,
      name: carer.name,
      kind: carer.kind,
      urn: carer.urn,
      version: carer.version,
      placedNow: sql<number>`count(distinct case when ${now} then ${placement.caseId} end)`.mapWith(Number),
      placedEver: sql<number>`count(distinct ${placement.caseId})`.mapWith(Number),
    })
    .from(carer)
    .leftJoin(placement, and(eq(placement.carerId, carer.id), eq(placement.partnershipId, carer.partnershipId)))
    .where(and(eq(carer.partnershipId, ctx.actor.partnershipId), carerId ? eq(carer.id, carerId) : undefined))
    .groupBy(carer.id)
    .orderBy(asc(carer.name), asc(carer.id))
  return rows
}

/** The partnership's carers by name, each with how many children are placed with them now and in all. */
export async function listCarers(ctx: ServiceContext): Promise<CarerSummary[]> {
  mayRecord(ctx)
  return summaries(ctx, ctx.db)
}

/** One of the partnership's carers; another partnership's, or none, is not found. */
export async function readCarer(ctx: ServiceContext, carerId: string): Promise<CarerSummary> {
  mayRecord(ctx)
  const [row] = await summaries(ctx, ctx.db, carerId)
  if (!row) throw new NotFound('No such carer in this partnership')
  return row
}

/** Adds a carer or setting to the partnership's list (audited `carer.create`). */
export async function createCarer(ctx: ServiceContext, input: CarerInput): Promise<CarerSummary> {
  mayRecord(ctx)
  const row = await addCarer(ctx, input)
  return readCarer(ctx, row.id)
}

/** Corrects a carer's name, kind and URN if it is still at the version read; audited `carer.update`. */
export async function updateCarer(ctx: ServiceContext, carerId: string, input: CarerUpdate): Promise<CarerSummary> {
  mayManage(ctx)
  const { version, ...changes } = input
  await ctx.db.transaction(async (tx) => {
    const mine = and(eq(carer.id, carerId), eq(carer.partnershipId, ctx.actor.partnershipId))
    const [before] = await tx.select().from(carer).where(mine)
    if (!before) throw new NotFound('No such carer in this partnership')
    const [row] = await tx
      .update(carer)
      .set({ ...changes, version: sql`${carer.version} + 1`, updatedAt: ctx.now() })
      .where(and(mine, eq(carer.version, version)))
      .returning()
    if (!row) {
      throw new EditConflict(
        `Someone else changed this carer (now version ${before.version}) after you opened it (version ${version}). Your changes have not been saved.`,
        before,
      )
    }
    const fields = (Object.keys(changes) as (keyof typeof changes)[]).filter((k) => before[k] !== row[k])
    await audit(ctx, tx, { action: 'carer.update', recordType: 'carer', recordId: row.id, detail: { fields } })
  })
  return readCarer(ctx, carerId)
}
