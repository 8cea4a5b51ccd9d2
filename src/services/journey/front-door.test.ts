import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, openTestWorld, World } from '../../../test/support/fixtures.ts'
import { lateCountOf } from '../../../test/support/late-reasons.ts'
import { auditEvent, childCase, cinEpisode, clock, contactChild, notification, person, recordRevision, task } from '../../db/schema/index.ts'
import { dueDate } from '../../domain/timescales/index.ts'
import { AccessDenied, EditConflict, ValidationFailed, type Actor } from '../common/context.ts'
import { closeEpisode, setPrimaryNeed } from './episodes.ts'
import { contactInput, type ContactInput } from './front-door-input.ts'
import { chronology } from './chronology.ts'
import {
  acknowledgeContact,
  ADDED_CONTACT_TASK,
  checkContactDetails,
  contactsAndEpisodes,
  decideContact,
  frontDoorQueue,
  londonInstant,
  londonTime,
  mayReadContact,
  recordContact,
  recordFeedback,
  viewContact,
} from './front-door.ts'

let database: TestDatabase
let world: World
let practitioner: Actor
let manager: Actor
before(async () => {
  ({ database, world } = await openTestWorld())
  practitioner = await world.user(['front-door-practitioner'], { team: 'front-door' })
  manager = await world.user(['team-manager'], { team: 'front-door' })
})
after(() => database.close())

let counter = 0
/** A new child, not yet known, as the contact form would add them. */
const newChild = (givenName = 'Ada') => ({
  newPerson: {
    givenName,
    familyName: `Fictional${++counter}`,
    dateOfBirth: '2018-02-03',
    sex: 'F' as const,
    disabilities: [],
  },
})

function contactAbout(children: ContactInput['children'], overrides: Record<string, unknown> = {}): ContactInput {
  return contactInput.parse({
    receivedDate: '2026-11-19',
    receivedTime: '09:30',
    source: '2A',
    referrerName: 'Pat Example',
    referrerRole: 'Designated safeguarding lead',
    concern: 'Bruising seen on the child’s arm; the child said a parent did it.',
    consent: 'given',
    urgency: 'standard',
    children,
    ...overrides,
  })
}

async function caseOf(caseId: string) {
  const [row] = await database.db.select().from(childCase).where(eq(childCase.id, caseId))
  return row!
}

async function casesOfContact(contactId: string) {
  return database.db.select().from(contactChild).where(eq(contactChild.contactId, contactId))
}

async function closedCase(): Promise<{ caseId: string; personId: string }> {
  const made = await world.childCase()
  await database.db.update(childCase).set({ status: 'closed', closedOn: '2026-01-10' }).where(eq(childCase.id, made.caseId))
  return made
}

describe('times in England', () => {
  test('a wall-clock time becomes the right instant in winter and in summer', () => {
    assert.equal(londonInstant('2026-01-15', '09:30').toISOString(), '2026-01-15T09:30:00.000Z')
    assert.equal(londonInstant('2026-07-15', '09:30').toISOString(), '2026-07-15T08:30:00.000Z')
    assert.equal(londonTime(new Date('2026-07-15T08:30:00Z')), '09:30')
  })
})

