/**
 * Care plans, the independent reviewing officer and permanence (issue 19, items 3 and 6): typed and
 * coded so that the SSDA903's Reviews (REVIEW_CODE), AD1, PlacedAdoption and PrevPerm tables and
 * Annex A lists 10-11 are queries. Codes are the 903 code sets (domain/care/permanence-codes.ts).
 * Each row belongs to a period of care (journey's looked_after_period).
 */
import { boolean, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { appUser } from './access.ts'
import { caseId, createdAt, day, id, partnershipId, recordedBy, updatedAt, version } from './common.ts'
import { lookedAfterPeriod } from './journey.ts'

const periodRef = () =>
  uuid('period_id')
    .notNull()
    .references(() => lookedAfterPeriod.id)

/** The care plan as agreed on a day, with its permanence plan (PERMANENCE_PLAN); the latest is the one in force. */
export const carePlan = pgTable(
  'care_plan',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    periodId: periodRef(),
    agreedOn: day('agreed_on').notNull(),
    permanencePlan: text('permanence_plan').notNull(),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('care_plan_period_idx').on(t.periodId, t.agreedOn)],
)

/** The independent reviewing officer allocated to a period, from a day until another is allocated (toOn). */
export const iroAllocation = pgTable(
  'iro_allocation',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    periodId: periodRef(),
    iroId: uuid('iro_id')
      .notNull()
      .references(() => appUser.id),
    fromOn: day('from_on').notNull(),
    toOn: day('to_on'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('iro_allocation_period_idx').on(t.periodId, t.fromOn), index('iro_allocation_iro_idx').on(t.iroId)],
)

/** A looked-after review held: the 903 Reviews row (REVIEW, REVIEW_CODE), who chaired and the permanence plan it confirmed. */
export const lookedAfterReview = pgTable(
  'looked_after_review',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    periodId: periodRef(),
    heldOn: day('held_on').notNull(),
    /** 903 REVIEW_CODE: PN0 (under 4) to PN7. */
    participation: text('participation').notNull(),
    chairId: uuid('chair_id').references(() => appUser.id),
    /** The permanence plan as the review left it (PERMANENCE_PLAN). */
    permanencePlan: text('permanence_plan'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('looked_after_review_period_day_unique').on(t.periodId, t.heldOn)],
)

/** An IRO's escalation of a concern about the care plan (the dispute resolution stages, ultimately Cafcass). */
export const iroEscalation = pgTable(
  'iro_escalation',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    periodId: periodRef(),
    raisedOn: day('raised_on').notNull(),
    /** IRO_ESCALATION_STAGE. */
    stage: text('stage').notNull(),
    concern: text('concern').notNull(),
    resolvedOn: day('resolved_on'),
    /** IRO_ESCALATION_OUTCOME, when resolved. */
    outcome: text('outcome'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('iro_escalation_period_idx').on(t.periodId, t.raisedOn)],
)

/**
 * The agency decision maker's decision that the child should be placed for adoption (903
 * PlacedAdoption DATE_PLACED = AD1 DATE_INT), its reversal (DATE_PLACED_CEASED, REASON_PLACED_CEASED),
 * the match (DATE_MATCH) and the adopters as AD1 records them.
 */
export const adoptionDecision = pgTable(
  'adoption_decision',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    periodId: periodRef(),
    decidedOn: day('decided_on').notNull(),
    ceasedOn: day('ceased_on'),
    /** 903 REASON_PLACED_CEASED RD1-RD4. */
    reasonCeased: text('reason_ceased'),
    matchedOn: day('matched_on'),
    /** AD1 NB_ADOPTR 1 or 2. */
    adopterCount: integer('adopter_count'),
    /** AD1 SEX_ADOPTR. */
    adopterSex: text('adopter_sex'),
    /** AD1 LS_ADOPTR. */
    adopterLegalStatus: text('adopter_legal_status'),
    /** AD1 FOSTER_CARE: the adopters were the child's foster carers. */
    adoptersFosterCarers: boolean('adopters_foster_carers'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('adoption_decision_period_idx').on(t.periodId, t.decidedOn), index('adoption_decision_case_idx').on(t.caseId)],
)

/** 903 PrevPerm: whether an earlier permanence order broke down, asked when a period of care starts. */
export const previousPermanence = pgTable(
  'previous_permanence',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    periodId: periodRef(),
    /** 903 PREV_PERM P1-P4, Z1. */
    prevPerm: text('prev_perm').notNull(),
    /** 903 LA_PERM: the old-style 3-digit LA code, 999, WAL, SCO, NIR or NUK. */
    laPerm: text('la_perm'),
    /** 903 DATE_PERM as the return writes it, dd/mm/yyyy with ZZ for an unknown day or month. */
    datePerm: text('date_perm'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('previous_permanence_period_unique').on(t.periodId)],
)
