/**
 * Actions agreed with an agency after its section 11 self-assessment: owned by a named user of
 * that agency with a due date (a task for them); the owner gives evidence of completion and the
 * business unit closes the action. Overdue means open past its due date.
 */
import { and, asc, eq, type SQL } from 'drizzle-orm'
import type { z } from 'zod'
import type { Db } from '../../../db/connection.ts'
import { agency, appUser, section11Action, section11Cycle, section11Return, task } from '../../../db/schema/index.ts'
import { decideOnSection11Return } from '../../../domain/access/policy.ts'
import { audit } from '../../access/audit.ts'
import { AccessDenied, ValidationFailed, type ServiceContext } from '../../common/context.ts'
import { futureDateErrors } from '../../common/fields-input.ts'
import { openDecided, partnershipTransaction } from '../access.ts'
import { getOwnRecord, updateVersioned } from '../records.ts'
import type { actionCloseInput, actionEvidenceInput } from '../review-input.ts'
import { standardsOf } from './cycles.ts'
import type { section11ActionInput } from './input.ts'
import { openReturn } from './return-access.ts'
import { londonDate } from '../../../domain/timescales/calendar/london-time.ts'

export type Section11ActionRow = typeof section11Action.$inferSelect
export interface Section11ActionView extends Section11ActionRow {
  ownerName: string
  ownerAgencyName: string
  cycleName: string
  overdue: boolean
}

export async function section11ActionsOf(ctx: ServiceContext, db: Db, where: { returnId?: string; ownerUserId?: string; id?: string }): Promise<Section11ActionView[]> {
  const conditions: SQL[] = [eq(section11Action.partnershipId, ctx.actor.partnershipId)]
  if (where.returnId) conditions.push(eq(section11Action.returnId, where.returnId))
  if (where.ownerUserId) conditions.push(eq(section11Action.ownerUserId, where.ownerUserId))
  if (where.id) conditions.push(eq(section11Action.id, where.id))
  const rows = await db
    .select({ a: section11Action, ownerName: appUser.displayName, ownerAgencyName: agency.name, cycleName: section11Cycle.name })
    .from(section11Action)
    .innerJoin(appUser, eq(appUser.id, section11Action.ownerUserId))
    .innerJoin(agency, eq(agency.id, section11Action.ownerAgencyId))
    .innerJoin(section11Return, eq(section11Return.id, section11Action.returnId))
    .innerJoin(section11Cycle, eq(section11Cycle.id, section11Return.cycleId))
    .where(and(...conditions))
    .orderBy(asc(section11Action.dueOn))
  const today = londonDate(ctx.now())
  return rows.map((r) => ({ ...r.a, ownerName: r.ownerName, ownerAgencyName: r.ownerAgencyName, cycleName: r.cycleName, overdue: r.a.status === 'open' && r.a.dueOn < today }))
}

/** The business unit agrees an action with the agency, owned by one of its users. */
export async function addSection11Action(ctx: ServiceContext, returnId: string, input: z.infer<typeof section11ActionInput>): Promise<Section11ActionRow> {
  return partnershipTransaction(ctx, async (tx) => {
    const { ret, cycle, ground } = await openReturn(ctx, tx, returnId, 'manage', 'actions')
    if (ret.status === 'issued') throw new ValidationFailed({ text: 'Agree actions once the agency has submitted its self-assessment.' })
    if (!standardsOf(cycle).some((s) => s.code === input.standardCode)) throw new ValidationFailed({ standardCode: 'Select a standard of this cycle' })
    const [owner] = await tx
      .select({ id: appUser.id })
      .from(appUser)
      .where(and(eq(appUser.id, input.ownerUserId), eq(appUser.agencyId, ret.agencyId), eq(appUser.active, true)))
    if (!owner) throw new ValidationFailed({ ownerUserId: 'Select an active user of the agency' })
    const [t] = await tx
      .insert(task)
      .values({ partnershipId: ctx.actor.partnershipId, title: 'Complete a section 11 action', dueOn: input.actionDueOn, assigneeUserId: owner.id, createdBy: ctx.actor.userId })
      .returning({ id: task.id })
    const [row] = await tx
      .insert(section11Action)
      .values({
        partnershipId: ctx.actor.partnershipId,
        returnId,
        standardCode: input.standardCode,
        text: input.text,
        ownerAgencyId: ret.agencyId,
        ownerUserId: owner.id,
        taskId: t!.id,
        dueOn: input.actionDueOn,
        recordedBy: ctx.actor.userId,
      })
      .returning()
    await audit(ctx, tx, { action: 'section11-action.create', recordType: 'section11-action', recordId: row!.id, ground, detail: { returnId, dueOn: input.actionDueOn } })
    return row!
  })
}