describe('recording a contact', () => {
  test('a new child gets a case in the recorder’s team at the front door, with the decision clock and its task', async () => {
    const row = await recordContact(world.ctx(practitioner), contactAbout([newChild()]))
    assert.equal(row.teamId, world.teams['front-door'])
    assert.equal(row.receivedAt.toISOString(), '2026-11-19T09:30:00.000Z')
    const [link] = await casesOfContact(row.id)
    const c = await caseOf(link!.caseId)
    assert.equal(c.status, 'front-door')
    assert.equal(c.teamId, world.teams['front-door'])
    assert.equal(c.openedOn, '2026-11-19')
    const [k] = await database.db.select().from(clock).where(eq(clock.subjectId, row.id))
    assert.equal(k!.rule, 'referral-decision')
    assert.equal(k!.subjectType, 'contact')
    assert.equal(k!.startOn, '2026-11-19')
    assert.equal(k!.dueOn, '2026-11-20', '1 working day after a Thursday is the Friday')
    const [t] = await database.db.select().from(task).where(eq(task.clockId, k!.id))
    assert.equal(t!.assigneeTeamId, world.teams['front-door'])
    const revisions = await database.db.select().from(recordRevision).where(eq(recordRevision.entityId, row.id))
    assert.equal(revisions.length, 1)
    assert.equal(revisions[0]!.entity, 'contact')
    const audits = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, row.id), eq(auditEvent.action, 'contact.create')))
    assert.equal(audits.length, 1)
    assert.equal(audits[0]!.subjectPersonId, link!.personId)
  })

  test('a child with an open case keeps it and its stage; a closed case reopens in the recorder’s team', async () => {
    const known = await world.childCase()
    const closed = await closedCase()
    const row = await recordContact(world.ctx(practitioner), contactAbout([{ personId: known.personId }, { personId: closed.personId }]))
    const links = await casesOfContact(row.id)
    assert.deepEqual(new Set(links.map((l) => l.caseId)), new Set([known.caseId, closed.caseId]))
    const open = await caseOf(known.caseId)
    assert.equal(open.status, 'assessment', 'a contact does not move an open case back to the front door')
    assert.equal(open.teamId, world.teams.assessment)
    const reopened = await caseOf(closed.caseId)
    assert.equal(reopened.status, 'front-door')
    assert.equal(reopened.closedOn, null)
    assert.equal(reopened.openedOn, '2026-11-19')
    assert.equal(reopened.teamId, world.teams['front-door'])
    const clocks = await database.db.select().from(clock).where(eq(clock.subjectId, row.id))
    assert.equal(clocks.length, 2, 'one decision clock per child')
  })

  test('a partner practitioner cannot record contacts', async () => {
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    await assert.rejects(recordContact(world.ctx(partner), contactAbout([newChild()])), AccessDenied)
  })

  test('a restricted child’s contact is refused, the refusal is audited and nothing else is written', async () => {
    const restricted = await world.childCase({ restricted: true })
    const extra = newChild('Restricted-sibling')
    await assert.rejects(
      recordContact(world.ctx(practitioner), contactAbout([extra, { personId: restricted.personId }])),
      AccessDenied,
    )
    const refusals = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, restricted.caseId), eq(auditEvent.action, 'case.update.refused')))
    assert.equal(refusals.length, 1)
    const sibling = await database.db.select().from(person).where(eq(person.familyName, extra.newPerson.familyName))
    assert.equal(sibling.length, 0, 'the new sibling was not kept')
  })

  test('the form rules: consent reason when refused, referrer unless anonymous, not in the future', async () => {
    const refused = contactInput.safeParse({ ...contactAbout([newChild()]), consent: 'refused' })
    assert.equal(refused.success, false)
    assert.deepEqual(refused.error!.issues.map((i) => i.path[0]), ['consentReason'])
    const anonymous = contactInput.safeParse({ ...contactAbout([newChild()]), referrerName: '', source: '9' })
    assert.equal(anonymous.success, true)
    const nameless = contactInput.safeParse({ ...contactAbout([newChild()]), referrerName: '' })
    assert.deepEqual(nameless.error!.issues.map((i) => i.path[0]), ['referrerName'])
    await assert.rejects(
      recordContact(world.ctx(practitioner), contactAbout([newChild()], { receivedDate: '2026-11-21', receivedTime: '09:00' })),
      (err) => err instanceof ValidationFailed && err.fieldErrors.receivedDate === 'The date received must be today or in the past',
    )
    // Today, later than now: the time is what is wrong (issue 16, item 4).
    await assert.rejects(
      recordContact(world.ctx(practitioner), contactAbout([newChild()], { receivedDate: '2026-11-20', receivedTime: '11:00' })),
      (err) => err instanceof ValidationFailed && err.fieldErrors.receivedTime === 'The time received must be in the past: it is 10:00 now',
    )
  })

  test('one service check of the details for the form’s step and the API: not in the future, an agency of this partnership (issue 16, item 4)', async () => {
    const ctx = world.ctx(practitioner)
    const other = await World.create(database.db)
    const details = { receivedDate: '2026-11-20', receivedTime: '10:30', referrerAgencyId: other.agencies.school }
    await assert.rejects(checkContactDetails(ctx, details), (err) => {
      assert.ok(err instanceof ValidationFailed)
      assert.deepEqual(Object.keys(err.fieldErrors).sort(), ['receivedTime', 'referrerAgencyId'])
      return true
    })
    const received = await checkContactDetails(ctx, { receivedDate: '2026-11-20', receivedTime: '09:59', referrerAgencyId: world.agencies.school })
    assert.equal(received.toISOString(), '2026-11-20T09:59:00.000Z')
  })
})

