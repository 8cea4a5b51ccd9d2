/**
 * What is due on cases, derived from their records (domain/timescales/due-from-record.ts): their
 * open plans, the latest visit on which the child was seen (a note of kind visit or
 * statutory-visit, so visits recorded before visits moved the clock count too), and the latest
 * core group and review conference of each open plan. Four aggregated queries whatever the
 * number of cases. Callers have already opened (and audited) or listed (and audited) the cases.
 */
import { and, eq, inArray, isNull, lte, max, sql, type AnyColumn } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { preparedOn } from '../../db/prepared.ts'
import { caseNote, conference, coreGroupMeeting, plan } from '../../db/schema/index.ts'
import { dueFromRecord, type DueFromRecord, type OpenPlanRecord } from '../../domain/timescales/index.ts'
import { localRulesOf } from './case-records.ts'

/** Note kinds that are visits to the child. */
export const VISIT_KINDS = ['visit', 'statutory-visit']

/** `column = any($n::uuid[])`: one statement's text for any number of ids, so it can be prepared. */
const anyOf = (column: AnyColumn, name: string) => sql`${column} = any(${sql.placeholder(name)}::uuid[])`

/**
 * The open plans, and the last visit in which the child was seen, of some cases: on every case
 * overview and home page, so prepared once for each database handle (db/prepared.ts).
 */
const prepareOpenPlans = (db: Db) =>
  db
    .select({ id: plan.id, caseId: plan.caseId, kind: plan.kind, startedOn: plan.startedOn, nextReviewOn: plan.nextReviewOn })
    .from(plan)
    .where(and(anyOf(plan.caseId, 'caseIds'), isNull(plan.endedOn)))
    .prepare('together_open_plans_of_cases')
const prepareLastSeen = (db: Db) =>
  db
    .select({ caseId: caseNote.caseId, on: max(caseNote.occurredOn) })
    .from(caseNote)
    .where(and(anyOf(caseNote.caseId, 'caseIds'), inArray(caseNote.kind, VISIT_KINDS), eq(caseNote.childSeen, true), lte(caseNote.occurredOn, sql.placeholder('today'))))
    .groupBy(caseNote.caseId)
    .prepare('together_last_seen_of_cases')

export async function dueOfCases(
  db: Db,
  partnershipId: string,
  cases: readonly { caseId: string; status: string }[],
  today: string,
): Promise<Map<string, DueFromRecord>> {
  const result = new Map<string, DueFromRecord>()
  if (cases.length === 0) return result
  const caseIds = cases.map((c) => c.caseId)
  const [plans, seen, localRules] = await Promise.all([
    preparedOn(db, prepareOpenPlans).execute({ caseIds }),
    preparedOn(db, prepareLastSeen).execute({ caseIds, today }),
    localRulesOf(db, partnershipId),
  ])
  const protectionPlanIds = plans.filter((p) => p.kind === 'child-protection').map((p) => p.id)
  const [coreGroups, reviews] = protectionPlanIds.length
    ? await Promise.all([
        db
          .select({ planId: coreGroupMeeting.planId, on: max(coreGroupMeeting.heldOn) })
          .from(coreGroupMeeting)
          .where(inArray(coreGroupMeeting.planId, protectionPlanIds))
          .groupBy(coreGroupMeeting.planId),
        db
          .select({ planId: conference.planId, on: max(conference.heldOn) })
          .from(conference)
          .where(and(inArray(conference.planId, protectionPlanIds), eq(conference.kind, 'review')))
          .groupBy(conference.planId),
      ])
    : [[], []]
  const lastCoreGroup = new Map(coreGroups.map((r) => [r.planId, r.on]))
  const lastReview = new Map(reviews.map((r) => [r.planId, r.on]))
  const lastSeen = new Map(seen.map((r) => [r.caseId, r.on]))
  for (const c of cases) {
    const openPlans: OpenPlanRecord[] = plans
      .filter((p) => p.caseId === c.caseId)
      .map((p) => ({
        id: p.id,
        kind: p.kind,
        startedOn: p.startedOn,
        nextReviewOn: p.nextReviewOn,
        lastCoreGroupOn: lastCoreGroup.get(p.id) ?? null,
        lastReviewConferenceOn: lastReview.get(p.id) ?? null,
      }))
    const due = dueFromRecord({ status: c.status, openPlans, lastSeenOn: lastSeen.get(c.caseId) ?? null }, { today, localRules })
    if (due) result.set(c.caseId, due)
  }
  return result
}
