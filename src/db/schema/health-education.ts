/**
 * A looked-after child's health and education records (issue 19 §4): health assessments, dental
 * checks, immunisations, health surveillance, the strengths and difficulties questionnaire, and the
 * personal education plan with its reviews. Each is an event with its day; the clocks that follow
 * (the next review health assessment, questionnaire or plan review) start from it. The SSDA903's OC2
 * items and Annex A list 8's dates are queries of this table.
 */
import { boolean, index, integer, pgTable, text } from 'drizzle-orm/pg-core'
import { caseId, createdAt, day, id, partnershipId, recordedBy, updatedAt, version } from './common.ts'

export const healthEducationRecord = pgTable(
  'health_education_record',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    /** HEALTH_EDUCATION_KIND. */
    kind: text('kind').notNull(),
    doneOn: day('done_on').notNull(),
    /** Immunisations: whether they are up to date. */
    upToDate: boolean('up_to_date'),
    /** The questionnaire's total difficulties score (0-40), or why there is none (SDQ_REASON). */
    sdqScore: integer('sdq_score'),
    sdqReason: text('sdq_reason'),
    /** Who did it: the doctor or dentist, the school and designated teacher for a plan. */
    doneBy: text('done_by'),
    notes: text('notes'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('health_education_case_idx').on(t.caseId, t.doneOn)],
)
