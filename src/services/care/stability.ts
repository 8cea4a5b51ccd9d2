/**
 * Placement stability of a team (issue 19 item 2): of the children in care whose cases the team
 * holds, those with 3 or more placements in the last 12 months, and those looked after for 2½
 * years or more (under 16) with under 2 years in their current placement (domain/care/stability.ts).
 * The list keeps the policy in its query (shownByPolicy) and audits the children it names.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm'
import { childCase, lookedAfterPeriod, person, placement } from '../../db/schema/index.ts'
import { decideOnCase } from '../../domain/access/policy.ts'
import { childStability, type ChildStability } from '../../domain/care/stability.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { audit } from '../access/audit.ts'
import { AccessDenied, type ServiceContext } from '../common/context.ts'
import { shownByPolicy } from '../journey/case-access.ts'

export interface StabilityChild extends ChildStability {
  caseId: string
  givenName: string
  familyName: string
  lookedAfterSince: string
}

export interface TeamStability {
  on: string
  /** Children in care the team holds, that the user may see. */
  inCare: number
  threeOrMore: StabilityChild[]
  longTermUnstable: StabilityChild[]
}

/** The stability measures of the actor's team's children in care, today. */
export async function teamStability(ctx: ServiceContext): Promise<TeamStability> {
  const { actor } = ctx
  if (!actor.teamId) throw new AccessDenied('Placement stability is shown for your team, and you are not in one')
  const today = londonDate(ctx.now())
  const shown = shownByPolicy(ctx.db, actor, ctx.now(), [{ relationships: ['team'], where: eq(childCase.teamId, actor.teamId) }], (record) =>
    decideOnCase(actor, 'case:read', record).allowed,
  )
  const periods = await ctx.db
    .select({
      caseId: childCase.id,
      periodId: lookedAfterPeriod.id,
      startedOn: lookedAfterPeriod.startedOn,
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
    })
    .from(lookedAfterPeriod)
    .innerJoin(childCase, eq(childCase.id, lookedAfterPeriod.caseId))
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(and(eq(childCase.partnershipId, actor.partnershipId), eq(childCase.teamId, actor.teamId), isNull(lookedAfterPeriod.endedOn), shown))
  const placements = periods.length
    ? await ctx.db
        .select({ periodId: placement.periodId, placeType: placement.placeType, startedOn: placement.startedOn, endedOn: placement.endedOn })
        .from(placement)
        .where(inArray(placement.periodId, periods.map((p) => p.periodId)))
    : []
  const children: StabilityChild[] = periods.map((p) => ({
    caseId: p.caseId,
    givenName: p.givenName,
    familyName: p.familyName,
    lookedAfterSince: p.startedOn,
    ...childStability(placements.filter((x) => x.periodId === p.periodId), p.startedOn, p.dateOfBirth, today),
  }))
  const byName = (a: StabilityChild, b: StabilityChild) => a.familyName.localeCompare(b.familyName) || a.givenName.localeCompare(b.givenName) || a.caseId.localeCompare(b.caseId)
  const result = {
    on: today,
    inCare: children.length,
    threeOrMore: children.filter((c) => c.threeOrMore).sort(byName),
    longTermUnstable: children.filter((c) => c.longTermUnstable).sort(byName),
  }
  const named = [...new Set([...result.threeOrMore, ...result.longTermUnstable].map((c) => c.caseId))]
  if (named.length > 0) await ctx.db.transaction((tx) => audit(ctx, tx, { action: 'case.list', detail: { list: 'placement-stability', caseIds: named } }))
  return result
}