describe('deciding a contact', () => {
  test('no further action completes the clock and closes a case with nothing else open; it cannot be decided twice', async () => {
    const row = await recordContact(world.ctx(practitioner), contactAbout([newChild()]))
    const decided = await decideContact(world.ctx(practitioner), row.id, { decision: 'nfa', reason: 'Explained by a fall at school; no concerns.', version: row.version })
    assert.equal(decided.decision, 'nfa')
    assert.equal(decided.decidedBy, practitioner.userId)
    const [link] = await casesOfContact(row.id)
    const c = await caseOf(link!.caseId)
    assert.equal(c.status, 'closed')
    assert.equal(c.closedOn, '2026-11-20')
    const [k] = await database.db.select().from(clock).where(eq(clock.subjectId, row.id))
    assert.equal(k!.completedOn, '2026-11-20')
    const [t] = await database.db.select().from(task).where(eq(task.clockId, k!.id))
    assert.equal(t!.status, 'done')
    await assert.rejects(
      decideContact(world.ctx(practitioner), row.id, { decision: 'referral', reason: 'Second thoughts', version: decided.version }),
      (err) => err instanceof ValidationFailed && /already been decided/.test(err.fieldErrors.decision!),
    )
  })

  test('no further action leaves a case open when another contact about the child awaits a decision', async () => {
    const ctx = world.ctx(practitioner)
    const first = await recordContact(ctx, contactAbout([newChild()]))
    const [link] = await casesOfContact(first.id)
    await recordContact(ctx, contactAbout([{ personId: link!.personId }]))
    await decideContact(ctx, first.id, { decision: 'nfa', reason: 'No concerns', version: first.version })
    assert.equal((await caseOf(link!.caseId)).status, 'front-door')
  })

  test('a 2012 referral opens an episode with an initial assessment (WT2010, 10 working days)', async () => {
    const row = await recordContact(
      world.ctx(practitioner),
      contactAbout([newChild()], { receivedDate: '2012-06-01', receivedTime: '16:00', source: '6' }),
    )
    await decideContact(world.ctx(practitioner), row.id, { decision: 'referral', reason: 'Needs assessment', delayReason: 'Historic record entered late', version: row.version })
    const [episode] = await database.db.select().from(cinEpisode).where(eq(cinEpisode.contactId, row.id))
    assert.equal(episode!.referralDate, '2012-06-01')
    assert.equal(episode!.referralSource, '6')
    assert.equal(episode!.rereferral, false)
    const [k] = await database.db.select().from(clock).where(eq(clock.subjectId, episode!.id))
    assert.equal(k!.rule, 'initial-assessment')
    assert.equal(k!.edition, 2010)
    assert.equal(k!.subjectType, 'cin-episode')
    // 4 and 5 June 2012 were bank holidays (the Diamond Jubilee).
    assert.equal(k!.dueOn, '2012-06-19')
    assert.equal((await caseOf(episode!.caseId)).status, 'assessment')
    const [decisionClock] = await database.db.select().from(clock).where(eq(clock.subjectId, row.id))
    assert.equal(decisionClock!.delayReason, 'Historic record entered late')
  })

  test('a 2026 referral opens an episode with a single assessment (45 working days, WT2026)', async () => {
    const row = await recordContact(world.ctx(practitioner), contactAbout([newChild()]))
    await decideContact(world.ctx(practitioner), row.id, { decision: 'referral', reason: 'Needs assessment', version: row.version })
    const [episode] = await database.db.select().from(cinEpisode).where(eq(cinEpisode.contactId, row.id))
    const [k] = await database.db.select().from(clock).where(eq(clock.subjectId, episode!.id))
    assert.equal(k!.rule, 'assessment')
    assert.equal(k!.edition, 2026)
    assert.equal(k!.startOn, '2026-11-19')
    assert.equal(k!.dueOn, dueDate({ rule: 'assessment', start: '2026-11-19' }).due)
    assert.equal(k!.dueOn, '2027-01-26')
  })

  test('a strategy discussion decision also starts the strategy discussion clock on the episode', async () => {
    const row = await recordContact(world.ctx(practitioner), contactAbout([newChild()], { urgency: 'immediate' }))
    await decideContact(world.ctx(practitioner), row.id, {
      decision: 'strategy-discussion', reason: 'Significant harm suspected', decidedOn: '2026-11-19', version: row.version,
    })
    const [episode] = await database.db.select().from(cinEpisode).where(eq(cinEpisode.contactId, row.id))
    const clocks = await database.db.select().from(clock).where(eq(clock.subjectId, episode!.id))
    assert.deepEqual(clocks.map((k) => k.rule).sort(), ['assessment', 'strategy-discussion'])
    // The discussion's clock starts when the decision to hold it was made, not when it was typed.
    assert.equal(clocks.find((k) => k.rule === 'strategy-discussion')!.startOn, '2026-11-19')
  })

  test('early help moves every child’s case to early help', async () => {
    const row = await recordContact(world.ctx(practitioner), contactAbout([newChild(), newChild('Bea')]))
    await decideContact(world.ctx(practitioner), row.id, { decision: 'early-help', reason: 'Family support', version: row.version })
    const stages = await Promise.all((await casesOfContact(row.id)).map(async (l) => (await caseOf(l.caseId)).status))
    assert.deepEqual(stages, ['early-help', 'early-help'])
  })

  test('an early help decision leaves a case with an open episode at its stage', async () => {
    const known = await world.childCase()
    await database.db.insert(cinEpisode).values({
      partnershipId: world.partnershipId,
      caseId: known.caseId,
      referralDate: '2026-10-01',
      referralSource: '2A',
      recordedBy: practitioner.userId,
    })
    const assessmentManager = await world.user(['team-manager'], { team: 'assessment' })
    const row = await recordContact(world.ctx(assessmentManager), contactAbout([{ personId: known.personId }]))
    await decideContact(world.ctx(assessmentManager), row.id, { decision: 'early-help', reason: 'Add family support', version: row.version })
    assert.equal((await caseOf(known.caseId)).status, 'assessment')
  })

  test('a referral within 12 months of an earlier one is a re-referral; an open episode blocks a second referral', async () => {
    const first = await recordContact(world.ctx(practitioner), contactAbout([newChild()], { receivedDate: '2026-01-12' }))
    await decideContact(world.ctx(practitioner), first.id, { decision: 'referral', reason: 'Assess', decidedOn: '2026-01-12', version: first.version })
    const [link] = await casesOfContact(first.id)
    const [episode] = await database.db.select().from(cinEpisode).where(eq(cinEpisode.contactId, first.id))

    const second = await recordContact(world.ctx(practitioner), contactAbout([{ personId: link!.personId }]))
    await assert.rejects(
      decideContact(world.ctx(practitioner), second.id, { decision: 'referral', reason: 'Again', version: second.version }),
      (err) => err instanceof ValidationFailed && /already has an open child in need episode/.test(err.fieldErrors.decision!),
    )
    const ctx = world.ctx(practitioner)
    const needed = await setPrimaryNeed(ctx, link!.caseId, episode!.id, { primaryNeed: 'N1', version: episode!.version })
    await closeEpisode(ctx, link!.caseId, episode!.id, { closureDate: '2026-03-01', closureReason: 'RC8', version: needed.version })
    await decideContact(world.ctx(practitioner), second.id, { decision: 'referral', reason: 'Again', version: second.version })
    const [again] = await database.db.select().from(cinEpisode).where(eq(cinEpisode.contactId, second.id))
    assert.equal(again!.rereferral, true)
    assert.equal((await caseOf(link!.caseId)).status, 'assessment', 'the new referral reopened the case')
  })

  test('an earlier referral more than 12 months before is not a re-referral', async () => {
    const first = await recordContact(world.ctx(practitioner), contactAbout([newChild()], { receivedDate: '2025-11-18' }))
    await decideContact(world.ctx(practitioner), first.id, { decision: 'referral', reason: 'Assess', decidedOn: '2025-11-18', version: first.version })
    const [link] = await casesOfContact(first.id)
    const [episode] = await database.db.select().from(cinEpisode).where(eq(cinEpisode.contactId, first.id))
    const ctx = world.ctx(practitioner)
    const needed = await setPrimaryNeed(ctx, link!.caseId, episode!.id, { primaryNeed: 'N4', version: episode!.version })
    await closeEpisode(ctx, link!.caseId, episode!.id, { closureDate: '2026-01-05', closureReason: 'RC7', version: needed.version })
    const second = await recordContact(world.ctx(practitioner), contactAbout([{ personId: link!.personId }]))
    await decideContact(world.ctx(practitioner), second.id, { decision: 'referral', reason: 'New concern', version: second.version })
    const [again] = await database.db.select().from(cinEpisode).where(eq(cinEpisode.contactId, second.id))
    assert.equal(again!.rereferral, false)
  })

  test('a stale version is refused with the current contact', async () => {
    const row = await recordContact(world.ctx(practitioner), contactAbout([newChild()]))
    const acknowledged = await acknowledgeContact(world.ctx(practitioner), row.id, { acknowledgedOn: '2026-11-19', version: row.version })
    assert.equal(acknowledged.version, row.version + 1)
    await assert.rejects(decideContact(world.ctx(manager), row.id, { decision: 'nfa', reason: 'None', version: row.version }), (err) => {
      assert.ok(err instanceof EditConflict)
      assert.equal(err.current!.version, acknowledged.version)
      assert.equal(err.current!.acknowledgedOn, '2026-11-19')
      return true
    })
  })

  test('the front door team holding a contact decides it on another team’s case; someone in neither team cannot, audited', async () => {
    const known = await world.childCase()
    const row = await recordContact(world.ctx(practitioner), contactAbout([{ personId: known.personId }]))
    const outsiderTeam = await world.team(`outsiders`, 'council')
    const outsider = await world.user(['front-door-practitioner'], { team: 'outsiders' })
    assert.ok(outsiderTeam)
    await assert.rejects(decideContact(world.ctx(outsider), row.id, { decision: 'nfa', reason: 'None', version: row.version }), AccessDenied)
    const refusals = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, known.caseId), eq(auditEvent.action, 'case.update.refused')))
    assert.equal(refusals.length, 1)
    const decided = await decideContact(world.ctx(practitioner), row.id, { decision: 'information-advice', reason: 'Advice', version: row.version })
    assert.equal(decided.decision, 'information-advice')
    const decisions = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, row.id), eq(auditEvent.action, 'contact.decide')))
    assert.deepEqual(decisions.map((d) => d.ground), ['front-door-contact'])
  })
})

