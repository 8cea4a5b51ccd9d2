/**
 * A small care record for the 2025-26 SSDA903, built through the services (issue 19, item 8): a
 * child in care all year with two placements, reviews, a missing episode and health checks; a
 * young person who left care at 16 and is a care leaver at their 17th birthday; and an
 * unaccompanied asylum-seeking child who started care in the year, recorded without previous
 * permanence (as a period started before the start form asked it).
 */
import { eq } from 'drizzle-orm'
import { childCase, person, previousPermanence } from '../../src/db/schema/index.ts'
import { placementMoveInput } from '../../src/services/care/care-input.ts'
import { movePlacement } from '../../src/services/care/placements.ts'
import { careLeaverDetails, careLeaverRecordInput } from '../../src/services/journey/care-leavers-input.ts'
import { recordCareLeaverRecord, saveCareLeaverDetails } from '../../src/services/journey/care-leavers.ts'
import { healthEducationInput, offendingSubstanceInput } from '../../src/services/journey/health-education-input.ts'
import { recordHealthEducation } from '../../src/services/journey/health-education.ts'
import { lacReviewInput } from '../../src/services/journey/looked-after-input.ts'
import { becomeLookedAfter, endLookedAfter, recordLacReview } from '../../src/services/journey/looked-after.ts'
import { missingEpisodeStart } from '../../src/services/journey/missing-episodes-input.ts'
import { recordMissingEpisode } from '../../src/services/journey/missing-episodes.ts'
import { CARE_START } from './care.ts'
import type { World } from './fixtures.ts'

let next = 0

/** A child as a CP or CIN journey leaves them: census details, an LA child id, a case open since January 2024. */
async function child(world: World, worker: string, details: { dateOfBirth: string; sex: string; givenName: string }) {
  const { caseId, personId } = await world.childCase({ worker, givenName: details.givenName, familyName: 'Fictional' })
  const laChildId = `T${world.partnershipId.slice(0, 4).toUpperCase()}${String(++next).padStart(4, '0')}`
  await world.db.update(person).set({ dateOfBirth: details.dateOfBirth, sex: details.sex, ethnicity: 'WBRI', upnUnknown: 'UN2', laChildId }).where(eq(person.id, personId))
  await world.db.update(childCase).set({ openedOn: '2024-01-10' }).where(eq(childCase.id, caseId))
  return { caseId, personId }
}

export async function buildSsda903Record(world: World, options: { uascStartedOn?: string } = {}) {
  const worker = await world.user(['social-worker'])
  const ctx = world.ctx(worker)

  // In care all year: L2 then C1, a move in the year, two reviews and a missing episode in it, health checks.
  const inCare = await child(world, worker.userId, { dateOfBirth: '2012-06-01', sex: 'F', givenName: 'Ivy' })
  const period = await becomeLookedAfter(ctx, inCare.caseId, { startedOn: '2024-11-01', legalStatus: 'C2', ...CARE_START })
  await recordLacReview(ctx, inCare.caseId, period.id, lacReviewInput.parse({ heldOn: '2024-11-25', participation: 'PN1' }))
  await recordLacReview(ctx, inCare.caseId, period.id, lacReviewInput.parse({ heldOn: '2025-02-20', participation: 'PN1' }))
  await recordLacReview(ctx, inCare.caseId, period.id, lacReviewInput.parse({ heldOn: '2025-08-15', participation: 'PN1' }))
  await movePlacement(
    ctx,
    inCare.caseId,
    period.id,
    placementMoveInput.parse({ endReason: 'CARPL', placeType: 'U4', provider: 'PR4', newCarerName: 'Birch household', newCarerKind: 'foster', urn: 'SC123456', placementPostcode: 'ZQ8 6ED', startedOn: '2025-06-01' }),
  )
  await recordMissingEpisode(ctx, inCare.caseId, missingEpisodeStart.parse({ kind: 'missing', startedOn: '2025-07-03', startedTime: '21:00', returnedOn: '2025-07-04', returnedTime: '09:30' }))
  for (const h of [
    { kind: 'initial-health-assessment', doneOn: '2024-11-20' },
    { kind: 'review-health-assessment', doneOn: '2025-05-01' },
    { kind: 'dental-check', doneOn: '2025-06-10' },
    { kind: 'immunisations', doneOn: '2025-06-10', upToDate: 'yes' },
    { kind: 'sdq', doneOn: '2025-08-01', sdqScore: '14' },
  ]) {
    await recordHealthEducation(ctx, inCare.caseId, healthEducationInput.parse(h))
  }
  // A substance misuse problem in the year, an intervention offered and refused (OC2).
  for (const h of [
    { kind: 'substance-misuse', doneOn: '2025-09-01' },
    { kind: 'substance-misuse-intervention-refused', doneOn: '2025-09-15' },
  ]) {
    await recordHealthEducation(ctx, inCare.caseId, offendingSubstanceInput.parse(h))
  }

  // Left care at 16 (before the year's 17th birthday), a care leaver in touch around it.
  const leaver = await child(world, worker.userId, { dateOfBirth: '2008-09-15', sex: 'M', givenName: 'Ash' })
  const leaverPeriod = await becomeLookedAfter(ctx, leaver.caseId, { startedOn: '2023-03-01', legalStatus: 'V2', ...CARE_START })
  await endLookedAfter(ctx, leaver.caseId, leaverPeriod.id, { version: leaverPeriod.version, endedOn: '2025-05-10', reasonCeased: 'E4A' })
  await saveCareLeaverDetails(ctx, leaver.caseId, careLeaverDetails.parse({ category: 'relevant', stayingPut: 'no', supportTo25: 'no' }))
  await recordCareLeaverRecord(ctx, leaver.caseId, careLeaverRecordInput.parse({ kind: 'contact', on: '2025-09-20', inTouch: 'YES', activity: 'F2', accommodation: 'B1' }))

  // Unaccompanied, started care in the year unless told otherwise (no home postcode). The period was
  // recorded before the start form asked previous permanence (no PrevPerm row: rule 630 asks for one).
  const uasc = await child(world, worker.userId, { dateOfBirth: '2009-01-01', sex: 'M', givenName: 'Oak' })
  const uascPeriod = await becomeLookedAfter(ctx, uasc.caseId, { startedOn: options.uascStartedOn ?? '2025-06-01', legalStatus: 'V2', ...CARE_START, categoryOfNeed: 'N8', uasc: true, homePostcode: null })
  await world.db.delete(previousPermanence).where(eq(previousPermanence.periodId, uascPeriod.id))

  return { worker, inCare, leaver, uasc, period }
}
