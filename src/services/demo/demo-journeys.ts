/**
 * The demo children's journeys, recorded through the same services a user's clicks go through,
 * so the demo shows real contacts, episodes, clocks, plans and chronologies: Cody waits at the
 * front door, Ash is being assessed, Bea is in a section 47 enquiry after a strategy discussion,
 * and Dee (a restricted record) has an early help assessment by her school and an early help plan.
 */
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { cinEpisode } from '../../db/schema/index.ts'
import { addDays } from '../../domain/timescales/calendar/iso-date.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { completeAssessmentInput, startAssessmentInput } from '../journey/assessment-input.ts'
import { completeAssessment, startAssessment } from '../journey/assessments.ts'
import { loadActor } from '../access/accounts.ts'
import { strategyDiscussionInput } from '../journey/child-protection-input.ts'
import type { ServiceContext } from '../common/context.ts'
import { contactInput, decisionInput, feedbackInput } from '../journey/front-door-input.ts'
import { decideContact, recordContact, recordFeedback } from '../journey/front-door.ts'
import { planItemInput, startPlanInput } from '../journey/plan-input.ts'
import { addPlanItem, startPlan } from '../journey/plans.ts'
import { earlyHelpAssessmentInput } from '../journey/early-help-assessment-input.ts'
import { recordEarlyHelpAssessment } from '../journey/early-help-assessments.ts'
import { recordStrategyDiscussion } from '../journey/strategy-discussions.ts'
import { setPrimaryNeed } from '../journey/episodes.ts'

export interface DemoIds {
  users: { frontDoor: string; socialWorker: string; manager: string }
  agencies: { school: string; police: string; trust: string; council: string; gp: string }
  people: { ash: string; bea: string; cody: string; dee: string }
}