describe('acknowledgement and feedback', () => {
  test('are versioned updates; feedback needs a decision and dates cannot precede the contact', async () => {
    const row = await recordContact(world.ctx(practitioner), contactAbout([newChild()]))
    const ctx = world.ctx(practitioner)
    await assert.rejects(
      acknowledgeContact(ctx, row.id, { acknowledgedOn: '2026-11-18', version: row.version }),
      (err) => err instanceof ValidationFailed && 'acknowledgedOn' in err.fieldErrors,
    )
    await assert.rejects(
      recordFeedback(ctx, row.id, { feedbackOn: '2026-11-20', feedback: 'Told them', version: row.version }),
      (err) => err instanceof ValidationFailed && 'feedback' in err.fieldErrors,
    )
    const decided = await decideContact(ctx, row.id, { decision: 'nfa', reason: 'No concerns', version: row.version })
    const fed = await recordFeedback(ctx, row.id, { feedbackOn: '2026-11-20', feedback: 'No further action: explained why.', version: decided.version })
    assert.equal(fed.feedback, 'No further action: explained why.')
    const revisions = await database.db.select().from(recordRevision).where(eq(recordRevision.entityId, row.id))
    assert.deepEqual(revisions.map((r) => r.version), [1, 2, 3])
  })
})

describe('reading a contact', () => {
  test('anyone who can read a child’s case reads it; others are refused', async () => {
    const known = await world.childCase()
    await world.involve(known.caseId, 'school', '2026-09-01')
    const row = await recordContact(world.ctx(practitioner), contactAbout([{ personId: known.personId }, newChild('Cy')]))
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const seen = await viewContact(world.ctx(partner), row.id)
    assert.equal(seen.children.length, 2)
    assert.equal(seen.children.filter((c) => c.readable).length, 1, 'the partner sees only the child their agency is involved with')
    assert.equal(seen.children.find((c) => !c.readable)!.givenName, null)
    assert.equal(seen.canUpdate, false)
    assert.equal(seen.decisionClock!.rule, 'referral-decision')
    const police = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    await assert.rejects(viewContact(world.ctx(police), row.id), AccessDenied)
  })
})

