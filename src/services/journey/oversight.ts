/**
 * Oversight: a worker's caseload with its statutory clocks, and a team manager's view of the
 * team — who holds which cases, what is unallocated, assessments waiting to be authorised, and
 * clocks overdue or due this week with their reasons. Lists are counted and paged in SQL so they
 * answer quickly on a partnership of hundreds of thousands of children (those ordered by what is
 * due from each record are ordered, then cut); each listing is audited with the cases it showed.
 * Re-allocation is a manager decision on the case.
 */
import { and, arrayOverlaps, asc, count, desc, eq, exists, gt, gte, inArray, isNotNull, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../db/connection.ts'
import { accessGrant, appUser, assessment, childCase, clock, person, plan, task, team } from '../../db/schema/index.ts'
import { dueWithClocks, type DueFromRecord, type DueItem } from '../../domain/timescales/index.ts'
import { dueOfCases } from './due-from-record.ts'
import { weekOf } from '../../domain/timescales/calendar/iso-date.ts'
import { decideGeneral, decideOnCase } from '../../domain/access/policy.ts'
import { audit } from '../access/audit.ts'
import { showCase, updateCase, withCase } from './case-records.ts'
import { viewClock, type ClockView } from './clocks.ts'
import { AccessDenied, readDbOf, ValidationFailed, type Actor, type ServiceContext } from '../common/context.ts'
import { keepShown, shownByPolicy, stillShownOnPrimary, type CaseSummary } from './case-access.ts'
import { listsPageQuery, pageCounted, pageOf, totalOver, type Page, type PageRequest } from '../common/paging.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { allocationPermissionFields } from './case-access-admin-input.ts'
import { permissionsInForce, permissionWithAllocation } from './case-access-admin.ts'

/**
 * Rows a page of each list of the team view shows: up to six lists on one page, of two-line rows,
 * so the page stays within about five screens when every list is full; its total is always given.
 */
export const TEAM_LIST_PAGE_SIZE = 5

/** The team view's lists, each paged on its own. */
export const TEAM_LISTS = ['worker', 'unallocated', 'awaitingAuthorisation', 'overdue', 'dueThisWeek', 'visitsAndReviews'] as const
export type TeamList = (typeof TEAM_LISTS)[number]

/** Roles of the people a case can be allocated to. */
const CASE_HOLDING_ROLES = ['social-worker', 'team-manager']

// ---- visibility shared by the listings

/** An explicit permission of the actor on the case in the current row, in force at `now`. */
function explicitPermission(db: Db, actor: Actor, now: Date) {
  return exists(
    db
      .select({ one: sql`1` })
      .from(accessGrant)
      .where(
        and(
          eq(accessGrant.caseId, childCase.id),
          eq(accessGrant.userId, actor.userId),
          eq(accessGrant.kind, 'explicit-permission'),
          lte(accessGrant.startsAt, now),
          or(isNull(accessGrant.endsAt), gt(accessGrant.endsAt, now)),
        ),
      ),
  )
}

/** Restricted records are listed only to those with explicit permission, as the policy reads them. */
function listable(db: Db, actor: Actor, now: Date): SQL {
  return or(and(eq(childCase.restricted, false), eq(person.restricted, false)), explicitPermission(db, actor, now))!
}

const childColumns = {
  caseId: childCase.id,
  givenName: person.givenName,
  familyName: person.familyName,
  dateOfBirth: person.dateOfBirth,
  status: childCase.status,
  openedOn: childCase.openedOn,
}

async function auditListing(ctx: ServiceContext, list: string, caseIds: Iterable<string>, detail: Record<string, unknown> = {}) {
  const ids = [...new Set(caseIds)]
  if (ids.length === 0) return
  // In a transaction of its own, so the audit chain head stays locked from reading it to moving it.
  await ctx.db.transaction((tx) => audit(ctx, tx, { action: 'case.list', detail: { list, ...detail, caseIds: ids } }))
}

// ---- caseload

export interface CaseloadCase {
  caseId: string
  givenName: string
  familyName: string
  dateOfBirth: string | null
  status: string
  openedOn: string
  teamName: string | null
  /** The open clocks, soonest due first. */
  clocks: ClockView[]
  /** What is due derived from the record (last seen, next visit, core group, review), for a child on a plan or in need. */
  due: DueFromRecord | null
  /** The soonest due date of the clocks and of what is derived from the record. */
  nextDueOn: string | null
  overdue: number
}

export interface Caseload extends Page<CaseloadCase> {
  /** Of all the cases (not only this page's): how many have something overdue, and are listed first. */
  overdueCases: number
}

/** Cases a page of the caseload shows. */
export const CASELOAD_PAGE_SIZE = 20

/**
 * The open cases allocated to the signed-in user, with their open clocks: cases with overdue
 * clocks first (most overdue first), then by the next due date, then by name; a page at a time.
 * Whom the policy shows each case to is asked in SQL. The order is derived from each record (its
 * clocks and what is due from it), so the worker's cases are ordered, then the page is cut; only
 * the cases on the page are audited as shown. Three queries whatever the size.
 */
export async function caseload(ctx: ServiceContext, page: PageRequest = { offset: 0, limit: CASELOAD_PAGE_SIZE }): Promise<Caseload> {
  const { actor } = ctx
  const now = ctx.now()
  const today = londonDate(now)
  const shown = shownByPolicy(
    ctx.db,
    actor,
    now,
    [
      { relationships: ['allocated-worker'], where: sql`true` },
      { relationships: ['allocated-worker', 'team'], where: actor.teamId ? eq(childCase.teamId, actor.teamId) : sql`false` },
    ],
    (record) => decideOnCase(actor, 'case:read', record).allowed,
  )
  const mine = and(eq(childCase.partnershipId, actor.partnershipId), eq(childCase.allocatedWorkerId, actor.userId), ne(childCase.status, 'closed'), shown)!
  // The cases, their clocks and what is due from a replica when one qualifies; the primary
  // confirms each case is still the user's and shown to them (stillShownOnPrimary).
  const db = readDbOf(ctx)
  const read = await db
    .select({ ...childColumns, teamName: team.name })
    .from(childCase)
    .innerJoin(person, eq(person.id, childCase.personId))
    .leftJoin(team, eq(team.id, childCase.teamId))
    .where(mine)
  const [confirmed, clocks, dues] = await Promise.all([
    stillShownOnPrimary(ctx, mine, read.map((c) => c.caseId)),
    openClocksOf(db, read.map((c) => c.caseId), today),
    dueOfCases(db, actor.partnershipId, read, today),
  ])
  const visible = confirmed ? read.filter((c) => confirmed.has(c.caseId)) : read
  const items = visible.map((row): CaseloadCase => {
    const own = clocks.get(row.caseId) ?? []
    const due = dues.get(row.caseId) ?? null
    return {
      caseId: row.caseId,
      givenName: row.givenName,
      familyName: row.familyName,
      dateOfBirth: row.dateOfBirth,
      status: row.status,
      openedOn: row.openedOn,
      teamName: row.teamName,
      clocks: own,
      due,
      ...dueWithClocks(own, due),
    }
  })
  items.sort(
    (a, b) =>
      b.overdue - a.overdue ||
      (a.nextDueOn ?? '9999').localeCompare(b.nextDueOn ?? '9999') ||
      a.familyName.localeCompare(b.familyName) ||
      a.givenName.localeCompare(b.givenName) ||
      a.caseId.localeCompare(b.caseId),
  )
  const listed = pageOf(items, page)
  await auditListing(ctx, 'caseload', listed.items.map((i) => i.caseId))
  return { ...listed, overdueCases: items.filter((i) => i.overdue > 0).length }
}

/** The open clocks of some cases, by case, soonest due first. */
async function openClocksOf(db: Db, caseIds: string[], today: string): Promise<Map<string, ClockView[]>> {
  const byCase = new Map<string, ClockView[]>()
  if (caseIds.length === 0) return byCase
  const rows = await db
    .select()
    .from(clock)
    .where(and(inArray(clock.caseId, caseIds), isNull(clock.completedOn)))
    .orderBy(asc(clock.dueOn))
  for (const row of rows) {
    const list = byCase.get(row.caseId) ?? []
    list.push(viewClock(row, today))
    byCase.set(row.caseId, list)
  }
  return byCase
}

// ---- the team view

export interface TeamWorker {
  id: string
  name: string
  openCases: number
  /** False for someone outside the team who still holds some of its cases. */
  inTeam: boolean
}

export interface TeamCase {
  caseId: string
  givenName: string
  familyName: string
  dateOfBirth: string | null
  status: string
  openedOn: string
  workerName?: string | null
}

export interface WaitingAuthorisation extends TeamCase {
  assessmentId: string
  kind: string
  completedOn: string | null
}

export interface TeamClock extends TeamCase {
  clock: ClockView
}

export interface TeamDue extends TeamCase {
  /** A visit, core group or review due, derived from the record. */
  item: DueItem
}

export interface TeamView {
  team: { id: string; name: string }
  today: string
  week: { from: string; to: string }
  workers: TeamWorker[]
  unallocatedCount: number
  unallocated: Page<TeamCase>
  /** The cases of one worker, when asked for. */
  worker: (TeamWorker & { cases: Page<TeamCase> }) | null
  awaitingAuthorisation: Page<WaitingAuthorisation>
  overdue: Page<TeamClock>
  dueThisWeek: Page<TeamClock>
  /** Visits, core groups and reviews of children on a plan overdue or due by the end of the week, derived from the record. */
  visitsAndReviews: Page<TeamDue>
}

export const teamViewQuery = z.object({
  worker: z.preprocess((v) => (v === '' ? undefined : v), z.uuid({ message: 'Choose a worker from the list' }).optional()),
})

/** The team view's API query: the worker, and a page of one list (`list`) or of every list. */
export const teamViewApiQuery = teamViewQuery.extend(listsPageQuery(TEAM_LISTS).shape)

/** The team manager's view of their own team: each list a page at a time (`pages`, by list; the first page of TEAM_LIST_PAGE_SIZE otherwise). */
export async function teamView(
  ctx: ServiceContext,
  options: { worker?: string | undefined; pages?: Partial<Record<TeamList, PageRequest>> } = {},
): Promise<TeamView> {
  const { actor } = ctx
  const decision = decideGeneral(actor, 'team:oversee')
  if (!decision.allowed) throw new AccessDenied(decision.reason)
  if (!actor.teamId) throw new AccessDenied('You are not a member of a team, so there is no team to oversee.')
  const now = ctx.now()
  const today = londonDate(now)
  const week = weekOf(today)
  // The lists from a replica when one qualifies; the primary then confirms each case listed is
  // still the team's and shown to the manager (a case moved to another team or restricted
  // seconds ago is not).
  const scope = { db: readDbOf(ctx), actor, now, teamId: actor.teamId }
  const pageOfList = (list: TeamList): PageRequest => options.pages?.[list] ?? { offset: 0, limit: TEAM_LIST_PAGE_SIZE }

  // Independent reads: on PostgreSQL they run side by side on the pool.
  const [[teamRow], { workers, unallocatedCount }, ...lists] = await Promise.all([
    ctx.db.select({ id: team.id, name: team.name }).from(team).where(eq(team.id, actor.teamId)),
    allocationOf(scope),
    teamCases(scope, isNull(childCase.allocatedWorkerId), pageOfList('unallocated')),
    options.worker ? teamCases(scope, eq(childCase.allocatedWorkerId, options.worker), pageOfList('worker')) : null,
    waitingAuthorisation(scope, pageOfList('awaitingAuthorisation')),
    teamClocks(scope, lt(clock.dueOn, today), today, pageOfList('overdue')),
    teamClocks(scope, and(gte(clock.dueOn, today), lte(clock.dueOn, week.to))!, today, pageOfList('dueThisWeek')),
    teamDueFromRecord(scope, today, week.to, pageOfList('visitsAndReviews')),
  ])
  if (!teamRow) throw new AccessDenied('Your team no longer exists.')
  const teamsOwn = and(eq(childCase.partnershipId, actor.partnershipId), eq(childCase.teamId, actor.teamId), listable(ctx.db, actor, now))!
  const confirmed = await stillShownOnPrimary(ctx, teamsOwn, lists.flatMap((list) => list?.items.map((i) => i.caseId) ?? []))
  const [unallocated, workerCases, awaitingAuthorisation, overdue, dueThisWeek, visitsAndReviews] = [
    keepShown(lists[0], confirmed, (i) => i.caseId),
    lists[1] && keepShown(lists[1], confirmed, (i) => i.caseId),
    keepShown(lists[2], confirmed, (i) => i.caseId),
    keepShown(lists[3], confirmed, (i) => i.caseId),
    keepShown(lists[4], confirmed, (i) => i.caseId),
    keepShown(lists[5], confirmed, (i) => i.caseId),
  ] as const
  const chosen = options.worker ? workers.find((w) => w.id === options.worker) : undefined
  const view: TeamView = {
    team: teamRow,
    today,
    week,
    workers,
    unallocatedCount,
    unallocated,
    worker: chosen && workerCases ? { ...chosen, cases: workerCases } : null,
    awaitingAuthorisation,
    overdue,
    dueThisWeek,
    visitsAndReviews,
  }
  const shown = [unallocated, (chosen && workerCases) || { items: [] }, awaitingAuthorisation, overdue, dueThisWeek, visitsAndReviews].flatMap((list) =>
    list.items.map((i) => i.caseId),
  )
  await auditListing(ctx, 'team', shown, { teamId: teamRow.id })
  return view
}

interface TeamScope {
  db: Db
  actor: Actor
  now: Date
  teamId: string
}

const openTeamCase = (scope: TeamScope) =>
  and(eq(childCase.partnershipId, scope.actor.partnershipId), eq(childCase.teamId, scope.teamId), ne(childCase.status, 'closed'))!

/** Open cases of the team counted by allocated worker, and the team's case holders with none. */
async function allocationOf(scope: TeamScope): Promise<{ workers: TeamWorker[]; unallocatedCount: number }> {
  const counts = await scope.db
    .select({ workerId: childCase.allocatedWorkerId, name: appUser.displayName, workerTeamId: appUser.teamId, cases: count() })
    .from(childCase)
    .leftJoin(appUser, eq(appUser.id, childCase.allocatedWorkerId))
    .where(openTeamCase(scope))
    .groupBy(childCase.allocatedWorkerId, appUser.displayName, appUser.teamId)
  const members = await scope.db
    .select({ id: appUser.id, name: appUser.displayName })
    .from(appUser)
    .where(and(eq(appUser.teamId, scope.teamId), eq(appUser.active, true), caseHolder()))
  const workers = new Map<string, TeamWorker>(members.map((m) => [m.id, { ...m, openCases: 0, inTeam: true }]))
  let unallocatedCount = 0
  for (const c of counts) {
    if (!c.workerId) {
      unallocatedCount = c.cases
      continue
    }
    const known = workers.get(c.workerId)
    if (known) known.openCases = c.cases
    else workers.set(c.workerId, { id: c.workerId, name: c.name ?? 'Unknown user', openCases: c.cases, inTeam: c.workerTeamId === scope.teamId })
  }
  return {
    workers: [...workers.values()].sort((a, b) => Number(b.inTeam) - Number(a.inTeam) || a.name.localeCompare(b.name)),
    unallocatedCount,
  }
}

const caseHolder = () => arrayOverlaps(appUser.roles, CASE_HOLDING_ROLES)

/** Open cases of the team matching `where`, oldest first: a page of them with how many there are. */
async function teamCases(scope: TeamScope, where: SQL, page: PageRequest): Promise<Page<TeamCase>> {
  return pageCounted(page, (at) =>
    scope.db
      .select({ ...childColumns, total: totalOver() })
      .from(childCase)
      .innerJoin(person, eq(person.id, childCase.personId))
      .where(and(openTeamCase(scope), where, listable(scope.db, scope.actor, scope.now)))
      .orderBy(asc(childCase.openedOn), asc(person.familyName), asc(childCase.id))
      .limit(at.limit)
      .offset(at.offset),
  )
}

/** Completed assessments of the team's cases that no manager has authorised yet, longest waiting first. */
async function waitingAuthorisation(scope: TeamScope, page: PageRequest): Promise<Page<WaitingAuthorisation>> {
  return pageCounted(page, (at) =>
    scope.db
      .select({
        ...childColumns,
        workerName: appUser.displayName,
        assessmentId: assessment.id,
        kind: assessment.kind,
        completedOn: assessment.completedOn,
        total: totalOver(),
      })
      .from(childCase)
      .innerJoin(assessment, eq(assessment.caseId, childCase.id))
      .innerJoin(person, eq(person.id, childCase.personId))
      .leftJoin(appUser, eq(appUser.id, childCase.allocatedWorkerId))
      .where(
        and(
          eq(childCase.partnershipId, scope.actor.partnershipId),
          eq(childCase.teamId, scope.teamId),
          isNotNull(assessment.completedOn),
          isNull(assessment.authorisedOn),
          listable(scope.db, scope.actor, scope.now),
        ),
      )
      .orderBy(asc(assessment.completedOn), asc(assessment.id))
      .limit(at.limit)
      .offset(at.offset),
  )
}

/** Open clocks of the team's open cases due in a range, soonest first, with their delay reasons. */
async function teamClocks(scope: TeamScope, due: SQL, today: string, page: PageRequest): Promise<Page<TeamClock>> {
  const listed = await pageCounted(page, (at) =>
    scope.db
      .select({ ...childColumns, workerName: appUser.displayName, clock, total: totalOver() })
      .from(clock)
      .innerJoin(childCase, eq(childCase.id, clock.caseId))
      .innerJoin(person, eq(person.id, childCase.personId))
      .leftJoin(appUser, eq(appUser.id, childCase.allocatedWorkerId))
      .where(
        and(
          eq(clock.partnershipId, scope.actor.partnershipId),
          isNull(clock.completedOn),
          due,
          // From the team's open cases (few) to their open clocks, not from every open clock.
          openTeamCase(scope),
          listable(scope.db, scope.actor, scope.now),
        ),
      )
      .orderBy(asc(clock.dueOn), desc(clock.startOn), asc(clock.id))
      .limit(at.limit)
      .offset(at.offset),
  )
  return { ...listed, items: listed.items.map(({ clock: row, ...child }) => ({ ...child, clock: viewClock(row, today) })) }
}

/**
 * What is due by `to` (overdue included) on the team's open cases with an open plan, derived from
 * their records, soonest first.
 */
async function teamDueFromRecord(scope: TeamScope, today: string, to: string, page: PageRequest): Promise<Page<TeamDue>> {
  const onPlan = exists(scope.db.select({ one: sql`1` }).from(plan).where(and(eq(plan.caseId, childCase.id), isNull(plan.endedOn))))
  const cases = await scope.db
    .select({ ...childColumns, workerName: appUser.displayName })
    .from(childCase)
    .innerJoin(person, eq(person.id, childCase.personId))
    .leftJoin(appUser, eq(appUser.id, childCase.allocatedWorkerId))
    .where(and(openTeamCase(scope), onPlan, listable(scope.db, scope.actor, scope.now)))
  const dues = await dueOfCases(scope.db, scope.actor.partnershipId, cases, today)
  const all = cases
    .flatMap((c) => (dues.get(c.caseId)?.items ?? []).filter((i) => i.due <= to).map((item) => ({ ...c, item })))
    .sort((a, b) => a.item.due.localeCompare(b.item.due) || a.familyName.localeCompare(b.familyName) || a.caseId.localeCompare(b.caseId))
  // Derived from the records, so ordered here and then cut.
  return pageOf(all, page)
}

// ---- allocation

export const allocationInput = z.object({
  workerId: z.uuid({ message: 'Choose the worker to allocate the case to' }),
  version: z.coerce.number({ message: 'The case version is missing: reload the page' }).int().positive(),
  // A restricted case: the worker's explicit permission, given in the same step.
  ...allocationPermissionFields,
})

export type AllocationInput = z.infer<typeof allocationInput>
type AllocationPermission = Pick<AllocationInput, 'givePermission' | 'permissionEndsOn' | 'permissionReason'>

export interface AllocationForm {
  case: CaseSummary & { breakGlass: boolean }
  /** The case's version now: an allocation must name it. */
  version: number
  /** Who the case can be allocated to: the case holders of its team, with their open cases. */
  workers: TeamWorker[]
  /** Whether the case is restricted: the form then offers the worker's permission. */
  restricted: boolean
  /** Explicit permissions in force, by user: when each ends. */
  permissions: Record<string, Date | null>
}

/** What the allocation form needs; only those who may allocate the case see it. */
export async function allocationForm(ctx: ServiceContext, caseId: string): Promise<AllocationForm> {
  return showCase(
    ctx,
    caseId,
    'case:authorise',
    async (tx, open) => {
      const [row] = await tx.select({ version: childCase.version }).from(childCase).where(eq(childCase.id, caseId))
      const scope = { db: tx, actor: ctx.actor, now: ctx.now(), teamId: open.c.teamId ?? '' }
      const { workers } = open.c.teamId ? await allocationOf(scope) : { workers: [] }
      return {
        case: { ...open.c, breakGlass: open.breakGlass },
        version: row!.version,
        workers: workers.filter((w) => w.inTeam),
        restricted: open.c.restricted || open.c.personRestricted,
        permissions: await permissionsInForce(tx, caseId, ctx.now()),
      }
    },
    'allocation',
  )
}

export interface Allocation {
  caseId: string
  allocatedWorkerId: string
  workerName: string
  version: number
  /** Open clock tasks moved to the new worker. */
  tasksReassigned: number
  /** The explicit permission given to the worker in the same step (a restricted case), if any. */
  permission: { endsOn: string } | null
}

/**
 * Allocates a case to a worker of its team, if the case is still at `version` (never overwriting
 * someone else's allocation silently). The case's open clock tasks go to the new worker.
 */
export async function allocateCase(
  ctx: ServiceContext,
  caseId: string,
  workerId: string,
  version: number,
  permission: AllocationPermission = { givePermission: null, permissionEndsOn: null, permissionReason: null },
): Promise<Allocation> {
  return withCase(
    ctx,
    caseId,
    'case:authorise',
    async (tx, open) => {
      const [worker] = await tx
        .select({ id: appUser.id, name: appUser.displayName })
        .from(appUser)
        .where(
          and(
            eq(appUser.id, workerId),
            eq(appUser.partnershipId, ctx.actor.partnershipId),
            eq(appUser.active, true),
            open.c.teamId ? eq(appUser.teamId, open.c.teamId) : sql`false`,
            caseHolder(),
          ),
        )
      if (!worker) throw new ValidationFailed({ workerId: 'Choose a social worker or manager in the case’s team' })
      if (open.c.allocatedWorkerId === worker.id) throw new ValidationFailed({ workerId: `${worker.name} already holds this case` })
      const row = await updateCase(ctx, tx, open, { allocatedWorkerId: worker.id }, { expectedVersion: version, action: 'case.allocate' })
      const moved = await tx
        .update(task)
        .set({ assigneeUserId: worker.id, assigneeTeamId: null, updatedAt: ctx.now(), version: sql`${task.version} + 1` })
        .where(and(eq(task.caseId, caseId), eq(task.status, 'open'), isNotNull(task.clockId)))
        .returning({ id: task.id })
      const given = await permissionWithAllocation(ctx, tx, open, worker.id, permission)
      return { caseId, allocatedWorkerId: worker.id, workerName: worker.name, version: row.version, tasksReassigned: moved.length, permission: given }
    },
    'allocation',
  )
}