export async function seedDemoJourneys(db: Db, ids: DemoIds, today: string, now: Date): Promise<void> {
  const ctxOf = async (userId: string): Promise<ServiceContext> => {
    const actor = await loadActor(db, userId)
    if (!actor) throw new Error('demo user missing')
    return { db, actor, now: () => now, requestId: 'demo-seed' }
  }
  const frontDoor = await ctxOf(ids.users.frontDoor)
  const worker = await ctxOf(ids.users.socialWorker)
  const manager = await ctxOf(ids.users.manager)
  const ago = (days: number) => addDays(today, -days)

  // Who referred matches the contact's source: the school's safeguarding lead, the health visitor, a parent.
  const school = { source: '2A', referrerName: 'Ms Demo Teacher', referrerAgencyId: ids.agencies.school, referrerRole: 'Designated safeguarding lead' }
  type Referrer = typeof school | { source: string; referrerName: string; referrerAgencyId?: string; referrerRole: string }
  const contact = (personId: string, receivedDate: string, concern: string, referrer: Referrer = school, by = frontDoor) =>
    recordContact(
      by,
      contactInput.parse({
        receivedDate,
        receivedTime: '09:30',
        ...referrer,
        concern,
        consent: 'given',
        urgency: 'standard',
        children: [{ personId }],
      }),
    )
  // Each decision is dated the day its contact was received, as a front door working its queue would.
  const decide = (contact: { id: string; version: number; receivedAt: Date }, decision: string, reason: string, by = frontDoor) =>
    decideContact(by, contact.id, decisionInput.parse({ decision, reason, decidedOn: londonDate(contact.receivedAt), version: contact.version }))
  const tellReferrer = (contactId: string, version: number, feedbackOn: string, feedback: string) =>
    recordFeedback(frontDoor, contactId, feedbackInput.parse({ feedbackOn, feedback, version }))

  // Cody: a contact from school yesterday, waiting for the front door's decision.
  await contact(ids.people.cody, ago(1), 'Cody has come to school hungry on several days this week (fictional).')

  // Ash: referred three weeks ago; the allocated social worker is assessing.
  const ash = await contact(ids.people.ash, ago(21), 'Ash disclosed arguments at home that frighten him (fictional).')
  const ashDecided = await decide(ash, 'referral', 'Needs a child and family assessment.')
  await tellReferrer(ash.id, ashDecided.version, ago(20), 'Referred for a child and family assessment.')
  const ashCase = ash.children[0]!.caseId
  const ashEpisode = await episodeIdOf(db, ashCase)
  await setPrimaryNeed(worker, ashCase, ashEpisode, { primaryNeed: 'N4', version: 1 })
  await startAssessment(worker, ashCase, startAssessmentInput.parse({ episodeId: ashEpisode, kind: 'single', startedOn: ago(20) }))

  // Bea: a strategy discussion started a section 47 enquiry.
  const healthVisitor = { source: '3B', referrerName: 'Hana Visitor (demo)', referrerAgencyId: ids.agencies.trust, referrerRole: 'Health visitor' }
  const bea = await contact(ids.people.bea, ago(9), 'Bea has unexplained bruising the health visitor saw on a home visit (fictional).', healthVisitor)
  const beaDecided = await decide(bea, 'strategy-discussion', 'Reasonable cause to suspect significant harm.')
  await tellReferrer(bea.id, beaDecided.version, ago(8), 'A strategy discussion is being held.')
  const beaCase = bea.children[0]!.caseId
  await setPrimaryNeed(worker, beaCase, await episodeIdOf(db, beaCase), { primaryNeed: 'N1', version: 1 })
  await recordStrategyDiscussion(
    worker,
    beaCase,
    strategyDiscussionInput.parse({
      heldOn: ago(8),
      heldAtTime: '11:00',
      attendees: [
        { name: 'Sam Worker (demo)', agencyId: ids.agencies.council, role: 'Social worker' },
        { name: 'DC Demo Officer', agencyId: ids.agencies.police, role: 'Child abuse investigation' },
        { name: 'Health Visitor Demo', agencyId: ids.agencies.trust, role: 'Health visitor' },
      ],
      informationShared: 'Agencies shared what they hold about the family (fictional).',
      decision: 's47-single',
      immediateSafetyActions: 'Bea to stay with her grandmother while enquiries are made (fictional).',
    }),
  )

  // Dee (restricted): early help after an assessment that found no need for social care.
  // The front door cannot open a restricted record: the team manager with permission records it.
  const parent = { source: '1A', referrerName: 'Sky Notreal (fictional)', referrerRole: 'Dee’s parent' }
  const dee = await contact(ids.people.dee, ago(60), 'Dee’s parent asked for help with routines (fictional).', parent, manager)
  await decide(dee, 'referral', 'Assessment needed to understand the family’s needs.', manager)
  const deeCase = dee.children[0]!.caseId
  const deeEpisode = await episodeIdOf(db, deeCase)
  await setPrimaryNeed(manager, deeCase, deeEpisode, { primaryNeed: 'N5', version: 1 })
  const assessment = await startAssessment(
    manager,
    deeCase,
    startAssessmentInput.parse({ episodeId: deeEpisode, kind: 'single', startedOn: ago(58) }),
  )
  await completeAssessment(
    manager,
    deeCase,
    assessment.id,
    completeAssessmentInput.parse({ version: assessment.version, completedOn: ago(40), factors: ['20'], outcome: 'early-help' }),
  )
  await recordEarlyHelpAssessment(
    manager,
    deeCase,
    earlyHelpAssessmentInput.parse({
      startedOn: ago(39),
      completedOn: ago(38),
      agencyId: ids.agencies.school,
      summary: 'Routines at home and school attendance; the family asked for a parenting group (fictional).',
    }),
  )
  const plan = await startPlan(
    manager,
    deeCase,
    startPlanInput.parse({ kind: 'early-help', startedOn: ago(38), summary: 'Support with routines and school attendance.', nextReviewOn: ago(-30) }),
  )
  await addPlanItem(
    manager,
    deeCase,
    plan.id,
    planItemInput.parse({ kind: 'action', description: 'Offer a parenting group place', ownerAgencyId: ids.agencies.gp, dueOn: ago(-14) }),
  )
}

async function episodeIdOf(db: Db, caseId: string): Promise<string> {
  const [e] = await db.select({ id: cinEpisode.id }).from(cinEpisode).where(eq(cinEpisode.caseId, caseId))
  if (!e) throw new Error('demo referral opened no episode')
  return e.id
}
