/**
 * Care leavers (issue 19 §7): the young person's category, personal adviser, staying put and support
 * to 25 (one row per case), and what is recorded over time (the pathway plan, its reviews, and each
 * contact with whether the authority is in touch, the activity and the accommodation, in the
 * SSDA903's OC3 codes). The 903's OC3 at the 17th to 21st birthdays and Annex A list 9 are queries.
 */
import { boolean, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { caseId, createdAt, day, id, partnershipId, recordedBy, updatedAt, version } from './common.ts'

export const careLeaver = pgTable(
  'care_leaver',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    /** CARE_LEAVER_CATEGORY. */
    category: text('category').notNull(),
    /** The personal adviser, in words (a name and service), and since when. */
    personalAdviser: text('personal_adviser'),
    personalAdviserFrom: day('personal_adviser_from'),
    /** Staying put with former foster carers after 18, from the day it began. */
    stayingPut: boolean('staying_put').notNull().default(false),
    stayingPutFrom: day('staying_put_from'),
    /** The young person asked for support to 25 (Children and Social Work Act 2017). */
    supportTo25: boolean('support_to_25').notNull().default(false),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('care_leaver_case_unique').on(t.caseId)],
)

export const careLeaverRecord = pgTable(
  'care_leaver_record',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    /** CARE_LEAVER_RECORD_KIND. */
    kind: text('kind').notNull(),
    on: day('on').notNull(),
    /** A contact's OC3 codes: CARE_LEAVER_IN_TOUCH, CARE_LEAVER_ACTIVITY, CARE_LEAVER_ACCOMMODATION. */
    inTouch: text('in_touch'),
    activity: text('activity'),
    accommodation: text('accommodation'),
    notes: text('notes'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('care_leaver_record_case_idx').on(t.caseId, t.on)],
)
