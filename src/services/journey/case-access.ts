/**
 * Loading a case and asking the policy about it: the case's summary, the user's relationships to
 * it now, and the decision. Shared by the case reads (cases.ts) and the record gateway
 * (case-records.ts), which both audit what the decision allowed.
 */
import { and, eq, exists, gt, isNull, lte, ne, or, sql, type Placeholder, type SQL } from 'drizzle-orm'
import { alias, unionAll } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/connection.ts'
import { preparedOn } from '../../db/prepared.ts'
import { accessGrant, appUser, caseInvolvement, childCase, contact, contactChild, person, plan, planItem, strategyDiscussion, team } from '../../db/schema/index.ts'
import { decideOnCase, decideOnLinkedCase, type Decision, type RecordAction, type Relationship } from '../../domain/access/policy.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { NotFound, type Actor, type ServiceContext } from '../common/context.ts'

const worker = alias(appUser, 'worker')

export function caseSummaryQuery(db: Db) {
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

/**
 * An agency involvement that has started and not yet ended on `today` (a date, or a placeholder for
 * one): its last day not passed, and not ended by a manager (which ends it at once, no cache).
 */
export const involvementCurrent = (today: string | Placeholder) =>
  and(
    lte(caseInvolvement.startedOn, today),
    or(isNull(caseInvolvement.endedOn), sql`${caseInvolvement.endedOn} >= ${today}`),
    isNull(caseInvolvement.endedAt),
  )

/**
 * An action (not dropped) owned by the agency, of an open plan or of a strategy discussion whose
 * record is open: the plan-action-owner relationship. The query left-joins plan_item to plan and
 * to strategy_discussion. Ending the plan, closing the discussion's record, dropping the action or
 * giving it to another agency ends it.
 */
export const agencyOwnsOpenAction = (agencyId: string | Placeholder) =>
  and(eq(planItem.kind, 'action'), eq(planItem.ownerAgencyId, agencyId), ne(planItem.status, 'dropped'), isNull(plan.endedOn), isNull(strategyDiscussion.closedAt))

/** An access grant in force at `now` (an instant, or a placeholder for one). */
export const grantInForce = (now: Date | Placeholder) =>
  and(lte(accessGrant.startsAt, now), or(isNull(accessGrant.endsAt), gt(accessGrant.endsAt, now)))

/**
 * The relationships to a case the database holds, as one query with placeholders for the case and
 * the user, prepared once for each database handle (db/prepared.ts): asked on every read of a case.
 */
function prepareHeldRelationships(db: Db) {
  const p = (name: string) => sql.placeholder(name)
  const involved = db
    .select({ kind: sql<string>`'agency-involvement'` })
    .from(caseInvolvement)
    .where(and(eq(caseInvolvement.caseId, p('caseId')), eq(caseInvolvement.agencyId, p('agencyId')), involvementCurrent(p('today'))))
    .limit(1)
  // A user without a team has no front door contacts: `team_id = null` holds for none.
  const frontDoor = db
    .select({ kind: sql<string>`'front-door-contact'` })
    .from(contactChild)
    .innerJoin(contact, eq(contact.id, contactChild.contactId))
    .where(and(eq(contactChild.caseId, p('caseId')), eq(contact.teamId, p('teamId')), or(isNull(contact.decidedAt), isNull(contact.feedbackOn))))
    .limit(1)
  const granted = db
    .selectDistinct({ kind: accessGrant.kind })
    .from(accessGrant)
    .where(and(eq(accessGrant.caseId, p('caseId')), eq(accessGrant.userId, p('userId')), grantInForce(p('now'))))
  const ownsAction = db
    .select({ kind: sql<string>`'plan-action-owner'` })
    .from(planItem)
    .leftJoin(plan, eq(plan.id, planItem.planId))
    .leftJoin(strategyDiscussion, eq(strategyDiscussion.id, planItem.strategyDiscussionId))
    .where(and(eq(planItem.caseId, p('caseId')), agencyOwnsOpenAction(p('agencyId'))))
    .limit(1)
  return unionAll(involved, frontDoor, granted, ownsAction).prepare('together_case_relationships')
}

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
  const held = await preparedOn(db, prepareHeldRelationships).execute({
    caseId: c.id,
    agencyId: actor.agencyId,
    teamId: actor.teamId,
    userId: actor.userId,
    today: londonDate(now),
    now,
  })
  for (const r of held) rels.push(r.kind as Relationship)
  return rels
}

const prepareLoadCase = (db: Db) =>
  caseSummaryQuery(db)
    .where(and(eq(childCase.id, sql.placeholder('caseId')), eq(childCase.partnershipId, sql.placeholder('partnershipId'))))
    .prepare('together_load_case')

export async function loadCase(db: Db, actor: Actor, caseId: string): Promise<CaseSummary> {
  const [c] = await preparedOn(db, prepareLoadCase).execute({ caseId, partnershipId: actor.partnershipId })
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

/**
 * The policy's decision on showing (or linking) the child's case a partnership record names, to
 * someone that record is open to (`via`: the decision that opened it), from their relationships
 * to the case now (an explicit permission is what opens a restricted one).
 */
export async function decideLinkedCase(db: Db, ctx: ServiceContext, c: CaseSummary, via: Decision) {
  const relationships = await relationshipsTo(db, ctx.actor, c, ctx.now())
  return decideOnLinkedCase(ctx.actor, via, {
    partnershipId: c.partnershipId,
    restricted: c.restricted || c.personRestricted,
    relationships,
  })
}

/**
 * The policy's answer for a list of cases, as SQL over child_case joined to person, so a list is
 * counted and paged by what the user is shown. Each way a case comes onto the list is a set of
 * relationships with the SQL that holds them; `shows` (the policy asked of one record) is asked
 * once for each, unrestricted and restricted, and a restricted case is kept only with an explicit
 * permission in force. The policy is monotone (more relationships never open less), so a case on
 * the list by several ways is shown when one of them shows it.
 */
export function shownByPolicy(
  db: Db,
  actor: Actor,
  now: Date,
  ways: readonly { relationships: Relationship[]; where: SQL }[],
  shows: (record: { partnershipId: string; restricted: boolean; relationships: Relationship[] }) => boolean,
): SQL {
  const unrestricted = and(eq(childCase.restricted, false), eq(person.restricted, false))!
  const permitted = and(
    or(eq(childCase.restricted, true), eq(person.restricted, true)),
    exists(
      db
        .select({ one: sql`1` })
        .from(accessGrant)
        .where(and(eq(accessGrant.caseId, childCase.id), eq(accessGrant.userId, actor.userId), eq(accessGrant.kind, 'explicit-permission'), grantInForce(now))),
    ),
  )!
  const record = (restricted: boolean, relationships: Relationship[]) => ({ partnershipId: actor.partnershipId, restricted, relationships })
  const kept = ways.flatMap((w) => [
    ...(shows(record(false, w.relationships)) ? [and(unrestricted, w.where)!] : []),
    ...(shows(record(true, [...w.relationships, 'explicit-permission'])) ? [and(permitted, w.where)!] : []),
  ])
  return kept.length ? or(...kept)! : sql`false`
}
