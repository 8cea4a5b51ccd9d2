/**
 * The multi-agency scorecard for a period, for the partnership or one agency's contributions:
 * query rows for the pure figures in domain/partnership/scorecard.ts, with the returns'
 * performance measures (domain/returns/performance) for referrals, assessments, ICPCs and plans.
 * Aggregates only, no child's details; `scorecard:read`; one audit entry per view.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm'
import { queryRows, type Db } from '../../../db/connection.ts'
import { agency } from '../../../db/schema/index.ts'
import { defaultBankHolidayCalendar } from '../../../domain/timescales/calendar/index.ts'
import { REFERRAL_DECISIONS } from '../../../domain/journey/codes.ts'
import {
  actionsOverdueByAgency,
  careLeaverOutcomes,
  contactsBySource,
  conversionToAssessment,
  decisionsWithin1,
  informationRequestsByAgency,
  placementStability,
  reviewConferencesOnTime,
  section11Ratings,
  type ActionRow,
  type AgencyActions,
  type AgencyRatings,
  type AgencyResponses,
  type CareLeaverFigures,
  type CareLeaverRow,
  type InCareRow,
  type PlacementStabilityFigures,
  type ContactRow,
  type InformationRequestRow,
  type SourceCount,
} from '../../../domain/partnership/scorecard.ts'
import { agreedAnswers, type Section11Answer, type Section11Reviews, type Section11Standard } from '../../../domain/partnership/section11.ts'
import type { Period, Rate } from '../../../domain/returns/performance/measures.ts'
import { auditGrouped } from '../../access/audit.ts'
import { NotFound, readDbOf, type ServiceContext } from '../../common/context.ts'
import { requireGeneral } from '../access.ts'
import { dashboardFigures, type Dashboard } from '../../returns/performance.ts'
import { lateCompletionsByReason, type LateByReason } from '../../journey/clock-delays.ts'

export interface Scorecard {
  period: Period
  agency: { id: string; name: string } | null
  contactsBySource: SourceCount[]
  decisionsWithin1: Rate
  conversionToAssessment: Rate
  /** The partnership's figures from the returns' performance measures (whole partnership, whatever the agency). */
  system: Dashboard
  reviewConferencesOnTime: Rate
  informationRequests: AgencyResponses[]
  actions: AgencyActions[]
  section11: { byAgency: AgencyRatings[]; total: Record<string, number> }
  /** Timescales completed late in the period by coded reason for delay (the whole partnership, whatever the agency). */
  lateByReason: LateByReason
  /** Children in care's placement stability on the period's last day (the whole partnership). */
  placementStability: PlacementStabilityFigures
  /** Care leavers' accommodation and activity around their 19th to 21st birthdays in the period (the whole partnership). */
  careLeavers: CareLeaverFigures
}

/** Periods of care open on the period's last day, with the child's date of birth and the period's placements. */
async function inCareRows(db: Db, partnershipId: string, period: Period): Promise<InCareRow[]> {
  const found = await queryRows<InCareRow & { placements: { placeType: string; startedOn: string; endedOn: string | null }[] | null }>(
    db,
    sql`select l.started_on::text as "startedOn", l.ended_on::text as "endedOn", p.date_of_birth::text as "dateOfBirth",
          (select json_agg(json_build_object('placeType', x.place_type, 'startedOn', x.started_on::text, 'endedOn', x.ended_on::text))
           from placement x where x.period_id = l.id) as placements
        from looked_after_period l join child_case c on c.id = l.case_id join person p on p.id = c.person_id
        where l.partnership_id = ${partnershipId} and l.started_on <= ${period.to} and (l.ended_on is null or l.ended_on > ${period.to})`,
  )
  return found.map((r) => ({ ...r, placements: r.placements ?? [] }))
}

