/**
 * The performance dashboard's figures for a period and, optionally, one team (the case's team):
 * query rows for the pure measures in domain/returns/performance. Performance analysts only
 * (`returns:run`); one audit entry per view.
 */
import { sql, type SQL } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/connection.ts'
import { defaultBankHolidayCalendar } from '../../domain/timescales/calendar/index.ts'
import { addDays, addMonths } from '../../domain/timescales/calendar/iso-date.ts'
import {
  assessmentsWithin45,
  icpcsWithin15,
  plansByCategory,
  plansByDuration,
  referralsIn,
  repeatPlansWithin2Years,
  rereferrals,
  type Period,
  type Rate,
} from '../../domain/returns/performance/measures.ts'
import { auditGrouped } from '../access/audit.ts'
import { readDbOf, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'

export interface Dashboard {
  referrals: number
  rereferrals: Rate
  assessmentsWithin45: Rate
  icpcsWithin15: Rate
  plansByCategory: [string, number][]
  plansByDuration: [string, number][]
  repeatPlans: Rate
}

const teamFilter = (teamId: string | null): SQL => (teamId ? sql`and c.team_id = ${teamId}` : sql``)

export async function dashboardFigures(db: Db, partnershipId: string, period: Period, teamId: string | null): Promise<Dashboard> {
  const team = teamFilter(teamId)
  const yearBefore = addMonths(period.from, -12)
  const [referrals, assessments, icpcs, plans] = await Promise.all([
    queryRows<{ personId: string; referralDate: string }>(
      db,
      sql`select c.person_id as "personId", e.referral_date::text as "referralDate" from cin_episode e join child_case c on c.id = e.case_id
          where e.partnership_id = ${partnershipId} and e.referral_date between ${yearBefore} and ${period.to} ${team}`,
    ),
    queryRows<{ referralDate: string; completedOn: string | null }>(
      db,
      sql`select e.referral_date::text as "referralDate", a.completed_on::text as "completedOn"
          from assessment a join cin_episode e on e.id = a.episode_id join child_case c on c.id = a.case_id
          where a.partnership_id = ${partnershipId} and a.completed_on between ${period.from} and ${period.to} ${team}`,
    ),
    queryRows<{ enquiryStartedOn: string; heldOn: string }>(
      db,
      sql`select s.started_on::text as "enquiryStartedOn", cf.held_on::text as "heldOn"
          from conference cf join section47_enquiry s on s.id = cf.section47_id join child_case c on c.id = cf.case_id
          where cf.partnership_id = ${partnershipId} and cf.kind = 'initial' and cf.held_on between ${period.from} and ${period.to} ${team}`,
    ),
    queryRows<{ personId: string; startedOn: string; endedOn: string | null; category: string | null }>(
      db,
      sql`select c.person_id as "personId", pl.started_on::text as "startedOn", pl.ended_on::text as "endedOn",
            coalesce(pl.latest_category, pl.initial_category) as category
          from plan pl join child_case c on c.id = pl.case_id
          where pl.partnership_id = ${partnershipId} and pl.kind = 'child-protection' and pl.started_on <= ${period.to} ${team}`,
    ),
  ])
  const calendar = defaultBankHolidayCalendar()
  const workingDays = (a: string, b: string) => calendar.workingDaysBetween(a, b)
  return {
    referrals: referralsIn(referrals, period),
    rereferrals: rereferrals(referrals, period),
    assessmentsWithin45: assessmentsWithin45(assessments, period, workingDays),
    icpcsWithin15: icpcsWithin15(icpcs, period, workingDays),
    plansByCategory: [...plansByCategory(plans, period)].sort(([a], [b]) => (a < b ? -1 : 1)),
    plansByDuration: [...plansByDuration(plans, period)],
    repeatPlans: repeatPlansWithin2Years(plans, period),
  }
}

/** A performance analyst's dashboard. */
export async function performanceDashboard(ctx: ServiceContext, period: Period, teamId: string | null): Promise<Dashboard> {
  requireGeneral(ctx, 'returns:run')
  const figures = await dashboardFigures(readDbOf(ctx), ctx.actor.partnershipId, period, teamId)
  await auditGrouped(ctx, { action: 'returns:performance-view', recordType: 'performance', detail: { ...period, teamId } })
  return figures
}

/** The partnership's teams, to filter the dashboard by. */
export async function performanceTeams(ctx: ServiceContext): Promise<{ id: string; name: string }[]> {
  requireGeneral(ctx, 'returns:run')
  return queryRows(readDbOf(ctx), sql`select id, name from team where partnership_id = ${ctx.actor.partnershipId} and active order by name`)
}

/** The period the dashboard shows when none is asked for: the twelve months ending today. */
export function lastTwelveMonths(today: string): Period {
  return { from: addDays(addMonths(today, -12), 1), to: today }
}