/** The actions the user owns, open ones first. */
export async function mySection11Actions(ctx: ServiceContext): Promise<Section11ActionView[]> {
  const rows = await section11ActionsOf(ctx, ctx.db, { ownerUserId: ctx.actor.userId })
  return rows.sort((a, b) => Number(a.status === 'closed') - Number(b.status === 'closed'))
}

/** One action: for its agency (the owner gives evidence) and the business unit (which closes it). */
export async function getSection11Action(ctx: ServiceContext, id: string): Promise<Section11ActionView & { isOwner: boolean; mayClose: boolean }> {
  const row = await getOwnRecord<Section11ActionRow>(ctx.db, ctx, section11Action, id, 'action')
  const record = { partnershipId: row.partnershipId, ownAgency: ctx.actor.agencyId === row.ownerAgencyId }
  await openDecided(ctx, 'read', { recordType: 'section11-action', recordId: id }, decideOnSection11Return(ctx.actor, 'read', record))
  const [full] = await section11ActionsOf(ctx, ctx.db, { id })
  return { ...full!, isOwner: row.ownerUserId === ctx.actor.userId, mayClose: decideOnSection11Return(ctx.actor, 'manage', record).allowed && row.status === 'evidence-submitted' }
}

export async function giveSection11Evidence(ctx: ServiceContext, id: string, input: z.infer<typeof actionEvidenceInput>): Promise<Section11ActionRow> {
  const future = futureDateErrors(londonDate(ctx.now()), { completedOn: [input.completedOn, 'the date it was completed'] })
  if (Object.keys(future).length > 0) throw new ValidationFailed(future)
  return partnershipTransaction(ctx, async (tx) => {
    const current = await getOwnRecord<Section11ActionRow>(tx, ctx, section11Action, id, 'action')
    if (current.ownerUserId !== ctx.actor.userId) throw new AccessDenied('Only the action’s owner can give evidence of completion.')
    if (current.status === 'closed') throw new ValidationFailed({ evidence: 'This action is closed.' })
    const row = await updateVersioned<Section11ActionRow>(ctx, tx, section11Action, id, input.version, { evidence: input.evidence, completedOn: input.completedOn, status: 'evidence-submitted' })
    if (current.taskId) await tx.update(task).set({ status: 'done', doneOn: input.completedOn, updatedAt: ctx.now() }).where(eq(task.id, current.taskId))
    await audit(ctx, tx, { action: 'section11-action.evidence', recordType: 'section11-action', recordId: id, ground: 'action-owner' })
    return row
  })
}

export async function closeSection11Action(ctx: ServiceContext, id: string, input: z.infer<typeof actionCloseInput>): Promise<Section11ActionRow> {
  return partnershipTransaction(ctx, async (tx) => {
    const current = await getOwnRecord<Section11ActionRow>(tx, ctx, section11Action, id, 'action')
    const { ground } = await openReturn(ctx, tx, current.returnId, 'manage', 'actions')
    if (current.status !== 'evidence-submitted') throw new ValidationFailed({ version: 'An action is closed once its owner has given evidence that it is complete.' })
    const row = await updateVersioned<Section11ActionRow>(ctx, tx, section11Action, id, input.version, { status: 'closed', closedOn: londonDate(ctx.now()), closedBy: ctx.actor.userId })
    await audit(ctx, tx, { action: 'section11-action.close', recordType: 'section11-action', recordId: id, ground })
    return row
  })
}
