import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, caseTransfer, childCase, contactChild, recordRevision, task } from '../../db/schema/index.ts'
import { withCase } from './case-records.ts'
import { transferCase, transferForm } from './case-transfer.ts'
import { viewCase } from './cases.ts'
import { chronology } from './chronology.ts'
import { startClock } from './clocks.ts'
import { AccessDenied, EditConflict, ValidationFailed, type Actor } from '../common/context.ts'
import { contactInput } from './front-door-input.ts'
import { decideContact, recordContact } from './front-door.ts'
import { allocateCase, teamView } from './oversight.ts'

let database: TestDatabase
let world: World
/** Managers of the front door (where cases start) and of the assessment team (where they go). */
let frontDoorManager: Actor
let assessmentManager: Actor
before(async () => {
  ({ database, world } = await openTestWorld())
  await world.team('school-safeguarding', 'school')
  frontDoorManager = await world.user(['team-manager'], { team: 'front-door' })
  assessmentManager = await world.user(['team-manager'], { team: 'assessment' })
})
after(() => database.close())

const caseRow = async (caseId: string) => (await database.db.select().from(childCase).where(eq(childCase.id, caseId)))[0]!

const refusal = (field: string, pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ValidationFailed, `expected ValidationFailed, got ${String(err)}`)
  assert.match(err.fieldErrors[field] ?? '', pattern)
  return true
}

/** A front door case allocated to a front door worker, with a clock task for the worker and one for the team. */
async function frontDoorCase() {
  const worker = await world.user(['social-worker'], { team: 'front-door' })
  const { caseId } = await world.childCase({ team: 'front-door', worker: worker.userId })
  const ctx = world.ctx(frontDoorManager)
  const [workers, teams] = await withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const mine = await startClock(ctx, tx, open, { rule: 'assessment', start: '2026-11-18', subjectType: 'case', subjectId: caseId, task: 'Assess' })
    open.c.allocatedWorkerId = null
    const team = await startClock(ctx, tx, open, { rule: 'strategy-discussion', start: '2026-11-18', subjectType: 'case', subjectId: caseId, task: 'Meet' })
    return [mine, team]
  })
  const [handMade] = await database.db
    .insert(task)
    .values({ partnershipId: world.partnershipId, caseId, title: 'Phone the school', assigneeUserId: frontDoorManager.userId, createdBy: frontDoorManager.userId })
    .returning()
  return { worker, caseId, clockTasks: [workers!.id, teams!.id], handMadeId: handMade!.id }
}

const reason = 'Referral accepted for a single assessment by the assessment team.'

