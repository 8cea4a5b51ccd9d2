import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { lateCountOf } from '../../../test/support/late-reasons.ts'
import { accessGrant, auditEvent, caseNote, childCase, cinEpisode, clock, conferenceReport, notification, plan, task } from '../../db/schema/index.ts'
import { withCase } from './case-records.ts'
import { viewCase } from './cases.ts'
import { childProtectionOf, recordCoreGroup, type PlanRow, type Section47Row } from './child-protection.ts'
import { addNote } from './case-notes.ts'
import { noteInput } from './case-notes-input.ts'
import { caseOverview } from './case-overview.ts'
import { conferenceInput, type StrategyDiscussionCorrection, type StrategyDiscussionInput } from './child-protection-input.ts'
import { chronology } from './chronology.ts'
import { startClock } from './clocks.ts'
import { changeConferenceArrangements, recordConferenceOutcome, scheduleConference } from './conferences.ts'
import { AccessDenied, EditConflict, ValidationFailed, type Actor } from '../common/context.ts'
import { startSection47, updateSection47 } from './section47.ts'
import { correctStrategyDiscussion, recordStrategyDiscussion } from './strategy-discussions.ts'

let database: TestDatabase
let world: World
before(async () => {
  ({ database, world } = await openTestWorld())
  await world.agency('health', 'health-trust')
})
after(() => database.close())

const REFERRAL = '2026-02-27'

/** When and where the tests' conferences meet. */
const MEETS = { scheduledTime: '10:00', venue: 'Room 2, Civic Centre (fictional)' }

/** An enquiry's narrative, recorded with its outcome. */
const NARRATIVE = { findings: 'Bruising consistent with the account given at school.', outcomeReasons: 'Risk of significant harm continues.' }

/** A child's case with an open episode (referred 27 February 2026), allocated to a social worker. */
async function openCase() {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  const [episode] = await database.db
    .insert(cinEpisode)
    .values({ partnershipId: world.partnershipId, caseId, referralDate: REFERRAL, referralSource: '6', recordedBy: worker.userId })
    .returning()
  return { caseId, episodeId: episode!.id, worker, ctx: world.ctx(worker) }
}

function discussion(overrides: Partial<StrategyDiscussionInput> = {}): StrategyDiscussionInput {
  return {
    heldOn: '2026-03-02',
    heldAtTime: '10:30',
    attendees: [
      { name: 'Sam Fictional', agencyId: world.agencies.council!, role: 'Social worker' },
      { name: 'DC Imaginary', agencyId: world.agencies.police!, role: 'Detective constable' },
      { name: 'Nurse Pretend', agencyId: world.agencies.health!, role: 'Named nurse' },
    ],
    informationShared: 'Bruising seen at school; police hold a previous domestic incident.',
    decision: 's47-joint',
    decisionDetail: 'Joint visit tomorrow.',
    immediateSafetyActions: 'Child to stay with grandparent tonight.',
    ...overrides,
  }
}

async function clocksOf(subjectId: string) {
  return database.db.select().from(clock).where(eq(clock.subjectId, subjectId))
}

async function clockOf(subjectId: string, rule: string) {
  const rows = (await clocksOf(subjectId)).filter((k) => k.rule === rule)
  return rows.sort((a, b) => a.startOn.localeCompare(b.startOn))
}

async function stageOf(caseId: string) {
  const [c] = await database.db.select({ status: childCase.status }).from(childCase).where(eq(childCase.id, caseId))
  return c!.status
}

