/**
 * Reading children's cases through the access policy. Every read — allowed, refused or by
 * break-glass — is audited with the ground the policy gave.
 */
import { and, asc, eq, gt, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm'
import { alias, unionAll } from 'drizzle-orm/pg-core'
import type { Db } from '../db/connection.ts'
import { accessGrant, agency, appUser, caseInvolvement, childCase, contact, contactChild, person, plan, planItem, team } from '../db/schema.ts'
import { decideOnCase, type RecordAction, type Relationship } from '../domain/access/policy.ts'
import { audit } from './audit.ts'
import { withCase } from './case-records.ts'
import { AccessDenied, NotFound, ValidationFailed, type Actor, type ServiceContext } from './context.ts'

/** How long break-glass access lasts before the user must give a reason again. */
export const BREAK_GLASS_HOURS = 4

const worker = alias(appUser, 'worker')

function caseSummaryQuery(db: Db) {
  return db
    .select({
      id: childCase.id,
      partnershipId: childCase.partnershipId,
      personId: childCase.personId,
      status: childCase.status,
      openedOn: childCase.openedOn,
      closedOn: childCase.closedOn,
      restricted: childCase.restricted,
      teamId: childCase.teamId,
      teamName: team.name,
      allocatedWorkerId: childCase.allocatedWorkerId,
      allocatedWorkerName: worker.displayName,
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      sex: person.sex,
      nhsNumber: person.nhsNumber,
      personRestricted: person.restricted,
    })
    .from(childCase)
    .innerJoin(person, eq(person.id, childCase.personId))
    .leftJoin(team, eq(team.id, childCase.teamId))
    .leftJoin(worker, eq(worker.id, childCase.allocatedWorkerId))
    .$dynamic()
}

export type CaseSummary = Awaited<ReturnType<ReturnType<typeof caseSummaryQuery>['execute']>>[number]

export interface CaseView extends CaseSummary {
  involvements: { agencyName: string; role: string; startedOn: string; endedOn: string | null }[]
  ground: string
  breakGlass: boolean
}

/** An agency involvement that has started and not yet ended on `today`. */
const involvementCurrent = (today: string) =>
  and(
    lte(caseInvolvement.startedOn, today),
    or(isNull(caseInvolvement.endedOn), sql`${caseInvolvement.endedOn} >= ${today}`),
  )

/**
 * An action (not dropped) of an open plan owned by the agency: the plan-action-owner relationship.
 * The query joins plan_item to plan. Ending the plan, dropping the action or giving it to another
 * agency ends it.
 */
export const agencyOwnsOpenAction = (agencyId: string) =>
  and(eq(planItem.kind, 'action'), eq(planItem.ownerAgencyId, agencyId), ne(planItem.status, 'dropped'), isNull(plan.endedOn))

/** An access grant in force at `now`. */
export const grantInForce = (now: Date) =>
  and(lte(accessGrant.startsAt, now), or(isNull(accessGrant.endsAt), gt(accessGrant.endsAt, now)))

/** The user's relationships to one case, as the policy needs them: one query for those the database holds. */
export async function relationshipsTo(
  db: Db,
  actor: Actor,
  c: { id: string; teamId: string | null; allocatedWorkerId: string | null },
  now: Date,
): Promise<Relationship[]> {
  const rels: Relationship[] = []
  if (c.allocatedWorkerId === actor.userId) rels.push('allocated-worker')
  if (c.teamId !== null && c.teamId === actor.teamId) rels.push('team')
  const involved = db
    .select({ kind: sql<string>`'agency-involvement'` })
    .from(caseInvolvement)
    .where(and(eq(caseInvolvement.caseId, c.id), eq(caseInvolvement.agencyId, actor.agencyId), involvementCurrent(londonDate(now))))
    .limit(1)
  const frontDoor = db
    .select({ kind: sql<string>`'front-door-contact'` })
    .from(contactChild)
    .innerJoin(contact, eq(contact.id, contactChild.contactId))
    .where(
      and(
        eq(contactChild.caseId, c.id),
        actor.teamId ? eq(contact.teamId, actor.teamId) : sql`false`,
        or(isNull(contact.decidedAt), isNull(contact.feedbackOn)),
      ),
    )
    .limit(1)
  const granted = db
    .selectDistinct({ kind: accessGrant.kind })
    .from(accessGrant)
    .where(and(eq(accessGrant.caseId, c.id), eq(accessGrant.userId, actor.userId), grantInForce(now)))
  const ownsAction = db
    .select({ kind: sql<string>`'plan-action-owner'` })
    .from(planItem)
    .innerJoin(plan, eq(plan.id, planItem.planId))
    .where(and(eq(planItem.caseId, c.id), agencyOwnsOpenAction(actor.agencyId)))
    .limit(1)
  const held = await unionAll(involved, frontDoor, granted, ownsAction)
  for (const r of held) rels.push(r.kind as Relationship)
  return rels
}

/** Today's calendar date in England, whatever the server's time zone. */
export function londonDate(instant: Date): string {
  return LONDON_DATE.format(instant)
}
const LONDON_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })

