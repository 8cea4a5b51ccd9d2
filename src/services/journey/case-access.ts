/**
 * Loading a case and asking the policy about it: the case's summary, the user's relationships to
 * it now, and the decision. Shared by the case reads (cases.ts) and the record gateway
 * (case-records.ts), which both audit what the decision allowed.
 */
import { and, eq, exists, gt, inArray, isNull, lte, ne, or, sql, type Column, type Placeholder, type SQL } from 'drizzle-orm'
import { alias, unionAll } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/connection.ts'
import { preparedOn } from '../../db/prepared.ts'
import { accessGrant, appUser, caseInvolvement, childCase, contact, contactChild, iroAllocation, lookedAfterPeriod, person, plan, planItem, strategyDiscussion, team } from '../../db/schema/index.ts'
import { iroAllocatedNow, iroPeriodJoin } from '../care/iro-allocated.ts'
import { decideOnCase, decideOnLinkedCase, type Decision, type RecordAction, type Relationship } from '../../domain/access/policy.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { NotFound, readDbOf, type Actor, type ServiceContext } from '../common/context.ts'
import type { Page } from '../common/paging.ts'

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

/** Who asks, for the relationships the database holds: values, or placeholders for them. */
interface Asker {
  agencyId: string | Placeholder
  teamId: string | SQL | Placeholder
  userId: string | Placeholder
  today: string | Placeholder
  now: Date | Placeholder
}

/**
 * The relationships to cases the database holds, as one query: each row a case (of those
 * `caseIs` takes) and a kind. A user without a team has no front door contacts: `team_id = null`
 * holds for none.
 */
function heldRelationships(db: Db, caseIs: (column: Column) => SQL, who: Asker) {
  const involved = db
    .selectDistinct({ caseId: caseInvolvement.caseId, kind: sql<string>`'agency-involvement'` })
    .from(caseInvolvement)
    .where(and(caseIs(caseInvolvement.caseId), eq(caseInvolvement.agencyId, who.agencyId), involvementCurrent(who.today)))
  const frontDoor = db
    .selectDistinct({ caseId: contactChild.caseId, kind: sql<string>`'front-door-contact'` })
    .from(contactChild)
    .innerJoin(contact, eq(contact.id, contactChild.contactId))
    .where(and(caseIs(contactChild.caseId), eq(contact.teamId, who.teamId), or(isNull(contact.decidedAt), isNull(contact.feedbackOn))))
  const granted = db
    .selectDistinct({ caseId: accessGrant.caseId, kind: accessGrant.kind })
    .from(accessGrant)
    .where(and(caseIs(accessGrant.caseId), eq(accessGrant.userId, who.userId), grantInForce(who.now)))
  const ownsAction = db
    .selectDistinct({ caseId: planItem.caseId, kind: sql<string>`'plan-action-owner'` })
    .from(planItem)
    .leftJoin(plan, eq(plan.id, planItem.planId))
    .leftJoin(strategyDiscussion, eq(strategyDiscussion.id, planItem.strategyDiscussionId))
    .where(and(caseIs(planItem.caseId), agencyOwnsOpenAction(who.agencyId)))
  const iro = db
    .selectDistinct({ caseId: iroAllocation.caseId, kind: sql<string>`'iro'` })
    .from(iroAllocation)
    .innerJoin(lookedAfterPeriod, iroPeriodJoin)
    .where(and(caseIs(iroAllocation.caseId), iroAllocatedNow(who.userId, who.today)))
  return unionAll(involved, frontDoor, granted, ownsAction, iro)
}

/**
 * The relationships to one case the database holds, with placeholders for the case and the user,
 * prepared once for each database handle (db/prepared.ts): asked on every read of a case.
 */
function prepareHeldRelationships(db: Db) {
  const p = (name: string) => sql.placeholder(name)
  return heldRelationships(db, (column) => eq(column, p('caseId')), { agencyId: p('agencyId'), teamId: p('teamId'), userId: p('userId'), today: p('today'), now: p('now') }).prepare(
    'together_case_relationships',
  )
}