describe('the child protection path: strategy discussion → section 47 → ICPC → plan → reviews', () => {
  let c: Awaited<ReturnType<typeof openCase>>
  let chair: Actor
  let s47: Section47Row
  let cp: PlanRow
  let icpcId: string

  before(async () => {
    c = await openCase()
    chair = await world.user(['conference-chair'], { team: null })
  })

  test('a strategy discussion deciding on a joint enquiry completes its clock and starts the enquiry with the ICPC due in 15 working days', async () => {
    await withCase(c.ctx, c.caseId, 'case:update', (tx, open) =>
      startClock(c.ctx, tx, open, { rule: 'strategy-discussion', start: '2026-03-02', subjectType: 'cin-episode', subjectId: c.episodeId, task: 'Hold it' }),
    )
    const recorded = await recordStrategyDiscussion(c.ctx, c.caseId, discussion())
    const d = recorded.strategyDiscussion
    assert.equal(d.heldAt.toISOString(), '2026-03-02T10:30:00.000Z')
    assert.equal(d.episodeId, c.episodeId)
    assert.equal(d.decision, 's47-joint')
    assert.deepEqual(
      (d.attendees as { agencyType: string }[]).map((a) => a.agencyType),
      ['la-childrens-social-care', 'police', 'health-trust'],
    )
    const [strategyClock] = await clockOf(c.episodeId, 'strategy-discussion')
    assert.equal(strategyClock!.completedOn, '2026-03-02')

    s47 = recorded.section47!
    assert.equal(s47.startedOn, '2026-03-02', 'the enquiry starts on the discussion date by default')
    assert.equal(s47.strategyDiscussionId, d.id)
    assert.equal(s47.icpcTarget, '2026-03-23', '15 working days from Monday 2 March 2026')
    const [icpc] = await clockOf(s47.id, 'icpc')
    assert.equal(icpc!.startOn, '2026-03-02')
    assert.equal(icpc!.dueOn, '2026-03-23')
    assert.equal(icpc!.subjectType, 'section47')
    assert.equal(icpc!.completedOn, null)
    const [icpcTask] = await database.db.select().from(task).where(eq(task.clockId, icpc!.id))
    assert.equal(icpcTask!.assigneeUserId, c.worker.userId)
    assert.equal(await stageOf(c.caseId), 'section-47')
  })

  test('the enquiry records the child seen and a continuing-risk outcome; the ICPC stays required', async () => {
    s47 = await updateSection47(c.ctx, c.caseId, s47.id, {
      version: s47.version,
      childSeenOn: '2026-03-03',
      outcome: 'substantiated-continuing-risk',
      completedOn: '2026-03-13',
      ...NARRATIVE,
    })
    assert.equal(s47.version, 2)
    assert.equal(s47.childSeenOn, '2026-03-03')
    const [icpc] = await clockOf(s47.id, 'icpc')
    assert.equal(icpc!.completedOn, null)
    const view = await childProtectionOf(c.ctx, c.caseId)
    const enquiry = view.section47s.find((s) => s.id === s47.id)!
    assert.equal(enquiry.icpcStatus, 'to-schedule')
    assert.equal(enquiry.icpcNotRequired, false)
    assert.equal(enquiry.strategyDiscussionHeldOn, '2026-03-02')
  })

  test('the chair cannot open the case until the conference is scheduled; scheduling invites them', async () => {
    await assert.rejects(viewCase(world.ctx(chair), c.caseId), AccessDenied)
    const conference = await scheduleConference(c.ctx, c.caseId, {
      kind: 'initial',
      scheduledFor: '2026-03-20',
      ...MEETS,
      chairId: chair.userId,
      section47Id: s47.id,
      participants: [
        { party: 'agency', name: 'DC Imaginary', agencyId: world.agencies.police!, attendance: 'invited' },
        { party: 'family', name: 'Parent Fictional', attendance: 'invited' },
      ],
    })
    icpcId = conference.id
    assert.equal(conference.episodeId, c.episodeId)
    assert.equal(conference.section47Id, s47.id)
    const grants = await database.db
      .select()
      .from(accessGrant)
      .where(and(eq(accessGrant.caseId, c.caseId), eq(accessGrant.userId, chair.userId)))
    assert.equal(grants.length, 1)
    assert.equal(grants[0]!.kind, 'invitation')
    assert.equal(grants[0]!.reason, 'Chair of initial conference')
    assert.equal(grants[0]!.endsAt, null)
    assert.equal((await viewCase(world.ctx(chair), c.caseId)).ground, 'invitation')
    const [invited] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'case.invitation'), eq(auditEvent.recordId, c.caseId)))
    assert.equal(invited!.reason, 'Chair of initial conference')
  })

  test('the chair records the ICPC: a plan starts with its category, clocks and due dates, and the ICPC clock completes', async () => {
    const view = await childProtectionOf(world.ctx(chair), c.caseId)
    const scheduled = view.conferences.find((k) => k.id === icpcId)!
    const result = await recordConferenceOutcome(world.ctx(chair), c.caseId, icpcId, {
      version: scheduled.version,
      heldOn: '2026-03-20',
      participants: [
        { party: 'agency', name: 'DC Imaginary', agencyId: world.agencies.police!, attendance: 'attended', reportReceivedOn: '2026-03-18' },
        { party: 'family', name: 'Parent Fictional', attendance: 'apologies' },
      ],
      decision: 'plan',
      categories: ['NEG'],
      outlinePlan: 'Daily school attendance checks; parenting support.',
      dissent: 'Parent disagreed with the category.',
      startChildInNeedPlan: false,
    })
    assert.deepEqual(result.warnings, [])
    cp = result.plan!
    assert.equal(cp.kind, 'child-protection')
    assert.equal(cp.startedOn, '2026-03-20')
    assert.equal(cp.initialCategory, 'NEG')
    assert.equal(cp.latestCategory, 'NEG')
    assert.equal(cp.episodeId, c.episodeId)
    assert.equal(cp.summary, 'Daily school attendance checks; parenting support.')
    assert.equal(cp.nextReviewOn, '2026-06-20')
    assert.equal(result.conference.planId, cp.id)
    assert.equal(result.conference.heldOn, '2026-03-20')
    assert.deepEqual(result.conference.categories, ['NEG'])
    assert.equal((result.conference.participants as { attendance: string }[])[0]!.attendance, 'attended')

    const [icpc] = await clockOf(s47.id, 'icpc')
    assert.equal(icpc!.completedOn, '2026-03-20')
    const [firstCoreGroup] = await clockOf(cp.id, 'first-core-group')
    assert.equal(firstCoreGroup!.dueOn, '2026-04-07', '10 working days, skipping Good Friday and Easter Monday 2026')
    const [firstReview] = await clockOf(cp.id, 'first-review-conference')
    assert.equal(firstReview!.dueOn, '2026-06-20', '3 months')
    const [visit] = await clockOf(cp.id, 'child-protection-visit')
    assert.equal(visit!.dueOn, '2026-04-07', 'every 10 working days')
    assert.equal(await stageOf(c.caseId), 'child-protection')

    const after = await childProtectionOf(c.ctx, c.caseId)
    assert.equal(after.section47s[0]!.icpcStatus, 'held')
    assert.equal(after.section47s[0]!.initialConferenceHeldOn, '2026-03-20')
    assert.deepEqual(after.plans.map((p) => p.id), [cp.id])
  })

  test('the first core group makes the detailed plan and starts the 4-weekly core group clock', async () => {
    await recordCoreGroup(c.ctx, c.caseId, cp.id, { heldOn: '2026-04-02', attendees: 'Social worker, school, health visitor, parent' })
    const [stored] = await database.db.select().from(plan).where(eq(plan.id, cp.id))
    assert.equal(stored!.detailedPlanOn, '2026-04-02')
    const [first] = await clockOf(cp.id, 'first-core-group')
    assert.equal(first!.completedOn, '2026-04-02')
    const [next] = await clockOf(cp.id, 'core-group')
    assert.equal(next!.dueOn, '2026-04-30')

    await recordCoreGroup(c.ctx, c.caseId, cp.id, { heldOn: '2026-04-30', attendees: 'Core group', notes: 'Progress on attendance.' })
    const [, second] = [...(await clockOf(cp.id, 'core-group'))]
    assert.equal((await clockOf(cp.id, 'core-group'))[0]!.completedOn, '2026-04-30')
    assert.equal(second!.dueOn, '2026-05-28')
    const [unchanged] = await database.db.select().from(plan).where(eq(plan.id, cp.id))
    assert.equal(unchanged!.detailedPlanOn, '2026-04-02', 'only the first core group sets the detailed plan date')
  })

  /** A visit recorded on the one visit form, the notes form. */
  const visit = (fields: { occurredOn: string; childSeen: boolean; childSeenAlone?: boolean; delayReason?: string; delayReasonCode?: string }) =>
    addNote(c.ctx, c.caseId, noteInput.parse({ kind: 'visit', title: 'Home visit', body: 'Seen at home.', childSeenAlone: false, ...fields }))

  test('what is due is derived from the record: before any visit, the next visit is due 10 working days from the plan start', async () => {
    const overview = await caseOverview(c.ctx, c.caseId)
    assert.equal(overview.due!.onProtectionPlan, true)
    assert.equal(overview.due!.lastSeenOn, null)
    const next = overview.due!.items.find((i) => i.what === 'visit')!
    assert.deepEqual([next.rule, next.from, next.due], ['child-protection-visit', '2026-03-20', '2026-04-07'])
  })

  test('a visit recorded as a note to a child on the plan is the statutory visit: seen, it completes the visit clock and starts the next; unseen, it does not', async () => {
    const seen = await visit({ occurredOn: '2026-03-27', childSeen: true, childSeenAlone: true })
    assert.equal(seen.kind, 'statutory-visit')
    assert.equal(seen.title, 'Home visit')
    assert.equal(seen.childSeenAlone, true)
    const visits = await clockOf(cp.id, 'child-protection-visit')
    assert.equal(visits[0]!.completedOn, '2026-03-27')
    assert.equal(visits[1]!.dueOn, '2026-04-14', '10 working days from 27 March 2026, skipping Easter')
    const overview = await caseOverview(c.ctx, c.caseId)
    assert.equal(overview.due!.lastSeenOn, '2026-03-27')
    assert.equal(overview.due!.items.find((i) => i.what === 'visit')!.due, '2026-04-14')

    await visit({ occurredOn: '2026-04-10', childSeen: false })
    const still = await clockOf(cp.id, 'child-protection-visit')
    assert.equal(still.length, 2)
    assert.equal(still[1]!.completedOn, null)
    const notes = await database.db.select().from(caseNote).where(eq(caseNote.caseId, c.caseId))
    assert.equal(notes.length, 2)
    const view = await childProtectionOf(c.ctx, c.caseId)
    assert.equal(view.plans[0]!.visits.length, 2)
  })

  test('a late visit needs the reason for the delay: the coded reason is kept on the clock beside the words, and counted', async () => {
    await assert.rejects(
      visit({ occurredOn: '2026-04-20', childSeen: true }),
      (err) => err instanceof ValidationFailed && /was due by 14 April 2026/.test(err.fieldErrors.delayReason ?? ''),
    )
    assert.throws(() => visit({ occurredOn: '2026-04-20', childSeen: true, delayReasonCode: 'bedtime' }), /reason it was late from the list/)
    const counted = await lateCountOf(database.db, world.partnershipId, 'family-unavailable')
    await visit({ occurredOn: '2026-04-20', childSeen: true, delayReasonCode: 'family-unavailable', delayReason: 'Family away for Easter.' })
    const visits = await clockOf(cp.id, 'child-protection-visit')
    assert.deepEqual([visits[1]!.completedOn, visits[1]!.delayReasonCode, visits[1]!.delayReason], ['2026-04-20', 'family-unavailable', 'Family away for Easter.'])
    assert.equal(await lateCountOf(database.db, world.partnershipId, 'family-unavailable'), counted + 1)
  })

  test('a visit noted as a plain visit before visits moved the clock still counts as when the child was last seen', async () => {
    await database.db.insert(caseNote).values({
      partnershipId: world.partnershipId,
      caseId: c.caseId,
      kind: 'visit',
      occurredOn: '2026-04-24',
      title: 'Visit',
      body: 'Seen.',
      childSeen: true,
      childSeenAlone: false,
      recordedBy: c.worker.userId,
    })
    const overview = await caseOverview(c.ctx, c.caseId)
    assert.equal(overview.due!.lastSeenOn, '2026-04-24')
    assert.equal(overview.due!.items.find((i) => i.what === 'visit')!.due, '2026-05-11', '10 working days, skipping the early May bank holiday')
    assert.equal((await childProtectionOf(c.ctx, c.caseId)).plans[0]!.visits.length, 4)
  })

  test('the first review continues the plan with re-evaluated categories and a review due in 6 months', async () => {
    const review = await scheduleConference(c.ctx, c.caseId, { kind: 'review', scheduledFor: '2026-06-19', ...MEETS, chairId: chair.userId, planId: cp.id, participants: [] })
    assert.equal(review.planId, cp.id)
    const result = await recordConferenceOutcome(world.ctx(chair), c.caseId, review.id, {
      version: review.version,
      heldOn: '2026-06-19',
      decision: 'continue',
      categories: ['NEG', 'EMO'],
      startChildInNeedPlan: false,
    })
    assert.equal(result.plan!.latestCategory, 'MUL', 'several categories are recorded as multiple')
    assert.equal(result.plan!.initialCategory, 'NEG')
    assert.equal(result.plan!.nextReviewOn, '2026-12-19')
    const [firstReview] = await clockOf(cp.id, 'first-review-conference')
    assert.equal(firstReview!.completedOn, '2026-06-19')
    const [nextReview] = await clockOf(cp.id, 'review-conference')
    assert.equal(nextReview!.dueOn, '2026-12-19')
    const grants = await database.db
      .select()
      .from(accessGrant)
      .where(and(eq(accessGrant.caseId, c.caseId), eq(accessGrant.userId, chair.userId)))
    assert.equal(grants.length, 1, 'the same chair is not invited twice')
  })

  test('a review that ends the plan stops all its clocks and steps down to a child in need plan', async () => {
    const review = await scheduleConference(c.ctx, c.caseId, { kind: 'review', scheduledFor: '2026-11-13', ...MEETS, chairId: chair.userId, planId: cp.id, participants: [] })
    const result = await recordConferenceOutcome(world.ctx(chair), c.caseId, review.id, {
      version: review.version,
      heldOn: '2026-11-13',
      decision: 'end',
      categories: [],
      startChildInNeedPlan: true,
      childInNeedPlanSummary: 'Support with school attendance.',
    })
    assert.equal(result.plan!.endedOn, '2026-11-13')
    assert.equal(result.plan!.endReason, 'step-down-cin')
    assert.equal(result.plan!.nextReviewOn, null)
    const open = (await clocksOf(cp.id)).filter((k) => k.completedOn === null)
    assert.deepEqual(open, [], 'no clock of the ended plan is left running')
    const cin = result.childInNeedPlan!
    assert.equal(cin.kind, 'child-in-need')
    assert.equal(cin.previousPlanId, cp.id)
    assert.equal(cin.startedOn, '2026-11-13')
    assert.equal(await stageOf(c.caseId), 'child-in-need')
    const view = await childProtectionOf(c.ctx, c.caseId)
    assert.deepEqual(view.followingPlans.map((p) => p.id), [cin.id])
  })
})

