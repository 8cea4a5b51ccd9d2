import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { childCase, task } from '../../db/schema/index.ts'
import { withCase } from './case-records.ts'
import { startClock } from './clocks.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { taskInput } from './tasks-input.ts'
import { caseTasks, completeTask, createTask, dueStateOf, listMyTasks, myTaskPages } from './tasks.ts'
import { getCycle, issueCycle } from '../partnership/section11/cycles.ts'
import { createTemplate, DEFAULT_STANDARDS_TEXT } from '../partnership/section11/templates.ts'
import { templateInput } from '../partnership/section11/input.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

const input = (fields: Record<string, unknown>) => taskInput.parse({ title: 'Call the school', dueOn: '', assigneeUserId: '', ...fields })

describe('tasks', () => {
  test('due states: overdue before today, due today, due later, no date, done', () => {
    const today = '2026-11-20'
    assert.equal(dueStateOf({ status: 'open', dueOn: '2026-11-19' }, today), 'overdue')
    assert.equal(dueStateOf({ status: 'open', dueOn: '2026-11-20' }, today), 'due-today')
    assert.equal(dueStateOf({ status: 'open', dueOn: '2026-11-21' }, today), 'due')
    assert.equal(dueStateOf({ status: 'open', dueOn: null }, today), 'no-date')
    assert.equal(dueStateOf({ status: 'done', dueOn: '2026-11-01' }, today), 'done')
  })

  test('a task made by hand goes to a person in the case’s team or to the team, and shows on their lists', async () => {
    const worker = await world.user(['social-worker'])
    const colleague = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId, givenName: 'Tasky' })
    const ctx = world.ctx(worker)
    const forColleague = await createTask(ctx, caseId, input({ title: 'Visit nursery', dueOn: '2026-11-19', assigneeUserId: colleague.userId }))
    assert.equal(forColleague.assigneeTeamId, null)
    const forTeam = await createTask(ctx, caseId, input({ title: 'Book interpreter', dueOn: '2026-11-25' }))
    assert.equal(forTeam.assigneeTeamId, world.teams.assessment)

    const colleagues = await listMyTasks(world.ctx(colleague))
    const mine = colleagues.mine.find((t) => t.id === forColleague.id)
    assert.equal(mine?.dueState, 'overdue')
    assert.match(mine?.childName ?? '', /^Tasky /)
    assert.ok(colleagues.team.some((t) => t.id === forTeam.id))
    assert.ok(!colleagues.team.some((t) => t.id === forColleague.id), 'assigned tasks are not in the team pool')

    const onCase = await caseTasks(ctx, caseId)
    assert.deepEqual(onCase.tasks.map((t) => t.title), ['Visit nursery', 'Book interpreter'])
    assert.ok(onCase.assignees.some((a) => a.id === colleague.userId))
  })

  test('a task cannot be given to someone outside the case’s team', async () => {
    const worker = await world.user(['social-worker'])
    const outsider = await world.user(['social-worker'], { team: 'front-door' })
    const { caseId } = await world.childCase({ worker: worker.userId })
    await assert.rejects(createTask(world.ctx(worker), caseId, input({ assigneeUserId: outsider.userId })), (err) => {
      assert.ok(err instanceof ValidationFailed)
      assert.ok(err.fieldErrors.assigneeUserId)
      return true
    })
  })

  test('the person a task is for completes it, naming the version; a second completion is refused', async () => {
    const worker = await world.user(['social-worker'])
    const colleague = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const made = await createTask(world.ctx(worker), caseId, input({ assigneeUserId: colleague.userId }))
    await assert.rejects(completeTask(world.ctx(colleague), made.id, { version: 5, doneOn: null }), EditConflict)
    const done = await completeTask(world.ctx(colleague), made.id, { version: 1, doneOn: null })
    assert.equal(done.status, 'done')
    assert.equal(done.doneOn, '2026-11-20')
    assert.equal(done.version, 2)
    await assert.rejects(completeTask(world.ctx(colleague), made.id, { version: 2, doneOn: null }), ValidationFailed)
    assert.equal((await listMyTasks(world.ctx(colleague))).mine.some((t) => t.id === made.id), false)
  })

  test('someone in the team but not allocated cannot complete another person’s task', async () => {
    const worker = await world.user(['social-worker'])
    const colleague = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const made = await createTask(world.ctx(worker), caseId, input({ assigneeUserId: worker.userId }))
    await assert.rejects(completeTask(world.ctx(colleague), made.id, { version: 1, doneOn: null }), AccessDenied)
  })

  test('a clock’s task cannot be completed by hand, and says why', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const ctx = world.ctx(worker)
    await withCase(ctx, caseId, 'case:update', (tx, open) =>
      startClock(ctx, tx, open, { rule: 'cla-first-review', start: '2026-11-02', subjectType: 'looked-after', subjectId: caseId, task: 'Hold the first looked-after review' }),
    )
    const listed = await caseTasks(ctx, caseId)
    const fromClock = listed.tasks.find((t) => t.clockId !== null)!
    assert.equal(fromClock.clockTitle, 'Looked-after child: first review')
    await assert.rejects(completeTask(ctx, fromClock.id, { version: fromClock.version, doneOn: null }), (err) => {
      assert.ok(err instanceof ValidationFailed)
      assert.match(err.fieldErrors.task!, /statutory timescale/)
      return true
    })
    const [stored] = await database.db.select().from(task).where(eq(task.id, fromClock.id))
    assert.equal(stored!.status, 'open')
  })

  test('tasks on a restricted case the user may not open are counted, not shown', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    await createTask(world.ctx(worker), caseId, input({ title: 'Secret' }))
    await database.db.update(childCase).set({ restricted: true }).where(eq(childCase.id, caseId))
    const colleague = await world.user(['social-worker'])
    const theirs = await listMyTasks(world.ctx(colleague))
    assert.equal(theirs.team.some((t) => t.title === 'Secret'), false)
    assert.ok(theirs.hidden >= 1)
  })

  test('your tasks a page at a time: totals count only the tasks you may see, overdue over all of them, hidden ones counted', async () => {
    await world.team('tasks-paging', 'council')
    const worker = await world.user(['social-worker'], { team: 'tasks-paging' })
    const { caseId } = await world.childCase({ team: 'tasks-paging', worker: worker.userId })
    const secret = await world.childCase({ team: 'tasks-paging', restricted: true })
    const rows = (n: number, fields: Partial<typeof task.$inferInsert>) =>
      Array.from({ length: n }, (_, i) => ({ partnershipId: world.partnershipId, caseId, title: `Task ${String(i).padStart(2, '0')}`, createdBy: worker.userId, ...fields }))
    await database.db.insert(task).values([
      ...rows(23, { assigneeUserId: worker.userId, dueOn: '2026-12-01' }),
      ...rows(3, { assigneeUserId: worker.userId, dueOn: '2026-11-02', title: 'Late' }),
      ...rows(2, { assigneeUserId: worker.userId, caseId: secret.caseId, dueOn: '2026-11-01' }),
    ])
    const first = await myTaskPages(world.ctx(worker), { mine: { offset: 0, limit: 20 } })
    assert.deepEqual([first.mine.total, first.mine.items.length, first.overdue, first.hidden], [26, 20, 3, 2])
    assert.deepEqual(first.mine.items.slice(0, 3).map((t) => t.title), ['Late', 'Late', 'Late'])
    const second = await myTaskPages(world.ctx(worker), { mine: { offset: 20, limit: 20 } })
    assert.equal(second.mine.items.length, 6)
    assert.equal(new Set([...first.mine.items, ...second.mine.items].map((t) => t.id)).size, 26)
    // The whole list at once, for the chair's list.
    assert.equal((await listMyTasks(world.ctx(worker))).mine.length, 26)
  })

  test('a task asking for partnership work names the record it is done on; a case’s tasks name none', async () => {
    const unit = await world.user(['business-unit'], { team: null })
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const ctx = world.ctx(unit)
    const template = await createTemplate(ctx, templateInput.parse({ name: 'Standards', standards: DEFAULT_STANDARDS_TEXT }))
    const cycle = await issueCycle(ctx, { templateId: template.id, name: 'Task audit', issuedOn: '2026-11-02', answersDueOn: '2026-12-01', contactUserIds: [partner.userId] })
    const [ret] = (await getCycle(ctx, cycle.id)).returns
    const theirs = await listMyTasks(world.ctx(partner))
    const asked = theirs.mine.find((t) => t.title === 'Answer the section 11 self-assessment: Task audit')
    assert.deepEqual(asked?.work, { kind: 'section11-return', id: ret!.id })
    assert.equal(asked?.caseId, null)

    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    await createTask(world.ctx(worker), caseId, input({ title: 'On the case', assigneeUserId: worker.userId }))
    assert.equal((await listMyTasks(world.ctx(worker))).mine.find((t) => t.title === 'On the case')?.work, null)
  })
})