describe('the front door queue', () => {
  test('shows the team’s undecided contacts most urgent first, then recently decided; others are refused', async () => {
    const queueWorld = await World.create(database.db)
    const fd = await queueWorld.user(['front-door-practitioner'], { team: 'front-door' })
    const ctx = queueWorld.ctx(fd)
    const at = (time: string, urgency: string) =>
      recordContact(ctx, contactAbout([newChild()], { receivedDate: '2026-11-20', receivedTime: time, urgency }))
    const standardEarly = await at('08:00', 'standard')
    const urgent = await at('09:00', 'urgent')
    const immediate = await at('09:30', 'immediate')
    const standardLate = await at('10:00', 'standard')
    const done = await at('07:00', 'urgent')
    await decideContact(ctx, done.id, { decision: 'nfa', reason: 'No concerns', version: done.version })
    const queue = await frontDoorQueue(ctx)
    assert.deepEqual(queue.undecided.items.map((q) => q.id), [immediate.id, urgent.id, standardEarly.id, standardLate.id])
    assert.deepEqual([queue.undecided.total, queue.recentlyDecided.total], [4, 1])
    assert.equal(queue.undecided.items[0]!.clock!.dueOn, '2026-11-20')
    assert.equal(queue.undecided.items[0]!.clock!.state, 'due')
    assert.match(queue.undecided.items[0]!.children[0]!, /^Ada Fictional/)
    assert.deepEqual(queue.recentlyDecided.items.map((q) => q.id), [done.id])
    // A page at a time: the second of two, and the total on every page.
    const second = await frontDoorQueue(ctx, { undecided: { offset: 2, limit: 2 } })
    assert.deepEqual([second.undecided.items.map((q) => q.id), second.undecided.total], [[standardEarly.id, standardLate.id], 4])
    const overdue = await frontDoorQueue(queueWorld.ctx(fd, new Date('2026-11-24T10:00:00Z')))
    assert.equal(overdue.undecided.items[0]!.clock!.state, 'overdue')
    const worker = await queueWorld.user(['social-worker'])
    await assert.rejects(frontDoorQueue(queueWorld.ctx(worker)), AccessDenied)
  })

  test('a contact decided more than 7 days ago drops off the recent list', async () => {
    const queueWorld = await World.create(database.db)
    const fd = await queueWorld.user(['front-door-practitioner'], { team: 'front-door' })
    const row = await recordContact(queueWorld.ctx(fd), contactAbout([newChild()]))
    await decideContact(queueWorld.ctx(fd), row.id, { decision: 'nfa', reason: 'None', version: row.version })
    const later = new Date(FIXED_NOW.getTime() + 8 * 24 * 3600_000)
    assert.deepEqual((await frontDoorQueue(queueWorld.ctx(fd, later))).recentlyDecided.items, [])
  })
})