describe('rules the services enforce', () => {
  test('a strategy discussion without the police and health is refused unless the reason is given', async () => {
    const c = await openCase()
    const onlyCouncil = discussion({ attendees: [{ name: 'Sam Fictional', agencyId: world.agencies.council! }], decision: 'no-s47' })
    await assert.rejects(recordStrategyDiscussion(c.ctx, c.caseId, onlyCouncil), (err) => {
      assert.ok(err instanceof ValidationFailed)
      assert.match(err.fieldErrors.requiredAgencyAbsenceReason ?? '', /No one from the police and health took part/)
      return true
    })
    const withReason = await recordStrategyDiscussion(c.ctx, c.caseId, {
      ...onlyCouncil,
      requiredAgencyAbsenceReason: 'Out of hours: police and health consulted by phone afterwards.',
    })
    assert.equal(withReason.section47, null, 'no enquiry for a no-s47 decision')
    const view = await childProtectionOf(c.ctx, c.caseId)
    assert.deepEqual(
      view.strategyDiscussions[0]!.absences.map((a) => a.requiredAgency),
      ['police', 'health'],
    )
    assert.equal(view.strategyDiscussions[0]!.attendees.length, 1)
    assert.equal(await stageOf(c.caseId), 'assessment')
  })

  test('an enquiry cannot start before the referral, nor an agency from elsewhere attend', async () => {
    const c = await openCase()
    await assert.rejects(
      recordStrategyDiscussion(c.ctx, c.caseId, discussion({ heldOn: '2026-02-20' })),
      (err) => err instanceof ValidationFailed && /before the referral/.test(err.fieldErrors.heldOn ?? ''),
    )
    const stranger = discussion()
    stranger.attendees[0] = { name: 'Someone', agencyId: '00000000-0000-4000-8000-000000000000' }
    await assert.rejects(
      recordStrategyDiscussion(c.ctx, c.caseId, stranger),
      (err) => err instanceof ValidationFailed && err.fieldErrors['attendees-0-agencyId'] !== undefined,
    )
  })

  test('an outcome without continuing risk closes the ICPC clock as not required, on the outcome date', async () => {
    const c = await openCase()
    const { section47 } = await recordStrategyDiscussion(c.ctx, c.caseId, discussion({ decision: 's47-single', section47StartedOn: '2026-03-03' }))
    assert.equal(section47!.startedOn, '2026-03-03')
    assert.equal(section47!.icpcTarget, '2026-03-23', 'the target still runs from the discussion')
    await updateSection47(c.ctx, c.caseId, section47!.id, {
      version: 1,
      childSeenOn: '2026-03-04',
      outcome: 'not-substantiated',
      completedOn: '2026-03-16',
      ...NARRATIVE,
    })
    const [icpc] = await clockOf(section47!.id, 'icpc')
    assert.equal(icpc!.completedOn, '2026-03-16')
    assert.equal(icpc!.delayReason, null)
    const view = await childProtectionOf(c.ctx, c.caseId)
    assert.equal(view.section47s[0]!.icpcNotRequired, true)
    assert.equal(view.section47s[0]!.icpcStatus, 'not-required')
    const chair = await world.user(['conference-chair'], { team: null })
    await assert.rejects(
      scheduleConference(c.ctx, c.caseId, { kind: 'initial', scheduledFor: '2026-03-20', ...MEETS, chairId: chair.userId, section47Id: section47!.id, participants: [] }),
      (err) => err instanceof ValidationFailed && /no initial conference is needed/.test(err.fieldErrors.section47Id ?? ''),
    )
  })

  test('an outcome needs its completion date, and a second enquiry from one discussion is refused', async () => {
    const c = await openCase()
    const { strategyDiscussion, section47 } = await recordStrategyDiscussion(c.ctx, c.caseId, discussion())
    await assert.rejects(
      updateSection47(c.ctx, c.caseId, section47!.id, { version: 1, outcome: 'not-substantiated' }),
      (err) => err instanceof ValidationFailed && err.fieldErrors.completedOn === 'Enter the date the enquiry was completed',
    )
    await assert.rejects(
      startSection47(c.ctx, c.caseId, { strategyDiscussionId: strategyDiscussion.id }),
      (err) => err instanceof ValidationFailed && /already started/.test(err.fieldErrors.strategyDiscussionId ?? ''),
    )
  })

  test('a discussion recorded with "other" can start an enquiry afterwards', async () => {
    const c = await openCase()
    const { strategyDiscussion, section47 } = await recordStrategyDiscussion(c.ctx, c.caseId, discussion({ decision: 'other' }))
    assert.equal(section47, null)
    const started = await startSection47(c.ctx, c.caseId, { strategyDiscussionId: strategyDiscussion.id, startedOn: '2026-03-04' })
    assert.equal(started.startedOn, '2026-03-04')
    assert.equal(started.icpcTarget, '2026-03-23')
    assert.equal(await stageOf(c.caseId), 'section-47')
  })

  test('conference categories: at least one for a plan, multiple only on its own', async () => {
    const { c, conferenceId, chair } = await scheduledIcpc()
    const base = { version: 1, heldOn: '2026-03-20', decision: 'plan' as const, outlinePlan: 'Plan.', startChildInNeedPlan: false }
    await assert.rejects(
      recordConferenceOutcome(world.ctx(chair), c.caseId, conferenceId, { ...base, categories: [] }),
      (err) => err instanceof ValidationFailed && err.fieldErrors.categories === 'Select at least one category of abuse',
    )
    await assert.rejects(
      recordConferenceOutcome(world.ctx(chair), c.caseId, conferenceId, { ...base, categories: ['MUL', 'PHY'] }),
      (err) => err instanceof ValidationFailed && /on its own/.test(err.fieldErrors.categories ?? ''),
    )
    await assert.rejects(
      recordConferenceOutcome(world.ctx(chair), c.caseId, conferenceId, { ...base, decision: 'continue', categories: ['PHY'] }),
      (err) => err instanceof ValidationFailed && /decides: child protection plan or no child protection plan/.test(err.fieldErrors.decision ?? ''),
    )
    const ok = await recordConferenceOutcome(world.ctx(chair), c.caseId, conferenceId, { ...base, categories: ['MUL'] })
    assert.equal(ok.plan!.initialCategory, 'MUL')
  })

  test('a late ICPC needs the reason; a weekend date is warned about but saved', async () => {
    const { c, conferenceId, chair } = await scheduledIcpc()
    const late = {
      version: 1,
      heldOn: '2026-03-28',
      rescheduleReason: 'Moved: the chair was ill on the day.',
      decision: 'no-plan' as const,
      categories: [],
      startChildInNeedPlan: false,
    }
    await assert.rejects(
      recordConferenceOutcome(world.ctx(chair), c.caseId, conferenceId, late),
      (err) => err instanceof ValidationFailed && /was due by 23 March 2026/.test(err.fieldErrors.delayReason ?? ''),
    )
    const result = await recordConferenceOutcome(world.ctx(chair), c.caseId, conferenceId, { ...late, delayReason: 'Chair unavailable.' })
    assert.match(result.warnings[0] ?? '', /Saturday or Sunday/)
    assert.equal(result.plan, null)
    const s47Id = result.conference.section47Id!
    const [icpc] = await clockOf(s47Id, 'icpc')
    assert.equal(icpc!.completedOn, '2026-03-28')
    assert.equal(icpc!.delayReason, 'Chair unavailable.')
  })

  test('a child protection plan steps up from an open child in need plan', async () => {
    const { c, conferenceId, chair } = await scheduledIcpc()
    const [cin] = await database.db
      .insert(plan)
      .values({ partnershipId: world.partnershipId, caseId: c.caseId, kind: 'child-in-need', startedOn: '2026-03-01', recordedBy: c.worker.userId })
      .returning()
    const result = await recordConferenceOutcome(world.ctx(chair), c.caseId, conferenceId, {
      version: 1,
      heldOn: '2026-03-20',
      decision: 'plan',
      categories: ['PHY'],
      outlinePlan: 'Plan.',
      startChildInNeedPlan: false,
    })
    assert.equal(result.plan!.previousPlanId, cin!.id)
    const [ended] = await database.db.select().from(plan).where(eq(plan.id, cin!.id))
    assert.equal(ended!.endedOn, '2026-03-20')
    assert.equal(ended!.endReason, 'step-up')
  })

  test('a user who is not a conference chair cannot chair', async () => {
    const c = await openCase()
    const { section47 } = await recordStrategyDiscussion(c.ctx, c.caseId, discussion())
    const notChair = await world.user(['social-worker'])
    await assert.rejects(
      scheduleConference(c.ctx, c.caseId, { kind: 'initial', scheduledFor: '2026-03-20', ...MEETS, chairId: notChair.userId, section47Id: section47!.id, participants: [] }),
      (err) => err instanceof ValidationFailed && err.fieldErrors.chairId !== undefined,
    )
  })
})

