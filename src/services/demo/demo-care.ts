/**
 * The demo's child in care and care leaver (issue 19, item 10), recorded through the same services
 * a user's clicks go through and dated relative to the demo's today, so that the looked-after,
 * missing, health and education and care leaver pages, the clocks and the SSDA903 return all have
 * someone in them:
 *
 * - Fern Storyland (about 14) came into care on an interim care order a little over a year ago:
 *   a short-term foster placement, then a move to long-term agency foster carers out of the area,
 *   a full care order, a care plan for long-term fostering, an IRO chairing her reviews (with her
 *   participation), health assessments, a questionnaire, personal education plans, and one night
 *   missing with the return home interview held.
 * - Gil Inventedson was accommodated at 15 and left care at 18 staying put with his foster carers:
 *   his reviews, health and education records in care, the pathway plan and its reviews, a
 *   personal adviser, and the contact around his 18th birthday (accommodation and activity).
 *
 * All fictional: 999 NHS numbers, made-up names and households, postcodes of the synthetic lookup.
 */
import type { Db } from '../../db/connection.ts'
import { addDays, addMonths } from '../../domain/timescales/calendar/iso-date.ts'
import { upnCheckLetter } from '../../domain/demo/identifiers.ts'
import { loadActor } from '../access/accounts.ts'
import { legalStatusChangeInput, placementMoveInput } from '../care/care-input.ts'
import { allocateIro, recordCarePlan } from '../care/permanence.ts'
import { carePlanInput, iroAllocationInput } from '../care/permanence-input.ts'
import { changeLegalStatus, movePlacement } from '../care/placements.ts'
import type { ServiceContext } from '../common/context.ts'
import { careLeaverDetails, careLeaverRecordInput } from '../journey/care-leavers-input.ts'
import { recordCareLeaverRecord, saveCareLeaverDetails } from '../journey/care-leavers.ts'
import { healthEducationInput } from '../journey/health-education-input.ts'
import { recordHealthEducation } from '../journey/health-education.ts'
import { lacReviewInput, lookedAfterEnd, lookedAfterStart } from '../journey/looked-after-input.ts'
import { becomeLookedAfter, endLookedAfter, recordLacReview } from '../journey/looked-after.ts'
import { missingEpisodeStart, returnInterview } from '../journey/missing-episodes-input.ts'
import { recordMissingEpisode, recordReturnInterview } from '../journey/missing-episodes.ts'

/** A unique pupil number of the demo's (fictional) authority 999, from its twelve digits. */
export const demoUpn = (twelveDigits: string): string => `${upnCheckLetter(twelveDigits)}${twelveDigits}`

/** Fern's date of birth (fixed, like the other demo children's). */
export const DEMO_IN_CARE_BIRTH = '2012-09-03'

/** Gil's 18th birthday: the first of the month some 200 days before today, so he left care at 18 about half a year ago. */
function leaverBirthday18(today: string): string {
  return `${addDays(today, -200).slice(0, 7)}-01`
}

/** Gil's date of birth, relative to today (he is always about 18 and a half). */
export function demoCareLeaverBirth(today: string): string {
  return addMonths(leaverBirthday18(today), -18 * 12)
}

export interface DemoCareIds {
  /** The social worker allocated to both cases, and the IRO (the conference chair). */
  worker: string
  iro: string
  inCareCaseId: string
  leaverCaseId: string
}

