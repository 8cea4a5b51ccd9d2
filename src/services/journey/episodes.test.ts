import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { assessment, auditEvent, childCase, cinEpisode, clock, partnership, plan } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, ValidationFailed, type Actor } from '../common/context.ts'
import { closeEpisode, episodeClosure, listEpisodes, markReferralNfa, setPrimaryNeed } from './episodes.ts'
import { contactInput } from './front-door-input.ts'
import { decideContact, recordContact } from './front-door.ts'

let database: TestDatabase
let world: World
let practitioner: Actor
before(async () => {
  ({ database, world } = await openTestWorld())
  practitioner = await world.user(['front-door-practitioner'], { team: 'front-door' })
})
after(() => database.close())

let counter = 0
/** A child referred on `receivedDate`: their case and the episode the referral opened. */
async function referredChild(receivedDate = '2026-10-05') {
  const ctx = world.ctx(practitioner)
  const row = await recordContact(
    ctx,
    contactInput.parse({
      receivedDate,
      receivedTime: '10:15',
      source: '3B',
      referrerName: 'Hal Visitor',
      concern: 'Home conditions',
      consent: 'given',
      urgency: 'standard',
      children: [{ newPerson: { givenName: 'Tam', familyName: `Episodic${++counter}`, dateOfBirth: '2020-04-04', sex: 'M' } }],
    }),
  )
  await decideContact(ctx, row.id, { decision: 'referral', reason: 'Assess needs', decidedOn: receivedDate, version: row.version })
  const [episode] = await database.db.select().from(cinEpisode).where(eq(cinEpisode.contactId, row.id))
  return { caseId: episode!.caseId, episode: episode! }
}

/** A single assessment started on the episode, not yet completed. */
const assessmentStarted = (caseId: string, episodeId: string) =>
  database.db.insert(assessment).values({
    partnershipId: world.partnershipId,
    caseId,
    episodeId,
    kind: 'single',
    startedOn: '2026-10-06',
    recordedBy: practitioner.userId,
  })

const stageOf = async (caseId: string) => (await database.db.select().from(childCase).where(eq(childCase.id, caseId)))[0]!.status

