/**
 * Tasks: work for a person or a team. Clocks make tasks when they start and complete them when
 * they complete (services/clocks.ts); people add their own on a case and complete them by hand.
 * A clock's task cannot be completed by hand: it is done when the event that stops the clock is
 * recorded, so the task list and the timescales never disagree.
 */
import { aliasedTable, and, asc, count, desc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm'
import { unionAll } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/connection.ts'
import { agencyContribution, appUser, childCase, clock, person, reviewAction, section11Action, section11Return, task, team } from '../../db/schema/index.ts'
import { findRule } from '../../domain/timescales/index.ts'
import { audit } from '../access/audit.ts'
import { createRecord, getRecord, updateRecord, withCase, type OpenCase } from './case-records.ts'
import { AccessDenied, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { FIRST_PAGE, type Page, type PageRequest } from '../common/paging.ts'
import { caseFrame, type CaseFrame } from './case-notes.ts'
import type { TaskCompletion, TaskInput } from './tasks-input.ts'
import { decideCaseAction, loadCase } from './case-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export type TaskRow = typeof task.$inferSelect

/** Where a task stands against its due date today. */
export type DueState = 'done' | 'overdue' | 'due-today' | 'due' | 'no-date'

export function dueStateOf(t: { status: string; dueOn: string | null }, today: string): DueState {
  if (t.status === 'done') return 'done'
  if (!t.dueOn) return 'no-date'
  if (t.dueOn < today) return 'overdue'
  return t.dueOn === today ? 'due-today' : 'due'
}

export interface TaskView {
  id: string
  caseId: string | null
  childName: string | null
  title: string
  dueOn: string | null
  dueState: DueState
  status: string
  doneOn: string | null
  assigneeUserId: string | null
  assigneeName: string | null
  assigneeTeamId: string | null
  assigneeTeamName: string | null
  /** Set for tasks made by a clock: the timescale whose event completes the task. */
  clockId: string | null
  clockTitle: string | null
  /** Set for a task that asks for partnership work (not on a case): the record it is done on, which completes it. */
  work: TaskWork | null
  version: number
}

/** The partnership work a task asks for: answering a contribution, an action, a section 11 self-assessment. */
export interface TaskWork {
  kind: 'contribution' | 'review-action' | 'section11-action' | 'section11-return'
  id: string
}

const assignee = aliasedTable(appUser, 'assignee')

function tasksQuery(db: Db) {
  return db
    .select({
      task,
      childGivenName: person.givenName,
      childFamilyName: person.familyName,
      assigneeName: assignee.displayName,
      assigneeTeamName: team.name,
      clockRule: clock.rule,
    })
    .from(task)
    .leftJoin(childCase, eq(childCase.id, task.caseId))
    .leftJoin(person, eq(person.id, childCase.personId))
    .leftJoin(assignee, eq(assignee.id, task.assigneeUserId))
    .leftJoin(team, eq(team.id, task.assigneeTeamId))
    .leftJoin(clock, eq(clock.id, task.clockId))
    .$dynamic()
}

type TaskQueryRow = Awaited<ReturnType<ReturnType<typeof tasksQuery>['execute']>>[number]

function toView(r: TaskQueryRow, today: string): TaskView {
  const t = r.task
  return {
    id: t.id,
    caseId: t.caseId,
    childName: r.childGivenName === null ? null : `${r.childGivenName} ${r.childFamilyName}`,
    title: t.title,
    dueOn: t.dueOn,
    dueState: dueStateOf(t, today),
    status: t.status,
    doneOn: t.doneOn,
    assigneeUserId: t.assigneeUserId,
    assigneeName: r.assigneeName,
    assigneeTeamId: t.assigneeTeamId,
    assigneeTeamName: r.assigneeTeamName,
    clockId: t.clockId,
    clockTitle: r.clockRule ? (findRule(r.clockRule)[0]?.title ?? r.clockRule) : null,
    work: null,
    version: t.version,
  }
}

/** The work each of these tasks asks for, by task id: the partnership records that made them. */
async function worksOf(db: Db, taskIds: string[]): Promise<Map<string, TaskWork>> {
  if (taskIds.length === 0) return new Map()
  const kind = (k: TaskWork['kind']) => sql<TaskWork['kind']>`${k}::text`.as('kind')
  const rows = await unionAll(
    db.select({ kind: kind('contribution'), id: agencyContribution.id, taskId: agencyContribution.taskId }).from(agencyContribution).where(inArray(agencyContribution.taskId, taskIds)),
    db.select({ kind: kind('review-action'), id: reviewAction.id, taskId: reviewAction.taskId }).from(reviewAction).where(inArray(reviewAction.taskId, taskIds)),
    db.select({ kind: kind('section11-action'), id: section11Action.id, taskId: section11Action.taskId }).from(section11Action).where(inArray(section11Action.taskId, taskIds)),
    db.select({ kind: kind('section11-return'), id: section11Return.id, taskId: section11Return.taskId }).from(section11Return).where(inArray(section11Return.taskId, taskIds)),
  )
  return new Map(rows.flatMap((r) => (r.taskId ? [[r.taskId, { kind: r.kind, id: r.id }] as const] : [])))
}

const openFirstByDue = [desc(task.status), sql`${task.dueOn} asc nulls last`, asc(task.createdAt)]

/** The user's two task lists. */
export const MY_TASK_LISTS = ['mine', 'team'] as const
export type MyTaskList = (typeof MY_TASK_LISTS)[number]

/** Tasks a page of each of the user's task lists shows. */
export const MY_TASKS_PAGE_SIZE = 20

export interface MyTaskPages {
  /** Open tasks assigned to the user: a page of them. */
  mine: Page<TaskView>
  /** Open tasks of the user's team that nobody has picked up: a page of them. */
  team: Page<TaskView>
  /** Of all the user's own open tasks shown (not only this page's): how many are overdue. */
  overdue: number
  /** Tasks on cases the user may not open now (restricted records); listed by count only. */
  hidden: number
}

/**
 * The signed-in user's open tasks and their team's unassigned ones, soonest due first (then by
 * id), each list a page at a time with its total. The cases of the tasks are asked of the policy
 * once each, and the answer put into the queries, so the lists are counted and cut in SQL and a
 * task on a case the user may not open is only counted. The tasks shown are audited.
 */
export async function myTaskPages(ctx: ServiceContext, pages: Partial<Record<MyTaskList, PageRequest>> = {}): Promise<MyTaskPages> {
  const { actor } = ctx
  const today = londonDate(ctx.now())
  const open = and(eq(task.partnershipId, actor.partnershipId), eq(task.status, 'open'))
  const lists: Record<MyTaskList, SQL> = {
    mine: and(open, eq(task.assigneeUserId, actor.userId))!,
    team: actor.teamId ? and(open, eq(task.assigneeTeamId, actor.teamId), isNull(task.assigneeUserId))! : sql`false`,
  }
  const either = or(lists.mine, lists.team)
  const onCases = await ctx.db.selectDistinct({ caseId: task.caseId }).from(task).where(and(either, isNotNull(task.caseId)))
  const readable = [...(await readableCases(ctx, onCases.map((r) => r.caseId)))]
  const visible = or(isNull(task.caseId), readable.length ? inArray(task.caseId, readable) : sql`false`)!
  const requestOf = (list: MyTaskList) => pages[list] ?? { offset: 0, limit: MY_TASKS_PAGE_SIZE }
  const itemsOf = (list: MyTaskList) =>
    tasksQuery(ctx.db)
      .where(and(lists[list], visible))
      .orderBy(...openFirstByDue, asc(task.id))
      .limit(requestOf(list).limit)
      .offset(requestOf(list).offset)
  // Both lists' totals, the tasks hidden and the overdue ones, counted by one query.
  const countedBy = ctx.db
    .select({
      mine: sql<number>`count(*) filter (where ${visible} and ${lists.mine})`.mapWith(Number),
      team: sql<number>`count(*) filter (where ${visible} and ${lists.team})`.mapWith(Number),
      hidden: sql<number>`count(*) filter (where not (${visible}))`.mapWith(Number),
      overdue: sql<number>`count(*) filter (where ${visible} and ${lists.mine} and ${task.dueOn} < ${today})`.mapWith(Number),
    })
    .from(task)
    .where(either)
  const [[counted], mineItems, teamItems] = await Promise.all([countedBy, itemsOf('mine'), itemsOf('team')])
  const pageOfList = (list: MyTaskList, items: TaskQueryRow[]) => ({ items, total: counted?.[list] ?? 0, ...requestOf(list) })
  const mine = pageOfList('mine', mineItems)
  const team = pageOfList('team', teamItems)
  const rows = [...mine.items, ...team.items]
  const works = await worksOf(ctx.db, rows.flatMap((r) => (r.task.caseId === null ? [r.task.id] : [])))
  const view = (r: TaskQueryRow): TaskView => ({ ...toView(r, today), work: works.get(r.task.id) ?? null })
  const caseIds = [...new Set(rows.flatMap((r) => (r.task.caseId ? [r.task.caseId] : [])))]
  if (caseIds.length > 0) await audit(ctx, ctx.db, { action: 'task.list', detail: { caseIds } })
  return {
    mine: { ...mine, items: mine.items.map(view) },
    team: { ...team, items: team.items.map(view) },
    overdue: counted?.overdue ?? 0,
    hidden: counted?.hidden ?? 0,
  }
}

export interface MyTasks {
  /** Open tasks assigned to the user. */
  mine: TaskView[]
  /** Open tasks of the user's team that nobody has picked up. */
  team: TaskView[]
  /** Tasks on cases the user may not open now (restricted records); listed by count only. */
  hidden: number
}

/** Every one of the signed-in user's open tasks and their team's unassigned ones at once (a page of each without end), soonest due first. */
export async function listMyTasks(ctx: ServiceContext): Promise<MyTasks> {
  const whole = { offset: 0, limit: 2 ** 31 - 1 }
  const { mine, team, hidden } = await myTaskPages(ctx, { mine: whole, team: whole })
  return { mine: mine.items, team: team.items, hidden }
}

/** The cases among `caseIds` the policy lets the user read without break-glass. */
async function readableCases(ctx: ServiceContext, caseIds: (string | null)[]): Promise<Set<string>> {
  const readable = new Set<string>()
  for (const id of new Set(caseIds)) {
    if (id === null) continue
    const c = await loadCase(ctx.db, ctx.actor, id)
    const decision = await decideCaseAction(ctx.db, ctx, c, 'case:read')
    if (decision.allowed && !decision.breakGlass) readable.add(id)
  }
  return readable
}

export interface TeamMember {
  id: string
  displayName: string
}

export interface CaseTasks {
  c: CaseFrame
  /** Open tasks first (soonest due first), then done ones: this page of them. */
  tasks: TaskView[]
  /** This page of the tasks with how many the case has. */
  page: Page<TaskView>
  /** Who a new task can be given to: the active members of the case's team. */
  assignees: TeamMember[]
}

async function teamMembers(tx: Db, teamId: string | null): Promise<TeamMember[]> {
  if (!teamId) return []
  return tx
    .select({ id: appUser.id, displayName: appUser.displayName })
    .from(appUser)
    .where(and(eq(appUser.teamId, teamId), eq(appUser.active, true)))
    .orderBy(asc(appUser.displayName))
}

/** Reads a case's tasks (audited as its tasks section), with today for their due state. */
function readingTasks<T>(ctx: ServiceContext, caseId: string, read: (tx: Db, open: OpenCase, today: string) => Promise<T>): Promise<T> {
  const today = londonDate(ctx.now())
  return withCase(ctx, caseId, 'case:read', (tx, open) => read(tx, open, today), 'tasks')
}

/** The tasks of a case, those made by its clocks included, a page at a time with their total. */
export async function caseTasks(ctx: ServiceContext, caseId: string, page: PageRequest = FIRST_PAGE): Promise<CaseTasks> {
  return readingTasks(ctx, caseId, async (tx, open, today) => {
    const [counted] = await tx.select({ n: count() }).from(task).where(eq(task.caseId, open.c.id))
    const rows = await tasksQuery(tx)
      .where(eq(task.caseId, open.c.id))
      .orderBy(...openFirstByDue, desc(task.doneOn), asc(task.id))
      .limit(page.limit)
      .offset(page.offset)
    const tasks = rows.map((r) => toView(r, today))
    const listed = { items: tasks, total: counted?.n ?? 0, offset: page.offset, limit: page.limit }
    return { c: await caseFrame(ctx, tx, open), tasks, page: listed, assignees: await teamMembers(tx, open.c.teamId) }
  })
}

/** One task of a case, as the case's list shows it (undefined when the case has no such task). */
export async function caseTask(ctx: ServiceContext, caseId: string, taskId: string): Promise<TaskView | undefined> {
  return readingTasks(ctx, caseId, async (tx, open, today) => {
    const [row] = await tasksQuery(tx).where(and(eq(task.caseId, open.c.id), eq(task.id, taskId)))
    return row ? toView(row, today) : undefined
  })
}

/** Adds a task on a case for a person in the case's team, or for the team. */
export async function createTask(ctx: ServiceContext, caseId: string, input: TaskInput): Promise<TaskRow> {
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      if (input.assigneeUserId) {
        const members = await teamMembers(tx, open.c.teamId)
        if (!members.some((m) => m.id === input.assigneeUserId)) {
          throw new ValidationFailed({ assigneeUserId: 'Select someone in the case’s team, or the team' })
        }
      } else if (!open.c.teamId) {
        throw new ValidationFailed({ assigneeUserId: 'This case has no team: select who the task is for' })
      }
      return createRecord<TaskRow>(ctx, tx, open, 'task', task, {
        title: input.title,
        dueOn: input.dueOn,
        assigneeUserId: input.assigneeUserId,
        assigneeTeamId: input.assigneeUserId ? null : open.c.teamId,
        createdBy: ctx.actor.userId,
      })
    },
    'tasks',
  )
}

