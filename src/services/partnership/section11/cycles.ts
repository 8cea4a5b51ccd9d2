/**
 * Section 11 cycles: the business unit issues a round of self-assessments to chosen agencies,
 * each through a named user there (a task for them), with the template's standards copied into
 * the cycle. The next cycle is due by the local `section11Cycle` setting (default 2 years).
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import type { z } from 'zod'
import { agency, appUser, section11Cycle, section11Return, section11Template, task } from '../../../db/schema/index.ts'
import { SECTION11_AGENCY_ROLES } from '../../../domain/access/policy.ts'
import { agreedAnswers, ratingCounts, type Section11Answer, type Section11Reviews, type Section11Standard } from '../../../domain/partnership/section11.ts'
import { audit } from '../../access/audit.ts'
import { localRulesOf } from '../../journey/case-records.ts'
import { NotFound, ValidationFailed, type ServiceContext } from '../../common/context.ts'
import type { Db } from '../../../db/connection.ts'
import { futureDateErrors } from '../../common/fields-input.ts'
import { partnershipTransaction, requireGeneral } from '../access.ts'
import { getOwnRecord, recordClock } from '../records.ts'
import type { cycleInput } from './input.ts'
import { londonDate } from '../../../domain/timescales/calendar/london-time.ts'

export type CycleRow = typeof section11Cycle.$inferSelect
export type ReturnRow = typeof section11Return.$inferSelect

export const standardsOf = (cycle: CycleRow): Section11Standard[] => cycle.standards as Section11Standard[]
export const answersOf = (r: ReturnRow): Record<string, Section11Answer> => r.answers as Record<string, Section11Answer>
export const reviewsOf = (r: ReturnRow): Section11Reviews => r.challenges as Section11Reviews

export async function issueCycle(ctx: ServiceContext, input: z.infer<typeof cycleInput>): Promise<CycleRow> {
  const ground = requireGeneral(ctx, 'section11:manage')
  const future = futureDateErrors(londonDate(ctx.now()), { issuedOn: [input.issuedOn, 'the date the cycle is issued'] })
  if (Object.keys(future).length > 0) throw new ValidationFailed(future)
  return partnershipTransaction(ctx, async (tx) => {
    const template = await getOwnRecord<typeof section11Template.$inferSelect>(tx, ctx, section11Template, input.templateId, 'template')
    const contacts = await tx
      .select({ id: appUser.id, agencyId: appUser.agencyId, roles: appUser.roles })
      .from(appUser)
      .where(and(inArray(appUser.id, input.contactUserIds), eq(appUser.partnershipId, ctx.actor.partnershipId), eq(appUser.active, true)))
    if (contacts.length !== new Set(input.contactUserIds).size) throw new ValidationFailed({ contactUserIds: 'Choose active users of this partnership' })
    if (new Set(contacts.map((c) => c.agencyId)).size !== contacts.length) throw new ValidationFailed({ contactUserIds: 'Choose one person for each agency' })
    if (contacts.some((c) => !c.roles.some((r) => (SECTION11_AGENCY_ROLES as string[]).includes(r)))) {
      throw new ValidationFailed({ contactUserIds: 'Choose partner practitioners or managers: they answer for their agency' })
    }
    const next = recordClock('section-11-cycle', input.issuedOn, null, input.issuedOn, { localRules: await localRulesOf(tx, ctx.actor.partnershipId) })
    const [cycle] = await tx
      .insert(section11Cycle)
      .values({
        partnershipId: ctx.actor.partnershipId,
        templateId: template.id,
        name: input.name,
        standards: template.standards,
        issuedOn: input.issuedOn,
        answersDueOn: input.answersDueOn,
        nextCycleDueOn: next!.dueOn,
        recordedBy: ctx.actor.userId,
      })
      .returning()
    for (const c of contacts) {
      const [t] = await tx
        .insert(task)
        .values({ partnershipId: ctx.actor.partnershipId, title: `Answer the section 11 self-assessment: ${input.name}`, dueOn: input.answersDueOn, assigneeUserId: c.id, createdBy: ctx.actor.userId })
        .returning({ id: task.id })
      await tx.insert(section11Return).values({ partnershipId: ctx.actor.partnershipId, cycleId: cycle!.id, agencyId: c.agencyId, contactUserId: c.id, taskId: t!.id })
    }
    await audit(ctx, tx, { action: 'section11-cycle.issue', recordType: 'section11-cycle', recordId: cycle!.id, ground, detail: { agencies: contacts.map((c) => c.agencyId), templateId: template.id } })
    return cycle!
  })
}

export async function cycleById(ctx: ServiceContext, db: Db, id: string): Promise<CycleRow> {
  const [cycle] = await db.select().from(section11Cycle).where(and(eq(section11Cycle.id, id), eq(section11Cycle.partnershipId, ctx.actor.partnershipId)))
  if (!cycle) throw new NotFound('No such cycle')
  return cycle
}

export interface CycleSummary extends CycleRow {
  returns: number
  submitted: number
  agreed: number
}

/** The cycles, newest first, and when the next is due (the latest cycle's issue date plus the local cycle length). */
export async function listCycles(ctx: ServiceContext): Promise<{ cycles: CycleSummary[]; nextDueOn: string | null; nextOverdue: boolean }> {
  requireGeneral(ctx, 'section11:manage')
  const cycles = await ctx.db.select().from(section11Cycle).where(eq(section11Cycle.partnershipId, ctx.actor.partnershipId)).orderBy(desc(section11Cycle.issuedOn), desc(section11Cycle.createdAt))
  const returns = cycles.length === 0 ? [] : await ctx.db.select({ cycleId: section11Return.cycleId, status: section11Return.status }).from(section11Return).where(inArray(section11Return.cycleId, cycles.map((c) => c.id)))
  const nextDueOn = cycles[0]?.nextCycleDueOn ?? null
  return {
    cycles: cycles.map((c) => {
      const mine = returns.filter((r) => r.cycleId === c.id)
      return { ...c, returns: mine.length, submitted: mine.filter((r) => r.status !== 'issued').length, agreed: mine.filter((r) => r.status === 'agreed').length }
    }),
    nextDueOn,
    nextOverdue: nextDueOn !== null && nextDueOn < londonDate(ctx.now()),
  }
}