/** Care leavers whose 19th to 21st birthdays may fall in the period, with their contacts. */
async function careLeaverRows(db: Db, partnershipId: string, period: Period): Promise<CareLeaverRow[]> {
  const found = await queryRows<{ dateOfBirth: string | null; contacts: CareLeaverRow['contacts'] | null }>(
    db,
    sql`select p.date_of_birth::text as "dateOfBirth",
          (select json_agg(json_build_object('on', r.on::text, 'inTouch', r.in_touch, 'accommodation', r.accommodation, 'activity', r.activity))
           from care_leaver_record r where r.case_id = cl.case_id and r.kind = 'contact') as contacts
        from care_leaver cl join child_case c on c.id = cl.case_id join person p on p.id = c.person_id
        where cl.partnership_id = ${partnershipId} and p.date_of_birth <= (${period.to}::date - interval '19 years')
          and p.date_of_birth > (${period.from}::date - interval '22 years')`,
  )
  return found.map((r) => ({ dateOfBirth: r.dateOfBirth, contacts: r.contacts ?? [] }))
}

const londonDay = (column: SQL) => sql`((${column}) at time zone 'Europe/London')::date::text`

async function rowsFor(db: Db, partnershipId: string, period: Period, agencyId: string | null, now: Date) {
  const byAgency = (column: SQL) => (agencyId ? sql`and ${column} = ${agencyId}` : sql``)
  const referralDecisions = sql.join(REFERRAL_DECISIONS.map((d) => sql`${d}`), sql`, `)
  return Promise.all([
    queryRows<ContactRow>(
      db,
      // The day the decision was made is its clock's completion (a decision may be recorded the
      // next morning, dated the day before); the day it was recorded only for contacts without one.
      sql`select ${londonDay(sql`c.received_at`)} as "receivedOn",
            coalesce((select k.completed_on::text from clock k where k.subject_id = c.id and k.rule = 'referral-decision' and k.completed_on is not null
                      order by k.created_at limit 1), ${londonDay(sql`c.decided_at`)}) as "decidedOn", a.name as "agencyName",
            coalesce(c.decision in (${referralDecisions}), false) as referral
          from contact c left join agency a on a.id = c.referrer_agency_id
          where c.partnership_id = ${partnershipId} and c.received_at < (${period.to}::date + 2) and coalesce(c.decided_at, c.received_at) >= (${period.from}::date - 1)
          ${byAgency(sql`c.referrer_agency_id`)}`,
    ),
    queryRows<{ referralDate: string; assessed: boolean }>(
      db,
      sql`select e.referral_date::text as "referralDate", exists (select 1 from assessment s where s.episode_id = e.id) as assessed
          from cin_episode e left join contact c on c.id = e.contact_id
          where e.partnership_id = ${partnershipId} and e.referral_date between ${period.from} and ${period.to} ${byAgency(sql`c.referrer_agency_id`)}`,
    ),
    queryRows<{ heldOn: string; previousOn: string; previousKind: string }>(
      db,
      sql`select x."heldOn", x."previousOn", x."previousKind" from (
            select cf.kind, cf.held_on::text as "heldOn",
              lag(cf.held_on::text) over (partition by cf.episode_id order by cf.held_on) as "previousOn",
              lag(cf.kind) over (partition by cf.episode_id order by cf.held_on) as "previousKind"
            from conference cf where cf.partnership_id = ${partnershipId} and cf.held_on is not null and cf.kind in ('initial', 'review')
          ) x where x.kind = 'review' and x."previousOn" is not null and x."heldOn" between ${period.from} and ${period.to}`,
    ),
    queryRows<InformationRequestRow>(
      db,
      sql`select a.name as "agencyName", ${londonDay(sql`r.sent_at`)} as "sentOn",
            case when r.answered_at is null then null else round((extract(epoch from (r.answered_at - r.sent_at)) / 3600)::numeric, 1)::float end as "hoursToAnswer",
            coalesce(r.answered_at <= r.due_at, false) as "answeredOnTime",
            (r.status = 'open' and r.due_at < ${now}) as "openOverdue"
          from information_request r join agency a on a.id = r.to_agency_id
          where r.partnership_id = ${partnershipId} and r.sent_at >= (${period.from}::date - 1) and r.sent_at < (${period.to}::date + 2)
          ${byAgency(sql`r.to_agency_id`)}`,
    ),
    queryRows<ActionRow>(
      db,
      sql`select a.name as "agencyName", x.kind, x.due_on::text as "dueOn", x.closed_on::text as "closedOn", ${londonDay(sql`x.created_at`)} as "createdOn"
          from (
            select 'practice-review' as kind, ra.owner_agency_id, ra.due_on, ra.closed_on, ra.created_at from review_action ra where ra.partnership_id = ${partnershipId}
            union all
            select 'section-11' as kind, sa.owner_agency_id, sa.due_on, sa.closed_on, sa.created_at from section11_action sa where sa.partnership_id = ${partnershipId}
          ) x join agency a on a.id = x.owner_agency_id
          where true ${byAgency(sql`x.owner_agency_id`)}`,
    ),
    queryRows<{ agencyName: string; cycleName: string; issuedOn: string; standards: Section11Standard[]; answers: Record<string, Section11Answer>; challenges: Section11Reviews }>(
      db,
      sql`select a.name as "agencyName", cy.name as "cycleName", cy.issued_on::text as "issuedOn", cy.standards, r.answers, r.challenges
          from section11_return r join section11_cycle cy on cy.id = r.cycle_id join agency a on a.id = r.agency_id
          where r.partnership_id = ${partnershipId} and r.status <> 'issued' ${byAgency(sql`r.agency_id`)}`,
    ),
  ])
}