describe('edit conflicts are refused with the saved record', () => {
  test('a stale section 47 update is refused and the current version returned', async () => {
    const c = await openCase()
    const { section47 } = await recordStrategyDiscussion(c.ctx, c.caseId, discussion())
    await updateSection47(c.ctx, c.caseId, section47!.id, { version: 1, childSeenOn: '2026-03-03' })
    await assert.rejects(updateSection47(c.ctx, c.caseId, section47!.id, { version: 1, childSeenOn: '2026-03-05' }), (err) => {
      assert.ok(err instanceof EditConflict)
      assert.equal(err.current?.version, 2)
      assert.equal(err.current?.childSeenOn, '2026-03-03')
      return true
    })
  })

  test('a stale conference outcome is refused before anything changes', async () => {
    const { c, conferenceId, chair } = await scheduledIcpc()
    await assert.rejects(
      recordConferenceOutcome(world.ctx(chair), c.caseId, conferenceId, {
        version: 7,
        heldOn: '2026-03-20',
        decision: 'no-plan',
        categories: [],
        startChildInNeedPlan: false,
      }),
      (err) => err instanceof EditConflict && err.current?.version === 1,
    )
    const plans = await database.db.select().from(plan).where(eq(plan.caseId, c.caseId))
    assert.equal(plans.length, 0)
  })

  test('someone without access to the case cannot record on it', async () => {
    const c = await openCase()
    const outsider = await world.user(['social-worker'], { team: 'front-door' })
    await assert.rejects(recordStrategyDiscussion(world.ctx(outsider), c.caseId, discussion()), AccessDenied)
  })
})

