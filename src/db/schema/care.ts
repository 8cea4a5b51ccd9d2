/**
 * Children in care (issue 19, items 1 and 2): what happens during a period of care, stored as
 * events so that the SSDA903 episodes are derived (domain/care/episodes.ts), never typed. The
 * period itself is journey's looked_after_period; its 903 context is period_of_care beside it.
 * Codes are the 903 code sets (domain/care/codes.ts).
 */
import { boolean, index, pgTable, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core'
import { caseId, createdAt, day, id, partnershipId, recordedBy, updatedAt, version } from './common.ts'
import { lookedAfterPeriod } from './journey.ts'

/**
 * A carer or household a child can be placed with: a fostering household, a children's home, a
 * relative. One per partnership, chosen on each placement, so "the same carer" (903 RNE T and U,
 * A3/A5 "with current foster carer") is data rather than a judgement made when the return is due.
 */
export const carer = pgTable(
  'carer',
  {
    id: id(),
    partnershipId: partnershipId(),
    /** The household's or setting's name: "Oak household", "Northshire Road children's home". */
    name: text('name').notNull(),
    /** CARER_KIND (domain/care/codes.ts). */
    kind: text('kind').notNull(),
    /** Ofsted's unique reference number of the registered setting or fostering agency, when there is one. */
    urn: text('urn'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('carer_partnership_idx').on(t.partnershipId, t.name)],
)

/**
 * What the 903 needs about a period of care beyond its dates and legal status: one row per
 * looked_after_period, made when the period starts (periods recorded before it have none).
 */
export const periodOfCare = pgTable(
  'period_of_care',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    periodId: uuid('period_id')
      .notNull()
      .references(() => lookedAfterPeriod.id),
    /** 903 CIN: the category of need at the start; it stays the same for the whole period (rule 504). */
    categoryOfNeed: text('category_of_need').notNull(),
    /** An unaccompanied asylum-seeking child at the start of the period (no home postcode). */
    uasc: boolean('uasc').notNull().default(false),
    /** 903 HOME_POST: the child's home postcode when the period started, upper case with one space; null for UASC. */
    homePostcode: text('home_postcode'),
    /** 903 REC of the period's last episode (never X1), when the period has ended. */
    reasonCeased: text('reason_ceased'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('period_of_care_period_unique').on(t.periodId), index('period_of_care_case_idx').on(t.caseId)],
)

/** A legal status from a day on, during a period of care (the first is the period's start). */
export const legalStatusChange = pgTable(
  'legal_status_change',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    periodId: uuid('period_id')
      .notNull()
      .references(() => lookedAfterPeriod.id),
    /** 903 LS. */
    legalStatus: text('legal_status').notNull(),
    fromOn: day('from_on').notNull(),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('legal_status_change_period_day_unique').on(t.periodId, t.fromOn)],
)

/**
 * Where and with whom the child lives during a period of care. A temporary move (T0-T4) names the
 * placement it interrupts; the child goes back to that placement when it ends.
 */
export const placement = pgTable(
  'placement',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    periodId: uuid('period_id')
      .notNull()
      .references(() => lookedAfterPeriod.id),
    /** For a temporary move, the placement it interrupts. */
    interruptsId: uuid('interrupts_id').references((): AnyPgColumn => placement.id),
    /** 903 PLACE. */
    placeType: text('place_type').notNull(),
    /** 903 PLACE_PROVIDER; null for temporary (T0-T4) and other (Z11-Z14) placements. */
    provider: text('provider'),
    carerId: uuid('carer_id').references(() => carer.id),
    /** 903 PL_POST, upper case with one space, as in the postcode lookup. */
    postcode: text('postcode').notNull(),
    /** Ofsted URN of this placement when it differs from the carer's (otherwise the carer's is used). */
    urn: text('urn'),
    startedOn: day('started_on').notNull(),
    endedOn: day('ended_on'),
    /** 903 REASON_PLACE_CHANGE: why it ended (null while open, at the end of care, or for a temporary move). */
    endReason: text('end_reason'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('placement_period_idx').on(t.periodId, t.startedOn), index('placement_case_idx').on(t.caseId)],
)

/**
 * A new home postcode during a period of care, from a day after its start: 903 HOME_POST of each
 * episode is the one in force on the day the episode starts (the period's own until the first
 * change). Not for an unaccompanied asylum-seeking child, who has none.
 */
export const homePostcodeChange = pgTable(
  'home_postcode_change',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    periodId: uuid('period_id')
      .notNull()
      .references(() => lookedAfterPeriod.id),
    /** Upper case with one space, as in the postcode lookup; null once erased. */
    postcode: text('postcode'),
    fromOn: day('from_on').notNull(),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('home_postcode_change_period_day_unique').on(t.periodId, t.fromOn)],
)