export interface ReturnSummary {
  id: string
  agencyId: string
  agencyName: string
  contactName: string
  status: string
  submittedOn: string | null
  agreedOn: string | null
  ratings: { rating: string; count: number }[]
}

export async function getCycle(ctx: ServiceContext, id: string): Promise<{ cycle: CycleRow; standards: Section11Standard[]; returns: ReturnSummary[] }> {
  const ground = requireGeneral(ctx, 'section11:manage')
  const cycle = await cycleById(ctx, ctx.db, id)
  const rows = await ctx.db
    .select({ r: section11Return, agencyName: agency.name, contactName: appUser.displayName })
    .from(section11Return)
    .innerJoin(agency, eq(agency.id, section11Return.agencyId))
    .innerJoin(appUser, eq(appUser.id, section11Return.contactUserId))
    .where(eq(section11Return.cycleId, id))
    .orderBy(asc(agency.name))
  await audit(ctx, ctx.db, { action: 'section11-cycle.view', recordType: 'section11-cycle', recordId: id, ground })
  const standards = standardsOf(cycle)
  return {
    cycle,
    standards,
    returns: rows.map(({ r, agencyName, contactName }) => ({
      id: r.id,
      agencyId: r.agencyId,
      agencyName,
      contactName,
      status: r.status,
      submittedOn: r.submittedOn,
      agreedOn: r.agreedOn,
      ratings: ratingCounts(standards, r.status === 'issued' ? {} : agreedAnswers(answersOf(r), reviewsOf(r))),
    })),
  }
}
