import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq, inArray } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, openTestWorld, World } from '../../../test/support/fixtures.ts'
import { accessGrant, auditEvent, childCase, person } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed, type Actor } from '../common/context.ts'
import { viewCase } from './cases.ts'
import { caseAccess, endInvolvement, givePermission, recordInvolvement, setRestriction, withdrawPermission } from './case-access-admin.ts'
import { allocateCase } from './oversight.ts'

let database: TestDatabase
let world: World
let manager: Actor
let partner: Actor
before(async () => {
  ;({ database, world } = await openTestWorld())
  manager = await world.user(['team-manager'])
  partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
})
after(() => database.close())

const DAY = 24 * 3600_000
const later = (days: number) => new Date(FIXED_NOW.getTime() + days * DAY)
const caseVersion = async (caseId: string) => (await database.db.select({ v: childCase.version }).from(childCase).where(eq(childCase.id, caseId)))[0]!.v

/** The audit entries of these actions about the case's child (or its records), oldest first. */
async function entries(personId: string, actions: string[]) {
  return database.db
    .select({ action: auditEvent.action, actor: auditEvent.actorUserId, reason: auditEvent.reason, ground: auditEvent.ground, detail: auditEvent.detail })
    .from(auditEvent)
    .where(and(eq(auditEvent.subjectPersonId, personId), inArray(auditEvent.action, actions)))
    .orderBy(auditEvent.seq)
}

const fieldError = (field: string, pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ValidationFailed, `expected ValidationFailed, got ${String(err)}`)
  assert.match(err.fieldErrors[field] ?? '', pattern)
  return true
}

describe('agency involvement', () => {
  test('recorded by the case team’s manager, a partner of the agency reads the case at once; ended, the access ends at once; audited with the reasons', async () => {
    const { caseId, personId } = await world.childCase()
    await assert.rejects(viewCase(world.ctx(partner), caseId), AccessDenied)
    const involvement = await recordInvolvement(world.ctx(manager), caseId, {
      agencyId: world.agencies.school!,
      role: 'School (designated safeguarding lead)',
      reason: 'The child attends the school, which shares attendance and concerns.',
      startedOn: '2026-11-20',
      endedOn: null,
    })
    assert.equal(involvement.current, true)
    const seen = await viewCase(world.ctx(partner), caseId)
    assert.equal(seen.ground, 'agency-involvement')
    const access = await caseAccess(world.ctx(manager), caseId)
    const holder = access.whoCanSee.find((h) => h.userId === partner.userId)
    assert.equal(holder?.access, 'record')
    assert.deepEqual(holder?.relationships, ['agency-involvement'])
    assert.match(holder!.why.join(), /agency is involved/)

    // A second involvement of the same agency while one is current is refused.
    await assert.rejects(
      recordInvolvement(world.ctx(manager), caseId, { agencyId: world.agencies.school!, role: 'School', reason: 'Again', startedOn: '2026-11-20', endedOn: null }),
      fieldError('agencyId', /already recorded as involved/),
    )
    // Ending it names the version read: an old one changes nothing.
    await assert.rejects(endInvolvement(world.ctx(manager), caseId, involvement.id, { reason: 'Old page', version: 7 }), EditConflict)
    const ended = await endInvolvement(world.ctx(manager, later(0.01)), caseId, involvement.id, { reason: 'The child has moved school.', version: involvement.version })
    assert.equal(ended.current, false)
    assert.equal(ended.endedOn, '2026-11-20')
    // The same day, a moment later: no access (nothing is cached).
    await assert.rejects(viewCase(world.ctx(partner, later(0.02)), caseId), AccessDenied)
    const log = await entries(personId, ['case.involvement.record', 'case.involvement.end'])
    assert.deepEqual(
      log.map((e) => [e.action, e.actor, e.reason, e.ground]),
      [
        ['case.involvement.record', manager.userId, 'The child attends the school, which shares attendance and concerns.', 'team'],
        ['case.involvement.end', manager.userId, 'The child has moved school.', 'team'],
      ],
    )
  })

  test('an involvement with a last day gives access until that day, and none after it', async () => {
    const { caseId } = await world.childCase()
    await recordInvolvement(world.ctx(manager), caseId, {
      agencyId: world.agencies.school!,
      role: 'School nurse',
      reason: 'Health checks at school this term.',
      startedOn: '2026-11-20',
      endedOn: '2026-11-25',
    })
    assert.equal((await viewCase(world.ctx(partner, later(5)), caseId)).ground, 'agency-involvement')
    await assert.rejects(viewCase(world.ctx(partner, later(6)), caseId), AccessDenied)
  })

  test('only the case team’s manager records or ends one: others are refused, and the refusal is audited', async () => {
    const worker = await world.user(['social-worker'])
    const otherManager = await world.user(['team-manager'], { team: 'front-door' })
    const { caseId, personId } = await world.childCase({ worker: worker.userId })
    const input = { agencyId: world.agencies.school!, role: 'School', reason: 'Attends the school.', startedOn: '2026-11-20', endedOn: null }
    await assert.rejects(recordInvolvement(world.ctx(worker), caseId, input), AccessDenied)
    await assert.rejects(recordInvolvement(world.ctx(otherManager), caseId, input), AccessDenied)
    await assert.rejects(recordInvolvement(world.ctx(partner), caseId, input), AccessDenied)
    await assert.rejects(caseAccess(world.ctx(worker), caseId), AccessDenied)
    const refused = await entries(personId, ['case.manage-access.refused'])
    assert.deepEqual(refused.map((e) => e.actor), [worker.userId, otherManager.userId, partner.userId, worker.userId])
  })
})