describe('adding a contact to the child’s open case (issue 16)', () => {
  /** A child whose case is open with the assessment team, with an open child in need episode. */
  async function childWithOpenCase(worker: string | null) {
    const made = await world.childCase({ worker })
    await database.db.insert(cinEpisode).values({
      partnershipId: world.partnershipId,
      caseId: made.caseId,
      referralDate: '2026-10-01',
      referralSource: '2A',
      recordedBy: practitioner.userId,
    })
    return made
  }
  const tasksOfCase = (caseId: string) => database.db.select().from(task).where(eq(task.caseId, caseId))
  const episodesOfCase = (caseId: string) => database.db.select().from(cinEpisode).where(eq(cinEpisode.caseId, caseId))

  test('the front door adds it: decided with who and when, the decision task done, the worker told and given a task, on the chronology', async () => {
    const worker = await world.user(['social-worker'], { team: 'assessment' })
    const known = await childWithOpenCase(worker.userId)
    const row = await recordContact(world.ctx(practitioner), contactAbout([{ personId: known.personId }]))

    // What the front door sees of the case for the decision: who holds it, nothing more.
    const before = await viewContact(world.ctx(practitioner), row.id)
    const held = before.children[0]!.openCase!
    assert.deepEqual(Object.keys(held).sort(), ['allocatedWorkerName', 'teamName'])
    assert.match(held.teamName!, /^assessment /)
    assert.equal(held.allocatedWorkerName, worker.displayName)

    const decided = await decideContact(world.ctx(practitioner), row.id, { decision: 'open-case', reason: 'Adds to the current assessment', version: row.version })
    assert.equal(decided.decision, 'open-case')
    assert.equal(decided.decidedBy, practitioner.userId)
    assert.equal(decided.decidedAt!.toISOString(), FIXED_NOW.toISOString())
    assert.deepEqual((await casesOfContact(row.id)).map((k) => k.decision), ['open-case'])

    const c = await caseOf(known.caseId)
    assert.equal(c.status, 'assessment', 'the case keeps its stage')
    assert.equal(c.allocatedWorkerId, worker.userId, 'and its worker')
    assert.equal((await episodesOfCase(known.caseId)).length, 1, 'no second episode')

    const tasks = await tasksOfCase(known.caseId)
    const decide = tasks.find((t) => t.title === 'Decide the response to the contact')
    assert.equal(decide?.status, 'done', 'the decision task is completed')
    const added = tasks.filter((t) => t.title === ADDED_CONTACT_TASK)
    assert.equal(added.length, 1)
    assert.equal(added[0]!.assigneeUserId, worker.userId)
    assert.equal(added[0]!.status, 'open')
    assert.equal(added[0]!.dueOn, '2026-11-23', 'due the next working day')

    const notes = await database.db.select().from(notification).where(eq(notification.caseId, known.caseId))
    assert.deepEqual(notes.map((n) => [n.userId, n.kind, n.link]), [[worker.userId, 'contact-added-to-case', `/contacts/${row.id}`]])

    const audited = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'contact.add-to-case'), eq(auditEvent.recordId, row.id)))
    assert.equal(audited.length, 1)
    assert.equal(audited[0]!.actorUserId, practitioner.userId)
    assert.equal(audited[0]!.subjectPersonId, known.personId)

    const view = await chronology(world.ctx(worker), known.caseId)
    const entry = view.entries.find((e) => e.link === `/contacts/${row.id}` && e.kind === 'contact')
    assert.equal(entry?.title, "Contact from Schools: added to the child's open case with children's social care")
    assert.match(entry!.detail, /Bruising seen on the child’s arm/)
  })

  test('an unallocated case: the task is for the case’s team and every active member is told', async () => {
    const known = await childWithOpenCase(null)
    const teamManager = await world.user(['team-manager'], { team: 'assessment' })
    const row = await recordContact(world.ctx(practitioner), contactAbout([{ personId: known.personId }]))
    await decideContact(world.ctx(practitioner), row.id, { decision: 'open-case', reason: 'Adds to the assessment', version: row.version })
    const [added] = (await tasksOfCase(known.caseId)).filter((t) => t.title === ADDED_CONTACT_TASK)
    assert.equal(added!.assigneeUserId, null)
    assert.equal(added!.assigneeTeamId, (await caseOf(known.caseId)).teamId)
    const told = (await database.db.select().from(notification).where(eq(notification.caseId, known.caseId))).map((n) => n.userId)
    assert.ok(told.includes(teamManager.userId))
    assert.ok(!told.includes(practitioner.userId), 'the front door team is not told')
  })

  test('a contact about several children: one added to their open case, the other referred', async () => {
    const known = await childWithOpenCase(null)
    const row = await recordContact(world.ctx(practitioner), contactAbout([{ personId: known.personId }, newChild('Bea')]))
    const links = await casesOfContact(row.id)
    const other = links.find((k) => k.personId !== known.personId)!

    await assert.rejects(
      decideContact(world.ctx(practitioner), row.id, { decision: 'referral', reason: 'Assess both', version: row.version }),
      (err) => err instanceof ValidationFailed && /already has an open child in need episode.*Add this contact to their open case/.test(err.fieldErrors.decision!),
    )
    await assert.rejects(
      decideContact(world.ctx(practitioner), row.id, { decision: 'open-case', reason: 'Both', version: row.version }),
      (err) => err instanceof ValidationFailed && /has no open case/.test(err.fieldErrors.decision!),
      'a child with no open case cannot be added to one',
    )

    await decideContact(world.ctx(practitioner), row.id, { decision: 'referral', reason: 'Assess Bea', openCase: [known.personId], version: row.version })
    const decisions = new Map((await casesOfContact(row.id)).map((k) => [k.personId, k.decision]))
    assert.equal(decisions.get(known.personId), 'open-case')
    assert.equal(decisions.get(other.personId), 'referral')
    assert.equal((await episodesOfCase(known.caseId)).length, 1, 'no episode on the open case')
    assert.equal((await episodesOfCase(other.caseId)).length, 1, 'the other child is referred')
    assert.equal((await tasksOfCase(known.caseId)).filter((t) => t.title === ADDED_CONTACT_TASK).length, 1)
    assert.equal((await tasksOfCase(other.caseId)).filter((t) => t.title === ADDED_CONTACT_TASK).length, 0)
  })

  test('a child of another contact cannot be named, and nothing is decided', async () => {
    const known = await childWithOpenCase(null)
    const stranger = await childWithOpenCase(null)
    const row = await recordContact(world.ctx(practitioner), contactAbout([{ personId: known.personId }]))
    await assert.rejects(
      decideContact(world.ctx(practitioner), row.id, { decision: 'nfa', reason: 'x', openCase: [stranger.personId], version: row.version }),
      (err) => err instanceof ValidationFailed && 'openCase' in err.fieldErrors,
    )
    assert.deepEqual((await casesOfContact(row.id)).map((k) => k.decision), [null])
  })
})

