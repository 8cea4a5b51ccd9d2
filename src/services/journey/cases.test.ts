import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, desc, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, childCase } from '../../db/schema/index.ts'
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
    const list = (await breakGlassAccesses(world.ctx(auditor), { offset: 0, limit: 100 })).items
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
    const allocated = (await listMyCases(world.ctx(worker), 'allocated')).items
    assert.deepEqual(allocated.map((c) => c.id), [mine.caseId])
    assert.ok(!allocated.some((c) => c.id === hidden.caseId))
  })

  test('a home page list is paged in SQL: the total counts only the cases the policy shows, by name then id, never cut', async () => {
    const worker = await world.user(['social-worker'])
    const ids: string[] = []
    for (let i = 0; i < 27; i++) ids.push((await world.childCase({ worker: worker.userId, familyName: `Paged${String(i).padStart(2, '0')}` })).caseId)
    // Restricted without permission, closed, another partnership's: never counted; restricted with permission: counted.
    await world.childCase({ worker: worker.userId, restricted: true, familyName: 'Paged99' })
    const permitted = await world.childCase({ worker: worker.userId, restricted: true, familyName: 'Paged98' })
    await world.grant(permitted.caseId, worker.userId, 'explicit-permission')
    ids.push(permitted.caseId)
    const closed = await world.childCase({ worker: worker.userId, familyName: 'Paged97' })
    await database.db.update(childCase).set({ status: 'closed', closedOn: '2026-11-01' }).where(eq(childCase.id, closed.caseId))
    const first = await listMyCases(world.ctx(worker), 'allocated', { offset: 0, limit: 25 })
    assert.deepEqual([first.total, first.items.length, first.offset, first.limit], [28, 25, 0, 25])
    assert.equal(first.items[0]!.familyName, 'Paged00')
    const second = await listMyCases(world.ctx(worker), 'allocated', { offset: 25, limit: 25 })
    assert.deepEqual(second.items.map((c) => c.familyName), ['Paged25', 'Paged26', 'Paged98'])
    assert.deepEqual(new Set([...first.items, ...second.items].map((c) => c.id)), new Set(ids))
    // The listing is audited with the cases the page showed.
    const [entry] = await database.db
      .select({ detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.actorUserId, worker.userId), eq(auditEvent.action, 'case.list')))
      .orderBy(desc(auditEvent.seq))
      .limit(1)
    assert.deepEqual((entry!.detail as { caseIds: string[] }).caseIds, second.items.map((c) => c.id))
  })

  test('the count follows the policy: a list whose relationship opens nothing to the role is empty with total 0; a partner’s invitations are participation', async () => {
    // A partner practitioner recorded as a case's worker (a data error): the policy opens nothing by it.
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    for (let i = 0; i < 3; i++) await world.childCase({ worker: partner.userId })
    assert.deepEqual(await listMyCases(world.ctx(partner), 'allocated'), { items: [], total: 0, offset: 0, limit: 25 })
    const invited = await world.childCase({ familyName: 'Invitedpartner' })
    await world.grant(invited.caseId, partner.userId, 'invitation')
    const list = await listMyCases(world.ctx(partner), 'invited')
    assert.equal(list.total, 1)
    assert.equal(list.items[0]!.participationOnly, true)
    // An auditor invited by mistake sees nothing: the policy gives the role nothing by an invitation.
    const auditor = await world.user(['auditor'], { team: null })
    await world.grant(invited.caseId, auditor.userId, 'invitation')
    assert.equal((await listMyCases(world.ctx(auditor), 'invited')).total, 0)
  })
})

test('londonDate gives the calendar date in England', () => {
  assert.equal(londonDate(new Date('2026-06-30T23:30:00Z')), '2026-07-01')
  assert.equal(londonDate(new Date('2026-12-31T23:30:00Z')), '2026-12-31')
})
