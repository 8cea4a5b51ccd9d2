/**
 * Access administration of a case (issue 17, section 2): a manager of the case's team records and
 * ends agencies' involvement, marks the case restricted or lifts it, gives and withdraws explicit
 * permission to named users; and who can see the case, every user and why, asked of the policy
 * itself (decideOnCase) with each user's relationships as the database holds them now. Who may do
 * each is the policy's `case:manage-access` (a restriction does not close it to the case team's
 * manager: it shows who can see the case, not the record). Every change is audited with its
 * reason; nothing is cached, so access follows a change at the next request.
 */
import { and, asc, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/connection.ts'
import { accessGrant, agency, appUser, caseInvolvement, caseRestriction, childCase, contact, contactChild, person, plan, planItem, strategyDiscussion, team } from '../../db/schema/index.ts'
import { decideGeneral, decideOnCase, type Ground, type Relationship } from '../../domain/access/policy.ts'
import type { Role } from '../../domain/access/roles.ts'
import { auditGroundLabel } from '../../domain/access/audit-labels.ts'
import { endOfLondonDay, londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { audit, auditGrouped } from '../access/audit.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { caseSummaryQuery, decideCaseAction, grantInForce, involvementCurrent, type CaseSummary } from './case-access.ts'
import { showCase, updateCase, withCase, type OpenCase } from './case-records.ts'
import type { EndInvolvementInput, InvolvementInput, PermissionInput, RestrictionInput, WithdrawPermissionInput } from './case-access-admin-input.ts'

/** One user who can see the case (or, on a restricted case, would with permission), and why. */
export interface CaseAccessHolder {
  userId: string
  name: string
  email: string
  agencyName: string
  teamName: string | null
  roles: Role[]
  /** The whole record, the partner's participation view only, or nothing until given permission (restricted). */
  access: 'record' | 'participation' | 'needs-permission'
  /** The policy's ground for what they see (null when they need permission). */
  ground: Ground | null
  /** Every relationship they hold to the case. */
  relationships: Relationship[]
  /** The relationships in words ("as the child’s allocated worker"). */
  why: string[]
  /** When their explicit permission (or break-glass grant) ends, if they hold one. */
  permissionUntil: Date | null
}

export interface InvolvementRow {
  id: string
  agencyId: string
  agencyName: string
  role: string
  reason: string | null
  startedOn: string
  endedOn: string | null
  endedAt: Date | null
  endReason: string | null
  recordedByName: string | null
  version: number
  /** Whether it gives the agency's partners access today. */
  current: boolean
}

export interface PermissionRow {
  id: string
  userId: string
  userName: string
  agencyName: string
  reason: string
  grantedByName: string | null
  startsAt: Date
  endsAt: Date | null
  withdrawnAt: Date | null
  withdrawReason: string | null
  version: number
  inForce: boolean
}

export interface CaseAccessView {
  case: CaseSummary & { breakGlass: boolean }
  /** The case's version: marking it restricted names it. */
  version: number
  /** Restricted by the case's own flag or the child's (person) flag. */
  restricted: boolean
  restriction: { restricted: boolean; reason: string; recordedAt: Date; recordedByName: string } | null
  involvements: InvolvementRow[]
  permissions: PermissionRow[]
  whoCanSee: CaseAccessHolder[]
  /** The partnership's agencies, for recording an involvement. */
  agencies: { id: string; name: string }[]
  /** Active users the policy would let see the record with explicit permission (not the manager asking). */
  permissionCandidates: { id: string; name: string; agencyName: string; teamName: string | null }[]
}

const recorder = alias(appUser, 'recorder')

/** The case's access page and API read: who can see it and why, its involvements, restriction and permissions. */
export async function caseAccess(ctx: ServiceContext, caseId: string): Promise<CaseAccessView> {
  return showCase(
    ctx,
    caseId,
    'case:manage-access',
    async (db, open) => {
      const now = ctx.now()
      const [[row], [restriction], involvements, permissions, whoCanSee, agencies, candidates] = await Promise.all([
        db.select({ version: childCase.version }).from(childCase).where(eq(childCase.id, caseId)),
        db
          .select({ restricted: caseRestriction.restricted, reason: caseRestriction.reason, recordedAt: caseRestriction.recordedAt, recordedByName: appUser.displayName })
          .from(caseRestriction)
          .innerJoin(appUser, eq(appUser.id, caseRestriction.recordedBy))
          .where(eq(caseRestriction.caseId, caseId))
          .orderBy(desc(caseRestriction.recordedAt))
          .limit(1),
        involvementsOf(db, caseId, now),
        permissionsOf(db, caseId, now),
        whoCanSeeCase(db, open.c, now),
        db.select({ id: agency.id, name: agency.name }).from(agency).where(eq(agency.partnershipId, ctx.actor.partnershipId)).orderBy(asc(agency.name)),
        db
          .select({ id: appUser.id, name: appUser.displayName, roles: appUser.roles, agencyName: agency.name, teamName: team.name })
          .from(appUser)
          .innerJoin(agency, eq(agency.id, appUser.agencyId))
          .leftJoin(team, eq(team.id, appUser.teamId))
          .where(and(eq(appUser.partnershipId, ctx.actor.partnershipId), eq(appUser.active, true), ne(appUser.id, ctx.actor.userId)))
          .orderBy(asc(appUser.displayName), asc(appUser.id)),
      ])
      return {
        case: { ...open.c, breakGlass: open.breakGlass },
        version: row!.version,
        restricted: open.c.restricted || open.c.personRestricted,
        restriction: restriction ?? null,
        involvements,
        permissions,
        whoCanSee,
        agencies,
        permissionCandidates: candidates
          .filter((u) => mayBePermitted(ctx, u.roles as Role[]))
          .map(({ id, name, agencyName, teamName }) => ({ id, name, agencyName, teamName })),
      }
    },
    'access',
  )
}

/** Whether explicit permission would let a user of these roles see a restricted record: the policy's answer. */
function mayBePermitted(ctx: ServiceContext, roles: Role[]): boolean {
  const subject = { userId: 'candidate', partnershipId: ctx.actor.partnershipId, roles, active: true }
  return decideOnCase(subject, 'case:read', { partnershipId: ctx.actor.partnershipId, restricted: true, relationships: ['explicit-permission'] }).allowed
}

async function involvementsOf(db: Db, caseId: string, now: Date): Promise<InvolvementRow[]> {
  const today = londonDate(now)
  return db
    .select({
      id: caseInvolvement.id,
      agencyId: caseInvolvement.agencyId,
      agencyName: agency.name,
      role: caseInvolvement.role,
      reason: caseInvolvement.reason,
      startedOn: caseInvolvement.startedOn,
      endedOn: caseInvolvement.endedOn,
      endedAt: caseInvolvement.endedAt,
      endReason: caseInvolvement.endReason,
      recordedByName: recorder.displayName,
      version: caseInvolvement.version,
      current: sql<boolean>`coalesce(${involvementCurrent(today)}, false)`,
    })
    .from(caseInvolvement)
    .innerJoin(agency, eq(agency.id, caseInvolvement.agencyId))
    .leftJoin(recorder, eq(recorder.id, caseInvolvement.recordedBy))
    .where(eq(caseInvolvement.caseId, caseId))
    .orderBy(desc(caseInvolvement.startedOn), asc(agency.name), asc(caseInvolvement.id))
}

async function permissionsOf(db: Db, caseId: string, now: Date): Promise<PermissionRow[]> {
  return db
    .select({
      id: accessGrant.id,
      userId: accessGrant.userId,
      userName: appUser.displayName,
      agencyName: agency.name,
      reason: accessGrant.reason,
      grantedByName: recorder.displayName,
      startsAt: accessGrant.startsAt,
      endsAt: accessGrant.endsAt,
      withdrawnAt: accessGrant.withdrawnAt,
      withdrawReason: accessGrant.withdrawReason,
      version: accessGrant.version,
      inForce: sql<boolean>`coalesce(${grantInForce(now)}, false)`,
    })
    .from(accessGrant)
    .innerJoin(appUser, eq(appUser.id, accessGrant.userId))
    .innerJoin(agency, eq(agency.id, appUser.agencyId))
    .leftJoin(recorder, eq(recorder.id, accessGrant.grantedBy))
    .where(and(eq(accessGrant.caseId, caseId), eq(accessGrant.kind, 'explicit-permission')))
    .orderBy(desc(accessGrant.startsAt), asc(accessGrant.id))
}

/**
 * Every active user of the partnership who can see the case now, and why: those with a
 * relationship to it (allocated, its team, a front door contact, their agency involved or owning
 * an action of its plan, a grant in force), each asked of the policy for the record and for the
 * participation view. On a restricted case, those whose relationship would open it without the
 * restriction are listed as needing permission.
 */
export async function whoCanSeeCase(db: Db, c: CaseSummary, now: Date): Promise<CaseAccessHolder[]> {
  const today = londonDate(now)
  const [involved, owning, frontDoor, grants] = await Promise.all([
    db.selectDistinct({ id: caseInvolvement.agencyId }).from(caseInvolvement).where(and(eq(caseInvolvement.caseId, c.id), involvementCurrent(today))),
    db
      .selectDistinct({ id: planItem.ownerAgencyId })
      .from(planItem)
      .leftJoin(plan, eq(plan.id, planItem.planId))
      .leftJoin(strategyDiscussion, eq(strategyDiscussion.id, planItem.strategyDiscussionId))
      .where(and(eq(planItem.caseId, c.id), eq(planItem.kind, 'action'), ne(planItem.status, 'dropped'), isNull(plan.endedOn), isNull(strategyDiscussion.closedAt))),
    db
      .selectDistinct({ id: contact.teamId })
      .from(contactChild)
      .innerJoin(contact, eq(contact.id, contactChild.contactId))
      .where(and(eq(contactChild.caseId, c.id), or(isNull(contact.decidedAt), isNull(contact.feedbackOn)))),
    db
      .select({ userId: accessGrant.userId, kind: accessGrant.kind, endsAt: accessGrant.endsAt })
      .from(accessGrant)
      .where(and(eq(accessGrant.caseId, c.id), grantInForce(now))),
  ])
  const involvedIds = involved.map((r) => r.id)
  const owningIds = owning.map((r) => r.id).filter((id): id is string => id !== null)
  const frontDoorTeams = frontDoor.map((r) => r.id).filter((id): id is string => id !== null)
  const grantUsers = [...new Set(grants.map((g) => g.userId))]
  const teams = [...(c.teamId ? [c.teamId] : []), ...frontDoorTeams]
  const agencies = [...new Set([...involvedIds, ...owningIds])]
  const users = await db
    .select({
      userId: appUser.id,
      name: appUser.displayName,
      email: appUser.email,
      roles: appUser.roles,
      agencyId: appUser.agencyId,
      teamId: appUser.teamId,
      agencyName: agency.name,
      teamName: team.name,
    })
    .from(appUser)
    .innerJoin(agency, eq(agency.id, appUser.agencyId))
    .leftJoin(team, eq(team.id, appUser.teamId))
    .where(
      and(
        eq(appUser.partnershipId, c.partnershipId),
        eq(appUser.active, true),
        or(
          c.allocatedWorkerId ? eq(appUser.id, c.allocatedWorkerId) : sql`false`,
          teams.length ? inArray(appUser.teamId, teams) : sql`false`,
          agencies.length ? inArray(appUser.agencyId, agencies) : sql`false`,
          grantUsers.length ? inArray(appUser.id, grantUsers) : sql`false`,
        ),
      ),
    )
    .orderBy(asc(appUser.displayName), asc(appUser.id))
  const restricted = c.restricted || c.personRestricted
  const holders: CaseAccessHolder[] = []
  for (const u of users) {
    const mine = grants.filter((g) => g.userId === u.userId)
    const rels: Relationship[] = []
    if (u.userId === c.allocatedWorkerId) rels.push('allocated-worker')
    if (c.teamId && u.teamId === c.teamId) rels.push('team')
    if (u.teamId && frontDoorTeams.includes(u.teamId)) rels.push('front-door-contact')
    if (involvedIds.includes(u.agencyId)) rels.push('agency-involvement')
    if (owningIds.includes(u.agencyId)) rels.push('plan-action-owner')
    for (const g of mine) if (!rels.includes(g.kind as Relationship)) rels.push(g.kind as Relationship)
    const subject = { userId: u.userId, partnershipId: c.partnershipId, roles: u.roles as Role[], active: true }
    const record = { partnershipId: c.partnershipId, restricted, relationships: rels }
    const read = decideOnCase(subject, 'case:read', record)
    const participate = read.allowed ? read : decideOnCase(subject, 'case:participate', record)
    const permission = mine.find((g) => g.kind === 'explicit-permission') ?? mine.find((g) => g.kind === 'break-glass')
    const base = { userId: u.userId, name: u.name, email: u.email, agencyName: u.agencyName, teamName: u.teamName, roles: u.roles as Role[], relationships: rels, why: rels.map((r) => auditGroundLabel(r)!), permissionUntil: permission?.endsAt ?? null }
    if (read.allowed) holders.push({ ...base, access: 'record', ground: read.ground })
    else if (participate.allowed) holders.push({ ...base, access: 'participation', ground: participate.ground })
    else if (restricted && !read.allowed && !read.conceal) holders.push({ ...base, access: 'needs-permission', ground: null })
  }
  const order = { record: 0, participation: 1, 'needs-permission': 2 }
  return holders.sort((a, b) => order[a.access] - order[b.access])
}

/** Runs a change of the case's access in one transaction, decided as case:manage-access (refusals audited). */
function changeAccess<T>(ctx: ServiceContext, caseId: string, work: (tx: Db, open: OpenCase) => Promise<T>): Promise<T> {
  return withCase(ctx, caseId, 'case:manage-access', work, 'access')
}

/** The audit entry of a change of access: the child, the manager's ground, the reason given. */
function auditChange(ctx: ServiceContext, tx: Db, open: OpenCase, action: string, recordType: string, recordId: string, reason: string, detail: Record<string, unknown>) {
  return audit(ctx, tx, { action, recordType, recordId, subjectPersonId: open.c.personId, ground: open.ground, reason, detail })
}

/** Records an agency's involvement: its partners' access follows from the start date. */
export async function recordInvolvement(ctx: ServiceContext, caseId: string, input: InvolvementInput): Promise<InvolvementRow> {
  return changeAccess(ctx, caseId, async (tx, open) => {
    const today = londonDate(ctx.now())
    const [found] = await tx
      .select({ id: agency.id, name: agency.name })
      .from(agency)
      .where(and(eq(agency.id, input.agencyId), eq(agency.partnershipId, ctx.actor.partnershipId)))
    if (!found) throw new ValidationFailed({ agencyId: 'Choose an agency of the partnership' })
    if (input.endedOn && input.endedOn < input.startedOn) throw new ValidationFailed({ endedOn: 'The last day must be on or after the start' })
    if (input.endedOn && input.endedOn < today) throw new ValidationFailed({ endedOn: 'The last day must be today or later: an involvement already over gives no access' })
    const [already] = await tx
      .select({ startedOn: caseInvolvement.startedOn })
      .from(caseInvolvement)
      .where(and(eq(caseInvolvement.caseId, caseId), eq(caseInvolvement.agencyId, input.agencyId), involvementCurrent(today)))
    if (already) throw new ValidationFailed({ agencyId: `${found.name} is already recorded as involved (since ${already.startedOn}): end that involvement first` })
    const [row] = await tx
      .insert(caseInvolvement)
      .values({
        partnershipId: ctx.actor.partnershipId,
        caseId,
        agencyId: found.id,
        role: input.role,
        reason: input.reason,
        startedOn: input.startedOn,
        endedOn: input.endedOn,
        recordedBy: ctx.actor.userId,
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
      })
      .returning()
    await auditChange(ctx, tx, open, 'case.involvement.record', 'case-involvement', row!.id, input.reason, { caseId, agencyId: found.id, startedOn: input.startedOn, endedOn: input.endedOn })
    const [shown] = (await involvementsOf(tx, caseId, ctx.now())).filter((i) => i.id === row!.id)
    return shown!
  })
}

/** Ends an involvement now, if it is still at `version`: its partners' access through it ends at once. */
export async function endInvolvement(ctx: ServiceContext, caseId: string, involvementId: string, input: EndInvolvementInput): Promise<InvolvementRow> {
  return changeAccess(ctx, caseId, async (tx, open) => {
    const now = ctx.now()
    const today = londonDate(now)
    const [current] = await tx.select().from(caseInvolvement).where(and(eq(caseInvolvement.id, involvementId), eq(caseInvolvement.caseId, caseId)))
    if (!current) throw new NotFound('No such involvement on this case')
    if (current.endedAt) throw new EditConflict('This involvement has already been ended. Nothing has been saved.', current)
    const [row] = await tx
      .update(caseInvolvement)
      .set({
        endedAt: now,
        endedBy: ctx.actor.userId,
        endReason: input.reason,
        // The last day is today, unless it was already earlier.
        endedOn: current.endedOn && current.endedOn < today ? current.endedOn : today,
        updatedAt: now,
        version: sql`${caseInvolvement.version} + 1`,
      })
      .where(and(eq(caseInvolvement.id, involvementId), eq(caseInvolvement.version, input.version), isNull(caseInvolvement.endedAt)))
      .returning()
    if (!row) {
      throw new EditConflict(
        `Someone else changed this involvement (now version ${current.version}) after you opened it (version ${input.version}). Nothing has been saved.`,
        current,
      )
    }
    await auditChange(ctx, tx, open, 'case.involvement.end', 'case-involvement', row.id, input.reason, { caseId, agencyId: row.agencyId })
    const [shown] = (await involvementsOf(tx, caseId, now)).filter((i) => i.id === row.id)
    return shown!
  })
}

/**
 * Marks the case restricted (only explicit permission opens it, docs/security.md) or lifts the
 * restriction, if the case is still at `version`; the child's own flag follows (lifted only when
 * no other case of the child is restricted). The reason is kept and audited.
 */
export async function setRestriction(ctx: ServiceContext, caseId: string, input: RestrictionInput): Promise<{ restricted: boolean; version: number }> {
  return changeAccess(ctx, caseId, async (tx, open) => {
    const was = open.c.restricted || open.c.personRestricted
    if (was === input.restricted) {
      throw new ValidationFailed({ restricted: input.restricted ? 'This record is already restricted' : 'This record is not restricted' })
    }
    const row = await updateCase(ctx, tx, open, { restricted: input.restricted }, {
      expectedVersion: input.version,
      action: input.restricted ? 'case.restrict' : 'case.unrestrict',
      reason: input.reason,
    })
    const [otherRestricted] = input.restricted
      ? [undefined]
      : await tx
          .select({ id: childCase.id })
          .from(childCase)
          .where(and(eq(childCase.personId, open.c.personId), ne(childCase.id, caseId), eq(childCase.restricted, true)))
          .limit(1)
    if (!otherRestricted) {
      await tx.update(person).set({ restricted: input.restricted }).where(eq(person.id, open.c.personId))
    }
    await tx.insert(caseRestriction).values({
      partnershipId: ctx.actor.partnershipId,
      caseId,
      restricted: input.restricted,
      reason: input.reason,
      recordedBy: ctx.actor.userId,
      recordedAt: ctx.now(),
    })
    return { restricted: input.restricted, version: row.version }
  })
}

/** Gives a named user explicit permission to see the case until the end of `endsOn` (England). */
export async function givePermission(ctx: ServiceContext, caseId: string, input: PermissionInput): Promise<PermissionRow> {
  return changeAccess(ctx, caseId, async (tx, open) => {
    const id = await grantPermission(ctx, tx, open, input, 'userId')
    const [shown] = (await permissionsOf(tx, caseId, ctx.now())).filter((p) => p.id === id)
    return shown!
  })
}

/**
 * Inserts an explicit permission on an open case (the caller has decided case:manage-access) and
 * audits it. Refuses the manager giving it to themselves (separation of duties), a user of
 * another partnership or inactive, a user whose roles would not see the record even with
 * permission (the policy's answer), and one who already holds a permission in force (returns
 * null instead when `ifNotHeld`).
 */
export async function grantPermission(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  input: PermissionInput,
  field: string,
  ifNotHeld = false,
): Promise<string | null> {
  const now = ctx.now()
  if (input.endsOn < londonDate(now)) {
    throw new ValidationFailed({ [field === 'userId' ? 'endsOn' : 'permissionEndsOn']: 'The last day of the permission must be today or later' })
  }
  if (input.userId === ctx.actor.userId) throw new ValidationFailed({ [field]: 'You cannot give yourself permission: ask another manager of the team' })
  const [user] = await tx
    .select({ id: appUser.id, name: appUser.displayName, roles: appUser.roles })
    .from(appUser)
    .where(and(eq(appUser.id, input.userId), eq(appUser.partnershipId, ctx.actor.partnershipId), eq(appUser.active, true)))
  if (!user) throw new ValidationFailed({ [field]: 'Choose an active user of the partnership' })
  if (!mayBePermitted(ctx, user.roles as Role[])) throw new ValidationFailed({ [field]: `${user.name}’s role does not see case records, even with permission` })
  const [held] = await tx
    .select({ endsAt: accessGrant.endsAt })
    .from(accessGrant)
    .where(and(eq(accessGrant.caseId, open.c.id), eq(accessGrant.userId, user.id), eq(accessGrant.kind, 'explicit-permission'), grantInForce(now)))
    .limit(1)
  if (held) {
    if (ifNotHeld) return null
    throw new ValidationFailed({ [field]: `${user.name} already has permission${held.endsAt ? ` until ${londonDate(new Date(held.endsAt.getTime() - 1))}` : ''}: withdraw it first to change it` })
  }
  const endsAt = endOfLondonDay(input.endsOn)
  const [grant] = await tx
    .insert(accessGrant)
    .values({
      partnershipId: ctx.actor.partnershipId,
      caseId: open.c.id,
      userId: user.id,
      kind: 'explicit-permission',
      reason: input.reason,
      grantedBy: ctx.actor.userId,
      startsAt: now,
      endsAt,
      createdAt: now,
    })
    .returning({ id: accessGrant.id })
  await auditChange(ctx, tx, open, 'case.permission.give', 'access-grant', grant!.id, input.reason, { caseId: open.c.id, userId: user.id, endsOn: input.endsOn })
  return grant!.id
}

/** Withdraws an explicit permission in force, if it is still at `version`: it ends now. */
export async function withdrawPermission(ctx: ServiceContext, caseId: string, permissionId: string, input: WithdrawPermissionInput): Promise<PermissionRow> {
  return changeAccess(ctx, caseId, async (tx, open) => {
    const now = ctx.now()
    const mine = and(eq(accessGrant.id, permissionId), eq(accessGrant.caseId, caseId), eq(accessGrant.kind, 'explicit-permission'))
    const [current] = await tx.select().from(accessGrant).where(mine)
    if (!current) throw new NotFound('No such permission on this case')
    const [row] = await tx
      .update(accessGrant)
      .set({ endsAt: now, withdrawnAt: now, withdrawnBy: ctx.actor.userId, withdrawReason: input.reason, version: sql`${accessGrant.version} + 1` })
      .where(and(mine, eq(accessGrant.version, input.version), grantInForce(now)))
      .returning({ id: accessGrant.id, userId: accessGrant.userId })
    if (!row) {
      const ended = current.endsAt !== null && current.endsAt <= now
      throw new EditConflict(
        ended
          ? 'This permission has already ended. Nothing has been saved.'
          : `Someone else changed this permission (now version ${current.version}) after you opened it (version ${input.version}). Nothing has been saved.`,
        current,
      )
    }
    await auditChange(ctx, tx, open, 'case.permission.withdraw', 'access-grant', row.id, input.reason, { caseId, userId: row.userId })
    const [shown] = (await permissionsOf(tx, caseId, now)).filter((p) => p.id === row.id)
    return shown!
  })
}

/**
 * The permission an allocation of a restricted case gives the worker in the same step: decided as
 * case:manage-access on the case (the allocation itself is case:authorise), given unless the
 * worker already holds one. Null when none was asked for or one is held.
 */
export async function permissionWithAllocation(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  workerId: string,
  asked: { givePermission: boolean | null; permissionEndsOn: string | null; permissionReason: string | null },
): Promise<{ endsOn: string } | null> {
  if (!asked.givePermission) return null
  const missing: Record<string, string> = {}
  if (!asked.permissionEndsOn) missing.permissionEndsOn = 'Enter the last day of the permission'
  if (!asked.permissionReason) missing.permissionReason = 'Enter why the worker needs to see this record'
  if (Object.keys(missing).length) throw new ValidationFailed(missing)
  const decision = await decideCaseAction(tx, ctx, open.c, 'case:manage-access')
  if (!decision.allowed) throw new ValidationFailed({ givePermission: decision.reason })
  const id = await grantPermission(ctx, tx, { ...open, ground: decision.ground }, { userId: workerId, endsOn: asked.permissionEndsOn!, reason: asked.permissionReason! }, 'workerId', true)
  return id ? { endsOn: asked.permissionEndsOn! } : null
}

/** Explicit permissions in force on a case, by user: when each ends (the allocation form says who holds one). */
export async function permissionsInForce(db: Db, caseId: string, now: Date): Promise<Record<string, Date | null>> {
  const rows = await db
    .select({ userId: accessGrant.userId, endsAt: accessGrant.endsAt })
    .from(accessGrant)
    .where(and(eq(accessGrant.caseId, caseId), eq(accessGrant.kind, 'explicit-permission'), grantInForce(now)))
  return Object.fromEntries(rows.map((r) => [r.userId, r.endsAt]))
}

/**
 * The auditor's view of who can see a child's records now (every case of the person, every user
 * and why), audited as the auditor's query (`audit.access-list.view`), unless `audited` is false:
 * the child's access history page shows it beside the history, whose own entry records the view.
 * Needs audit:read.
 */
export async function whoCanSeePerson(ctx: ServiceContext, personId: string, audited = true): Promise<{ cases: { caseId: string; status: string; openedOn: string; restricted: boolean; teamName: string | null; whoCanSee: CaseAccessHolder[] }[] }> {
  const decision = decideGeneral(ctx.actor, 'audit:read')
  if (!decision.allowed) {
    await auditGrouped(ctx, { action: 'audit.access-list.refused', recordType: 'person', recordId: personId, reason: decision.reason })
    throw new AccessDenied(decision.reason)
  }
  const [p] = await ctx.db.select({ id: person.id }).from(person).where(and(eq(person.id, personId), eq(person.partnershipId, ctx.actor.partnershipId)))
  if (!p) throw new NotFound('No person with that id')
  const cases = await caseSummaryQuery(ctx.db).where(eq(childCase.personId, personId)).orderBy(desc(childCase.openedOn), asc(childCase.id))
  const now = ctx.now()
  const out = await Promise.all(
    cases.map(async (c) => ({ caseId: c.id, status: c.status, openedOn: c.openedOn, restricted: c.restricted || c.personRestricted, teamName: c.teamName, whoCanSee: await whoCanSeeCase(ctx.db, c, now) })),
  )
  if (audited) await auditGrouped(ctx, { action: 'audit.access-list.view', recordType: 'person', recordId: personId, subjectPersonId: personId, ground: decision.ground })
  return { cases: out }
}