describe('the team that decided a contact keeps reading it for a week (issue 16, item 2)', () => {
  /** A contact about a child of another team's case, decided and fed back by the front door. */
  async function decidedAndFedBack() {
    const known = await world.childCase()
    const ctx = world.ctx(practitioner)
    const row = await recordContact(ctx, contactAbout([{ personId: known.personId }]))
    const decided = await decideContact(ctx, row.id, { decision: 'information-advice', reason: 'Advice given', version: row.version })
    await recordFeedback(ctx, row.id, { feedbackOn: '2026-11-20', feedback: 'Told them the advice.', version: decided.version })
    return { known, ctx, row }
  }

  test('after feedback: the contact and its children, not their case; audited as a read of the contact; a week later, refused', async () => {
    const { known, ctx, row } = await decidedAndFedBack()
    await assert.rejects(contactsAndEpisodes(ctx, known.caseId), AccessDenied)
    assert.equal(await mayReadContact(ctx, row.id), true)
    const view = await viewContact(ctx, row.id)
    assert.equal(view.children[0]!.readable, true)
    assert.equal(view.children[0]!.caseReadable, false)
    assert.equal(view.children[0]!.caseStatus, null)
    assert.equal(view.canUpdate, false)
    const reads = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, row.id), eq(auditEvent.action, 'contact.view')))
    assert.deepEqual(reads.map((r) => [r.ground, r.subjectPersonId, r.actorUserId]), [['deciding-team', known.personId, practitioner.userId]])
    // Another front door team never had it; and the deciding team's hold ends when the queue stops showing it.
    await world.team('other-front-door', 'council')
    const other = await world.user(['front-door-practitioner'], { team: 'other-front-door' })
    await assert.rejects(viewContact(world.ctx(other), row.id), AccessDenied)
    const weekLater = world.ctx(practitioner, new Date(FIXED_NOW.getTime() + 8 * 24 * 3600_000))
    assert.equal(await mayReadContact(weekLater, row.id), false)
    await assert.rejects(viewContact(weekLater, row.id), AccessDenied)
  })

  test('a restricted child is not opened this way', async () => {
    const { known, ctx, row } = await decidedAndFedBack()
    await database.db.update(childCase).set({ restricted: true }).where(eq(childCase.id, known.caseId))
    await assert.rejects(viewContact(ctx, row.id))
  })
})

