import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, cinEpisode, conference, task } from '../../db/schema/index.ts'
import { AccessDenied, type Actor } from '../common/context.ts'
import { chairConferences, chairList } from './chair-conferences.ts'

let database: TestDatabase
let world: World
before(async () => {
  ({ database, world } = await openTestWorld())
})
after(() => database.close())

/** A conference of a new case, chaired by `chairId`, not yet held unless `heldOn` is given. */
async function conferenceOn(
  chairId: string,
  scheduledFor: string,
  options: { scheduledTime?: string; heldOn?: string; restricted?: boolean; familyName?: string } = {},
) {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId, restricted: options.restricted, familyName: options.familyName })
  const [e] = await database.db
    .insert(cinEpisode)
    .values({ partnershipId: world.partnershipId, caseId, referralDate: '2026-09-01', referralSource: '1A', recordedBy: worker.userId })
    .returning()
  const [k] = await database.db
    .insert(conference)
    .values({
      partnershipId: world.partnershipId,
      caseId,
      episodeId: e!.id,
      kind: 'initial',
      scheduledFor,
      scheduledTime: options.scheduledTime ?? '10:00',
      venue: 'Room 2, Civic Centre (fictional)',
      heldOn: options.heldOn ?? null,
      chairId,
      recordedBy: worker.userId,
    })
    .returning()
  // Scheduling invites the chair to the case (conferences.ts); a restricted case needs more.
  await world.grant(caseId, chairId, 'invitation')
  return { caseId, conferenceId: k!.id }
}

describe('a conference chair’s list', () => {
  let chair: Actor
  let other: Actor
  const made: Record<string, { caseId: string; conferenceId: string }> = {}

  before(async () => {
    chair = await world.user(['conference-chair'], { team: null })
    other = await world.user(['conference-chair'], { team: null })
    made.late = await conferenceOn(chair.userId, '2026-11-18', { familyName: 'Latechild' })
    made.afternoon = await conferenceOn(chair.userId, '2026-11-25', { scheduledTime: '14:00', familyName: 'Afternoonchild' })
    made.morning = await conferenceOn(chair.userId, '2026-11-25', { scheduledTime: '09:30', familyName: 'Morningchild' })
    made.restricted = await conferenceOn(chair.userId, '2026-12-01', { restricted: true, familyName: 'Hiddenchild' })
    made.held = await conferenceOn(chair.userId, '2026-11-10', { heldOn: '2026-11-10', familyName: 'Heldchild' })
    made.others = await conferenceOn(other.userId, '2026-11-24', { familyName: 'Otherchairschild' })
  })

  test('lists the conferences still to be held or recorded, by date and time, with the outcome due where the day has passed', async () => {
    const page = await chairConferences(world.ctx(chair))
    assert.equal(page.total, 4)
    assert.deepEqual(
      page.items.map((k) => [k.scheduledFor, k.scheduledTime, k.childName?.split(' ')[1] ?? null, k.outcomeDue]),
      [
        ['2026-11-18', '10:00', 'Latechild', true],
        ['2026-11-25', '09:30', 'Morningchild', false],
        ['2026-11-25', '14:00', 'Afternoonchild', false],
        ['2026-12-01', '10:00', null, false],
      ],
    )
    assert.equal(page.items[0]!.venue, 'Room 2, Civic Centre (fictional)')
    assert.equal(page.items[0]!.caseId, made.late!.caseId)
  })

  test('a restricted child the chair may not open is listed without being named or linked', async () => {
    const { items } = await chairConferences(world.ctx(chair))
    const hidden = items.find((k) => k.id === made.restricted!.conferenceId)!
    assert.deepEqual([hidden.mayOpenCase, hidden.caseId, hidden.childName, hidden.dateOfBirth], [false, null, null, null])
    assert.ok(!JSON.stringify(items).includes('Hiddenchild'))
  })

  test('is paged in the database with its total', async () => {
    const second = await chairConferences(world.ctx(chair), { offset: 2, limit: 2 })
    assert.equal(second.total, 4)
    assert.deepEqual(second.items.map((k) => k.scheduledTime), ['14:00', '10:00'])
    assert.deepEqual([second.offset, second.limit], [2, 2])
  })

  test('the listing is audited once, naming the cases it named', async () => {
    const ctx = { ...world.ctx(chair), requestId: `chair-list-${Date.now()}` }
    await chairConferences(ctx)
    const entries = await database.db.select().from(auditEvent).where(eq(auditEvent.requestId, ctx.requestId))
    assert.equal(entries.length, 1)
    assert.equal(entries[0]!.action, 'case.list')
    const detail = entries[0]!.detail as { list: string; caseIds: string[] }
    assert.equal(detail.list, 'chair-conferences')
    assert.deepEqual(new Set(detail.caseIds), new Set([made.late!.caseId, made.morning!.caseId, made.afternoon!.caseId]))
  })

  test('the list comes with the chair’s own open tasks', async () => {
    await database.db.insert(task).values({
      partnershipId: world.partnershipId,
      caseId: made.late!.caseId,
      title: 'Read the agencies’ reports before the conference',
      assigneeUserId: chair.userId,
      dueOn: '2026-11-24',
      status: 'open',
    })
    const list = await chairList(world.ctx(chair))
    assert.deepEqual(list.tasks.mine.map((t) => t.title), ['Read the agencies’ reports before the conference'])
    assert.equal(list.conferences.total, 4)
  })

  test('only a conference chair has a list', async () => {
    const worker = await world.user(['social-worker'])
    await assert.rejects(chairConferences(world.ctx(worker)), AccessDenied)
    assert.deepEqual((await chairConferences(world.ctx(other, FIXED_NOW))).items.map((k) => k.id), [made.others!.conferenceId])
  })
})
