/**
 * The case gateway (case-records.ts) on issue 15's access findings: a case opened to show it under
 * an action that is not a read (the allocation and transfer pages) is audited as a read; a form's
 * write action is decided before the form is shown; a restricted record refused to someone
 * unrelated to it is answered as if it did not exist, while those who may ask for permission are
 * told to.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent } from '../../db/schema/index.ts'
import { AccessDenied, NotFound } from '../common/context.ts'
import { requireCaseAction } from './case-records.ts'
import { transferForm } from './case-transfer.ts'
import { breakGlass, viewCase } from './cases.ts'
import { allocationForm } from './oversight.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

const entriesOf = (caseId: string, userId: string) =>
  database.db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.recordType, 'case'), eq(auditEvent.recordId, caseId), eq(auditEvent.actorUserId, userId)))

describe('opening a case to show it', () => {
  test('the allocation and transfer pages are audited as reads of the case, with the ground', async () => {
    const manager = await world.user(['team-manager'])
    const { caseId, personId } = await world.childCase()
    const ctx = world.ctx(manager)
    const transfer = await transferForm(ctx, caseId)
    assert.equal(transfer.case.id, caseId)
    const allocation = await allocationForm(ctx, caseId)
    assert.equal(allocation.case.id, caseId)
    const views = (await entriesOf(caseId, manager.userId)).filter((e) => e.action === 'case.view')
    assert.deepEqual(
      views.map((e) => [e.ground, (e.detail as { section: string }).section, e.subjectPersonId]).sort(),
      [
        ['team', 'allocation', personId],
        ['team', 'transfer', personId],
      ],
    )
  })
})

describe('forms that change a case', () => {
  test('a user who may only read the case is refused the form, audited; one who may change it is not', async () => {
    const allocated = await world.user(['social-worker'])
    const colleague = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: allocated.userId })
    await requireCaseAction(world.ctx(allocated), caseId, 'case:update', 'notes')
    // The colleague in the same team reads the case but may not change it.
    await viewCase(world.ctx(colleague), caseId)
    await assert.rejects(requireCaseAction(world.ctx(colleague), caseId, 'case:update', 'notes'), AccessDenied)
    const refused = (await entriesOf(caseId, colleague.userId)).filter((e) => e.action === 'case.update.refused')
    assert.equal(refused.length, 1)
    assert.deepEqual(refused[0]!.detail, { section: 'notes' })
    // Deciding a form's action returns nothing of the case, so an allowed one is no read.
    assert.equal((await entriesOf(caseId, allocated.userId)).length, 0)
  })
})

describe('restricted records', () => {
  test('to someone unrelated a restricted case does not exist: not found, no break-glass; the refusal is audited', async () => {
    const stranger = await world.user(['social-worker'], { team: 'front-door' })
    const { caseId } = await world.childCase({ restricted: true })
    const open = await world.childCase()
    // An unrestricted case they have no relationship with: refused, and break-glass is offered.
    await assert.rejects(viewCase(world.ctx(stranger), open.caseId), (err) => err instanceof AccessDenied && err.breakGlassAvailable)
    // The restricted one answers as a case that does not exist would.
    await assert.rejects(viewCase(world.ctx(stranger), caseId), NotFound)
    await assert.rejects(viewCase(world.ctx(stranger), '00000000-0000-4000-8000-000000000000'), NotFound)
    await assert.rejects(requireCaseAction(world.ctx(stranger), caseId, 'case:update', 'notes'), NotFound)
    await assert.rejects(breakGlass(world.ctx(stranger), caseId, 'I need to see this record now'), NotFound)
    const entries = await entriesOf(caseId, stranger.userId)
    assert.deepEqual(entries.map((e) => e.action).sort(), ['case.read.refused', 'case.update.refused'])
  })

  test('the case’s team manager is told it is restricted and to ask for permission; with permission it opens', async () => {
    const manager = await world.user(['team-manager'])
    const { caseId } = await world.childCase({ restricted: true })
    await assert.rejects(viewCase(world.ctx(manager), caseId), (err) => err instanceof AccessDenied && /restricted record/.test(err.message) && !err.breakGlassAvailable)
    await world.grant(caseId, manager.userId, 'explicit-permission')
    assert.equal((await viewCase(world.ctx(manager), caseId)).ground, 'explicit-permission')
  })
})
