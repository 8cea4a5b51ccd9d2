/**
 * Care leavers (issue 19 §7): details saved then changed with a version, the pathway plan review
 * clock chained (late: the coded reason), contacts in the 903's OC3 codes (activity and
 * accommodation only when in touch), each 17th to 21st birthday's contact, and the case's policy.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { clock, person, task } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { careLeaverDetails, careLeaverRecordInput } from './care-leavers-input.ts'
import { birthdayContacts, careLeaverOfCase, recordCareLeaverRecord, saveCareLeaverDetails, type CareLeaverRecordRow } from './care-leavers.ts'
import { listMyTasks } from './tasks.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

const NOW = new Date('2026-11-20T12:00:00Z')

async function youngPerson(dateOfBirth = '2008-06-15') {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId })
  await database.db.update(person).set({ dateOfBirth }).where(eq(person.id, personId))
  return { worker, caseId, personId, ctx: world.ctx(worker, NOW) }
}

const details = (v: Record<string, unknown>) => careLeaverDetails.parse({ category: 'former-relevant', stayingPut: 'no', supportTo25: 'no', ...v })
const record = (v: Record<string, unknown>) => careLeaverRecordInput.parse(v)

describe('care leavers', () => {
  test('details saved, then changed with the version read; staying put needs its date', async () => {
    const { ctx, caseId } = await youngPerson()
    const saved = await saveCareLeaverDetails(ctx, caseId, details({ personalAdviser: 'Pat Fictional, Leaving Care Service', personalAdviserFrom: '2026-06-15' }))
    assert.equal(saved.version, 1)
    await assert.rejects(saveCareLeaverDetails(ctx, caseId, details({ version: '7', stayingPut: 'yes', stayingPutFrom: '2026-06-15' })), EditConflict)
    const changed = await saveCareLeaverDetails(ctx, caseId, details({ version: '1', stayingPut: 'yes', stayingPutFrom: '2026-06-15', supportTo25: 'yes' }))
    assert.deepEqual([changed.version, changed.stayingPut, changed.stayingPutFrom, changed.personalAdviser], [2, true, '2026-06-15', null])
    assert.equal(careLeaverDetails.safeParse({ category: 'eligible', stayingPut: 'yes', supportTo25: 'no' }).success, false)
  })

  test('the pathway plan starts its review clock; a late review asks the coded reason; a contact has no clock', async () => {
    const { ctx, caseId } = await youngPerson()
    await recordCareLeaverRecord(ctx, caseId, record({ kind: 'pathway-plan', on: '2026-01-10' }))
    const noCode = await recordCareLeaverRecord(ctx, caseId, record({ kind: 'pathway-plan-review', on: '2026-08-01' })).catch((e) => e)
    assert.ok(noCode instanceof ValidationFailed)
    assert.match((noCode as ValidationFailed).fieldErrors.lateReasonCode ?? '', /due by 10 July 2026 and done on 1 August 2026/)
    await recordCareLeaverRecord(ctx, caseId, record({ kind: 'pathway-plan-review', on: '2026-08-01', lateReasonCode: 'family-unavailable' }))
    await recordCareLeaverRecord(ctx, caseId, record({ kind: 'contact', on: '2026-09-01', inTouch: 'YES', activity: 'F2', accommodation: 'Z1' }))
    const clocks = await database.db.select().from(clock).where(eq(clock.caseId, caseId)).orderBy(clock.startOn)
    assert.deepEqual(clocks.map((k) => [k.rule, k.dueOn, k.completedOn, k.delayReasonCode]), [
      ['pathway-plan-review', '2026-07-10', '2026-08-01', 'family-unavailable'],
      ['pathway-plan-review', '2027-02-01', null, null],
    ])
    const page = await careLeaverOfCase(ctx, caseId)
    assert.deepEqual([page.latestContact?.accommodation, page.records.length, page.clocks.length], ['Z1', 3, 2])
  })

  test('a contact says whether in touch; activity and accommodation only when in touch', async () => {
    assert.deepEqual(careLeaverRecordInput.safeParse({ kind: 'contact', on: '2026-09-01', inTouch: 'YES' }).error?.issues.map((i) => i.path[0]).sort(), ['accommodation', 'activity'])
    assert.equal(careLeaverRecordInput.safeParse({ kind: 'contact', on: '2026-09-01' }).success, false)
    assert.deepEqual(record({ kind: 'contact', on: '2026-09-01', inTouch: 'REFU', activity: 'F1' }).activity, null)
    assert.deepEqual(record({ kind: 'pathway-plan', on: '2026-09-01', inTouch: 'YES' }).inTouch, null)
    assert.equal(careLeaverRecordInput.safeParse({ kind: 'contact', on: '2026-09-01', inTouch: 'YES', activity: 'F1', accommodation: 'Q9' }).success, false)
  })

  test('each 17th to 21st birthday passed, with the latest contact from 3 months before to 1 month after', () => {
    const contact = (on: string, inTouch = 'YES') => ({ kind: 'contact', on, inTouch }) as CareLeaverRecordRow
    const rows = [contact('2025-07-14'), contact('2025-07-16'), contact('2025-03-14'), contact('2026-06-01', 'NO')]
    const birthdays = birthdayContacts('2008-06-15', '2026-11-20', rows)
    assert.deepEqual(birthdays.map((b) => [b.age, b.birthday, b.contact?.on ?? null]), [[17, '2025-06-15', '2025-07-14'], [18, '2026-06-15', '2026-06-01']])
    assert.deepEqual(birthdayContacts(null, '2026-11-20', rows), [])
  })

  test('leaving care support: the clock at 21 goes to the worker; support to 25 meets it and starts the one at 25; the end of support meets that', async () => {
    const { ctx, caseId } = await youngPerson('2008-06-15')
    const support = async () =>
      (await database.db.select().from(clock).where(eq(clock.caseId, caseId)).orderBy(clock.startOn)).map((k) => [k.rule, k.startOn, k.dueOn, k.completedOn])
    const tasks = async () => (await listMyTasks(ctx)).mine.filter((t) => t.caseId === caseId).map((t) => [t.title, t.dueOn, t.clockTitle])
    await saveCareLeaverDetails(ctx, caseId, details({}))
    assert.deepEqual(await support(), [['leaving-care-support-21', '2029-03-15', '2029-06-15', null]])
    assert.deepEqual(await tasks(), [['Review leaving care support by the 21st birthday', '2029-06-15', 'Leaving care support: review at 21']])
    const page = await careLeaverOfCase(ctx, caseId)
    assert.deepEqual(page.clocks.map((k) => [k.title, k.dueOn, k.state]), [['Leaving care support: review at 21', '2029-06-15', 'due']])

    await saveCareLeaverDetails(ctx, caseId, details({ version: '1', supportTo25: 'yes' }))
    assert.deepEqual(await support(), [
      ['leaving-care-support-21', '2029-03-15', '2029-06-15', '2026-11-20'],
      ['leaving-care-support-25', '2033-03-15', '2033-06-15', null],
    ])
    assert.deepEqual(await tasks(), [['Review leaving care support by the 25th birthday', '2033-06-15', 'Leaving care support: review at 25']])
    // Saving again starts nothing new.
    await saveCareLeaverDetails(ctx, caseId, details({ version: '2', supportTo25: 'yes', personalAdviser: 'Pat Fictional' }))
    assert.equal((await support()).length, 2)

    await recordCareLeaverRecord(ctx, caseId, record({ kind: 'support-ended', on: '2026-11-18', notes: 'No longer wants support' }))
    assert.deepEqual((await support()).map((k) => k[3]), ['2026-11-20', '2026-11-18'])
    assert.deepEqual(await tasks(), [])
    const done = await database.db.select({ status: task.status }).from(task).where(eq(task.caseId, caseId))
    assert.deepEqual(done.map((t) => t.status), ['done', 'done'])
  })

  test('leaving care support: past the 21st birthday the clock is overdue on the page and the task list until support ends', async () => {
    const { ctx, caseId } = await youngPerson('2005-02-28')
    await saveCareLeaverDetails(ctx, caseId, details({}))
    const page = await careLeaverOfCase(ctx, caseId)
    assert.deepEqual(page.clocks.map((k) => [k.rule, k.dueOn, k.state]), [['leaving-care-support-21', '2026-02-28', 'overdue']])
    const mine = await listMyTasks(ctx)
    assert.deepEqual(mine.mine.filter((t) => t.caseId === caseId).map((t) => t.dueState), ['overdue'])
    await recordCareLeaverRecord(ctx, caseId, record({ kind: 'support-ended', on: '2026-03-01', notes: 'Support ended at 21' }))
    const after = await careLeaverOfCase(ctx, caseId)
    assert.deepEqual(after.clocks.map((k) => [k.rule, k.completedOn, k.state]), [['leaving-care-support-21', '2026-03-01', 'completed-late']])
    assert.deepEqual((await listMyTasks(ctx)).mine.filter((t) => t.caseId === caseId), [])
  })

  test('leaving care support: no date of birth, no clock; support to 25 taken off again takes the clock at 25 away', async () => {
    const unknown = await youngPerson()
    await database.db.update(person).set({ dateOfBirth: null }).where(eq(person.id, unknown.personId))
    await saveCareLeaverDetails(unknown.ctx, unknown.caseId, details({}))
    assert.deepEqual(await database.db.select().from(clock).where(eq(clock.caseId, unknown.caseId)), [])
    const { ctx, caseId } = await youngPerson('2008-02-29')
    await saveCareLeaverDetails(ctx, caseId, details({ supportTo25: 'yes' }))
    const rules = async () => (await database.db.select().from(clock).where(eq(clock.caseId, caseId))).map((k) => [k.rule, k.dueOn, k.completedOn])
    assert.deepEqual(await rules(), [['leaving-care-support-25', '2033-02-28', null]])
    await saveCareLeaverDetails(ctx, caseId, details({ version: '1', supportTo25: 'no' }))
    assert.deepEqual(await rules(), [['leaving-care-support-21', '2029-02-28', null]])
    assert.equal((await database.db.select().from(task).where(eq(task.caseId, caseId))).length, 1)
  })

  test('someone who may not change the case is refused', async () => {
    const { caseId } = await youngPerson()
    const other = await world.user(['social-worker'], { team: 'assessment' })
    await assert.rejects(recordCareLeaverRecord(world.ctx(other, NOW), caseId, record({ kind: 'pathway-plan', on: '2026-01-10' })), AccessDenied)
  })
})