describe('when the decision was made, and the deadline urgency sets (issue 16, item 3)', () => {
  const decisionClockOf = async (contactId: string) => (await database.db.select().from(clock).where(eq(clock.subjectId, contactId)))[0]!

  test('an urgent or immediate contact is due the day it was received; a standard one keeps the 1 working day rule', async () => {
    const ctx = world.ctx(practitioner)
    const dueOf = async (urgency: string) => (await decisionClockOf((await recordContact(ctx, contactAbout([newChild()], { urgency }))).id)).dueOn
    // Received Thursday 19 November 2026.
    assert.equal(await dueOf('urgent'), '2026-11-19')
    assert.equal(await dueOf('immediate'), '2026-11-19')
    assert.equal(await dueOf('standard'), '2026-11-20')
    const urgent = await recordContact(ctx, contactAbout([newChild()], { urgency: 'urgent' }))
    const k = await decisionClockOf(urgent.id)
    assert.deepEqual([k.rule, k.edition, k.startOn], ['referral-decision', 2026, '2026-11-19'], 'the rule and edition behind it are still shown')
    const [t] = await database.db.select().from(task).where(eq(task.clockId, k.id))
    assert.equal(t!.dueOn, '2026-11-19', 'and its task is due that day too')
  })

  test('today by default; a decision made on an earlier day is on time by that day, and its effects are dated then', async () => {
    const ctx = world.ctx(practitioner)
    const today = await recordContact(ctx, contactAbout([newChild()]))
    await decideContact(ctx, today.id, { decision: 'information-advice', reason: 'Advice given', version: today.version })
    assert.equal((await decisionClockOf(today.id)).completedOn, '2026-11-20')

    // Received Tuesday 17th, due Wednesday 18th, decided on the 18th and recorded on Friday the 20th.
    const row = await recordContact(ctx, contactAbout([newChild()], { receivedDate: '2026-11-17' }))
    await decideContact(ctx, row.id, { decision: 'nfa', reason: 'No concerns', decidedOn: '2026-11-18', version: row.version })
    const k = await decisionClockOf(row.id)
    assert.deepEqual([k.completedOn, k.delayReason], ['2026-11-18', null])
    const view = await viewContact(ctx, row.id)
    assert.equal(view.decisionClock!.state, 'completed-on-time')
    assert.equal(view.decidedAt!.toISOString(), FIXED_NOW.toISOString(), 'when it was recorded is kept too')
    const [link] = await casesOfContact(row.id)
    assert.equal((await caseOf(link!.caseId)).closedOn, '2026-11-18', 'the case closed the day the decision was made')
  })

  test('not in the future, not before the contact was received', async () => {
    const ctx = world.ctx(practitioner)
    const row = await recordContact(ctx, contactAbout([newChild()]))
    const refusedFor = (decidedOn: string) =>
      decideContact(ctx, row.id, { decision: 'nfa', reason: 'None', decidedOn, version: row.version }).then(
        () => assert.fail('decided'),
        (err) => (err instanceof ValidationFailed ? err.fieldErrors.decidedOn : String(err)),
      )
    assert.equal(await refusedFor('2026-11-21'), 'The date must be today or in the past')
    assert.equal(await refusedFor('2026-11-18'), 'The date cannot be before the contact was received')
    assert.equal((await decisionClockOf(row.id)).completedOn, null, 'nothing was saved')
  })

  test('a late decision needs the reason, kept with the timescale, in the contact’s history and on the chronology', async () => {
    const ctx = world.ctx(practitioner)
    const row = await recordContact(ctx, contactAbout([newChild()], { receivedDate: '2026-11-16' }))
    await assert.rejects(
      decideContact(ctx, row.id, { decision: 'nfa', reason: 'None', version: row.version }),
      (err) => err instanceof ValidationFailed &&
        err.fieldErrors.delayReason === 'Enter the reason the decision was late: it was due by 17 November 2026 and made on 20 November 2026',
    )
    await decideContact(ctx, row.id, { decision: 'referral', reason: 'Assess', delayReason: 'Waiting for the police check', version: row.version })
    const k = await decisionClockOf(row.id)
    assert.deepEqual([k.completedOn, k.delayReason], ['2026-11-20', 'Waiting for the police check'])
    const view = await viewContact(ctx, row.id)
    assert.equal(view.decisionClock!.state, 'completed-late')

    const [link] = await casesOfContact(row.id)
    const revisions = await database.db.select().from(recordRevision).where(eq(recordRevision.entityId, row.id))
    const latest = revisions.sort((a, b) => b.version - a.version)[0]!.data as Record<string, unknown>
    assert.deepEqual([latest.decidedOn, latest.decisionDueOn, latest.decisionDelayReason], ['2026-11-20', '2026-11-17', 'Waiting for the police check'])
    const entries = (await chronology(ctx, link!.caseId)).entries.filter((e) => e.link === `/contacts/${row.id}`)
    const late = entries.find((e) => e.title.startsWith('Contact decided late'))
    assert.deepEqual(
      [late?.date, late?.title, late?.detail],
      ['2026-11-20', 'Contact decided late: it was due by 17 November 2026', 'Reason it was late: Waiting for the police check'],
    )

    // An on-time decision has no such entry, and its reason for delay is not asked or kept.
    const onTime = await recordContact(ctx, contactAbout([newChild()]))
    await decideContact(ctx, onTime.id, { decision: 'nfa', reason: 'None', delayReason: 'Not late', delayReasonCode: 'capacity', version: onTime.version })
    assert.deepEqual([(await decisionClockOf(onTime.id)).delayReason, (await decisionClockOf(onTime.id)).delayReasonCode], [null, null])
  })

  test('a late decision may give the coded reason alone: kept with the timescale and counted by reason', async () => {
    const ctx = world.ctx(practitioner)
    const row = await recordContact(ctx, contactAbout([newChild()], { receivedDate: '2026-11-16' }))
    const counted = await lateCountOf(database.db, world.partnershipId, 'awaiting-agency')
    await decideContact(ctx, row.id, { decision: 'nfa', reason: 'None', delayReasonCode: 'awaiting-agency', version: row.version })
    const k = await decisionClockOf(row.id)
    assert.deepEqual([k.completedOn, k.delayReasonCode, k.delayReason], ['2026-11-20', 'awaiting-agency', null])
    assert.equal(await lateCountOf(database.db, world.partnershipId, 'awaiting-agency'), counted + 1)
    // Shown as its label: on the contact's timescale (a reason given) and on the chronology.
    const { decisionClock } = await viewContact(ctx, row.id)
    assert.deepEqual([decisionClock!.delayReasonCode, decisionClock!.needsReason], ['awaiting-agency', false])
    const [link] = await casesOfContact(row.id)
    const late = (await chronology(ctx, link!.caseId)).entries.find((e) => e.link === `/contacts/${row.id}` && e.title.startsWith('Contact decided late'))
    assert.equal(late?.detail, 'Reason it was late: Waiting for information or attendance from another agency')
  })

  test('“Decided in the last 7 days” counts from the day the decision was made', async () => {
    const queueWorld = await World.create(database.db)
    const fd = await queueWorld.user(['front-door-practitioner'], { team: 'front-door' })
    const ctx = queueWorld.ctx(fd)
    const decidedOn = async (receivedDate: string, on: string) => {
      const row = await recordContact(ctx, contactAbout([newChild()], { receivedDate }))
      await decideContact(ctx, row.id, { decision: 'nfa', reason: 'None', decidedOn: on, version: row.version })
      return row.id
    }
    const eightDaysAgo = await decidedOn('2026-11-12', '2026-11-12')
    const sixDaysAgo = await decidedOn('2026-11-13', '2026-11-13')
    const yesterday = await decidedOn('2026-11-19', '2026-11-19')
    const queue = await frontDoorQueue(ctx)
    assert.deepEqual(queue.recentlyDecided.items.map((q) => q.id), [yesterday, sixDaysAgo], 'newest decision first')
    assert.ok(!queue.recentlyDecided.items.some((q) => q.id === eightDaysAgo))
    assert.equal(queue.recentlyDecided.items[0]!.decidedOn, '2026-11-19')
  })
})