export async function loadCase(db: Db, actor: Actor, caseId: string): Promise<CaseSummary> {
  const [c] = await caseSummaryQuery(db).where(
    and(eq(childCase.id, caseId), eq(childCase.partnershipId, actor.partnershipId)),
  )
  if (!c) throw new NotFound('No case with that id')
  return c
}

/** The policy's decision on an action on this case, from the user's relationships to it now. */
export async function decideCaseAction(
  db: Db,
  ctx: ServiceContext,
  c: CaseSummary,
  action: RecordAction,
  extra: Relationship[] = [],
) {
  const relationships = await relationshipsTo(db, ctx.actor, c, ctx.now())
  return decideOnCase(ctx.actor, action, {
    partnershipId: c.partnershipId,
    restricted: c.restricted || c.personRestricted,
    relationships: [...relationships, ...extra],
  })
}

/** Opens a child's case for reading, or refuses; either way the attempt is audited. */
export async function viewCase(ctx: ServiceContext, caseId: string): Promise<CaseView> {
  return withCase(ctx, caseId, 'case:read', async (tx, open) => {
    const involvements = await tx
      .select({
        agencyName: agency.name,
        role: caseInvolvement.role,
        startedOn: caseInvolvement.startedOn,
        endedOn: caseInvolvement.endedOn,
      })
      .from(caseInvolvement)
      .innerJoin(agency, eq(agency.id, caseInvolvement.agencyId))
      .where(eq(caseInvolvement.caseId, open.c.id))
      .orderBy(asc(caseInvolvement.startedOn))
    return { ...open.c, involvements, ground: open.ground, breakGlass: open.breakGlass }
  })
}

/**
 * Break-glass: the user gives a reason and gets read access to a case they have no relationship
 * with, for a few hours. Every read under it is flagged to auditors.
 */
export async function breakGlass(ctx: ServiceContext, caseId: string, reason: string): Promise<void> {
  const trimmed = reason.trim()
  if (trimmed.length < 10) {
    throw new ValidationFailed({ reason: 'Explain why you need to see this record (at least 10 characters)' })
  }
  const refusal = await ctx.db.transaction(async (tx) => {
    const c = await loadCase(tx, ctx.actor, caseId)
    const decision = await decideCaseAction(tx, ctx, c, 'case:read', ['break-glass'])
    if (!decision.allowed || !decision.breakGlass) {
      return decision.allowed ? null : decision.reason
    }
    const now = ctx.now()
    await tx.insert(accessGrant).values({
      partnershipId: ctx.actor.partnershipId,
      caseId: c.id,
      userId: ctx.actor.userId,
      kind: 'break-glass',
      reason: trimmed,
      grantedBy: ctx.actor.userId,
      startsAt: now,
      endsAt: new Date(now.getTime() + BREAK_GLASS_HOURS * 3600_000),
    })
    await audit(ctx, tx, {
      action: 'case.break-glass',
      recordType: 'case',
      recordId: c.id,
      subjectPersonId: c.personId,
      ground: 'break-glass',
      reason: trimmed,
      breakGlass: true,
    })
    return null
  })
  if (refusal) throw new AccessDenied(refusal)
}