export async function seedDemoCare(db: Db, ids: DemoCareIds, today: string): Promise<void> {
  const worker = await loadActor(db, ids.worker)
  if (!worker) throw new Error('demo social worker missing')
  /** Acting as the social worker on `day` (mid-morning), so each record is stamped the day it was made. */
  const on = (day: string): ServiceContext => ({ db, actor: worker, now: () => new Date(`${day}T10:00:00Z`), requestId: 'demo-seed' })
  const ago = (days: number) => addDays(today, -days)
  /** Days from `from` every `step` days while before `to`. */
  const every = (from: string, to: string, step: number): string[] => {
    const out: string[] = []
    for (let d = from; d < to; d = addDays(d, step)) out.push(d)
    return out
  }
  const health = (caseId: string, input: Record<string, string>) => recordHealthEducation(on(input.doneOn!), caseId, healthEducationInput.parse(input))
  /** Reviews on time: the first within 20 working days, the second within 3 months, then every 6 months. */
  const reviews = async (caseId: string, periodId: string, start: string, until: string, participation: (n: number) => string) => {
    const days = [addDays(start, 18), addDays(start, 18 + 80), ...every(addDays(start, 18 + 80 + 170), until, 170)].filter((d) => d < until)
    for (const [n, heldOn] of days.entries()) {
      await recordLacReview(on(heldOn), caseId, periodId, lacReviewInput.parse({ heldOn, participation: participation(n), reviewedPermanencePlan: 'long-term-fostering' }))
    }
  }
  /** The initial health assessment, then the yearly review; the personal education plan, then its termly reviews. */
  const healthAndEducation = async (caseId: string, start: string, until: string) => {
    await health(caseId, { kind: 'initial-health-assessment', doneOn: addDays(start, 15), doneBy: 'Dr Demo Paediatrician (fictional)' })
    for (const doneOn of every(addDays(start, 15 + 350), until, 350)) await health(caseId, { kind: 'review-health-assessment', doneOn, doneBy: 'Looked-after children’s nurse (demo)' })
    await health(caseId, { kind: 'pep', doneOn: addDays(start, 20), doneBy: 'Virtual school (demo)' })
    for (const doneOn of every(addDays(start, 20 + 110), until, 110)) await health(caseId, { kind: 'pep-review', doneOn, doneBy: 'Virtual school (demo)' })
  }
  const carePlanAndIro = async (caseId: string, periodId: string, start: string) => {
    await recordCarePlan(on(addDays(start, 5)), caseId, periodId, carePlanInput.parse({ agreedOn: addDays(start, 5), permanencePlan: 'long-term-fostering' }))
    await allocateIro(on(addDays(start, 2)), caseId, periodId, iroAllocationInput.parse({ iroId: ids.iro, fromOn: addDays(start, 2) }))
  }

  // ---- Fern: in care for a little over a year.
  const fern = ids.inCareCaseId
  const fernStart = ago(400)
  const period = await becomeLookedAfter(
    on(fernStart),
    fern,
    lookedAfterStart.parse({
      startedOn: fernStart,
      legalStatus: 'C1',
      prevPerm: 'Z1',
      categoryOfNeed: 'N1',
      uasc: 'no',
      homePostcode: 'ZQ3 6HS',
      placeType: 'U6',
      provider: 'PR1',
      newCarerName: 'Hazel household (fictional)',
      newCarerKind: 'foster',
      placementPostcode: 'ZQ5 7SD',
    }),
  )
  await carePlanAndIro(fern, period.id, fernStart)
  // Matched with long-term foster carers from an agency, over the border; the full care order followed.
  await movePlacement(
    on(ago(250)),
    fern,
    period.id,
    placementMoveInput.parse({
      startedOn: ago(250),
      endReason: 'CARPL',
      placeType: 'U4',
      provider: 'PR4',
      newCarerName: 'Juniper household (fictional, agency)',
      newCarerKind: 'foster',
      newCarerUrn: 'SC999001',
      placementPostcode: 'ZR3 6AU',
    }),
  )
  await changeLegalStatus(on(ago(220)), fern, period.id, legalStatusChangeInput.parse({ legalStatus: 'C2', fromOn: ago(220) }))
  await reviews(fern, period.id, fernStart, today, (n) => (n === 1 ? 'PN5' : 'PN1'))
  await healthAndEducation(fern, fernStart, today)
  await health(fern, { kind: 'dental-check', doneOn: ago(150) })
  await health(fern, { kind: 'immunisations', doneOn: ago(150), upToDate: 'yes' })
  await health(fern, { kind: 'sdq', doneOn: ago(120), sdqScore: '17' })
  // One night missing from the placement; the return home interview within 72 hours.
  const missing = await recordMissingEpisode(
    on(ago(44)),
    fern,
    missingEpisodeStart.parse({ kind: 'missing', startedOn: ago(45), startedTime: '21:30', returnedOn: ago(44), returnedTime: '08:15', notes: 'Found at a friend’s house by the police (fictional).' }),
  )
  await recordReturnInterview(
    on(ago(43)),
    fern,
    missing.id,
    returnInterview.parse({
      version: missing.version,
      interviewOfferedOn: ago(44),
      interviewAccepted: 'yes',
      interviewHeldOn: ago(43),
      interviewBy: 'Rory Advocate (demo)',
      screenedOn: ago(43),
      screeningOutcome: 'no-concerns',
    }),
  )

  // ---- Gil: accommodated at 15, left care at 18 staying put with his foster carers.
  const gil = ids.leaverCaseId
  const birthday18 = leaverBirthday18(today)
  const gilStart = addMonths(birthday18, -31)
  const gilPeriod = await becomeLookedAfter(
    on(gilStart),
    gil,
    lookedAfterStart.parse({
      startedOn: gilStart,
      legalStatus: 'V2',
      prevPerm: 'Z1',
      categoryOfNeed: 'N4',
      uasc: 'no',
      homePostcode: 'ZQ1 1QH',
      placeType: 'U6',
      provider: 'PR1',
      newCarerName: 'Rowan household (fictional)',
      newCarerKind: 'foster',
      placementPostcode: 'ZQ8 6BS',
    }),
  )
  await carePlanAndIro(gil, gilPeriod.id, gilStart)
  await reviews(gil, gilPeriod.id, gilStart, birthday18, () => 'PN1')
  await healthAndEducation(gil, gilStart, birthday18)
  // Eligible at 16: a personal adviser and the pathway plan, reviewed every six months.
  const sixteenAndAHalf = addMonths(birthday18, -18)
  const details = await saveCareLeaverDetails(
    on(sixteenAndAHalf),
    gil,
    careLeaverDetails.parse({ category: 'eligible', personalAdviser: 'Pip Adviser (demo)', personalAdviserFrom: sixteenAndAHalf, stayingPut: 'no', supportTo25: 'no' }),
  )
  await recordCareLeaverRecord(on(sixteenAndAHalf), gil, careLeaverRecordInput.parse({ kind: 'pathway-plan', on: sixteenAndAHalf, notes: 'Stay with the Rowans, finish college (fictional).' }))
  for (const day of every(addDays(sixteenAndAHalf, 170), today, 170)) {
    await recordCareLeaverRecord(on(day), gil, careLeaverRecordInput.parse({ kind: 'pathway-plan-review', on: day }))
  }
  await endLookedAfter(on(birthday18), gil, gilPeriod.id, lookedAfterEnd.parse({ version: gilPeriod.version, endedOn: birthday18, reasonCeased: 'E17' }))
  await saveCareLeaverDetails(
    on(birthday18),
    gil,
    careLeaverDetails.parse({ version: details.version, category: 'former-relevant', personalAdviser: 'Pip Adviser (demo)', personalAdviserFrom: sixteenAndAHalf, stayingPut: 'yes', stayingPutFrom: birthday18, supportTo25: 'no' }),
  )
  // In touch around his 18th birthday: staying put, at college full time.
  const contactOn = addDays(birthday18, 7)
  await recordCareLeaverRecord(on(contactOn), gil, careLeaverRecordInput.parse({ kind: 'contact', on: contactOn, inTouch: 'YES', activity: 'F2', accommodation: 'Z1' }))
}
