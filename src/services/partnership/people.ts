/** The partnership's active users and agencies, for choosing a contributor, an owner or a member. */
import { and, asc, eq } from 'drizzle-orm'
import { agency, appUser } from '../../db/schema/index.ts'
import type { ServiceContext } from '../common/context.ts'

export interface PersonOption {
  id: string
  displayName: string
  agencyId: string
  agencyName: string
  roles: string[]
  teamId: string | null
}

export async function partnershipPeople(ctx: ServiceContext): Promise<PersonOption[]> {
  return ctx.db
    .select({ id: appUser.id, displayName: appUser.displayName, agencyId: agency.id, agencyName: agency.name, roles: appUser.roles, teamId: appUser.teamId })
    .from(appUser)
    .innerJoin(agency, eq(agency.id, appUser.agencyId))
    .where(and(eq(appUser.partnershipId, ctx.actor.partnershipId), eq(appUser.active, true)))
    .orderBy(asc(agency.name), asc(appUser.displayName))
}

export async function partnershipAgencies(ctx: ServiceContext): Promise<{ id: string; name: string; type: string }[]> {
  return ctx.db
    .select({ id: agency.id, name: agency.name, type: agency.type })
    .from(agency)
    .where(and(eq(agency.partnershipId, ctx.actor.partnershipId), eq(agency.active, true)))
    .orderBy(asc(agency.name))
}