describe('a conference’s arrangements and its chair’s invitation', () => {
  const grantsOf = (caseId: string, userId: string) =>
    database.db.select().from(accessGrant).where(and(eq(accessGrant.caseId, caseId), eq(accessGrant.userId, userId)))

  test('before it is held, the date, chair and invitees change at the version read; the old chair’s invitation ends, the new one’s starts', async () => {
    const { c, chair, conferenceId } = await scheduledIcpc()
    const newChair = await world.user(['conference-chair'], { team: null })
    const arrangements = {
      version: 1,
      scheduledFor: '2026-03-23',
      ...MEETS,
      chairId: newChair.userId,
      participants: [{ party: 'family' as const, name: 'Parent Fictional', attendance: 'invited' as const }],
    }
    await assert.rejects(
      changeConferenceArrangements(c.ctx, c.caseId, conferenceId, { ...arrangements, scheduledFor: '2026-02-01' }),
      (err) => err instanceof ValidationFailed && /before the enquiry started/.test(err.fieldErrors.scheduledFor!),
    )
    await assert.rejects(
      changeConferenceArrangements(c.ctx, c.caseId, conferenceId, { ...arrangements, chairId: c.worker.userId }),
      (err) => err instanceof ValidationFailed && 'chairId' in err.fieldErrors,
    )
    const changed = await changeConferenceArrangements(c.ctx, c.caseId, conferenceId, arrangements)
    assert.deepEqual([changed.version, changed.scheduledFor, changed.chairId], [2, '2026-03-23', newChair.userId])
    assert.deepEqual((changed.participants as { name: string }[]).map((p) => p.name), ['Parent Fictional'])
    const [old] = await grantsOf(c.caseId, chair.userId)
    assert.equal(old!.endsAt?.toISOString(), '2026-11-20T10:00:00.000Z', 'the old chair’s invitation ends now')
    await assert.rejects(viewCase(world.ctx(chair), c.caseId), AccessDenied)
    assert.equal((await viewCase(world.ctx(newChair), c.caseId)).ground, 'invitation')
    const actions = await database.db.select({ action: auditEvent.action }).from(auditEvent).where(eq(auditEvent.recordId, c.caseId))
    assert.ok(actions.some((a) => a.action === 'case.invitation.end'))
    const [changedEntry] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'conference.arrangements'), eq(auditEvent.recordId, conferenceId)))
    assert.equal(changedEntry!.actorUserId, c.worker.userId)

    await assert.rejects(
      changeConferenceArrangements(c.ctx, c.caseId, conferenceId, arrangements),
      (err) => err instanceof EditConflict && err.current?.version === 2,
    )
  })

  test('recording the outcome ends the chair’s invitation at the end of that day, and the arrangements can no longer change', async () => {
    const { c, chair, conferenceId } = await scheduledIcpc()
    await recordConferenceOutcome(world.ctx(chair), c.caseId, conferenceId, {
      version: 1,
      heldOn: '2026-03-20',
      decision: 'no-plan',
      categories: [],
      startChildInNeedPlan: false,
    })
    const [grant] = await grantsOf(c.caseId, chair.userId)
    assert.equal(grant!.endsAt?.toISOString(), '2026-11-21T00:00:00.000Z', 'midnight in England (GMT in November)')
    assert.equal((await viewCase(world.ctx(chair), c.caseId)).ground, 'invitation', 'the chair can still check what they recorded that day')
    await assert.rejects(viewCase(world.ctx(chair, new Date('2026-11-21T09:00:00Z')), c.caseId), AccessDenied)
    await assert.rejects(
      changeConferenceArrangements(c.ctx, c.caseId, conferenceId, { version: 2, scheduledFor: '2026-03-21', ...MEETS, chairId: chair.userId, participants: [] }),
      (err) => err instanceof ValidationFailed && /has been recorded/.test(err.fieldErrors.scheduledFor!),
    )
  })
})

