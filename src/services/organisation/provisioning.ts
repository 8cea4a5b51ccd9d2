/**
 * Adding users from the command line, where there is no signed-in administrator: on a fresh
 * installation this creates the partnership and the user's agency and team as well. Audited as
 * done by the command line.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { agency, appUser, partnership, team } from '../../db/schema/index.ts'
import type { Role } from '../../domain/access/roles.ts'
import { endSessionsOf } from '../access/accounts.ts'
import { hashPassword } from '../access/passwords.ts'
import type { AgencyType } from '../../domain/organisation/agency-types.ts'
import { appendAudit } from '../access/audit.ts'
import { ValidationFailed } from '../common/context.ts'
import type { UserInput } from './organisation-input.ts'
import { onUniqueViolation, uniqueViolationConstraint } from '../common/unique.ts'
import { insertUser, UNIQUE_USER } from './organisation.ts'

export interface ProvisionInput {
  partnershipName?: string
  agencyName: string
  agencyType?: AgencyType
  teamName?: string
  user: Omit<UserInput, 'agencyId' | 'teamId'>
}

/**
 * Two adds of the same email at the same moment: the one that loses the race gets the sequential
 * duplicate's message (`UNIQUE_USER`). One that lost the race to create the same new agency or
 * team runs again once, finding them.
 */
export async function provisionUser(db: Db, input: ProvisionInput, now: Date): Promise<{ userId: string; created: string[] }> {
  const once = () => onUniqueViolation(() => provisionOnce(db, input, now), UNIQUE_USER)
  return once().catch((err: unknown) => {
    if (['agency_name_unique', 'team_name_unique'].includes(uniqueViolationConstraint(err) ?? '')) return once()
    throw err
  })
}

function provisionOnce(db: Db, input: ProvisionInput, now: Date): Promise<{ userId: string; created: string[] }> {
  return db.transaction(async (tx) => {
    const created: string[] = []
    const partnerships = await tx.select().from(partnership)
    let partnershipId: string
    if (partnerships.length === 0) {
      if (!input.partnershipName) {
        throw new ValidationFailed({ partnership: 'this database is empty: name the partnership with --partnership' })
      }
      const [p] = await tx.insert(partnership).values({ name: input.partnershipName }).returning({ id: partnership.id })
      partnershipId = p!.id
      created.push(`partnership "${input.partnershipName}"`)
    } else {
      const chosen = input.partnershipName
        ? partnerships.find((p) => p.name.toLowerCase() === input.partnershipName!.toLowerCase())
        : partnerships.length === 1
          ? partnerships[0]
          : undefined
      if (!chosen) {
        throw new ValidationFailed({
          partnership: `choose the partnership with --partnership: one of ${partnerships.map((p) => `"${p.name}"`).join(', ')}`,
        })
      }
      partnershipId = chosen.id
    }

    let [a] = await tx
      .select()
      .from(agency)
      .where(and(eq(agency.partnershipId, partnershipId), eq(sql`lower(${agency.name})`, input.agencyName.toLowerCase())))
    if (!a) {
      if (!input.agencyType) {
        throw new ValidationFailed({ agency: `no agency called "${input.agencyName}": give --agency-type to create it` })
      }
      ;[a] = await tx
        .insert(agency)
        .values({ partnershipId, name: input.agencyName, type: input.agencyType })
        .returning()
      created.push(`agency "${input.agencyName}"`)
    }

    let teamId: string | null = null
    if (input.teamName) {
      let [t] = await tx
        .select()
        .from(team)
        .where(and(eq(team.agencyId, a!.id), eq(sql`lower(${team.name})`, input.teamName.toLowerCase())))
      if (!t) {
        ;[t] = await tx.insert(team).values({ partnershipId, agencyId: a!.id, name: input.teamName }).returning()
        created.push(`team "${input.teamName}"`)
      }
      teamId = t!.id
    }

    const user = await insertUser(tx, partnershipId, { ...input.user, agencyId: a!.id, teamId })
    created.push('user')
    await appendAudit(tx, {
      partnershipId,
      actorUserId: null,
      action: 'user.create',
      recordType: 'user',
      recordId: user.id,
      ground: 'command-line',
      detail: { roles: input.user.roles, created, password: input.user.password ? 'set' : 'none' },
      occurredAt: now,
    })
    return { userId: user.id, created }
  })
}

async function userByEmail(db: Db, email: string) {
  const [user] = await db.select().from(appUser).where(eq(sql`lower(${appUser.email})`, email.trim().toLowerCase()))
  if (!user) throw new ValidationFailed({ email: `no user with the email address ${email.trim()}` })
  return user
}

/**
 * Gives roles to a user, from the command line: the one way to give the administrator and auditor
 * roles (separation of duties, see `PRIVILEGED_ROLES`). Audited as done by the command line.
 */
export async function grantRoles(db: Db, input: { email: string; roles: Role[] }, now: Date): Promise<{ userId: string; added: Role[] }> {
  return db.transaction(async (tx) => {
    const user = await userByEmail(tx, input.email)
    const added = input.roles.filter((r) => !user.roles.includes(r))
    if (added.length > 0) {
      await tx
        .update(appUser)
        .set({ roles: [...user.roles, ...added], version: user.version + 1, updatedAt: now })
        .where(eq(appUser.id, user.id))
    }
    await appendAudit(tx, {
      partnershipId: user.partnershipId,
      actorUserId: null,
      action: 'user.roles.grant',
      recordType: 'user',
      recordId: user.id,
      ground: 'command-line',
      detail: { rolesAdded: added },
      occurredAt: now,
    })
    return { userId: user.id, added }
  })
}

/**
 * Sets a user's password from the command line (the one way for an administrator's or auditor's),
 * lifts any lock-out and ends every session of theirs. The password must meet the rule.
 */
export async function resetPassword(db: Db, input: { email: string; password: string }, now: Date): Promise<{ userId: string; sessionsEnded: number }> {
  const passwordHash = await hashPassword(input.password)
  return db.transaction(async (tx) => {
    const user = await userByEmail(tx, input.email)
    await tx
      .update(appUser)
      .set({ passwordHash, failedSignIns: 0, lockedUntil: null, version: user.version + 1, updatedAt: now })
      .where(eq(appUser.id, user.id))
    const sessionsEnded = await endSessionsOf(tx, user.id)
    await appendAudit(tx, {
      partnershipId: user.partnershipId,
      actorUserId: null,
      action: 'user.password.reset',
      recordType: 'user',
      recordId: user.id,
      ground: 'command-line',
      detail: { sessionsEnded },
      occurredAt: now,
    })
    return { userId: user.id, sessionsEnded }
  })
}