/** The relationships the case's own row gives: allocated to the user, of the user's team. */
function ownRelationships(actor: Actor, c: { teamId: string | null; allocatedWorkerId: string | null }): Relationship[] {
  const rels: Relationship[] = []
  if (c.allocatedWorkerId === actor.userId) rels.push('allocated-worker')
  if (c.teamId !== null && c.teamId === actor.teamId) rels.push('team')
  return rels
}

/** The user's relationships to one case, as the policy needs them: one query for those the database holds. */
export async function relationshipsTo(
  db: Db,
  actor: Actor,
  c: { id: string; teamId: string | null; allocatedWorkerId: string | null },
  now: Date,
): Promise<Relationship[]> {
  const rels = ownRelationships(actor, c)
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

/**
 * Of these cases (ids, any number), those the user may read now by the one policy (case:read from
 * their relationships to each, as relationshipsTo loads them, not by breaking the glass): a query
 * for the cases and one for the relationships the database holds, for a page that shows a link to
 * each only where it would open. Nothing is read of the cases but what the policy asks.
 */
export async function casesReadableBy(db: Db, actor: Actor, caseIds: readonly string[], now: Date): Promise<Set<string>> {
  const all = [...new Set(caseIds)]
  const readable = new Set<string>()
  // A few thousand ids a query: a return's findings can name tens of thousands of cases.
  for (let i = 0; i < all.length; i += 2000) for (const id of await readableOf(db, actor, all.slice(i, i + 2000), now)) readable.add(id)
  return readable
}

async function readableOf(db: Db, actor: Actor, ids: string[], now: Date): Promise<string[]> {
  const [cases, held] = await Promise.all([
    db
      .select({ id: childCase.id, partnershipId: childCase.partnershipId, teamId: childCase.teamId, allocatedWorkerId: childCase.allocatedWorkerId, restricted: childCase.restricted, personRestricted: person.restricted })
      .from(childCase)
      .innerJoin(person, eq(person.id, childCase.personId))
      .where(and(inArray(childCase.id, ids), eq(childCase.partnershipId, actor.partnershipId))),
    heldRelationships(db, (column) => inArray(column, ids), { agencyId: actor.agencyId, teamId: actor.teamId ?? sql`null`, userId: actor.userId, today: londonDate(now), now }),
  ])
  const heldOf = new Map<string, Relationship[]>()
  for (const r of held) heldOf.set(r.caseId, [...(heldOf.get(r.caseId) ?? []), r.kind as Relationship])
  return cases.flatMap((c) => {
    const relationships = [...ownRelationships(actor, c), ...(heldOf.get(c.id) ?? [])]
    const read = decideOnCase(actor, 'case:read', { partnershipId: c.partnershipId, restricted: c.restricted || c.personRestricted, relationships })
    return read.allowed && !read.breakGlass ? [c.id] : []
  })
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

/**
 * A list read from a replica (ctx.readDb: its rows, and the policy in its query as the replica
 * has it) may name cases the user is no longer shown: one allocated away, moved to another team
 * or restricted seconds ago. Of the cases it named, those `shows` (the list's own condition over
 * child_case joined to person, with the policy in it: shownByPolicy) still holds for on the
 * primary now, each with its restrictions there: one query by id. Null when the list was read
 * from the primary, whose query already decided (nothing is asked again).
 */
export async function stillShownOnPrimary(
  ctx: ServiceContext,
  shows: SQL,
  caseIds: readonly string[],
): Promise<Map<string, { restricted: boolean; personRestricted: boolean }> | null> {
  if (readDbOf(ctx) === ctx.db) return null
  const ids = [...new Set(caseIds)]
  if (ids.length === 0) return new Map()
  const rows = await ctx.db
    .select({ id: childCase.id, restricted: childCase.restricted, personRestricted: person.restricted })
    .from(childCase)
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(and(inArray(childCase.id, ids), shows))
  return new Map(rows.map(({ id, ...r }) => [id, r]))
}

/** A page read from a replica without the cases the primary no longer shows (`shown` null: read from the primary, kept whole); its count less those. */
export function keepShown<T>(page: Page<T>, shown: ReadonlyMap<string, unknown> | null, caseIdOf: (row: T) => string): Page<T> {
  if (!shown) return page
  const items = page.items.filter((row) => shown.has(caseIdOf(row)))
  return { ...page, items, total: page.total - (page.items.length - items.length) }
}
