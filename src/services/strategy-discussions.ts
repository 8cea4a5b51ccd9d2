/**
 * Strategy discussions (working-together.md §2.2): convened by children's social care when there
 * is reasonable cause to suspect significant harm, with the police and health at the least. The
 * discussion decides whether to start a section 47 enquiry; when it does, the enquiry starts in the
 * same transaction and its initial conference clock runs from the discussion's date.
 */
import { strategyDiscussion } from '../db/schema.ts'
import {
  listInWords,
  londonInstant,
  missingRequiredAgencies,
  requiredAgencyLabel,
  startsSection47,
} from '../domain/journey/child-protection-rules.ts'
import { createRecord, withCase } from './case-records.ts'
import {
  agenciesById,
  checkNotFuture,
  closeClocks,
  episodeFor,
  inWords,
  Problems,
  type Section47Row,
  type StoredAttendance,
  type StrategyDiscussionRow,
} from './child-protection.ts'
import type { StrategyDiscussionInput } from './child-protection-input.ts'
import type { ServiceContext } from './context.ts'
import { beginSection47 } from './section47.ts'

export interface RecordedStrategyDiscussion {
  strategyDiscussion: StrategyDiscussionRow
  /** The section 47 enquiry the discussion started, if it decided on one. */
  section47: Section47Row | null
}

/**
 * Records a strategy discussion on the case's episode. Refuses one without children's social care,
 * the police and health unless the reason for the absence is given. Completes the episode's
 * strategy discussion clock; a section 47 decision starts the enquiry.
 */
export async function recordStrategyDiscussion(
  ctx: ServiceContext,
  caseId: string,
  input: StrategyDiscussionInput,
): Promise<RecordedStrategyDiscussion> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const episode = await episodeFor(tx, open, input.episodeId)
    const agencies = await agenciesById(tx, ctx.actor.partnershipId, input.attendees.map((a) => a.agencyId))

    const problems = new Problems()
    checkNotFuture(ctx, problems, { heldOn: input.heldOn, section47StartedOn: input.section47StartedOn })
    if (input.heldOn < episode.referralDate) {
      problems.add('heldOn', `The discussion cannot be before the referral (${inWords(episode.referralDate)})`)
    }
    input.attendees.forEach((a, i) => {
      if (!agencies.has(a.agencyId)) problems.add(`attendees-${i}-agencyId`, 'Select one of the partnership’s agencies')
    })
    const missing = missingRequiredAgencies(input.attendees.map((a) => agencies.get(a.agencyId)?.type ?? ''))
    if (missing.length > 0 && !input.requiredAgencyAbsenceReason) {
      problems.add(
        'requiredAgencyAbsenceReason',
        `No one from ${listInWords(missing.map(requiredAgencyLabel))} took part. Add them, or give the reason they were absent`,
      )
    }
    problems.throwIfAny()

    const attendance: StoredAttendance[] = [
      ...input.attendees.map((a) => ({ name: a.name, agencyId: a.agencyId, agencyType: agencies.get(a.agencyId)!.type, role: a.role ?? null })),
      ...missing.map((requiredAgency) => ({ absent: true as const, requiredAgency, reason: input.requiredAgencyAbsenceReason! })),
    ]
    const discussion = await createRecord<StrategyDiscussionRow>(ctx, tx, open, 'strategy-discussion', strategyDiscussion, {
      episodeId: episode.id,
      heldAt: londonInstant(input.heldOn, input.heldAtTime),
      attendees: attendance,
      informationShared: input.informationShared,
      decision: input.decision,
      decisionDetail: input.decisionDetail ?? null,
      immediateSafetyActions: input.immediateSafetyActions ?? null,
    })
    await closeClocks(ctx, tx, {
      subjectId: episode.id,
      rules: ['strategy-discussion'],
      on: input.heldOn,
      delayReason: input.delayReason,
      field: 'delayReason',
    })
    const section47 = startsSection47(input.decision)
      ? await beginSection47(ctx, tx, open, {
          discussion,
          discussionOn: input.heldOn,
          episode,
          startedOn: input.section47StartedOn ?? input.heldOn,
          field: 'section47StartedOn',
        })
      : null
    return { strategyDiscussion: discussion, section47 }
  })
}
