/**
 * An IRO's own list (issue 19, item 3): the children whose independent reviewing officer the user
 * is now (iro-allocated.ts), by name, with the legal status, the placement, when the next review
 * is due (the period's running review clock), the last review and the open escalations. Paged and
 * counted in SQL with the one policy's answer put into the query (shownByPolicy, the 'iro'
 * relationship), and each row asked of the policy again; the listing leaves one case.list entry
 * naming the children it showed, as the home page's case lists do.
 */
import { and, asc, count, desc, eq, inArray, isNull, like } from 'drizzle-orm'
import { childCase, clock, iroAllocation, iroEscalation, lookedAfterPeriod, lookedAfterReview, person, placement } from '../../db/schema/index.ts'
import { decideOnCase, type Relationship } from '../../domain/access/policy.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { audit } from '../access/audit.ts'
import type { ServiceContext } from '../common/context.ts'
import { FIRST_PAGE, pageFrom, type Page, type PageRequest } from '../common/paging.ts'
import { shownByPolicy } from '../journey/case-access.ts'
import { iroAllocatedNow, iroPeriodJoin } from './iro-allocated.ts'

export interface IroChild {
  caseId: string
  periodId: string
  childName: string
  dateOfBirth: string | null
  /** 903 LS now. */
  legalStatus: string
  lookedAfterSince: string
  /** The placement now (903 PLACE) and since when; a temporary move shows the move. */
  placement: { placeType: string; startedOn: string } | null
  /** The running review clock's due date and rule (cla-first-review, cla-second-review, cla-review), overdue when its day has passed. */
  nextReview: { dueOn: string; rule: string; overdue: boolean } | null
  lastReviewOn: string | null
  /** Escalations raised and not resolved. */
  openEscalations: number
  iroSince: string
}

const RELATIONSHIPS: Relationship[] = ['iro']

/** The children the signed-in user reviews as IRO now, a page at a time (by name), with their total. */
export async function iroChildren(ctx: ServiceContext, page: PageRequest = FIRST_PAGE): Promise<Page<IroChild>> {
  const { actor } = ctx
  const now = ctx.now()
  const today = londonDate(now)
  const mine = and(eq(iroAllocation.partnershipId, actor.partnershipId), iroAllocatedNow(actor.userId, today))
  const iroCases = ctx.db.select({ caseId: iroAllocation.caseId }).from(iroAllocation).innerJoin(lookedAfterPeriod, iroPeriodJoin).where(mine)
  const read = (record: { partnershipId: string; restricted: boolean; relationships: Relationship[] }) => {
    const d = decideOnCase(actor, 'case:read', record)
    return d.allowed && !d.breakGlass
  }
  const shown = shownByPolicy(ctx.db, actor, now, [{ relationships: RELATIONSHIPS, where: inArray(childCase.id, iroCases) }], read)
  const where = and(eq(childCase.partnershipId, actor.partnershipId), shown)
  const listed = await pageFrom(
    page,
    ctx.db.select({ n: count() }).from(childCase).innerJoin(person, eq(person.id, childCase.personId)).where(where),
    ctx.db
      .select({
        caseId: childCase.id,
        restricted: childCase.restricted,
        personRestricted: person.restricted,
        givenName: person.givenName,
        familyName: person.familyName,
        dateOfBirth: person.dateOfBirth,
      })
      .from(childCase)
      .innerJoin(person, eq(person.id, childCase.personId))
      .where(where)
      .orderBy(asc(person.familyName), asc(person.givenName), asc(childCase.id))
      .limit(page.limit)
      .offset(page.offset),
  )
  // The query kept only the cases the policy shows; a row it would not show is still never listed.
  const rows = listed.items.filter((r) => {
    const restricted = r.restricted || r.personRestricted
    return read({ partnershipId: actor.partnershipId, restricted, relationships: restricted ? [...RELATIONSHIPS, 'explicit-permission'] : RELATIONSHIPS })
  })
  const ids = rows.map((r) => r.caseId)
  if (ids.length === 0) return { ...listed, items: [] }
  const [periods, placements, clocks, reviews, escalations] = await Promise.all([
    ctx.db
      .select({ id: lookedAfterPeriod.id, caseId: lookedAfterPeriod.caseId, legalStatus: lookedAfterPeriod.legalStatus, startedOn: lookedAfterPeriod.startedOn, iroSince: iroAllocation.fromOn })
      .from(iroAllocation)
      .innerJoin(lookedAfterPeriod, iroPeriodJoin)
      .where(and(mine, inArray(iroAllocation.caseId, ids))),
    ctx.db
      .select({ caseId: placement.caseId, placeType: placement.placeType, startedOn: placement.startedOn })
      .from(placement)
      .where(and(inArray(placement.caseId, ids), isNull(placement.endedOn)))
      .orderBy(desc(placement.startedOn)),
    ctx.db
      .select({ caseId: clock.caseId, subjectId: clock.subjectId, dueOn: clock.dueOn, rule: clock.rule })
      .from(clock)
      .where(and(inArray(clock.caseId, ids), like(clock.rule, 'cla-%'), isNull(clock.completedOn))),
    ctx.db.select({ periodId: lookedAfterReview.periodId, heldOn: lookedAfterReview.heldOn }).from(lookedAfterReview).where(inArray(lookedAfterReview.caseId, ids)),
    ctx.db
      .select({ periodId: iroEscalation.periodId })
      .from(iroEscalation)
      .where(and(inArray(iroEscalation.caseId, ids), isNull(iroEscalation.resolvedOn))),
  ])
  const items: IroChild[] = []
  for (const r of rows) {
    const period = periods.find((p) => p.caseId === r.caseId)!
    const running = clocks.find((k) => k.subjectId === period.id)
    const held = reviews.filter((v) => v.periodId === period.id).map((v) => v.heldOn).sort()
    const current = placements.find((p) => p.caseId === r.caseId)
    items.push({
      caseId: r.caseId,
      periodId: period.id,
      childName: `${r.givenName} ${r.familyName}`,
      dateOfBirth: r.dateOfBirth,
      legalStatus: period.legalStatus,
      lookedAfterSince: period.startedOn,
      placement: current ? { placeType: current.placeType, startedOn: current.startedOn } : null,
      nextReview: running ? { dueOn: running.dueOn, rule: running.rule, overdue: running.dueOn < today } : null,
      lastReviewOn: held.at(-1) ?? null,
      openEscalations: escalations.filter((e) => e.periodId === period.id).length,
      iroSince: period.iroSince,
    })
  }
  await audit(ctx, ctx.db, { action: 'case.list', detail: { list: 'iro', caseIds: ids } })
  return { ...listed, items }
}
