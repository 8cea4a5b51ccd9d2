/**
 * Administering the partnership's agencies, teams and users. Only administrators may; every
 * change is audited in the same transaction and updates must name the version they read.
 */
import { and, asc, count, eq, ne, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { agency, appUser, team } from '../../db/schema/index.ts'
import { audit } from '../access/audit.ts'
import { EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import type { AgencyInput, TeamInput, UserInput } from './organisation-input.ts'
import { onUniqueViolation } from '../common/unique.ts'
import { FIRST_PAGE, pageFrom, type Page, type PageRequest } from '../common/paging.ts'
import { hashPassword } from '../access/passwords.ts'
import { endSessionsOf } from '../access/accounts.ts'
import type { Role } from '../../domain/access/roles.ts'

export type Agency = typeof agency.$inferSelect
export type Team = typeof team.$inferSelect & { agencyName: string }
export type UserSummary = Omit<typeof appUser.$inferSelect, 'passwordHash'> & {
  agencyName: string
  teamName: string | null
  hasPassword: boolean
}

function requireAdmin(ctx: ServiceContext): string {
  return requireGeneral(ctx, 'organisation:manage')
}

function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): string[] {
  return Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
}

// ---- agencies

export async function listAgencies(ctx: ServiceContext): Promise<Agency[]> {
  return ctx.db
    .select()
    .from(agency)
    .where(eq(agency.partnershipId, ctx.actor.partnershipId))
    .orderBy(asc(agency.name))
}

export async function getAgency(ctx: ServiceContext, id: string): Promise<Agency> {
  requireAdmin(ctx)
  const [row] = await ctx.db
    .select()
    .from(agency)
    .where(and(eq(agency.id, id), eq(agency.partnershipId, ctx.actor.partnershipId)))
  if (!row) throw new NotFound('No agency with that id')
  return row
}

async function assertAgencyNameFree(db: Db, partnershipId: string, name: string, exceptId?: string) {
  const [clash] = await db
    .select({ id: agency.id })
    .from(agency)
    .where(
      and(
        eq(agency.partnershipId, partnershipId),
        eq(sql`lower(${agency.name})`, name.toLowerCase()),
        exceptId ? ne(agency.id, exceptId) : undefined,
      ),
    )
  if (clash) throw agencyNameTaken()
}

const agencyNameTaken = () => new ValidationFailed({ name: 'An agency with this name already exists' })
const teamNameTaken = () => new ValidationFailed({ name: 'This agency already has a team with this name' })
const emailTaken = () => new ValidationFailed({ email: 'A user with this email address already exists' })
/** A duplicate that raced past the checks below gets the answer a sequential one gets. */
const UNIQUE_AGENCY = { agency_name_unique: agencyNameTaken }
const UNIQUE_TEAM = { team_name_unique: teamNameTaken }
export const UNIQUE_USER = { app_user_email_unique: emailTaken }

export async function createAgency(ctx: ServiceContext, input: AgencyInput): Promise<Agency> {
  const ground = requireAdmin(ctx)
  return onUniqueViolation(() => ctx.db.transaction(async (tx) => {
    await assertAgencyNameFree(tx, ctx.actor.partnershipId, input.name)
    const [row] = await tx
      .insert(agency)
      .values({ ...input, partnershipId: ctx.actor.partnershipId })
      .returning()
    await audit(ctx, tx, { action: 'agency.create', recordType: 'agency', recordId: row!.id, ground })
    return row!
  }), UNIQUE_AGENCY)
}

export async function updateAgency(ctx: ServiceContext, id: string, input: AgencyInput & { version: number }) {
  const ground = requireAdmin(ctx)
  return onUniqueViolation(() => ctx.db.transaction(async (tx) => {
    const before = await getAgency({ ...ctx, db: tx }, id)
    await assertAgencyNameFree(tx, ctx.actor.partnershipId, input.name, id)
    const { version, ...values } = input
    const [row] = await tx
      .update(agency)
      .set({ ...values, version: version + 1, updatedAt: ctx.now() })
      .where(and(eq(agency.id, id), eq(agency.version, version)))
      .returning()
    if (!row) throw new EditConflict('Someone else changed this agency while you were editing it')
    await audit(ctx, tx, {
      action: 'agency.update',
      recordType: 'agency',
      recordId: id,
      ground,
      detail: { fields: changedFields(before, values) },
    })
    return row
  }), UNIQUE_AGENCY)
}

// ---- teams

function teamsQuery(db: Db, partnershipId: string) {
  return db
    .select({
      id: team.id,
      partnershipId: team.partnershipId,
      agencyId: team.agencyId,
      name: team.name,
      active: team.active,
      createdAt: team.createdAt,
      updatedAt: team.updatedAt,
      version: team.version,
      agencyName: agency.name,
    })
    .from(team)
    .innerJoin(agency, eq(agency.id, team.agencyId))
    .where(eq(team.partnershipId, partnershipId))
    .$dynamic()
}

export async function listTeams(ctx: ServiceContext): Promise<Team[]> {
  return teamsQuery(ctx.db, ctx.actor.partnershipId).orderBy(asc(agency.name), asc(team.name))
}

export async function getTeam(ctx: ServiceContext, id: string): Promise<Team> {
  requireAdmin(ctx)
  const [row] = await teamsQuery(ctx.db, ctx.actor.partnershipId).where(
    and(eq(team.partnershipId, ctx.actor.partnershipId), eq(team.id, id)),
  )
  if (!row) throw new NotFound('No team with that id')
  return row
}

async function assertTeamValid(db: Db, partnershipId: string, input: TeamInput, exceptId?: string) {
  const [owner] = await db
    .select({ id: agency.id })
    .from(agency)
    .where(and(eq(agency.id, input.agencyId), eq(agency.partnershipId, partnershipId)))
  if (!owner) throw new ValidationFailed({ agencyId: 'Select the agency the team belongs to' })
  const [clash] = await db
    .select({ id: team.id })
    .from(team)
    .where(
      and(
        eq(team.agencyId, input.agencyId),
        eq(sql`lower(${team.name})`, input.name.toLowerCase()),
        exceptId ? ne(team.id, exceptId) : undefined,
      ),
    )
  if (clash) throw teamNameTaken()
}

export async function createTeam(ctx: ServiceContext, input: TeamInput): Promise<{ id: string }> {
  const ground = requireAdmin(ctx)
  return onUniqueViolation(() => ctx.db.transaction(async (tx) => {
    await assertTeamValid(tx, ctx.actor.partnershipId, input)
    const [row] = await tx
      .insert(team)
      .values({ ...input, partnershipId: ctx.actor.partnershipId })
      .returning({ id: team.id })
    await audit(ctx, tx, { action: 'team.create', recordType: 'team', recordId: row!.id, ground })
    return row!
  }), UNIQUE_TEAM)
}

export async function updateTeam(ctx: ServiceContext, id: string, input: TeamInput & { version: number }) {
  const ground = requireAdmin(ctx)
  return onUniqueViolation(() => ctx.db.transaction(async (tx) => {
    const before = await getTeam({ ...ctx, db: tx }, id)
    await assertTeamValid(tx, ctx.actor.partnershipId, input, id)
    const { version, ...values } = input
    const [row] = await tx
      .update(team)
      .set({ ...values, version: version + 1, updatedAt: ctx.now() })
      .where(and(eq(team.id, id), eq(team.version, version)))
      .returning({ id: team.id })
    if (!row) throw new EditConflict('Someone else changed this team while you were editing it')
    await audit(ctx, tx, {
      action: 'team.update',
      recordType: 'team',
      recordId: id,
      ground,
      detail: { fields: changedFields(before, values) },
    })
    return row
  }), UNIQUE_TEAM)
}

// ---- users

function usersQuery(db: Db, partnershipId: string) {
  return db
    .select({
      id: appUser.id,
      partnershipId: appUser.partnershipId,
      agencyId: appUser.agencyId,
      teamId: appUser.teamId,
      email: appUser.email,
      displayName: appUser.displayName,
      roles: appUser.roles,
      oidcIssuer: appUser.oidcIssuer,
      oidcSubject: appUser.oidcSubject,
      active: appUser.active,
      failedSignIns: appUser.failedSignIns,
      lockedUntil: appUser.lockedUntil,
      lastSignInAt: appUser.lastSignInAt,
      createdAt: appUser.createdAt,
      updatedAt: appUser.updatedAt,
      version: appUser.version,
      agencyName: agency.name,
      teamName: team.name,
      hasPassword: sql<boolean>`${appUser.passwordHash} is not null`,
    })
    .from(appUser)
    .innerJoin(agency, eq(agency.id, appUser.agencyId))
    .leftJoin(team, eq(team.id, appUser.teamId))
    .where(eq(appUser.partnershipId, partnershipId))
    .$dynamic()
}

/** The partnership's users by name (then id), a page at a time with how many there are. */
export async function listUsers(ctx: ServiceContext, page: PageRequest = FIRST_PAGE): Promise<Page<UserSummary>> {
  requireAdmin(ctx)
  return pageFrom(
    page,
    ctx.db.select({ n: count() }).from(appUser).where(eq(appUser.partnershipId, ctx.actor.partnershipId)),
    usersQuery(ctx.db, ctx.actor.partnershipId).orderBy(asc(appUser.displayName), asc(appUser.id)).limit(page.limit).offset(page.offset),
  )
}

export async function getUser(ctx: ServiceContext, id: string): Promise<UserSummary> {
  requireAdmin(ctx)
  const [row] = await usersQuery(ctx.db, ctx.actor.partnershipId).where(
    and(eq(appUser.partnershipId, ctx.actor.partnershipId), eq(appUser.id, id)),
  )
  if (!row) throw new NotFound('No user with that id')
  return row
}

async function assertUserValid(db: Db, partnershipId: string, input: UserInput, exceptId?: string) {
  const errors: Record<string, string> = {}
  const [owner] = await db
    .select({ id: agency.id })
    .from(agency)
    .where(and(eq(agency.id, input.agencyId), eq(agency.partnershipId, partnershipId)))
  if (!owner) errors.agencyId = 'Select the agency the user works for'
  if (input.teamId) {
    const [t] = await db.select({ agencyId: team.agencyId }).from(team).where(eq(team.id, input.teamId))
    if (!t || t.agencyId !== input.agencyId) errors.teamId = 'Select a team that belongs to the user’s agency'
  }
  const [clash] = await db
    .select({ id: appUser.id })
    .from(appUser)
    .where(and(eq(sql`lower(${appUser.email})`, input.email), exceptId ? ne(appUser.id, exceptId) : undefined))
  if (clash) errors.email = emailTaken().fieldErrors.email!
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

/** Creates a user. Used by administrators in the app and by `together users add`. */
export async function insertUser(
  db: Db,
  partnershipId: string,
  input: UserInput,
): Promise<{ id: string }> {
  await assertUserValid(db, partnershipId, input)
  const { password, ...values } = input
  const [row] = await db
    .insert(appUser)
    .values({ ...values, partnershipId, passwordHash: password ? await hashPassword(password) : null })
    .returning({ id: appUser.id })
  return row!
}

/**
 * Separation of duties. Roles that could undo it — administrator (manages accounts) and auditor
 * (reads the audit log) — are given, and the password and email address of an account holding one
 * are changed, only from the server's command line (`together users grant`, `together users
 * reset-password`), audited as such: an administrator could otherwise give themselves the auditor
 * role, or reset the auditor's password (or point the auditor's email at their own council account)
 * and sign in as them. Nobody changes their own roles here.
 */
export const PRIVILEGED_ROLES: readonly Role[] = ['administrator', 'auditor']
const CLI_ONLY = 'on the server’s command line by someone who runs it'
const privileged = (roles: readonly string[]) => roles.filter((r) => (PRIVILEGED_ROLES as readonly string[]).includes(r))

export async function createUser(ctx: ServiceContext, input: UserInput): Promise<{ id: string }> {
  const ground = requireAdmin(ctx)
  if (privileged(input.roles).length > 0) {
    throw new ValidationFailed({ roles: `The administrator and auditor roles are given only ${CLI_ONLY} (together users grant)` })
  }
  return onUniqueViolation(() => ctx.db.transaction(async (tx) => {
    const row = await insertUser(tx, ctx.actor.partnershipId, input)
    await audit(ctx, tx, {
      action: 'user.create',
      recordType: 'user',
      recordId: row.id,
      ground,
      detail: { roles: input.roles, password: input.password ? 'set' : 'none' },
    })
    return row
  }), UNIQUE_USER)
}

export async function updateUser(ctx: ServiceContext, id: string, input: UserInput & { version: number }) {
  const ground = requireAdmin(ctx)
  return onUniqueViolation(() => ctx.db.transaction(async (tx) => {
    const before = await getUser({ ...ctx, db: tx }, id)
    const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((r) => b.includes(r))
    if (id === ctx.actor.userId && !sameRoles(input.roles, before.roles)) {
      throw new ValidationFailed({ roles: 'You cannot change your own roles: ask another administrator' })
    }
    if (id === ctx.actor.userId && !input.active) {
      throw new ValidationFailed({ active: 'You cannot deactivate your own account' })
    }
    const granted = privileged(input.roles).filter((r) => !before.roles.includes(r))
    if (granted.length > 0) {
      throw new ValidationFailed({ roles: `The administrator and auditor roles are given only ${CLI_ONLY} (together users grant)` })
    }
    if (privileged(before.roles).length > 0 && id !== ctx.actor.userId) {
      const errors: Record<string, string> = {}
      if (input.password) errors.password = `The password of an administrator or auditor is reset only ${CLI_ONLY} (together users reset-password)`
      if (input.email !== before.email.toLowerCase()) errors.email = `The email address of an administrator or auditor is changed only ${CLI_ONLY}`
      if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
    }
    await assertUserValid(tx, ctx.actor.partnershipId, input, id)
    const { version, password, ...values } = input
    const passwordHash = password ? await hashPassword(password) : undefined
    const [row] = await tx
      .update(appUser)
      .set({
        ...values,
        ...(passwordHash ? { passwordHash, failedSignIns: 0, lockedUntil: null } : {}),
        version: version + 1,
        updatedAt: ctx.now(),
      })
      .where(and(eq(appUser.id, id), eq(appUser.version, version)))
      .returning({ id: appUser.id })
    if (!row) throw new EditConflict('Someone else changed this user while you were editing them')
    // A reset password ends every session signed in with the old one.
    const sessionsEnded = passwordHash ? await endSessionsOf(tx, id) : 0
    await audit(ctx, tx, {
      action: 'user.update',
      recordType: 'user',
      recordId: id,
      ground,
      detail: {
        fields: changedFields(before, values),
        password: passwordHash ? 'reset' : 'unchanged',
        ...(passwordHash ? { sessionsEnded } : {}),
        ...rolesChange(before.roles, values.roles),
      },
    })
    return row
  }), UNIQUE_USER)
}

/** The roles added and removed, for the audit entry (auditors see every change of roles). */
function rolesChange(before: readonly string[], after: readonly string[]) {
  const added = after.filter((r) => !before.includes(r))
  const removed = before.filter((r) => !after.includes(r))
  return added.length + removed.length > 0 ? { rolesAdded: added, rolesRemoved: removed } : {}
}

/** Lifts a sign-in lock-out early. */
export async function unlockUser(ctx: ServiceContext, id: string): Promise<void> {
  const ground = requireAdmin(ctx)
  await ctx.db.transaction(async (tx) => {
    await getUser({ ...ctx, db: tx }, id)
    await tx.update(appUser).set({ failedSignIns: 0, lockedUntil: null }).where(eq(appUser.id, id))
    await audit(ctx, tx, { action: 'user.unlock', recordType: 'user', recordId: id, ground })
  })
}