/** The figures, without access checks (the page, the CSV, the API and the tests share it). */
export async function scorecardFigures(db: Db, partnershipId: string, period: Period, agencyFilter: { id: string; name: string } | null, now: Date): Promise<Scorecard> {
  const agencyId = agencyFilter?.id ?? null
  const [[contacts, referrals, reviews, requests, actions, returns], system, lateByReason, inCare, leavers] = await Promise.all([
    rowsFor(db, partnershipId, period, agencyId, now),
    dashboardFigures(db, partnershipId, period, null),
    lateCompletionsByReason(db, partnershipId, period),
    inCareRows(db, partnershipId, period),
    careLeaverRows(db, partnershipId, period),
  ])
  const calendar = defaultBankHolidayCalendar()
  const workingDays = (a: string, b: string) => calendar.workingDaysBetween(a, b)
  return {
    period,
    agency: agencyFilter,
    contactsBySource: contactsBySource(contacts, period),
    decisionsWithin1: decisionsWithin1(contacts, period, workingDays),
    conversionToAssessment: conversionToAssessment(referrals, period),
    system,
    reviewConferencesOnTime: reviewConferencesOnTime(reviews, period),
    informationRequests: informationRequestsByAgency(requests, period),
    actions: actionsOverdueByAgency(actions, period),
    section11: section11Ratings(
      returns.map((r) => {
        const agreed = agreedAnswers(r.answers, r.challenges)
        return { agencyName: r.agencyName, cycleName: r.cycleName, issuedOn: r.issuedOn, ratings: r.standards.map((s) => agreed[s.code]?.rating ?? null) }
      }),
      period,
    ),
    lateByReason,
    placementStability: placementStability(inCare, period),
    careLeavers: careLeaverOutcomes(leavers, period),
  }
}

/** The scorecard for the business unit, performance analysts and team managers (`scorecard:read`). */
export async function scorecard(ctx: ServiceContext, period: Period, agencyId: string | null): Promise<Scorecard> {
  const ground = requireGeneral(ctx, 'scorecard:read')
  let filter: { id: string; name: string } | null = null
  if (agencyId) {
    const [a] = await readDbOf(ctx).select({ id: agency.id, name: agency.name }).from(agency).where(and(eq(agency.id, agencyId), eq(agency.partnershipId, ctx.actor.partnershipId)))
    if (!a) throw new NotFound('No such agency')
    filter = a
  }
  const figures = await scorecardFigures(readDbOf(ctx), ctx.actor.partnershipId, period, filter, ctx.now())
  await auditGrouped(ctx, { action: 'scorecard.view', recordType: 'scorecard', ground, detail: { ...period, agencyId } })
  return figures
}

/** The agencies to filter the scorecard by. */
export async function scorecardAgencies(ctx: ServiceContext): Promise<{ id: string; name: string }[]> {
  requireGeneral(ctx, 'scorecard:read')
  return queryRows(readDbOf(ctx), sql`select id, name from agency where partnership_id = ${ctx.actor.partnershipId} and active order by name`)
}