/** A case whose enquiry found continuing risk, with its ICPC scheduled for 20 March 2026. */
async function scheduledIcpc() {
  const c = await openCase()
  const chair = await world.user(['conference-chair'], { team: null })
  const { section47 } = await recordStrategyDiscussion(c.ctx, c.caseId, discussion())
  await updateSection47(c.ctx, c.caseId, section47!.id, { version: 1, outcome: 'substantiated-continuing-risk', completedOn: '2026-03-13', ...NARRATIVE })
  const k = await scheduleConference(c.ctx, c.caseId, {
    kind: 'initial',
    scheduledFor: '2026-03-20',
    ...MEETS,
    chairId: chair.userId,
    section47Id: section47!.id,
    participants: [],
  })
  return { c, chair, conferenceId: k.id }
}

describe('correcting a strategy discussion', () => {
  const correction = (version: number, overrides: Partial<StrategyDiscussionCorrection> = {}): StrategyDiscussionCorrection => {
    const { decision: _d, ...rest } = discussion()
    return { ...rest, version, ...overrides }
  }

  async function recordedWithClock() {
    const c = await openCase()
    await withCase(c.ctx, c.caseId, 'case:update', (tx, open) =>
      startClock(c.ctx, tx, open, { rule: 'strategy-discussion', start: '2026-03-02', subjectType: 'cin-episode', subjectId: c.episodeId, task: 'Hold it' }),
    )
    const recorded = await recordStrategyDiscussion(c.ctx, c.caseId, discussion())
    return { c, d: recorded.strategyDiscussion, s47: recorded.section47! }
  }

  test('a corrected date moves the enquiry that started that day, its conference target and clock, and keeps the earlier version', async () => {
    const { c, d, s47 } = await recordedWithClock()
    const corrected = await correctStrategyDiscussion(c.ctx, c.caseId, d.id, correction(1, { heldOn: '2026-03-03', heldAtTime: '09:15' }))
    assert.equal(corrected.version, 2)
    assert.equal(corrected.heldAt.toISOString(), '2026-03-03T09:15:00.000Z')
    assert.equal(corrected.decision, 's47-joint', 'the decision is kept')

    const view = await childProtectionOf(c.ctx, c.caseId)
    const enquiry = view.section47s.find((e) => e.id === s47.id)!
    assert.equal(enquiry.startedOn, '2026-03-03', 'it started on the day of the discussion, so it moves too')
    assert.equal(enquiry.icpcTarget, '2026-03-24', '15 working days from Tuesday 3 March 2026')
    const [icpc] = await clockOf(s47.id, 'icpc')
    assert.deepEqual([icpc!.startOn, icpc!.dueOn, icpc!.completedOn], ['2026-03-03', '2026-03-24', null])
    const [icpcTask] = await database.db.select().from(task).where(eq(task.clockId, icpc!.id))
    assert.equal(icpcTask!.dueOn, '2026-03-24')
    const [strategyClock] = await clockOf(c.episodeId, 'strategy-discussion')
    assert.equal(strategyClock!.completedOn, '2026-03-03', 'held within 24 hours of the decision still')

    const [entry] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'strategy-discussion.correct'), eq(auditEvent.recordId, d.id)))
    assert.ok(entry, 'the correction is audited')
  })

  test('a date that makes the discussion late needs the reason; the reason is kept on the clock', async () => {
    const { c, d } = await recordedWithClock()
    await assert.rejects(
      correctStrategyDiscussion(c.ctx, c.caseId, d.id, correction(1, { heldOn: '2026-03-05' })),
      (err) => err instanceof ValidationFailed && /Strategy discussion was late \(due by 3 March 2026\)/.test(err.fieldErrors.delayReason!),
    )
    await correctStrategyDiscussion(c.ctx, c.caseId, d.id, correction(1, { heldOn: '2026-03-05', delayReason: 'Police unavailable until Thursday' }))
    const [strategyClock] = await clockOf(c.episodeId, 'strategy-discussion')
    assert.deepEqual([strategyClock!.completedOn, strategyClock!.delayReason], ['2026-03-05', 'Police unavailable until Thursday'])
  })

  test('the discussion cannot move past an enquiry that began later on its own date, nor past the day the child was seen', async () => {
    const c = await openCase()
    const { strategyDiscussion: d, section47 } = await recordStrategyDiscussion(c.ctx, c.caseId, discussion({ section47StartedOn: '2026-03-04' }))
    await assert.rejects(
      correctStrategyDiscussion(c.ctx, c.caseId, d.id, correction(1, { heldOn: '2026-03-05', delayReason: 'Late' })),
      (err) => err instanceof ValidationFailed && /began on 4 March 2026/.test(err.fieldErrors.heldOn!),
    )
    const other = await openCase()
    const second = await recordStrategyDiscussion(other.ctx, other.caseId, discussion())
    await updateSection47(other.ctx, other.caseId, second.section47!.id, { version: 1, childSeenOn: '2026-03-02' })
    await assert.rejects(
      correctStrategyDiscussion(other.ctx, other.caseId, second.strategyDiscussion.id, correction(1, { heldOn: '2026-03-03' })),
      (err) => err instanceof ValidationFailed && /the child was seen for it on 2 March 2026/.test(err.fieldErrors.heldOn!),
    )
    assert.equal(section47!.startedOn, '2026-03-04')
  })

  test('the coded reason alone answers why, recording a late discussion or correcting to a late date: kept on the clock and counted by reason', async () => {
    const counted = { awaiting: await lateCountOf(database.db, world.partnershipId, 'awaiting-agency'), capacity: await lateCountOf(database.db, world.partnershipId, 'capacity') }
    const late = await openCase()
    await withCase(late.ctx, late.caseId, 'case:update', (tx, open) =>
      startClock(late.ctx, tx, open, { rule: 'strategy-discussion', start: '2026-03-02', subjectType: 'cin-episode', subjectId: late.episodeId, task: 'Hold it' }),
    )
    await recordStrategyDiscussion(late.ctx, late.caseId, discussion({ heldOn: '2026-03-05', delayReasonCode: 'awaiting-agency' }))
    const [recorded] = await clockOf(late.episodeId, 'strategy-discussion')
    assert.deepEqual([recorded!.completedOn, recorded!.delayReasonCode, recorded!.delayReason], ['2026-03-05', 'awaiting-agency', null])

    const { c, d } = await recordedWithClock()
    await correctStrategyDiscussion(c.ctx, c.caseId, d.id, correction(1, { heldOn: '2026-03-05', delayReasonCode: 'capacity', delayReason: 'No police officer free' }))
    const [corrected] = await clockOf(c.episodeId, 'strategy-discussion')
    assert.deepEqual([corrected!.completedOn, corrected!.delayReasonCode, corrected!.delayReason], ['2026-03-05', 'capacity', 'No police officer free'])
    assert.deepEqual(
      [await lateCountOf(database.db, world.partnershipId, 'awaiting-agency'), await lateCountOf(database.db, world.partnershipId, 'capacity')],
      [counted.awaiting + 1, counted.capacity + 1],
    )
  })

  test('a stale version is refused, and required agencies still need a reason when left out', async () => {
    const { c, d } = await recordedWithClock()
    await correctStrategyDiscussion(c.ctx, c.caseId, d.id, correction(1, { informationShared: 'Corrected account.' }))
    await assert.rejects(
      correctStrategyDiscussion(c.ctx, c.caseId, d.id, correction(1, { informationShared: 'My older edit.' })),
      (err) => err instanceof EditConflict && err.current?.version === 2,
    )
    await assert.rejects(
      correctStrategyDiscussion(c.ctx, c.caseId, d.id, correction(2, { attendees: [discussion().attendees[0]!] })),
      (err) => err instanceof ValidationFailed && /the police and health/.test(err.fieldErrors.requiredAgencyAbsenceReason!),
    )
  })
})

