/**
 * Early help assessments on a case (issue 17 §7; Ofsted Annex A list 2): started on a day,
 * completed on a later one (recorded then, or at once when it already was), by an organisation —
 * an agency of the partnership or one outside it, named in words — with an optional lead
 * practitioner and a summary. Seen and recorded with the same actions as early help plans (read
 * to see, update to record), audited as the case's 'plans' section; every write appends a revision
 * the chronology reads.
 */
import { desc, eq } from 'drizzle-orm'
import { earlyHelpAssessment } from '../../db/schema/index.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { caseFrame, type CaseFrame } from './case-notes.ts'
import { createRecord, getRecord, updateRecord, withCase } from './case-records.ts'
import type { EarlyHelpAssessmentCompletion, EarlyHelpAssessmentInput } from './early-help-assessment-input.ts'
import { planOptions, type PlanOptions } from './plans.ts'

export type EarlyHelpAssessmentRow = typeof earlyHelpAssessment.$inferSelect

const ENTITY = 'early-help-assessment'
const SECTION = 'plans'

export interface EarlyHelpAssessmentView extends EarlyHelpAssessmentRow {
  leadName: string | null
}

export interface EarlyHelpAssessmentsPage {
  c: CaseFrame
  /** Newest first. */
  assessments: EarlyHelpAssessmentView[]
  /** The partnership's agencies (who may complete one) and practitioners (who may lead it). */
  options: PlanOptions
}

function refuseIf(errors: Record<string, string>) {
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

/** A completion date's errors: not before the start, not in the future. */
function completionErrors(ctx: ServiceContext, startedOn: string, completedOn: string | null | undefined): Record<string, string> {
  const errors = futureDateErrors(londonDate(ctx.now()), { completedOn: [completedOn, 'the date the assessment was completed'] })
  if (completedOn && completedOn < startedOn) errors.completedOn ??= `The assessment cannot be completed before it started (${startedOn})`
  return errors
}

/** A case's early help assessments, newest first (an audited read of the case's plans section). */
export function earlyHelpAssessmentsOfCase(ctx: ServiceContext, caseId: string): Promise<EarlyHelpAssessmentsPage> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => {
      const options = await planOptions(tx, ctx.actor.partnershipId)
      const rows = await tx
        .select()
        .from(earlyHelpAssessment)
        .where(eq(earlyHelpAssessment.caseId, open.c.id))
        .orderBy(desc(earlyHelpAssessment.startedOn), desc(earlyHelpAssessment.createdAt))
      return {
        c: await caseFrame(ctx, tx, open),
        assessments: rows.map((r) => ({ ...r, leadName: options.users.find((u) => u.id === r.leadUserId)?.name ?? null })),
        options,
      }
    },
    SECTION,
  )
}

/**
 * Records an early help assessment: started (and perhaps completed) on days not in the future, the
 * completion not before the start; the organisation completing it is one of the partnership's
 * active agencies or, outside the partnership, its name (one or the other, not both).
 */
export function recordEarlyHelpAssessment(ctx: ServiceContext, caseId: string, input: EarlyHelpAssessmentInput): Promise<EarlyHelpAssessmentRow> {
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const errors: Record<string, string> = {
        ...futureDateErrors(londonDate(ctx.now()), { startedOn: [input.startedOn, 'the date the assessment started'] }),
        ...completionErrors(ctx, input.startedOn, input.completedOn),
      }
      const options = await planOptions(tx, ctx.actor.partnershipId)
      const agencyId = input.agencyId ?? null
      const other = input.otherOrganisation ?? null
      const chosen = agencyId ? options.agencies.find((a) => a.id === agencyId) : undefined
      if (agencyId && other) errors.agencyId = 'Select an agency of the partnership or name an organisation outside it, not both'
      else if (agencyId && !chosen) errors.agencyId = 'Select the organisation completing the assessment from the list'
      else if (!agencyId && !other) errors.agencyId = 'Select the organisation completing the assessment, or name one outside the partnership'
      if (input.leadUserId && !options.users.some((u) => u.id === input.leadUserId)) errors.leadUserId = 'Select a lead practitioner from the list'
      refuseIf(errors)
      return createRecord<EarlyHelpAssessmentRow>(ctx, tx, open, ENTITY, earlyHelpAssessment, {
        startedOn: input.startedOn,
        completedOn: input.completedOn ?? null,
        agencyId,
        organisation: chosen?.name ?? other!,
        leadUserId: input.leadUserId ?? null,
        summary: input.summary,
      })
    },
    SECTION,
  )
}

/** Records the completion of an assessment at the version read: not before its start, not in the future, once. */
export function completeEarlyHelpAssessment(
  ctx: ServiceContext,
  caseId: string,
  assessmentId: string,
  input: EarlyHelpAssessmentCompletion,
): Promise<EarlyHelpAssessmentRow> {
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const current = await getRecord<EarlyHelpAssessmentRow>(tx, open, earlyHelpAssessment, assessmentId)
      if (current.completedOn) throw new ValidationFailed({ completedOn: `This assessment was completed on ${current.completedOn}` })
      refuseIf(completionErrors(ctx, current.startedOn, input.completedOn))
      return updateRecord<EarlyHelpAssessmentRow>(
        ctx,
        tx,
        open,
        ENTITY,
        earlyHelpAssessment,
        current.id,
        input.version,
        { completedOn: input.completedOn },
        `${ENTITY}.complete`,
      )
    },
    SECTION,
  )
}
