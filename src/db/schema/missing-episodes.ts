/**
 * Times a child was missing from home or care, or away without permission (issue 19 §5): when the
 * child went and came back, the return home interview the child should be offered within 72 hours
 * of coming back (offered, accepted, held), and the partnership's exploitation screening where it
 * uses one. The SSDA903's Missing table and Annex A list 8's counts are queries of this table.
 */
import { boolean, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core'
import { caseId, createdAt, day, id, partnershipId, recordedBy, updatedAt, version } from './common.ts'

export const missingEpisode = pgTable(
  'missing_episode',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    /** 'missing' (903 M: where the child was not known) or 'away' (903 A: away without permission; MISSING_KIND). */
    kind: text('kind').notNull(),
    /** When the child was found to be gone, and its London date (the 903's MIS_START). */
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    startedOn: day('started_on').notNull(),
    /** When the child came back or was found, and its London date (MIS_END); null while still missing. */
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    returnedOn: day('returned_on'),
    /** The return home interview: the day it was offered, the child's answer (null: not answered), the day it was held and by whom. */
    interviewOfferedOn: day('interview_offered_on'),
    interviewAccepted: boolean('interview_accepted'),
    interviewHeldOn: day('interview_held_on'),
    interviewBy: text('interview_by'),
    /** The exploitation screening after the episode, where the partnership uses one (EXPLOITATION_SCREENING_OUTCOME). */
    screenedOn: day('screened_on'),
    screeningOutcome: text('screening_outcome'),
    /** What happened, in words (where the child was, who found them, what the child said). */
    notes: text('notes'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('missing_episode_case_idx').on(t.caseId, t.startedOn)],
)