export type CaseListKind = 'allocated' | 'team' | 'agency' | 'invited'

/**
 * The cases a user works on, for their home page: allocated to them, their team's, those their
 * agency is involved in, or those they are invited to. Restricted cases appear only with
 * explicit permission. The listing is audited (which cases were shown, not their content).
 */
export async function listMyCases(ctx: ServiceContext, kind: CaseListKind): Promise<(CaseSummary & { participationOnly?: boolean })[]> {
  const { actor } = ctx
  const now = ctx.now()
  const today = londonDate(now)
  const activeGrant = (kinds: string[]) =>
    ctx.db
      .select({ caseId: accessGrant.caseId })
      .from(accessGrant)
      .where(
        and(eq(accessGrant.userId, actor.userId), inArray(accessGrant.kind, kinds), grantInForce(now)),
      )
  const where = {
    allocated: eq(childCase.allocatedWorkerId, actor.userId),
    team: actor.teamId ? eq(childCase.teamId, actor.teamId) : sql`false`,
    agency: inArray(
      childCase.id,
      ctx.db
        .select({ id: caseInvolvement.caseId })
        .from(caseInvolvement)
        .where(and(eq(caseInvolvement.agencyId, actor.agencyId), involvementCurrent(today))),
    ),
    invited: inArray(childCase.id, activeGrant(['invitation', 'addressed-request'])),
  }[kind]
  const rows = await caseSummaryQuery(ctx.db)
    .where(
      and(
        eq(childCase.partnershipId, actor.partnershipId),
        ne(childCase.status, 'closed'),
        where,
        or(
          and(eq(childCase.restricted, false), eq(person.restricted, false)),
          inArray(childCase.id, activeGrant(['explicit-permission'])),
        ),
      ),
    )
    .orderBy(asc(person.familyName), asc(person.givenName))
    .limit(LIST_LIMIT)
  // The list's own condition is the relationship, so the policy is asked without more queries.
  // Invited lists ask which grants each case has: a partner's invitation opens only the
  // participation view, which the row then links to.
  const granted = kind === 'invited' ? await grantKindsOf(ctx, rows.map((r) => r.id)) : null
  const visible: (CaseSummary & { participationOnly?: boolean })[] = []
  for (const row of rows) {
    const restricted = row.restricted || row.personRestricted
    const base: Relationship[] = granted ? (granted.get(row.id) ?? []) : [LIST_RELATIONSHIP[kind]]
    const record = { partnershipId: row.partnershipId, restricted, relationships: restricted ? [...base, 'explicit-permission' as const] : base }
    const read = decideOnCase(actor, 'case:read', record)
    if (read.allowed && !read.breakGlass) visible.push(row)
    else if (decideOnCase(actor, 'case:participate', record).allowed) visible.push({ ...row, participationOnly: true })
  }
  if (visible.length > 0) {
    await audit(ctx, ctx.db, { action: 'case.list', detail: { list: kind, caseIds: visible.map((r) => r.id) } })
  }
  return visible
}

const LIST_RELATIONSHIP: Record<CaseListKind, Relationship> = {
  allocated: 'allocated-worker',
  team: 'team',
  agency: 'agency-involvement',
  invited: 'invitation',
}

/** The kinds of grant in force the actor holds on each of the cases. */
async function grantKindsOf(ctx: ServiceContext, caseIds: string[]): Promise<Map<string, Relationship[]>> {
  const kinds = new Map<string, Relationship[]>()
  if (caseIds.length === 0) return kinds
  const rows = await ctx.db
    .selectDistinct({ caseId: accessGrant.caseId, kind: accessGrant.kind })
    .from(accessGrant)
    .where(and(eq(accessGrant.userId, ctx.actor.userId), inArray(accessGrant.caseId, caseIds), grantInForce(ctx.now())))
  for (const r of rows) kinds.set(r.caseId, [...(kinds.get(r.caseId) ?? []), r.kind as Relationship])
  return kinds
}

/** The most cases one home-page list shows. */
export const LIST_LIMIT = 200
