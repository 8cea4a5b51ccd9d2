/**
 * Adding users from the command line, where there is no signed-in administrator: on a fresh
 * installation this creates the partnership and the user's agency and team as well. Audited as
 * done by the command line.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { agency, partnership, team } from '../../db/schema/index.ts'
import type { AgencyType } from '../../domain/organisation/agency-types.ts'
import { appendAudit } from '../access/audit.ts'
import { ValidationFailed } from '../common/context.ts'
import type { UserInput } from './organisation-input.ts'
import { insertUser } from './organisation.ts'

export interface ProvisionInput {
  partnershipName?: string
  agencyName: string
  agencyType?: AgencyType
  teamName?: string
  user: Omit<UserInput, 'agencyId' | 'teamId'>
}

export async function provisionUser(db: Db, input: ProvisionInput, now: Date): Promise<{ userId: string; created: string[] }> {
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
