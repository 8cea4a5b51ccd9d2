import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, desc, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { assessment, auditEvent, childCase, cinEpisode, clock, recordRevision, task } from '../../db/schema/index.ts'
import type { Actor } from '../common/context.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { createRecord, updateRecord, withCase } from './case-records.ts'
import { allocateCase, allocationForm, caseload, teamView, TEAM_LIST_PAGE_SIZE } from './oversight.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

// FIXED_NOW is Friday 20 November 2026: the week runs from Monday 16 to Sunday 22 November.

let teams = 0
/** A team of its own for each test, so counts are not disturbed by other tests. */
async function newTeam() {
  const key = `oversight-${++teams}`
  await world.team(key, 'council')
  return key
}

/** An open statutory clock and its task, as clocks.ts stores them. */
async function addClock(caseId: string, dueOn: string, options: { rule?: string; delayReason?: string; completedOn?: string; teamId?: string } = {}) {
  const [k] = await database.db
    .insert(clock)
    .values({
      partnershipId: world.partnershipId,
      caseId,
      rule: options.rule ?? 'assessment',
      edition: 2023,
      startOn: '2026-09-01',
      dueOn,
      completedOn: options.completedOn ?? null,
      delayReason: options.delayReason ?? null,
      subjectType: 'cin-episode',
      subjectId: caseId,
    })
    .returning()
  await database.db.insert(task).values({
    partnershipId: world.partnershipId,
    caseId,
    clockId: k!.id,
    title: 'Complete the assessment',
    dueOn,
    assigneeTeamId: options.teamId ?? null,
    status: options.completedOn ? 'done' : 'open',
  })
  return k!
}

async function listingAudit(actor: Actor) {
  const [entry] = await database.db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.actorUserId, actor.userId), eq(auditEvent.action, 'case.list')))
    .orderBy(desc(auditEvent.seq))
    .limit(1)
  return entry?.detail as { list: string; caseIds: string[] } | undefined
}

describe('a worker’s caseload', () => {
  test('their open allocated cases with stage and clocks, overdue first; the listing is audited', async () => {
    const key = await newTeam()
    const worker = await world.user(['social-worker'], { team: key })
    const colleague = await world.user(['social-worker'], { team: key })
    const calm = await world.childCase({ team: key, worker: worker.userId, familyName: 'Alpha' })
    const late = await world.childCase({ team: key, worker: worker.userId, familyName: 'Zulu' })
    const soon = await world.childCase({ team: key, worker: worker.userId, familyName: 'Mike' })
    const closed = await world.childCase({ team: key, worker: worker.userId })
    await database.db.update(childCase).set({ status: 'closed' }).where(eq(childCase.id, closed.caseId))
    const restricted = await world.childCase({ team: key, worker: worker.userId, restricted: true })
    await world.childCase({ team: key, worker: colleague.userId })

    await addClock(late.caseId, '2026-11-10')
    await addClock(late.caseId, '2026-12-20', { rule: 'strategy-discussion' })
    await addClock(late.caseId, '2026-10-01', { completedOn: '2026-09-30' })
    await addClock(soon.caseId, '2026-11-25')

    const { items, total, overdueCases } = await caseload(world.ctx(worker))
    assert.deepEqual([total, overdueCases], [3, 1])
    assert.deepEqual(
      items.map((i) => [i.caseId, i.status, i.overdue, i.nextDueOn, i.clocks.map((k) => k.state)]),
      [
        [late.caseId, 'assessment', 1, '2026-11-10', ['overdue', 'due']],
        [soon.caseId, 'assessment', 0, '2026-11-25', ['due']],
        [calm.caseId, 'assessment', 0, null, []],
      ],
    )
    assert.ok(!items.some((i) => i.caseId === restricted.caseId), 'a restricted case needs explicit permission even for its worker')
    const audited = await listingAudit(worker)
    assert.equal(audited!.list, 'caseload')
    assert.deepEqual(audited!.caseIds, [late.caseId, soon.caseId, calm.caseId])

    await world.grant(restricted.caseId, worker.userId, 'explicit-permission')
    assert.ok((await caseload(world.ctx(worker))).items.some((i) => i.caseId === restricted.caseId))
  })

  test('a long caseload is paged: the total and the overdue count are of all the cases shown, the order runs on across pages, only the page is audited', async () => {
    const key = await newTeam()
    const worker = await world.user(['social-worker'], { team: key })
    const ids: string[] = []
    for (let i = 0; i < 23; i++) ids.push((await world.childCase({ team: key, worker: worker.userId, familyName: `Load${String(i).padStart(2, '0')}` })).caseId)
    // Overdue ones first, on whichever page they would otherwise fall.
    await addClock(ids[22]!, '2026-11-02')
    await addClock(ids[21]!, '2026-11-03')
    await world.childCase({ team: key, worker: worker.userId, restricted: true })
    const first = await caseload(world.ctx(worker), { offset: 0, limit: 20 })
    assert.deepEqual([first.total, first.items.length, first.overdueCases, first.offset, first.limit], [23, 20, 2, 0, 20])
    assert.deepEqual(first.items.slice(0, 3).map((i) => i.familyName), ['Load22', 'Load21', 'Load00'])
    const second = await caseload(world.ctx(worker), { offset: 20, limit: 20 })
    assert.deepEqual(second.items.map((i) => i.familyName), ['Load18', 'Load19', 'Load20'])
    assert.deepEqual((await listingAudit(worker))!.caseIds, second.items.map((i) => i.caseId))
  })

  test('someone with nothing allocated has an empty caseload and no audit entry', async () => {
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    assert.deepEqual(await caseload(world.ctx(partner)), { items: [], total: 0, offset: 0, limit: 20, overdueCases: 0 })
    assert.equal(await listingAudit(partner), undefined)
  })
})

