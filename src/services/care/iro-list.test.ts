/**
 * An IRO's own list and the 'iro' relationship (issue 19 item 3): the IRO allocated now opens the
 * case through the policy (and no longer once another is allocated or care ends); their list shows
 * each child with the legal status, placement, next review due, last review and open escalations,
 * audited as one case.list entry.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { CARE_START } from '../../../test/support/care.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent } from '../../db/schema/index.ts'
import { AccessDenied } from '../common/context.ts'
import { becomeLookedAfter, endLookedAfter, lookedAfterOfCase, recordLacReview } from '../journey/looked-after.ts'
import { lacReviewInput } from '../journey/looked-after-input.ts'
import { iroChildren } from './iro-list.ts'
import { allocateIro, raiseIroEscalation } from './permanence.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

test('the IRO allocated now reads the case and lists the child with the review clock, last review and open escalations', async () => {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId, familyName: 'Iroview' })
  const ctx = world.ctx(worker)
  const period = await becomeLookedAfter(ctx, caseId, { startedOn: '2026-09-01', legalStatus: 'C2', ...CARE_START })
  const iro = await world.user(['independent-reviewing-officer'], { team: null })
  const iroCtx = world.ctx(iro)
  await assert.rejects(lookedAfterOfCase(iroCtx, caseId), AccessDenied)
  assert.deepEqual((await iroChildren(iroCtx)).items, [])

  await allocateIro(ctx, caseId, period.id, { iroId: iro.userId, fromOn: '2026-09-02' })
  await recordLacReview(ctx, caseId, period.id, lacReviewInput.parse({ heldOn: '2026-09-25', participation: 'PN1' }))
  await raiseIroEscalation(iroCtx, caseId, period.id, { raisedOn: '2026-10-01', stage: 'informal', concern: 'Contact plan not followed (fictional)' })
  assert.equal((await lookedAfterOfCase(iroCtx, caseId)).periods.length, 1, 'the IRO opens the case')
  const list = await iroChildren(iroCtx)
  assert.equal(list.total, 1)
  const [row] = list.items
  assert.equal(row!.childName.endsWith('Iroview'), true)
  assert.deepEqual(
    [row!.legalStatus, row!.placement?.placeType, row!.nextReview?.rule, row!.nextReview?.dueOn, row!.lastReviewOn, row!.openEscalations, row!.iroSince],
    ['C2', 'U6', 'cla-second-review', '2026-12-25', '2026-09-25', 1, '2026-09-02'],
  )
  const entries = await database.db.select().from(auditEvent).where(eq(auditEvent.action, 'case.list'))
  assert.ok(entries.some((e) => (e.detail as { list?: string; caseIds?: string[] }).list === 'iro' && (e.detail as { caseIds: string[] }).caseIds.includes(caseId)))

  // Another IRO allocated: the first no longer reads the case nor lists the child.
  const next = await world.user(['independent-reviewing-officer'], { team: null })
  await allocateIro(ctx, caseId, period.id, { iroId: next.userId, fromOn: '2026-11-01' })
  await assert.rejects(lookedAfterOfCase(iroCtx, caseId), AccessDenied)
  assert.equal((await iroChildren(iroCtx)).total, 0)
  // Care ends: nor does the second.
  const nextCtx = world.ctx(next)
  assert.equal((await iroChildren(nextCtx)).total, 1)
  await endLookedAfter(ctx, caseId, period.id, { version: period.version, endedOn: '2026-11-10', reasonCeased: 'E4A' })
  assert.equal((await iroChildren(nextCtx)).total, 0)
  await assert.rejects(lookedAfterOfCase(nextCtx, caseId), AccessDenied)
})
