import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { agencyContactDetails, auditEvent, lookedAfterPeriod, person, personRelationship, plan, task } from '../../db/schema/index.ts'
import { AccessDenied } from '../common/context.ts'
import { cpStatusCheckInput } from './cp-status-input.ts'
import { checkChildProtectionStatus } from './cp-status.ts'
import { myNotifications } from './notifications.ts'

let database: TestDatabase
let world: World
before(async () => {
  ({ database, world } = await openTestWorld())
  await world.agency('trust', 'health-trust')
})
after(() => database.close())

describe('child protection status check', () => {
  test('the NHS number is checked by its modulus 11 digit', () => {
    assert.equal(cpStatusCheckInput.safeParse({ nhsNumber: '999 000 0018' }).success, true)
    const bad = cpStatusCheckInput.safeParse({ nhsNumber: '999 000 0019' })
    assert.equal(bad.success, false)
    assert.match(bad.error!.issues[0]!.message, /not a valid NHS number/)
  })

  test('a child on a plan: the status, start date, who was found (to confirm the match) and the responsible authority; audited; the social worker is told and given a task', async () => {
    const worker = await world.user(['social-worker'])
    const clinician = await world.user(['unscheduled-care'], { agency: 'trust', team: null })
    const child = await world.childCase({ worker: worker.userId, givenName: 'Flagged' })
    await database.db.update(person).set({ nhsNumber: '9990000077' }).where(eq(person.id, child.personId))
    await database.db.insert(plan).values({ partnershipId: world.partnershipId, caseId: child.caseId, kind: 'child-protection', startedOn: '2026-09-01', recordedBy: worker.userId })
    await database.db.insert(agencyContactDetails).values({ agencyId: world.agencies.council!, partnershipId: world.partnershipId, phone: '01632 960000', email: 'duty@council.invalid', hours: '24 hours' })

    const answer = await checkChildProtectionStatus(world.ctx(clinician), cpStatusCheckInput.parse({ nhsNumber: '999 000 0077', setting: 'Test ED' }))
    assert.equal(answer.status, 'child-protection-plan')
    assert.equal(answer.startedOn, '2026-09-01')
    assert.equal(answer.authority!.phone, '01632 960000')
    assert.equal(answer.authority!.socialWorker, worker.displayName)
    assert.deepEqual(Object.keys(answer).sort(), ['authority', 'checkedAt', 'child', 'startedOn', 'status', 'statuses', 'unbornChildPlan'], 'nothing else about the child')
    assert.deepEqual(answer.child, { nhsNumber: '9990000077', givenName: 'Flagged', familyName: answer.child!.familyName, dateOfBirth: '2016-05-04' })

    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'cp-status.check'), eq(auditEvent.subjectPersonId, child.personId)))
    assert.equal(entry!.ground, 'role:unscheduled-care')
    const told = await myNotifications(world.ctx(worker))
    assert.ok(told.some((n) => n.kind === 'cp-status-checked' && n.link === `/cases/${child.caseId}` && /Test ED/.test(n.title)))
    const tasks = await database.db.select().from(task).where(eq(task.caseId, child.caseId))
    assert.equal(tasks[0]!.assigneeUserId, worker.userId)
  })

  test('an unknown child or one with no plan: "none", still audited', async () => {
    const clinician = await world.user(['unscheduled-care'], { agency: 'trust', team: null })
    const answer = await checkChildProtectionStatus(world.ctx(clinician), cpStatusCheckInput.parse({ nhsNumber: '9990000085' }))
    assert.deepEqual({ status: answer.status, child: answer.child, authority: answer.authority }, { status: 'none', child: null, authority: null })
    const entries = await database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'cp-status.check'), eq(auditEvent.actorUserId, clinician.userId)))
    assert.equal(entries.length, 1)
  })

  test('only unscheduled-care clinicians may check', async () => {
    for (const roles of [['partner-practitioner'], ['social-worker']] as const) {
      const u = await world.user([...roles], { agency: 'trust', team: null })
      await assert.rejects(checkChildProtectionStatus(world.ctx(u), cpStatusCheckInput.parse({ nhsNumber: '9990000085' })), AccessDenied)
    }
  })

  test('a child on a plan and looked after: both statuses, each with its start (issue 17)', async () => {
    const worker = await world.user(['social-worker'])
    const clinician = await world.user(['unscheduled-care'], { agency: 'trust', team: null })
    const child = await world.childCase({ worker: worker.userId, givenName: 'Both' })
    await database.db.update(person).set({ nhsNumber: '9990000131' }).where(eq(person.id, child.personId))
    await database.db.insert(plan).values({ partnershipId: world.partnershipId, caseId: child.caseId, kind: 'child-protection', startedOn: '2026-08-01', recordedBy: worker.userId })
    await database.db.insert(lookedAfterPeriod).values({ partnershipId: world.partnershipId, caseId: child.caseId, startedOn: '2026-10-01', legalStatus: 'V2', recordedBy: worker.userId })
    const answer = await checkChildProtectionStatus(world.ctx(clinician), cpStatusCheckInput.parse({ nhsNumber: '9990000131' }))
    assert.equal(answer.status, 'child-protection-plan')
    assert.deepEqual(answer.statuses, [
      { status: 'child-protection-plan', startedOn: '2026-08-01' },
      { status: 'looked-after', startedOn: '2026-10-01' },
    ])
    assert.equal(answer.unbornChildPlan, null)
    const tasks = await database.db.select().from(task).where(eq(task.caseId, child.caseId))
    assert.equal(tasks.length, 1, 'one follow-up for the one case')
  })

  test('a mother’s NHS number: her unborn child’s plan, with the expected date of birth; the unborn child’s worker is told (issue 17)', async () => {
    const worker = await world.user(['social-worker'])
    const clinician = await world.user(['unscheduled-care'], { agency: 'trust', team: null })
    const unborn = await world.childCase({ worker: worker.userId, givenName: 'Unborn' })
    await database.db.update(person).set({ dateOfBirth: null, expectedDateOfBirth: '2027-02-14', nhsNumber: null }).where(eq(person.id, unborn.personId))
    const [mother] = await database.db.insert(person).values({ partnershipId: world.partnershipId, givenName: 'Mara', familyName: 'Fictionmum', dateOfBirth: '1998-01-01', sex: 'F', nhsNumber: '9990000158' }).returning()
    await database.db.insert(personRelationship).values({ partnershipId: world.partnershipId, personId: unborn.personId, relatedPersonId: mother!.id, kind: 'parent', recordedBy: worker.userId })
    await database.db.insert(plan).values({ partnershipId: world.partnershipId, caseId: unborn.caseId, kind: 'child-protection', startedOn: '2026-10-15', recordedBy: worker.userId })

    const answer = await checkChildProtectionStatus(world.ctx(clinician), cpStatusCheckInput.parse({ nhsNumber: '9990000158', setting: 'Maternity triage' }))
    assert.equal(answer.status, 'unborn-child-protection-plan')
    assert.deepEqual(answer.statuses, [{ status: 'unborn-child-protection-plan', startedOn: '2026-10-15' }])
    assert.deepEqual(answer.unbornChildPlan, { startedOn: '2026-10-15', expectedDateOfBirth: '2027-02-14' })
    assert.deepEqual([answer.child!.givenName, answer.child!.nhsNumber], ['Mara', '9990000158'], 'the mother, to confirm the match')
    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'cp-status.check'), eq(auditEvent.subjectPersonId, unborn.personId)))
    assert.ok(entry, 'audited against the unborn child')
    const told = await myNotifications(world.ctx(worker))
    assert.ok(told.some((n) => n.link === `/cases/${unborn.caseId}` && /mother of an unborn child/.test(n.title)))
    // A father's NHS number gives no unborn child's plan.
    await database.db.update(person).set({ sex: 'M' }).where(eq(person.id, mother!.id))
    assert.equal((await checkChildProtectionStatus(world.ctx(clinician), cpStatusCheckInput.parse({ nhsNumber: '9990000158' }))).status, 'none')
  })
})
