/**
 * The demo's examples of the rest of the work, so that a newcomer finds something on every page,
 * recorded through the same services a user's clicks go through and dated relative to the demo's
 * today (a current working week): the children's addresses, households and alerts; an information
 * request health answered about Bea; a serious incident about Bea with its rapid review (a police
 * contribution, the decision, the Panel) and the local practice review it called for, with an
 * action the police own; and two agencies' records of one child waiting in the possible
 * duplicates queue. All fictional.
 */
import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { appUser, childCase, person } from '../../db/schema/index.ts'
import { addDays } from '../../domain/timescales/calendar/iso-date.ts'
import { loadActor } from '../access/accounts.ts'
import type { ServiceContext } from '../common/context.ts'
import { setCaseAlerts } from '../journey/case-alerts.ts'
import { childAddressInput } from '../journey/child-details-input.ts'
import { moveChild } from '../journey/child-details.ts'
import { familyMemberInput } from '../journey/family-input.ts'
import { addFamilyMember } from '../journey/family.ts'
import { answerRequest, sendInformationRequest } from '../multi-agency/information-requests.ts'
import { answerContribution } from '../partnership/contributions.ts'
import { recordIncident, recordNotification, recordRapidReviewDecision, requestIncidentContribution, submitToPanel } from '../partnership/incidents.ts'
import { addAction, addRecommendation, getReview, startReview } from '../partnership/practice-reviews.ts'
import { importRows } from '../person-index/import-run.ts'

/** The demo's NHS numbers (999 test range) of the children these examples are about. */
const NHS = { ash: '9990000018', bea: '9990000026', cody: '9990000034', dee: '9990000042', eve: '9990000050' } as const