describe('transferring a case to another team', () => {
  test('the case’s team manager moves it: allocation cleared, clock tasks follow, audited and in the chronology', async () => {
    const { caseId, clockTasks, handMadeId } = await frontDoorCase()
    const form = await transferForm(world.ctx(frontDoorManager), caseId)
    assert.ok(form.teams.some((t) => t.id === world.teams.assessment), 'the assessment team is offered')
    assert.ok(!form.teams.some((t) => t.id === world.teams['front-door']), 'not the case’s own team')
    assert.ok(!form.teams.some((t) => t.id === world.teams['school-safeguarding']), 'not a team of another agency')

    const done = await transferCase(world.ctx(frontDoorManager), caseId, { teamId: world.teams.assessment!, reason, version: form.version })
    assert.equal(done.tasksMoved, 2)
    const row = await caseRow(caseId)
    assert.equal(row.teamId, world.teams.assessment)
    assert.equal(row.allocatedWorkerId, null, 'the receiving team allocates')
    assert.equal(row.version, form.version + 1)
    for (const id of clockTasks) {
      const [t] = await database.db.select().from(task).where(eq(task.clockId, id))
      assert.deepEqual([t!.assigneeTeamId, t!.assigneeUserId], [world.teams.assessment, null])
    }
    const [hand] = await database.db.select().from(task).where(eq(task.id, handMadeId))
    assert.equal(hand!.assigneeUserId, frontDoorManager.userId, 'a task made by hand for someone stays theirs')

    const [stored] = await database.db.select().from(caseTransfer).where(eq(caseTransfer.caseId, caseId))
    assert.deepEqual(
      [stored!.fromTeamId, stored!.toTeamId, stored!.transferredOn, stored!.reason, stored!.recordedBy],
      [world.teams['front-door'], world.teams.assessment, '2026-11-20', reason, frontDoorManager.userId],
    )
    const actions = await database.db.select({ action: auditEvent.action }).from(auditEvent).where(eq(auditEvent.actorUserId, frontDoorManager.userId))
    assert.ok(actions.some((a) => a.action === 'case.transfer'))
    assert.ok(actions.some((a) => a.action === 'case-transfer.create'))
    const revisions = await database.db
      .select({ data: recordRevision.data })
      .from(recordRevision)
      .where(and(eq(recordRevision.caseId, caseId), eq(recordRevision.entity, 'case')))
    assert.ok(revisions.some((r) => (r.data as { teamId: string }).teamId === world.teams.assessment), 'the case’s revision holds the new team')

    const entries = (await chronology(world.ctx(assessmentManager), caseId)).entries.filter((e) => e.entity === 'case-transfer')
    assert.equal(entries.length, 1)
    assert.match(entries[0]!.title, /^Case transferred from front-door \w+ to assessment \w+$/)
    assert.equal(entries[0]!.detail, reason)
    assert.equal(entries[0]!.date, '2026-11-20')
  })

  test('the receiving team gets the team relationship and the old team loses it', async () => {
    const { caseId, worker } = await frontDoorCase()
    const assessmentWorker = await world.user(['social-worker'], { team: 'assessment' })
    await assert.rejects(viewCase(world.ctx(assessmentManager), caseId), AccessDenied)
    const { version } = await transferForm(world.ctx(frontDoorManager), caseId)
    await transferCase(world.ctx(frontDoorManager), caseId, { teamId: world.teams.assessment!, reason, version })

    assert.equal((await viewCase(world.ctx(assessmentManager), caseId)).ground, 'team')
    const view = await teamView(world.ctx(assessmentManager))
    assert.ok(view.unallocated.items.some((c) => c.caseId === caseId), 'in the receiving team’s unallocated list')
    await allocateCase(world.ctx(assessmentManager), caseId, assessmentWorker.userId, version + 1)
    assert.equal((await viewCase(world.ctx(assessmentWorker), caseId)).ground, 'allocated-worker')

    await assert.rejects(transferForm(world.ctx(frontDoorManager), caseId), AccessDenied, 'the old team’s manager may no longer transfer it')
    await assert.rejects(viewCase(world.ctx(frontDoorManager), caseId), AccessDenied)
    await assert.rejects(viewCase(world.ctx(worker), caseId), AccessDenied, 'the old worker is no longer allocated')
    assert.ok(!(await teamView(world.ctx(frontDoorManager))).unallocated.items.some((c) => c.caseId === caseId))
  })

  test('a stale version is an edit conflict carrying the case as it is now; nothing moves', async () => {
    const { caseId } = await frontDoorCase()
    const { version } = await transferForm(world.ctx(frontDoorManager), caseId)
    await database.db.update(childCase).set({ version: version + 1 }).where(eq(childCase.id, caseId))
    await assert.rejects(
      transferCase(world.ctx(frontDoorManager), caseId, { teamId: world.teams.assessment!, reason, version }),
      (err) => err instanceof EditConflict && (err.current as { version: number }).version === version + 1,
    )
    assert.equal((await caseRow(caseId)).teamId, world.teams['front-door'])
    assert.equal((await database.db.select().from(caseTransfer).where(eq(caseTransfer.caseId, caseId))).length, 0)
  })

  test('only a manager of the case’s team, to another local authority team, of an open case', async () => {
    const { caseId, worker } = await frontDoorCase()
    const { version } = await transferForm(world.ctx(frontDoorManager), caseId)
    const to = { teamId: world.teams.assessment!, reason, version }
    await assert.rejects(transferCase(world.ctx(worker), caseId, to), AccessDenied, 'the allocated social worker may not')
    await assert.rejects(transferCase(world.ctx(assessmentManager), caseId, to), AccessDenied, 'nor another team’s manager')
    const manager = world.ctx(frontDoorManager)
    await assert.rejects(transferCase(manager, caseId, { ...to, teamId: world.teams['front-door']! }), refusal('teamId', /already with this team/))
    await assert.rejects(transferCase(manager, caseId, { ...to, teamId: world.teams['school-safeguarding']! }), refusal('teamId', /local authority/))
    await database.db.update(childCase).set({ status: 'closed', closedOn: '2026-11-19' }).where(eq(childCase.id, caseId))
    await assert.rejects(transferCase(manager, caseId, to), refusal('teamId', /closed/))
  })
})

describe('a front door referral names the receiving team', () => {
  const contact = () =>
    contactInput.parse({
      receivedDate: '2026-11-19',
      receivedTime: '09:30',
      source: '2A',
      referrerName: 'Pat Example',
      concern: 'Bruising seen on the child’s arm; the child said a parent did it.',
      consent: 'given',
      urgency: 'standard',
      children: [{ newPerson: { givenName: 'Ada', familyName: 'Fictional', dateOfBirth: '2018-02-03', sex: 'F', disabilities: [] } }],
    })

  test('the practitioner deciding a referral transfers the child’s case, with its new assessment clock task', async () => {
    const practitioner = await world.user(['front-door-practitioner'], { team: 'front-door' })
    const ctx = world.ctx(practitioner)
    const row = await recordContact(ctx, contact())
    await assert.rejects(
      decideContact(ctx, row.id, { decision: 'nfa', reason: 'No concerns.', teamId: world.teams.assessment!, version: row.version }),
      refusal('teamId', /Only a referral/),
    )
    await decideContact(ctx, row.id, { decision: 'referral', reason: 'Meets the threshold.', teamId: world.teams.assessment!, version: row.version })
    const [link] = await database.db.select().from(contactChild).where(eq(contactChild.contactId, row.id))
    const c = await caseRow(link!.caseId)
    assert.deepEqual([c.teamId, c.status, c.allocatedWorkerId], [world.teams.assessment, 'assessment', null])
    const open = await database.db.select().from(task).where(and(eq(task.caseId, c.id), eq(task.status, 'open')))
    assert.ok(open.length > 0 && open.every((t) => t.assigneeTeamId === world.teams.assessment), 'the assessment clock’s task went with the case')
    const [stored] = await database.db.select().from(caseTransfer).where(eq(caseTransfer.caseId, c.id))
    assert.equal(stored!.reason, "Front door decision: Referral to children's social care")
    assert.equal((await viewCase(world.ctx(assessmentManager), c.id)).ground, 'team')
    // The front door keeps the case until it has fed back to the referrer.
    assert.equal((await viewCase(ctx, c.id)).ground, 'front-door-contact')
  })
})