describe('the team view', () => {
  test('allocation by worker, unallocated cases, authorisations waiting and clocks overdue or due this week', async () => {
    const key = await newTeam()
    const manager = await world.user(['team-manager'], { team: key })
    const ann = await world.user(['social-worker'], { team: key })
    const bob = await world.user(['social-worker'], { team: key })
    await world.user(['front-door-practitioner'], { team: key })
    const annCase = await world.childCase({ team: key, worker: ann.userId, familyName: 'Annscase' })
    await world.childCase({ team: key, worker: ann.userId })
    const unallocated = await world.childCase({ team: key, familyName: 'Nobodys' })
    const elsewhere = await world.childCase({ team: 'front-door' })

    const { episodeId } = await withCase(world.ctx(ann), annCase.caseId, 'case:update', async (tx, open) => {
      const episode = await createRecord<{ id: string; version: number }>(world.ctx(ann), tx, open, 'cin-episode', cinEpisode, {
        referralDate: '2026-09-01',
        referralSource: '2A',
      })
      await createRecord(world.ctx(ann), tx, open, 'assessment', assessment, {
        episodeId: episode.id,
        kind: 'single',
        startedOn: '2026-09-02',
        completedOn: '2026-11-02',
      })
      const authorised = await createRecord<{ id: string; version: number }>(world.ctx(ann), tx, open, 'assessment', assessment, {
        episodeId: episode.id,
        kind: 'single',
        startedOn: '2026-09-02',
        completedOn: '2026-10-02',
      })
      await updateRecord(world.ctx(ann), tx, open, 'assessment', assessment, authorised.id, authorised.version, {
        authorisedOn: '2026-10-05',
      })
      return { episodeId: episode.id }
    })
    assert.ok(episodeId)

    const overdue = await addClock(annCase.caseId, '2026-11-03', { delayReason: 'Family away until mid-November' })
    const thisWeek = await addClock(unallocated.caseId, '2026-11-22', { rule: 'strategy-discussion' })
    await addClock(unallocated.caseId, '2026-11-23')
    await addClock(elsewhere.caseId, '2026-11-01')

    const view = await teamView(world.ctx(manager))
    assert.deepEqual(view.week, { from: '2026-11-16', to: '2026-11-22' })
    assert.deepEqual(
      Object.fromEntries(view.workers.map((w) => [w.id, w.openCases])),
      { [ann.userId]: 2, [bob.userId]: 0, [manager.userId]: 0 },
      'the team’s social workers and managers, not its front door practitioner',
    )
    assert.deepEqual(
      view.workers.map((w) => w.name),
      [...view.workers.map((w) => w.name)].sort((a, b) => a.localeCompare(b)),
    )
    assert.equal(view.unallocatedCount, 1)
    assert.deepEqual(view.unallocated.items.map((c) => c.caseId), [unallocated.caseId])
    assert.deepEqual(
      view.awaitingAuthorisation.items.map((a) => [a.caseId, a.completedOn, a.workerName]),
      [[annCase.caseId, '2026-11-02', ann.displayName]],
    )
    assert.deepEqual(
      view.overdue.items.map((k) => [k.caseId, k.clock.id, k.clock.state, k.clock.delayReason]),
      [[annCase.caseId, overdue.id, 'overdue', 'Family away until mid-November']],
    )
    assert.deepEqual(view.dueThisWeek.items.map((k) => k.clock.id), [thisWeek.id])
    assert.equal(view.dueThisWeek.total, 1)
    assert.equal(view.worker, null)

    const withAnn = await teamView(world.ctx(manager), { worker: ann.userId })
    assert.equal(withAnn.worker!.cases.total, 2)
    assert.ok(withAnn.worker!.cases.items.some((c) => c.caseId === annCase.caseId))

    const audited = await listingAudit(manager)
    assert.equal(audited!.list, 'team')
    assert.ok(audited!.caseIds.includes(unallocated.caseId))
    assert.ok(audited!.caseIds.includes(annCase.caseId))
    assert.ok(!audited!.caseIds.includes(elsewhere.caseId))
  })

  test('on a Sunday in London, "due by the end of this week" is the coming week', async () => {
    const key = await newTeam()
    const manager = await world.user(['team-manager'], { team: key })
    const { caseId } = await world.childCase({ team: key })
    const today = await addClock(caseId, '2026-11-22')
    const wednesday = await addClock(caseId, '2026-11-25')
    await addClock(caseId, '2026-11-30')
    // Sunday 22 November 2026, late evening (Greenwich Mean Time, so the same day in London).
    const view = await teamView(world.ctx(manager, new Date('2026-11-22T22:00:00Z')))
    assert.deepEqual(view.week, { from: '2026-11-23', to: '2026-11-29' })
    assert.deepEqual(view.dueThisWeek.items.map((k) => k.clock.id).sort(), [today.id, wednesday.id].sort())
  })

  test('each list is paged on its own in SQL, with its total; a page after the last is empty with the total; only the pages shown are audited', async () => {
    const key = await newTeam()
    const manager = await world.user(['team-manager'], { team: key })
    const ids: string[] = []
    for (let i = 0; i < TEAM_LIST_PAGE_SIZE + 3; i++) ids.push((await world.childCase({ team: key })).caseId)
    const overdue = TEAM_LIST_PAGE_SIZE + 2
    for (const id of ids.slice(0, overdue)) await addClock(id, '2026-11-05')
    const view = await teamView(world.ctx(manager))
    assert.deepEqual([view.unallocated.items.length, view.unallocated.total, view.unallocated.offset, view.unallocated.limit], [TEAM_LIST_PAGE_SIZE, TEAM_LIST_PAGE_SIZE + 3, 0, TEAM_LIST_PAGE_SIZE])
    assert.equal(view.unallocatedCount, TEAM_LIST_PAGE_SIZE + 3)
    assert.deepEqual([view.overdue.items.length, view.overdue.total], [TEAM_LIST_PAGE_SIZE, overdue])
    const paged = await teamView(world.ctx(manager), { pages: { unallocated: { offset: TEAM_LIST_PAGE_SIZE, limit: TEAM_LIST_PAGE_SIZE } } })
    assert.deepEqual([paged.unallocated.items.length, paged.unallocated.total], [3, TEAM_LIST_PAGE_SIZE + 3])
    // The two pages are the whole list, once each; the other lists stay on their first page.
    assert.deepEqual(new Set([...view.unallocated.items, ...paged.unallocated.items].map((c) => c.caseId)), new Set(ids))
    assert.deepEqual(paged.overdue.items.map((k) => k.clock.id), view.overdue.items.map((k) => k.clock.id))
    const audited = await listingAudit(manager)
    const shown = [paged.unallocated, paged.awaitingAuthorisation, paged.overdue, paged.dueThisWeek, paged.visitsAndReviews].flatMap((l) => l.items.map((i) => i.caseId))
    assert.deepEqual(new Set(audited!.caseIds), new Set(shown))
    const beyond = await teamView(world.ctx(manager), { pages: { overdue: { offset: 50, limit: TEAM_LIST_PAGE_SIZE } } })
    assert.deepEqual([beyond.overdue.items.length, beyond.overdue.total], [0, overdue])
  })

  test('restricted cases are counted but not named without explicit permission', async () => {
    const key = await newTeam()
    const manager = await world.user(['team-manager'], { team: key })
    const hidden = await world.childCase({ team: key, restricted: true })
    const view = await teamView(world.ctx(manager))
    assert.equal(view.unallocatedCount, 1)
    assert.deepEqual(view.unallocated.items, [])
    await world.grant(hidden.caseId, manager.userId, 'explicit-permission')
    assert.deepEqual((await teamView(world.ctx(manager))).unallocated.items.map((c) => c.caseId), [hidden.caseId])
  })

  test('only team managers may oversee a team', async () => {
    const worker = await world.user(['social-worker'])
    await assert.rejects(teamView(world.ctx(worker)), AccessDenied)
    const teamless = await world.user(['team-manager'], { team: null })
    await assert.rejects(teamView(world.ctx(teamless)), /not a member of a team/)
  })
})