describe('child in need episodes', () => {
  test('closing needs a primary need, a date on or after the referral and not in the future', async () => {
    const { caseId, episode } = await referredChild()
    const ctx = world.ctx(practitioner)
    await assert.rejects(
      closeEpisode(ctx, caseId, episode.id, { closureDate: '2026-11-01', closureReason: 'RC7', version: episode.version }),
      (err) => err instanceof ValidationFailed && 'primaryNeed' in err.fieldErrors,
    )
    const needed = await setPrimaryNeed(ctx, caseId, episode.id, { primaryNeed: 'N4', version: episode.version })
    assert.equal(needed.primaryNeed, 'N4')
    await assert.rejects(
      closeEpisode(ctx, caseId, episode.id, { closureDate: '2026-10-04', closureReason: 'RC7', version: needed.version }),
      (err) => err instanceof ValidationFailed && /before the referral/.test(err.fieldErrors.closureDate!),
    )
    await assert.rejects(
      closeEpisode(ctx, caseId, episode.id, { closureDate: '2026-11-21', closureReason: 'RC7', version: needed.version }),
      (err) => err instanceof ValidationFailed && 'closureDate' in err.fieldErrors,
    )
  })

  test('closing completes the episode’s clocks and closes the case when nothing else is open', async () => {
    const { caseId, episode } = await referredChild()
    const ctx = world.ctx(practitioner)
    const needed = await setPrimaryNeed(ctx, caseId, episode.id, { primaryNeed: 'N9', version: episode.version })
    const closed = await closeEpisode(ctx, caseId, episode.id, { closureDate: '2026-11-02', closureReason: 'RC8', version: needed.version })
    assert.equal(closed.closureDate, '2026-11-02')
    assert.equal(closed.closureReason, 'RC8')
    const clocks = await database.db.select().from(clock).where(eq(clock.subjectId, episode.id))
    assert.deepEqual(clocks.map((k) => k.completedOn), ['2026-11-02'])
    assert.equal(await stageOf(caseId), 'closed')
    await assert.rejects(
      closeEpisode(ctx, caseId, episode.id, { closureDate: '2026-11-03', closureReason: 'RC7', version: closed.version }),
      (err) => err instanceof ValidationFailed && /already closed/.test(err.fieldErrors.closureDate!),
    )
  })

  test('an open plan stops the episode closing until it ends (issue 16), and rules out “closed after assessment”', async () => {
    const { caseId, episode } = await referredChild()
    const [cin] = await database.db.insert(plan).values({
      partnershipId: world.partnershipId,
      caseId,
      episodeId: episode.id,
      kind: 'child-in-need',
      startedOn: '2026-10-20',
      recordedBy: practitioner.userId,
    }).returning()
    const ctx = world.ctx(practitioner)
    const needed = await setPrimaryNeed(ctx, caseId, episode.id, { primaryNeed: 'N1', version: episode.version })
    const check = await episodeClosure(ctx, caseId, episode.id)
    assert.deepEqual(check.open.map((w) => [w.kind, w.title]), [['plan', 'Child in need plan'], ['task', 'Complete the assessment']])
    assert.match(check.blockers.form!, /End the child in need plan before closing the episode/)
    assert.equal(check.authorisationNeeded, false)
    assert.equal(check.mayClose, true)
    await assert.rejects(
      closeEpisode(ctx, caseId, episode.id, { closureDate: '2026-11-02', closureReason: 'RC7', version: needed.version }),
      (err) => err instanceof ValidationFailed && /End the child in need plan/.test(err.fieldErrors.form!),
    )
    const [still] = await database.db.select().from(cinEpisode).where(eq(cinEpisode.id, episode.id))
    assert.equal(still!.closureDate, null, 'nothing changed')
    await database.db.update(plan).set({ endedOn: '2026-10-30' }).where(eq(plan.id, cin!.id))
    await database.db.insert(plan).values({
      partnershipId: world.partnershipId,
      caseId,
      kind: 'early-help',
      startedOn: '2026-10-30',
      recordedBy: practitioner.userId,
    })
    assert.deepEqual((await episodeClosure(ctx, caseId, episode.id)).blockers, {}, 'an early help plan of the case does not stop it')
    await assert.rejects(
      closeEpisode(ctx, caseId, episode.id, { closureDate: '2026-11-02', closureReason: 'RC8', version: needed.version }),
      (err) => err instanceof ValidationFailed && 'closureReason' in err.fieldErrors,
    )
    await closeEpisode(ctx, caseId, episode.id, { closureDate: '2026-11-02', closureReason: 'RC7', version: needed.version })
    assert.equal(await stageOf(caseId), 'assessment', 'the open early help plan keeps the case open')
  })

  test('the closure check shows open enquiries, assessments and tasks, and is one audited read', async () => {
    const { caseId, episode } = await referredChild()
    await assessmentStarted(caseId, episode.id)
    const before = await database.db.select().from(auditEvent).where(eq(auditEvent.recordId, caseId))
    const check = await episodeClosure(world.ctx(practitioner), caseId, episode.id)
    const after = await database.db.select().from(auditEvent).where(eq(auditEvent.recordId, caseId))
    assert.equal(after.length - before.length, 1)
    assert.deepEqual(check.open.map((w) => w.kind).sort(), ['assessment', 'task'])
    assert.deepEqual(check.blockers, {})
  })

  test('where the local rules ask for it, only a manager closes an episode (issue 16)', async () => {
    const other = await World.create(database.db)
    await database.db.update(partnership).set({ localRules: { episodeClosureAuthorisation: true } }).where(eq(partnership.id, other.partnershipId))
    const worker = await other.user(['social-worker'], { team: 'assessment' })
    const manager = await other.user(['team-manager'], { team: 'assessment' })
    const { caseId } = await other.childCase({ worker: worker.userId, team: 'assessment' })
    const [ep] = await database.db.insert(cinEpisode).values({
      partnershipId: other.partnershipId,
      caseId,
      referralDate: '2026-10-01',
      referralSource: '3B',
      primaryNeed: 'N1',
      recordedBy: worker.userId,
    }).returning()
    const check = await episodeClosure(other.ctx(worker), caseId, ep!.id)
    assert.equal(check.authorisationNeeded, true)
    assert.equal(check.mayClose, false)
    const input = { closureDate: '2026-11-02', closureReason: 'RC7' as const, version: ep!.version }
    await assert.rejects(closeEpisode(other.ctx(worker), caseId, ep!.id, input), AccessDenied)
    assert.equal((await episodeClosure(other.ctx(manager), caseId, ep!.id)).mayClose, true)
    const closed = await closeEpisode(other.ctx(manager), caseId, ep!.id, input)
    assert.equal(closed.closureDate, '2026-11-02')
  })

  test('a referral with no activity can be marked NFA and then closes without a primary need', async () => {
    const { caseId, episode } = await referredChild()
    const ctx = world.ctx(practitioner)
    const nfa = await markReferralNfa(ctx, caseId, episode.id, { version: episode.version })
    assert.equal(nfa.referralNfa, true)
    await assert.rejects(markReferralNfa(ctx, caseId, episode.id, { version: nfa.version }), ValidationFailed)
    const closed = await closeEpisode(ctx, caseId, episode.id, { closureDate: '2026-10-06', closureReason: 'RC7', version: nfa.version })
    assert.equal(closed.primaryNeed, null)
  })

  test('a referral with an assessment cannot be NFA', async () => {
    const { caseId, episode } = await referredChild()
    await assessmentStarted(caseId, episode.id)
    await assert.rejects(
      markReferralNfa(world.ctx(practitioner), caseId, episode.id, { version: episode.version }),
      (err) => err instanceof ValidationFailed && /assessment/.test(err.fieldErrors.referralNfa!),
    )
    const [view] = await listEpisodes(world.ctx(practitioner), caseId)
    assert.equal(view!.hasActivity, true)
  })

  test('lists the case’s episodes with their clocks; versions and access are checked', async () => {
    const { caseId, episode } = await referredChild('2026-09-01')
    const ctx = world.ctx(practitioner)
    const [view] = await listEpisodes(ctx, caseId)
    assert.equal(view!.id, episode.id)
    assert.equal(view!.referralDate, '2026-09-01')
    assert.deepEqual(view!.clocks.map((k) => k.rule), ['assessment'])
    assert.equal(view!.hasActivity, false)
    await setPrimaryNeed(ctx, caseId, episode.id, { primaryNeed: 'N2', version: episode.version })
    await assert.rejects(setPrimaryNeed(ctx, caseId, episode.id, { primaryNeed: 'N3', version: episode.version }), EditConflict)
    const police = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    await assert.rejects(listEpisodes(world.ctx(police), caseId), AccessDenied)
    const reader = await world.user(['social-worker'], { team: 'front-door' })
    await assert.rejects(setPrimaryNeed(world.ctx(reader), caseId, episode.id, { primaryNeed: 'N3', version: 2 }), AccessDenied)
  })
})
