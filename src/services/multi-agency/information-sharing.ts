/**
 * Information sharing records: every share of personal information out of Together and every
 * decision not to share, with its lawful basis and consent (information-sharing-input.ts). Each is
 * a journey record of the child's case (so it is in the chronology); reports list them per child
 * and, for team managers and data protection officers (auditors), per receiving agency.
 */
import { and, count, desc, eq } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { agency, appUser, informationShare } from '../../db/schema/index.ts'
import { decideGeneral } from '../../domain/access/policy.ts'
import { audit } from '../access/audit.ts'
import { createRecord, withCase } from '../journey/case-records.ts'
import { AccessDenied, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { FIRST_PAGE, pageFrom, type PageRequest } from '../common/paging.ts'
import type { ShareDecisionInput } from './information-sharing-input.ts'
import { decideCaseAction } from '../journey/case-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export type ShareRow = typeof informationShare.$inferSelect
const decider = alias(appUser, 'decider')

const sharesQuery = (ctx: ServiceContext) =>
  ctx.db
    .select({ share: informationShare, decidedByName: decider.displayName, recipientAgencyName: agency.name })
    .from(informationShare)
    .innerJoin(decider, eq(decider.id, informationShare.recordedBy))
    .leftJoin(agency, eq(agency.id, informationShare.recipientAgencyId))
    .$dynamic()

const flat = (r: { share: ShareRow; decidedByName: string; recipientAgencyName: string | null }) => ({ ...r.share, decidedByName: r.decidedByName, recipientAgencyName: r.recipientAgencyName })

/** Records a decision to share, or not to share, on a case the user may update. */
export async function recordShareDecision(ctx: ServiceContext, caseId: string, input: ShareDecisionInput): Promise<ShareRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    if (input.decidedOn > londonDate(ctx.now())) throw new ValidationFailed({ decidedOn: 'The date must be today or in the past' })
    if (input.recipientAgencyId) {
      const [a] = await tx.select({ p: agency.partnershipId }).from(agency).where(eq(agency.id, input.recipientAgencyId))
      if (a?.p !== ctx.actor.partnershipId) throw new ValidationFailed({ recipientAgencyId: 'Select an agency of this partnership, or leave it empty and name the recipient' })
    }
    return createRecord<ShareRow>(ctx, tx, open, 'information-share', informationShare, {
      ...input,
      recipientAgencyId: input.recipientAgencyId ?? null,
      article6Basis: input.article6Basis ?? null,
      article9Condition: input.specialCategory ? (input.article9Condition ?? null) : null,
    })
  })
}

/** A child's sharing decisions, newest first. */
export async function sharesOfCase(ctx: ServiceContext, caseId: string) {
  return withCase(ctx, caseId, 'case:read', async (tx, open) => ({
    c: { ...open.c, ground: open.ground, breakGlass: open.breakGlass },
    shares: (await sharesQuery({ ...ctx, db: tx }).where(eq(informationShare.caseId, open.c.id)).orderBy(desc(informationShare.decidedOn), desc(informationShare.createdAt))).map(flat),
    canRecord: (await decideCaseAction(tx, ctx, open.c, 'case:update')).allowed,
    agencies: await tx.select({ id: agency.id, name: agency.name }).from(agency).where(and(eq(agency.partnershipId, ctx.actor.partnershipId), eq(agency.active, true))),
  }), 'information-sharing')
}

/** Refuses anyone but team managers and data protection officers (auditors); the policy's ground otherwise. */
export function requireShareReport(ctx: ServiceContext): string {
  const d = decideGeneral(ctx.actor, 'information-share:report')
  if (!d.allowed) throw new AccessDenied('The sharing report is for team managers and data protection officers.')
  return d.ground
}

/**
 * Every sharing decision about a receiving agency (no child's name: the case is linked), newest
 * first, a page at a time with how many there are. Audited. Another partnership's agency does not
 * exist for the user: NotFound, not an empty report.
 */
export async function agencyShareReport(ctx: ServiceContext, agencyId: string, page: PageRequest = FIRST_PAGE) {
  const d = { ground: requireShareReport(ctx) }
  const [own] = await ctx.db
    .select({ id: agency.id })
    .from(agency)
    .where(and(eq(agency.id, agencyId), eq(agency.partnershipId, ctx.actor.partnershipId)))
  if (!own) throw new NotFound('No such agency')
  const about = and(eq(informationShare.partnershipId, ctx.actor.partnershipId), eq(informationShare.recipientAgencyId, agencyId))
  const listed = await pageFrom(
    page,
    ctx.db.select({ n: count() }).from(informationShare).where(about),
    sharesQuery(ctx).where(about).orderBy(desc(informationShare.decidedOn), desc(informationShare.id)).limit(page.limit).offset(page.offset),
  )
  await audit(ctx, ctx.db, { action: 'information-share.report', recordType: 'agency', recordId: agencyId, ground: d.ground, detail: { rows: listed.items.length, offset: page.offset } })
  return { ...listed, items: listed.items.map(flat) }
}