/**
 * Completes a task made by hand. Whoever may change the case may complete it, and so may the
 * person it is for (or, while unassigned, a member of its team) while they may read the case.
 */
export async function completeTask(ctx: ServiceContext, taskId: string, input: TaskCompletion): Promise<TaskRow> {
  const [found] = await ctx.db
    .select({ caseId: task.caseId })
    .from(task)
    .where(and(eq(task.id, taskId), eq(task.partnershipId, ctx.actor.partnershipId)))
  if (!found?.caseId) throw new NotFound('No such task')
  const doneOn = input.doneOn ?? londonDate(ctx.now())
  const future = futureDateErrors(londonDate(ctx.now()), { doneOn: [doneOn, 'the date it was done'] })
  if (Object.keys(future).length > 0) throw new ValidationFailed(future)
  return withCase(
    ctx,
    found.caseId,
    'case:read',
    async (tx, open) => {
      const current = await getRecord<TaskRow>(tx, open, task, taskId)
      const mayUpdateCase = (await decideCaseAction(tx, ctx, open.c, 'case:update')).allowed
      const isTheirs =
        current.assigneeUserId === ctx.actor.userId ||
        (current.assigneeUserId === null && current.assigneeTeamId !== null && current.assigneeTeamId === ctx.actor.teamId)
      if (!mayUpdateCase && !isTheirs) {
        throw new AccessDenied('Only the person the task is for, their team or someone who may change the case can complete it.')
      }
      if (current.clockId) throw new ValidationFailed({ task: CLOCK_TASK_EXPLANATION })
      if (current.status === 'done') {
        throw new ValidationFailed({ task: `This task was already completed on ${current.doneOn}.` })
      }
      return updateRecord<TaskRow>(ctx, tx, open, 'task', task, taskId, input.version, { status: 'done', doneOn }, 'task.complete')
    },
    'tasks',
  )
}

export const CLOCK_TASK_EXPLANATION =
  'This task comes from a statutory timescale. It is completed when the event that meets the timescale is recorded (for example the assessment, conference or visit), so it cannot be ticked off by hand.'
