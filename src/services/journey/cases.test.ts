import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent } from '../../db/schema/index.ts'
import { breakGlassAccesses } from '../access/audit.ts'
import { breakGlass, listMyCases, viewCase, BREAK_GLASS_HOURS } from './cases.ts'
import { AccessDenied, NotFound, ValidationFailed } from '../common/context.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

const later = (hours: number) => new Date(FIXED_NOW.getTime() + hours * 3600_000)

async function entriesFor(caseId: string) {
  return database.db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.recordType, 'case'), eq(auditEvent.recordId, caseId)))
}

describe('reading a child’s case through the policy', () => {
  test('the allocated worker reads it; the read is audited with its ground and subject', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId, personId } = await world.childCase({ worker: worker.userId })
    const view = await viewCase(world.ctx(worker), caseId)
    assert.equal(view.ground, 'allocated-worker')
    assert.equal(view.breakGlass, false)
    const [entry] = await entriesFor(caseId)
    assert.equal(entry!.action, 'case.view')
    assert.equal(entry!.actorUserId, worker.userId)
    assert.equal(entry!.subjectPersonId, personId)
    assert.equal(entry!.ground, 'allocated-worker')
  })

  test('a member of the case’s team reads it under the team ground', async () => {
    const colleague = await world.user(['social-worker'])
    const { caseId } = await world.childCase()
    assert.equal((await viewCase(world.ctx(colleague), caseId)).ground, 'team')
  })

  test('a partner reads it while their agency is involved, and not after the involvement ends', async () => {
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const current = await world.childCase()
    await world.involve(current.caseId, 'school', '2026-09-01')
    assert.equal((await viewCase(world.ctx(partner), current.caseId)).ground, 'agency-involvement')

    const ended = await world.childCase()
    await world.involve(ended.caseId, 'school', '2026-01-01', '2026-06-30')
    await assert.rejects(viewCase(world.ctx(partner), ended.caseId), (err) => {
      assert.ok(err instanceof AccessDenied)
      assert.equal(err.breakGlassAvailable, false, 'partners cannot break glass')
      return true
    })
    const [refusal] = await entriesFor(ended.caseId)
    assert.equal(refusal!.action, 'case.read.refused')
  })

  test('an invitation gives access until it ends', async () => {
    const chair = await world.user(['conference-chair'], { team: null })
    const { caseId } = await world.childCase()
    await world.grant(caseId, chair.userId, 'invitation', later(24))
    assert.equal((await viewCase(world.ctx(chair), caseId)).ground, 'invitation')
    await assert.rejects(viewCase(world.ctx(chair, later(25)), caseId), AccessDenied)
  })

  test('a restricted record needs explicit permission, even for the team', async () => {
    const manager = await world.user(['team-manager'])
    const colleague = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ restricted: true })
    await assert.rejects(viewCase(world.ctx(colleague), caseId), (err) => {
      assert.ok(err instanceof AccessDenied)
      assert.equal(err.breakGlassAvailable, false)
      assert.match(err.message, /restricted/)
      return true
    })
    await assert.rejects(breakGlass(world.ctx(colleague), caseId, 'I really need to see this now'), AccessDenied)
    await world.grant(caseId, manager.userId, 'explicit-permission')
    assert.equal((await viewCase(world.ctx(manager), caseId)).ground, 'explicit-permission')
  })

  test('break-glass: refused first, then opened with a reason, flagged, and it expires', async () => {
    const outsider = await world.user(['front-door-practitioner'], { team: 'front-door' })
    const { caseId } = await world.childCase()
    await assert.rejects(viewCase(world.ctx(outsider), caseId), (err) => err instanceof AccessDenied && err.breakGlassAvailable)
    await assert.rejects(breakGlass(world.ctx(outsider), caseId, '  short '), ValidationFailed)
    await breakGlass(world.ctx(outsider), caseId, 'Police called about an incident tonight')
    const view = await viewCase(world.ctx(outsider, later(1)), caseId)
    assert.equal(view.ground, 'break-glass')
    assert.equal(view.breakGlass, true)
    await assert.rejects(viewCase(world.ctx(outsider, later(BREAK_GLASS_HOURS + 0.1)), caseId), AccessDenied)

    const flagged = (await entriesFor(caseId)).filter((e) => e.breakGlass)
    assert.deepEqual(
      flagged.map((e) => [e.action, e.reason]),
      [
        ['case.break-glass', 'Police called about an incident tonight'],
        ['case.view', null],
      ],
    )
    const auditor = await world.user(['auditor'], { team: null })
    const list = await breakGlassAccesses(world.ctx(auditor))
    assert.ok(list.some((e) => e.recordId === caseId && e.reason === 'Police called about an incident tonight'))
  })

  test('roles without case access get no break-glass offer', async () => {
    const analyst = await world.user(['performance-analyst'])
    const { caseId } = await world.childCase()
    await assert.rejects(viewCase(world.ctx(analyst), caseId), (err) => err instanceof AccessDenied && !err.breakGlassAvailable)
    await assert.rejects(breakGlass(world.ctx(analyst), caseId, 'Curious about this family'), AccessDenied)
  })

  test('a case of another partnership does not exist for you', async () => {
    const other = await World.create(database.db)
    const { caseId } = await other.childCase()
    const worker = await world.user(['social-worker'])
    await assert.rejects(viewCase(world.ctx(worker), caseId), NotFound)
  })

  test('home page lists show each user the cases they work on, and hide restricted ones', async () => {
    const worker = await world.user(['social-worker'])
    const mine = await world.childCase({ worker: worker.userId, familyName: 'Allocatedtome' })
    const hidden = await world.childCase({ worker: worker.userId, restricted: true, familyName: 'Restrictedone' })
    const allocated = await listMyCases(world.ctx(worker), 'allocated')
    assert.deepEqual(allocated.map((c) => c.id), [mine.caseId])
    assert.ok(!allocated.some((c) => c.id === hidden.caseId))
  })
})

test('londonDate gives the calendar date in England', () => {
  assert.equal(londonDate(new Date('2026-06-30T23:30:00Z')), '2026-07-01')
  assert.equal(londonDate(new Date('2026-12-31T23:30:00Z')), '2026-12-31')
})