describe('the conference record agrees with itself (issue 16, item 8)', () => {
  /** A case whose ICPC is still to be scheduled, and a chair. */
  let c0: { c: Awaited<ReturnType<typeof openCase>>; chair: Actor; s47Id: string }
  before(async () => {
    const c = await openCase()
    const chair = await world.user(['conference-chair'], { team: null })
    const { section47 } = await recordStrategyDiscussion(c.ctx, c.caseId, discussion())
    await updateSection47(c.ctx, c.caseId, section47!.id, { version: 1, outcome: 'substantiated-continuing-risk', completedOn: '2026-03-13', ...NARRATIVE })
    c0 = { c, chair, s47Id: section47!.id }
  })

  test('an enquiry’s outcome needs what it found and the reasons; the narrative is kept, shown and in the chronology', async () => {
    const c = await openCase()
    const { section47 } = await recordStrategyDiscussion(c.ctx, c.caseId, discussion())
    const outcome = { version: 1, childSeenOn: '2026-03-03', outcome: 'not-substantiated' as const, completedOn: '2026-03-16' }
    await assert.rejects(updateSection47(c.ctx, c.caseId, section47!.id, outcome), (err) => {
      assert.ok(err instanceof ValidationFailed)
      assert.equal(err.fieldErrors.findings, 'Enter what the enquiry found')
      assert.equal(err.fieldErrors.outcomeReasons, 'Enter the reasons for the outcome')
      return true
    })
    const saved = await updateSection47(c.ctx, c.caseId, section47!.id, {
      ...outcome,
      findings: 'Home conditions good; the bruise was from a fall at the park, seen by a friend’s parent.',
      childsAccount: 'I fell off the climbing frame.',
      outcomeReasons: 'The account is consistent and corroborated; no other concern.',
    })
    assert.equal(saved.childsAccount, 'I fell off the climbing frame.')
    const enquiry = (await childProtectionOf(c.ctx, c.caseId)).section47s[0]!
    assert.equal(enquiry.outcomeReasons, 'The account is consistent and corroborated; no other concern.')
    const entries = (await chronology(c.ctx, c.caseId)).entries
    const completed = entries.find((e) => e.title.startsWith('Section 47 enquiry completed'))!
    assert.match(completed.detail, /Found: Home conditions good/)
    assert.match(completed.detail, /The child’s account: “I fell off the climbing frame\.”/)
    assert.match(completed.detail, /Reasons: The account is consistent/)
    assert.equal(completed.link, `/cases/${c.caseId}/section47/${section47!.id}`)
    // Correcting the date the child was seen keeps the narrative; the reasons cannot be emptied by leaving them out.
    const again = await updateSection47(c.ctx, c.caseId, section47!.id, { version: 2, childSeenOn: '2026-03-04' })
    assert.equal(again.findings, saved.findings)
  })

  test('a conference has a time and a venue: refused without them, kept, and the chair is told when and where', async () => {
    const base = { kind: 'initial', scheduledFor: '2026-03-20', chairId: c0.chair.userId, section47Id: c0.s47Id, participants: [] }
    const missing = conferenceInput.safeParse(base)
    assert.equal(missing.success, false)
    const fields = missing.error!.issues.map((i) => i.path.join('.'))
    assert.ok(fields.includes('scheduledTime') && fields.includes('venue'), fields.join(', '))
    assert.equal(conferenceInput.safeParse({ ...base, scheduledTime: '25:00', venue: 'Room 2' }).success, false)
    const parsed = conferenceInput.parse({ ...base, scheduledTime: '9.30', venue: ' Room 2, Civic Centre ' })
    assert.deepEqual([parsed.scheduledTime, parsed.venue], ['09:30', 'Room 2, Civic Centre'])

    const k = await scheduleConference(c0.c.ctx, c0.c.caseId, parsed)
    assert.deepEqual([k.scheduledTime, k.venue], ['09:30', 'Room 2, Civic Centre'])
    const [told] = await database.db
      .select()
      .from(notification)
      .where(and(eq(notification.userId, c0.chair.userId), eq(notification.kind, 'conference-chair')))
    assert.match(told!.title, /You are asked to chair the initial child protection conference on 20 March 2026 at 09:30, Room 2, Civic Centre/)
    assert.equal(told!.link, `/cases/${c0.c.caseId}/conferences/${k.id}`)

    const moved = await changeConferenceArrangements(c0.c.ctx, c0.c.caseId, k.id, {
      version: 1,
      scheduledFor: '2026-03-20',
      scheduledTime: '14:00',
      venue: 'Online (Teams)',
      chairId: c0.chair.userId,
      participants: [],
    })
    assert.deepEqual([moved.scheduledTime, moved.venue], ['14:00', 'Online (Teams)'])
    const notices = await database.db
      .select({ title: notification.title })
      .from(notification)
      .where(and(eq(notification.userId, c0.chair.userId), eq(notification.kind, 'conference-arrangements')))
    assert.deepEqual(notices.map((n) => n.title.replace(/^.*?: /, '')), [
      'Initial child protection conference on 20 March 2026 at 09:30, Room 2, Civic Centre now meets on 20 March 2026 at 14:00, Online (Teams)',
    ])
  })

  test('held on another day than scheduled needs the reason; the view says so; held on the day, no reason is kept', async () => {
    const { c, conferenceId, chair } = await scheduledIcpc()
    const outcome = { version: 1, heldOn: '2026-03-19', decision: 'no-plan' as const, categories: [], startChildInNeedPlan: false }
    await assert.rejects(
      recordConferenceOutcome(world.ctx(chair), c.caseId, conferenceId, outcome),
      (err) =>
        err instanceof ValidationFailed &&
        err.fieldErrors.rescheduleReason === 'The conference was scheduled for 20 March 2026. Give the reason it was held on 19 March 2026 instead',
    )
    const held = await recordConferenceOutcome(world.ctx(chair), c.caseId, conferenceId, { ...outcome, rescheduleReason: 'Brought forward: the parents asked.' })
    assert.deepEqual([held.conference.scheduledFor, held.conference.heldOn, held.conference.rescheduleReason], ['2026-03-20', '2026-03-19', 'Brought forward: the parents asked.'])
    const k = (await childProtectionOf(c.ctx, c.caseId)).conferences.find((x) => x.id === conferenceId)!
    assert.equal(k.heldOnAnotherDay, true)
    const entry = (await chronology(c.ctx, c.caseId)).entries.find((e) => e.link.endsWith(conferenceId))!
    assert.match(entry.detail, /Held on another day than scheduled \(20 March 2026\): Brought forward: the parents asked\./)

    const other = await scheduledIcpc()
    const onTheDay = await recordConferenceOutcome(world.ctx(other.chair), other.c.caseId, other.conferenceId, {
      ...outcome,
      heldOn: '2026-03-20',
      rescheduleReason: 'Not needed',
    })
    assert.equal(onTheDay.conference.rescheduleReason, null)
  })

  test('a report an agency sent through Together shows as received by the conference, on the day it was first sent', async () => {
    const { c, conferenceId } = await scheduledIcpc()
    const k0 = (await childProtectionOf(c.ctx, c.caseId)).conferences.find((x) => x.id === conferenceId)!
    await changeConferenceArrangements(c.ctx, c.caseId, conferenceId, {
      version: k0.version,
      scheduledFor: '2026-03-20',
      ...MEETS,
      chairId: k0.chairId!,
      participants: [
        { party: 'agency', name: 'DC Imaginary', agencyId: world.agencies.police!, attendance: 'invited' },
        { party: 'agency', name: 'Nurse Pretend', agencyId: world.agencies.health!, attendance: 'invited' },
      ],
    })
    await database.db.insert(conferenceReport).values({
      partnershipId: world.partnershipId,
      caseId: c.caseId,
      conferenceId,
      agencyId: world.agencies.police!,
      body: 'Police hold one previous domestic incident.',
      submittedAt: new Date('2026-03-18T15:00:00Z'),
      createdAt: new Date('2026-03-17T23:30:00Z'),
      recordedBy: c.worker.userId,
    })
    const k = (await childProtectionOf(c.ctx, c.caseId)).conferences.find((x) => x.id === conferenceId)!
    assert.deepEqual(
      k.participants.map((p) => [p.name, p.reportReceivedOn, p.reportThroughTogether]),
      [
        ['DC Imaginary', '2026-03-17', true],
        ['Nurse Pretend', null, false],
      ],
    )
  })
})