describe('restricted records and explicit permission', () => {
  test('the manager restricts the case (version checked, reason kept): the allocated worker is refused, an unrelated user finds no record; lifting it opens it again', async () => {
    const worker = await world.user(['social-worker'])
    const stranger = await world.user(['social-worker'], { team: 'front-door' })
    const { caseId, personId } = await world.childCase({ worker: worker.userId })
    const version = await caseVersion(caseId)
    await assert.rejects(setRestriction(world.ctx(manager), caseId, { restricted: true, reason: 'Stale page', version: version + 3 }), EditConflict)
    const done = await setRestriction(world.ctx(manager), caseId, { restricted: true, reason: 'The child’s aunt works in the team.', version })
    assert.deepEqual(done, { restricted: true, version: version + 1 })
    const [p] = await database.db.select({ restricted: person.restricted }).from(person).where(eq(person.id, personId))
    assert.equal(p!.restricted, true)
    await assert.rejects(viewCase(world.ctx(worker), caseId), (err: unknown) => err instanceof AccessDenied && /Ask a manager of the case’s team/.test(err.message))
    await assert.rejects(viewCase(world.ctx(stranger), caseId), NotFound)
    // The manager too is refused the record, but still manages who can see it.
    await assert.rejects(viewCase(world.ctx(manager), caseId), AccessDenied)
    const access = await caseAccess(world.ctx(manager), caseId)
    assert.equal(access.restricted, true)
    assert.equal(access.restriction?.reason, 'The child’s aunt works in the team.')
    assert.equal(access.whoCanSee.find((h) => h.userId === worker.userId)?.access, 'needs-permission')
    assert.equal(access.whoCanSee.some((h) => h.userId === stranger.userId), false)
    await assert.rejects(setRestriction(world.ctx(manager), caseId, { restricted: true, reason: 'Again', version: done.version }), fieldError('restricted', /already restricted/))

    await setRestriction(world.ctx(manager), caseId, { restricted: false, reason: 'The aunt has left the council.', version: done.version })
    assert.equal((await viewCase(world.ctx(worker), caseId)).ground, 'allocated-worker')
    const log = await entries(personId, ['case.restrict', 'case.unrestrict'])
    assert.deepEqual(log.map((e) => [e.action, e.reason]), [
      ['case.restrict', 'The child’s aunt works in the team.'],
      ['case.unrestrict', 'The aunt has left the council.'],
    ])
  })

  test('explicit permission opens a restricted case to the named user until the end of its last day; withdrawn, it ends at once; each audited', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId, personId } = await world.childCase({ worker: worker.userId, restricted: true })
    await assert.rejects(viewCase(world.ctx(worker), caseId), AccessDenied)
    const given = await givePermission(world.ctx(manager), caseId, { userId: worker.userId, endsOn: '2026-11-27', reason: 'Allocated worker for the assessment.' })
    assert.equal(given.inForce, true)
    assert.equal((await viewCase(world.ctx(worker), caseId)).ground, 'explicit-permission')
    // 2026-11-27 ends at midnight in England: the 27th is in, the 28th is not.
    assert.equal((await viewCase(world.ctx(worker, new Date('2026-11-27T23:30:00Z')), caseId)).ground, 'explicit-permission')
    await assert.rejects(viewCase(world.ctx(worker, new Date('2026-11-28T00:00:01Z')), caseId), AccessDenied)
    // A second permission while one is in force is refused.
    await assert.rejects(
      givePermission(world.ctx(manager), caseId, { userId: worker.userId, endsOn: '2026-12-27', reason: 'More time' }),
      fieldError('userId', /already has permission until 2026-11-27/),
    )
    await assert.rejects(withdrawPermission(world.ctx(manager), caseId, given.id, { reason: 'Stale', version: given.version + 1 }), EditConflict)
    const withdrawn = await withdrawPermission(world.ctx(manager, later(0.01)), caseId, given.id, { reason: 'Reallocated to another worker.', version: given.version })
    assert.equal(withdrawn.inForce, false)
    await assert.rejects(viewCase(world.ctx(worker, later(0.02)), caseId), AccessDenied)
    const log = await entries(personId, ['case.permission.give', 'case.permission.withdraw'])
    assert.deepEqual(log.map((e) => [e.action, e.reason, (e.detail as { userId: string }).userId]), [
      ['case.permission.give', 'Allocated worker for the assessment.', worker.userId],
      ['case.permission.withdraw', 'Reallocated to another worker.', worker.userId],
    ])
  })

  test('permission is refused to oneself, to roles that never see a case, and to users of another partnership', async () => {
    const { caseId } = await world.childCase({ restricted: true })
    const admin = await world.user(['administrator'])
    const other = await World.create(database.db)
    const outsider = await other.user(['social-worker'])
    await assert.rejects(givePermission(world.ctx(manager), caseId, { userId: manager.userId, endsOn: '2026-12-01', reason: 'Me' }), fieldError('userId', /cannot give yourself/))
    await assert.rejects(givePermission(world.ctx(manager), caseId, { userId: admin.userId, endsOn: '2026-12-01', reason: 'Admin' }), fieldError('userId', /role does not see case records/))
    await assert.rejects(givePermission(world.ctx(manager), caseId, { userId: outsider.userId, endsOn: '2026-12-01', reason: 'Outsider' }), fieldError('userId', /active user of the partnership/))
    await assert.rejects(givePermission(world.ctx(manager), caseId, { userId: partner.userId, endsOn: '2026-11-19', reason: 'Past' }), fieldError('endsOn', /today or later/))
    const grants = await database.db.select().from(accessGrant).where(eq(accessGrant.caseId, caseId))
    assert.deepEqual(grants, [])
  })

  test('allocating a restricted case gives the worker permission in the same step; the worker then opens the case', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId, personId } = await world.childCase({ restricted: true })
    // Allocating is the manager's authorisation: on a restricted case it needs their own permission.
    await assert.rejects(allocateCase(world.ctx(manager), caseId, worker.userId, await caseVersion(caseId)), AccessDenied)
    await world.grant(caseId, manager.userId, 'explicit-permission')
    await assert.rejects(
      allocateCase(world.ctx(manager), caseId, worker.userId, await caseVersion(caseId), { givePermission: true, permissionEndsOn: null, permissionReason: null }),
      fieldError('permissionEndsOn', /Enter the last day/),
    )
    const allocation = await allocateCase(world.ctx(manager), caseId, worker.userId, await caseVersion(caseId), {
      givePermission: true,
      permissionEndsOn: '2027-03-31',
      permissionReason: 'Allocated worker.',
    })
    assert.deepEqual(allocation.permission, { endsOn: '2027-03-31' })
    assert.equal((await viewCase(world.ctx(worker), caseId)).ground, 'explicit-permission')
    assert.deepEqual((await entries(personId, ['case.allocate', 'case.permission.give'])).map((e) => e.action), ['case.allocate', 'case.permission.give'])
  })
})