describe('allocating a case', () => {
  test('a manager allocates a team case to a worker; open clock tasks follow the case', async () => {
    const key = await newTeam()
    const manager = await world.user(['team-manager'], { team: key })
    const worker = await world.user(['social-worker'], { team: key })
    const { caseId } = await world.childCase({ team: key })
    const open = await addClock(caseId, '2026-11-25', { teamId: world.teams[key] })
    const done = await addClock(caseId, '2026-10-25', { completedOn: '2026-10-20', teamId: world.teams[key] })

    const form = await allocationForm(world.ctx(manager), caseId)
    assert.equal(form.version, 1)
    assert.deepEqual(form.workers.map((w) => w.id).sort(), [manager.userId, worker.userId].sort())

    const result = await allocateCase(world.ctx(manager), caseId, worker.userId, form.version)
    assert.deepEqual(result, { caseId, allocatedWorkerId: worker.userId, workerName: worker.displayName, version: 2, tasksReassigned: 1, permission: null })
    const [stored] = await database.db.select().from(childCase).where(eq(childCase.id, caseId))
    assert.equal(stored!.allocatedWorkerId, worker.userId)
    const tasks = await database.db.select().from(task).where(eq(task.caseId, caseId))
    const openTask = tasks.find((t) => t.clockId === open.id)!
    const doneTask = tasks.find((t) => t.clockId === done.id)!
    assert.equal(openTask.assigneeUserId, worker.userId)
    assert.equal(openTask.assigneeTeamId, null)
    assert.equal(doneTask.assigneeUserId, null, 'finished work stays where it was')

    const [revision] = await database.db
      .select()
      .from(recordRevision)
      .where(and(eq(recordRevision.caseId, caseId), eq(recordRevision.entity, 'case')))
    assert.equal((revision!.data as { allocatedWorkerId: string }).allocatedWorkerId, worker.userId)
    const [entry] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.action, 'case.allocate')))
    assert.equal(entry!.actorUserId, manager.userId)
  })

  test('a stale version is refused with the case as it is now, and nothing changes', async () => {
    const key = await newTeam()
    const manager = await world.user(['team-manager'], { team: key })
    const first = await world.user(['social-worker'], { team: key })
    const second = await world.user(['social-worker'], { team: key })
    const { caseId } = await world.childCase({ team: key })
    await allocateCase(world.ctx(manager), caseId, first.userId, 1)
    await assert.rejects(allocateCase(world.ctx(manager), caseId, second.userId, 1), (err) => {
      assert.ok(err instanceof EditConflict)
      assert.equal(err.current?.allocatedWorkerId, first.userId)
      assert.equal(err.current?.version, 2)
      return true
    })
    const [stored] = await database.db.select().from(childCase).where(eq(childCase.id, caseId))
    assert.equal(stored!.allocatedWorkerId, first.userId)
    assert.equal(stored!.version, 2)
  })

  test('only to a case holder of the case’s team, and not to the worker who already holds it', async () => {
    const key = await newTeam()
    const manager = await world.user(['team-manager'], { team: key })
    const outsider = await world.user(['social-worker'])
    const frontDoor = await world.user(['front-door-practitioner'], { team: key })
    const holder = await world.user(['social-worker'], { team: key })
    const { caseId } = await world.childCase({ team: key, worker: holder.userId })
    for (const who of [outsider, frontDoor, holder]) {
      await assert.rejects(allocateCase(world.ctx(manager), caseId, who.userId, 1), (err) => {
        assert.ok(err instanceof ValidationFailed)
        assert.ok(err.fieldErrors.workerId)
        return true
      })
    }
  })

  test('only a manager of the case’s team may allocate it', async () => {
    const key = await newTeam()
    const worker = await world.user(['social-worker'], { team: key })
    const otherManager = await world.user(['team-manager'])
    const { caseId } = await world.childCase({ team: key, worker: worker.userId })
    await assert.rejects(allocateCase(world.ctx(worker), caseId, worker.userId, 1), AccessDenied)
    await assert.rejects(allocateCase(world.ctx(otherManager), caseId, worker.userId, 1), AccessDenied)
    await assert.rejects(allocationForm(world.ctx(worker), caseId), AccessDenied)
    const [refusal] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.actorUserId, worker.userId)))
    assert.equal(refusal!.action, 'case.authorise.refused')
  })
})