export async function seedDemoExamples(db: Db, partnershipId: string, emailDomain: string, today: string, now: Date): Promise<void> {
  const ago = (days: number) => addDays(today, -days)
  /** Acting as a demo user on `day` at `time` (London is UTC or an hour ahead: a working hour either way). */
  const as = async (localPart: string, day = today, time = ''): Promise<ServiceContext> => {
    const [u] = await db.select({ id: appUser.id }).from(appUser).where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.email, `${localPart}@${emailDomain}`)))
    const actor = u ? await loadActor(db, u.id) : null
    if (!actor) throw new Error(`demo user ${localPart} missing`)
    const at = time ? new Date(`${day}T${time}:00Z`) : now
    return { db, actor, now: () => at, requestId: 'demo-seed' }
  }
  const caseOf = async (nhsNumber: string) => {
    const [row] = await db
      .select({ caseId: childCase.id, personId: person.id, version: person.version })
      .from(childCase)
      .innerJoin(person, eq(person.id, childCase.personId))
      .where(and(eq(person.partnershipId, partnershipId), eq(person.nhsNumber, nhsNumber)))
    if (!row) throw new Error('demo child missing')
    return row
  }
  const worker = await as('social.worker')
  const manager = await as('team.manager')
  const frontDoor = await as('front.door')

  // ---- Where the children live and with whom; alerts for those visiting.
  const household = async (
    ctx: ServiceContext,
    nhsNumber: string,
    address: string,
    postcode: string,
    since: string,
    people: { givenName: string; familyName: string; kind: string; sameHousehold: boolean; parentalResponsibility: boolean }[],
  ) => {
    const child = await caseOf(nhsNumber)
    const residentIds: string[] = []
    for (const p of people) {
      const added = await addFamilyMember(
        ctx,
        child.caseId,
        familyMemberInput.parse({
          person: { givenName: p.givenName, familyName: p.familyName },
          kind: p.kind,
          sameHousehold: p.sameHousehold,
          parentalResponsibility: p.parentalResponsibility,
        }),
      )
      if (p.sameHousehold) residentIds.push(added.relatedPersonId)
    }
    await moveChild(ctx, child.caseId, childAddressInput.parse({ address, postcode, fromDate: since, residentIds, reason: 'Address given with the contact (demo).', version: child.version }))
    return child
  }
  await household(worker, NHS.ash, '12 Example Road, Demoshire (fictional)', 'ZZ99 1AA', '2019-05-01', [
    { givenName: 'Rowan', familyName: 'Testcase', kind: 'parent', sameHousehold: true, parentalResponsibility: true },
    { givenName: 'Jay', familyName: 'Testcase', kind: 'parent', sameHousehold: true, parentalResponsibility: true },
  ])
  const bea = await household(worker, NHS.bea, '3 Sample Street, Demoshire (fictional)', 'ZZ99 2BB', ago(8), [
    { givenName: 'Iris', familyName: 'Storybook', kind: 'grandparent', sameHousehold: true, parentalResponsibility: false },
    { givenName: 'Tara', familyName: 'Storybook', kind: 'parent', sameHousehold: false, parentalResponsibility: true },
  ])
  await setCaseAlerts(worker, bea.caseId, {
    workerSafety: 'The mother’s partner has been hostile to professionals: visit in pairs (fictional).',
    communicationNeeds: null,
    version: (await db.select({ version: childCase.version }).from(childCase).where(eq(childCase.id, bea.caseId)))[0]!.version,
  })
  const cody = await household(frontDoor, NHS.cody, '40 Pretend Avenue, Demoshire (fictional)', 'ZZ99 4DD', '2021-09-01', [
    { givenName: 'Luis', familyName: 'Madeup', kind: 'parent', sameHousehold: true, parentalResponsibility: true },
  ])
  await setCaseAlerts(frontDoor, cody.caseId, {
    workerSafety: null,
    communicationNeeds: 'Cody’s father’s first language is Portuguese: book an interpreter (fictional).',
    version: (await db.select({ version: childCase.version }).from(childCase).where(eq(childCase.id, cody.caseId)))[0]!.version,
  })
  await household(manager, NHS.dee, '8 Invented Lane, Demoshire (fictional)', 'ZZ99 5EE', '2020-02-01', [
    { givenName: 'Sky', familyName: 'Notreal', kind: 'parent', sameHousehold: true, parentalResponsibility: true },
  ])
  const eve = await caseOf(NHS.eve)
  await moveChild(worker, eve.caseId, childAddressInput.parse({ address: '5 Imaginary Close, Demoshire (fictional)', postcode: 'ZZ99 3CC', fromDate: '2024-02-11', reason: 'Address given with the referral (demo).', version: eve.version }))

  // ---- An information request about Bea: the social worker asked health, the health visitor answered the same day.
  const trust = (await db.select({ agencyId: appUser.agencyId }).from(appUser).where(eq(appUser.email, `health.visitor@${emailDomain}`)))[0]!.agencyId
  const request = await sendInformationRequest(await as('social.worker', ago(8), '10:00'), bea.caseId, {
    toAgencyId: trust,
    personIds: [bea.personId],
    question: 'Has health seen Bea for any injury or missed appointment in the last year? (fictional)',
    urgency: 'red',
  })
  await answerRequest(await as('health.visitor', ago(8), '12:30'), request.id, {
    held: true,
    information: 'Bea missed her two-year review; one attendance for a bumped head in the spring, no concerns recorded then (fictional).',
    version: request.version,
  })

  // ---- A serious incident about Bea, its rapid review and the local practice review it called for.
  const unitOn = (days: number) => as('business.unit', ago(days), '11:00')
  const incident = await recordIncident(await unitOn(6), {
    child: NHS.bea,
    kind: 'serious-harm-abuse-neglect',
    incidentOn: ago(7),
    awareOn: ago(7),
    summary: 'Bea was admitted to hospital with a broken arm that her injuries at nursery had not explained (fictional).',
  })
  const notified = await recordNotification(await unitOn(6), incident.id, { notifiedOn: ago(6), lateReason: null, version: incident.version })
  const police = (await db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, `police.officer@${emailDomain}`)))[0]!.id
  const contribution = await requestIncidentContribution(await unitOn(6), incident.id, {
    contactUserId: police,
    question: 'What did the police know about Bea’s household before the admission? (fictional)',
    dueOn: ago(3),
  })
  await answerContribution(await as('police.officer', ago(4), '15:00'), contribution.id, {
    involvement: 'One call-out to the mother’s address for a verbal argument last year; no crime recorded (fictional).',
    entries: [{ on: ago(200), text: 'Call-out for a verbal argument between adults (fictional).' }],
    learning: 'The call-out was not shared with the health visitor (fictional).',
    version: contribution.version,
  })
  const decided = await recordRapidReviewDecision(await unitOn(2), incident.id, {
    decision: 'local-review',
    reasons: 'Agencies held pieces of information that were not put together (fictional).',
    decidedOn: ago(2),
    version: notified.version,
  })
  await submitToPanel(await unitOn(1), incident.id, { submittedOn: ago(1), lateReason: null, version: decided.version })
  const review = await startReview(await unitOn(1), { incidentId: incident.id, title: 'Child B (fictional)', decidedOn: ago(1), notifiedOn: null })
  await addRecommendation(await unitOn(1), review.id, { text: 'Police call-outs to a household with a child under five are shared with health visiting (fictional).' })
  const [recommendation] = (await getReview(await unitOn(1), review.id)).recommendations
  await addAction(await unitOn(1), review.id, {
    recommendationId: recommendation!.id,
    text: 'Agree with health visiting how call-outs are shared (fictional).',
    ownerUserId: police,
    actionDueOn: addDays(today, 60),
  })

  // ---- Possible duplicates: a GP record and a school record of the same (fictional) child, not yet decided.
  const record = { source_system: 'Elm Street Surgery (demo)', source_id: 'GP-DEMO-1', given_name: 'Frederick', family_name: 'Imaginary', date_of_birth: '2016-06-16', sex: 'M', nhs_number: '', postcode: 'ZZ99 6FF' }
  await importRows(db, { partnershipId, userId: null, now }, [
    { line: 2, record },
    { line: 3, record: { ...record, source_system: 'Oakfield Primary School (demo)', source_id: 'SCH-DEMO-1', given_name: 'Freddie' } },
  ], { today })
}
