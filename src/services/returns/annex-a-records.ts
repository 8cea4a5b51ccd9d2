/**
 * The rows of Ofsted's Annex A lists for a period, from the journey tables: one query per list,
 * turned into cells by the pure mappings in domain/returns/annex-a. Lists 10 and 11 come from the
 * decisions to place for adoption (services/care/permanence.ts).
 */
import { sql, type SQL } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/connection.ts'
import {
  abuseCategory,
  childColumns,
  closureReason,
  disabled,
  legalStatus,
  placementLocation,
  placementProvider,
  placementType,
  primaryNeed,
  source,
  twelveMonthsBefore,
  yesNo,
  type Cell,
  type ChildFacts,
} from '../../domain/returns/annex-a/codes.ts'
import { accommodationSuitability, accommodationType, activityStatus, eligibilityCategory, laInTouch } from '../../domain/returns/annex-a/care-leavers.ts'
import { noLongerPlacedReason } from '../../domain/returns/annex-a/adoption.ts'
import { addMonths } from '../../domain/timescales/calendar/iso-date.ts'
import { locationOf } from '../../domain/care/placement-rules.ts'
import { authorityArea, postcodeLookup } from '../care/placements.ts'

export interface AnnexAPeriod {
  from: string
  to: string
}

export type AnnexARow = Record<string, Cell>

/** The child's columns and the case's allocation, for any query that joins person p and child_case c. */
const CHILD = sql`p.id as person_id, p.la_child_id, p.sex, p.ethnicity, p.date_of_birth::text as date_of_birth, p.disabilities,
  t.name as team_name, u.display_name as worker_name`
const ALLOCATION = sql`left join team t on t.id = c.team_id left join app_user u on u.id = c.allocated_worker_id`

type ChildRow = ChildFacts & { team_name: string | null; worker_name: string | null }

const allocated = (r: ChildRow): AnnexARow => ({ 'Allocated Team': r.team_name, 'Allocated Worker': r.worker_name })
const withDisability = (r: ChildRow, to: string): AnnexARow => ({ ...childColumns(r, to), 'Does the Child have a Disability': disabled(r.disabilities) })

async function rows<T>(db: Db, query: SQL): Promise<(T & ChildRow)[]> {
  return queryRows<T & ChildRow>(db, query)
}

/** List 1: contacts received in the period, one row per child. */
async function contacts(db: Db, partnershipId: string, { from, to }: AnnexAPeriod): Promise<AnnexARow[]> {
  const found = await rows<{ contact_on: string; source: string }>(
    db,
    sql`select ${CHILD}, (k.received_at at time zone 'Europe/London')::date::text as contact_on, k.source
        from contact_child cc join contact k on k.id = cc.contact_id join person p on p.id = cc.person_id
        join child_case c on c.id = cc.case_id ${ALLOCATION}
        where cc.partnership_id = ${partnershipId}
          and (k.received_at at time zone 'Europe/London')::date between ${from} and ${to}
        order by k.received_at, p.id`,
  )
  return found.map((r) => ({ ...childColumns(r, to), 'Date of Contact': r.contact_on, 'Contact Source': source(r.source) }))
}

/**
 * List 2: early help assessments started or completed in the period, one row per assessment: its
 * start, its completion (blank when after the period or not yet) and the organisation completing it.
 */
async function earlyHelpAssessments(db: Db, partnershipId: string, { from, to }: AnnexAPeriod): Promise<AnnexARow[]> {
  const found = await rows<{ started_on: string; completed_on: string | null; organisation: string }>(
    db,
    sql`select ${CHILD}, h.started_on::text as started_on,
          case when h.completed_on <= ${to} then h.completed_on::text end as completed_on, h.organisation
        from early_help_assessment h join child_case c on c.id = h.case_id join person p on p.id = c.person_id ${ALLOCATION}
        where h.partnership_id = ${partnershipId}
          and (h.started_on between ${from} and ${to} or h.completed_on between ${from} and ${to})
        order by h.started_on, p.id`,
  )
  return found.map((r) => ({
    ...childColumns(r, to),
    'Assessment start date': r.started_on,
    'Assessment completion date': r.completed_on,
    'Organisation completing assessment': r.organisation,
  }))
}

/** List 3: referrals (episodes) in the period, with the child's referrals in the 12 months to each. */
async function referrals(db: Db, partnershipId: string, { from, to }: AnnexAPeriod): Promise<AnnexARow[]> {
  const found = await rows<{ referral_date: string; referral_source: string; referral_nfa: boolean; person_id: string }>(
    db,
    sql`select ${CHILD}, e.referral_date::text as referral_date, e.referral_source, e.referral_nfa
        from cin_episode e join child_case c on c.id = e.case_id join person p on p.id = c.person_id ${ALLOCATION}
        where e.partnership_id = ${partnershipId} and e.referral_date between ${from} and ${to}
        order by e.referral_date, p.id`,
  )
  const history = await referralDates(db, partnershipId, twelveMonthsBefore(from), to)
  return found.map((r) => ({
    ...childColumns(r, to),
    'Date of referral': r.referral_date,
    'Referral Source': source(r.referral_source),
    'Referral NFA?': yesNo(r.referral_nfa),
    'Number of Referrals in Last 12 Months': countWithin(history.get(r.person_id), r.referral_date),
    ...allocated(r),
  }))
}

async function referralDates(db: Db, partnershipId: string, from: string, to: string): Promise<Map<string, string[]>> {
  const found = await queryRows<{ person_id: string; on: string }>(
    db,
    sql`select c.person_id, e.referral_date::text as on from cin_episode e join child_case c on c.id = e.case_id
        where e.partnership_id = ${partnershipId} and e.referral_date between ${from} and ${to}`,
  )
  return groupDates(found)
}

function groupDates(found: { person_id: string; on: string }[]): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (const r of found) map.set(r.person_id, [...(map.get(r.person_id) ?? []), r.on])
  return map
}

/** How many of `dates` fall in the 12 months ending on `on` (that day included). */
function countWithin(dates: readonly string[] | undefined, on: string): number {
  const start = twelveMonthsBefore(on)
  return (dates ?? []).filter((d) => d > start && d <= on).length
}

const SUPPORT_NEEDED = new Set(['cin-plan', 'strategy-discussion', 'continue', 'core-assessment'])

/** List 4: assessments open at any time in the period. */
async function assessments(db: Db, partnershipId: string, { from, to }: AnnexAPeriod): Promise<AnnexARow[]> {
  const found = await rows<{ started_on: string; child_seen_on: string | null; authorised_on: string | null; outcome: string | null }>(
    db,
    sql`select ${CHILD}, a.started_on::text as started_on, a.child_seen_on::text as child_seen_on,
          a.authorised_on::text as authorised_on, a.outcome
        from assessment a join child_case c on c.id = a.case_id join person p on p.id = c.person_id ${ALLOCATION}
        where a.partnership_id = ${partnershipId} and a.started_on <= ${to} and (a.authorised_on is null or a.authorised_on >= ${from})
        order by a.started_on, p.id`,
  )
  return found.map((r) => {
    const authorised = r.authorised_on && r.authorised_on <= to ? r.authorised_on : null
    return {
      ...withDisability(r, to),
      'Continuous Assessment Start Date': r.started_on,
      'Child Seen During Continuous Assessment': r.child_seen_on && r.child_seen_on <= to ? 'True' : authorised ? 'False' : 'Unknown',
      'Continuous Assessment Date of Authorisation': authorised,
      "Was the child assessed as requiring LA children's social care support?": authorised && r.outcome ? yesNo(SUPPORT_NEEDED.has(r.outcome)) : null,
      ...allocated(r),
    }
  })
}

const NO_ICPC_NEEDED = new Set(['not-substantiated', 'substantiated-no-continuing-risk'])

/** List 5: section 47 enquiries started in the period, with their initial conference. */
async function section47s(db: Db, partnershipId: string, { from, to }: AnnexAPeriod): Promise<AnnexARow[]> {
  const found = await rows<{ started_on: string; outcome: string | null; icpc_on: string | null; decision: string | null }>(
    db,
    sql`select ${CHILD}, s.started_on::text as started_on, s.outcome, icpc.held_on::text as icpc_on, icpc.decision
        from section47_enquiry s join child_case c on c.id = s.case_id join person p on p.id = c.person_id ${ALLOCATION}
        left join lateral (select held_on, decision from conference cf
                           where cf.section47_id = s.id and cf.kind = 'initial' and cf.held_on is not null and cf.held_on <= ${to}
                           order by cf.held_on limit 1) icpc on true
        where s.partnership_id = ${partnershipId} and s.started_on between ${from} and ${to}
        order by s.started_on, p.id`,
  )
  const window = twelveMonthsBefore(from)
  const enquiries = groupDates(
    await queryRows(db, sql`select c.person_id, s.started_on::text as on from section47_enquiry s join child_case c on c.id = s.case_id
      where s.partnership_id = ${partnershipId} and s.started_on between ${window} and ${to}`),
  )
  const icpcs = groupDates(
    await queryRows(db, sql`select c.person_id, cf.held_on::text as on from conference cf join child_case c on c.id = cf.case_id
      where cf.partnership_id = ${partnershipId} and cf.kind = 'initial' and cf.held_on between ${window} and ${to}`),
  )
  return found.map((r) => ({
    ...withDisability(r, to),
    'Strategy discussion initiating Section 47 Enquiry Start Date': r.started_on,
    'Was an Initial Child Protection Conference deemed unnecessary?': r.outcome ? yesNo(NO_ICPC_NEEDED.has(r.outcome)) : null,
    'Date of Initial Child Protection Conference': r.icpc_on,
    'Did the Initial Child Protection Conference Result in a Child Protection Plan': r.icpc_on
      ? r.decision === 'plan' ? 'True' : r.decision === 'no-plan' ? 'False' : 'Unknown'
      : null,
    'Number of Section 47 Enquiries in the last 12 months': countWithin(enquiries.get(r.person_id), r.started_on),
    'Number of ICPCs in the last 12 months': countWithin(icpcs.get(r.person_id), r.icpc_on ?? r.started_on),
    ...allocated(r),
  }))
}

/** List 6: children in need — episodes open at any time in the period, with the case's status at its end. */
async function childrenInNeed(db: Db, partnershipId: string, { from, to }: AnnexAPeriod): Promise<AnnexARow[]> {
  const found = await rows<{
    referral_date: string
    primary_need: string | null
    closure_date: string | null
    closure_reason: string | null
    last_seen: string | null
    looked_after: boolean
    cp_plan: boolean
    cin_plan: boolean
    open_assessment: boolean
  }>(
    db,
    sql`select ${CHILD}, e.referral_date::text as referral_date, e.primary_need,
          case when e.closure_date <= ${to} then e.closure_date::text end as closure_date, e.closure_reason,
          (select max(n.occurred_on)::text from case_note n where n.case_id = c.id and n.child_seen and n.occurred_on <= ${to}) as last_seen,
          exists (select 1 from looked_after_period l where l.case_id = c.id and l.started_on <= ${to} and (l.ended_on is null or l.ended_on > ${to})) as looked_after,
          exists (select 1 from plan pl where pl.episode_id = e.id and pl.kind = 'child-protection' and pl.started_on <= ${to} and (pl.ended_on is null or pl.ended_on > ${to})) as cp_plan,
          exists (select 1 from plan pl where pl.episode_id = e.id and pl.kind = 'child-in-need' and pl.started_on <= ${to} and (pl.ended_on is null or pl.ended_on > ${to})) as cin_plan,
          exists (select 1 from assessment a where a.episode_id = e.id and a.started_on <= ${to} and (a.authorised_on is null or a.authorised_on > ${to})) as open_assessment
        from cin_episode e join child_case c on c.id = e.case_id join person p on p.id = c.person_id ${ALLOCATION}
        where e.partnership_id = ${partnershipId} and e.referral_date <= ${to} and (e.closure_date is null or e.closure_date >= ${from})
        order by e.referral_date, p.id`,
  )
  return found.map((r) => ({
    ...withDisability(r, to),
    'CIN Start Date': r.referral_date,
    'Primary Need Code': primaryNeed(r.primary_need),
    'Date Child Was Last Seen': r.last_seen,
    'CIN Closure Date': r.closure_date,
    'Reason for Closure': closureReason(r.closure_date, r.closure_reason),
    'Case Status': r.closure_date
      ? 'e) Closed episode'
      : r.looked_after
        ? 'a) Looked after child'
        : r.cp_plan
          ? 'b) Child Protection plan'
          : r.cin_plan
            ? 'c) Child in need plan'
            : 'd) Open assessment',
    ...allocated(r),
  }))
}

/** List 7: child protection plans open at any time in the period. */
async function childProtection(db: Db, partnershipId: string, { from, to }: AnnexAPeriod): Promise<AnnexARow[]> {
  const sixMonths = addMonths(to, -6)
  const found = await rows<{
    started_on: string
    ended_on: string | null
    initial_category: string | null
    latest_category: string | null
    visit_on: string | null
    seen_alone: boolean | null
    review_on: string | null
    emergency: boolean
    previous: number
  }>(
    db,
    sql`select ${CHILD}, pl.started_on::text as started_on, case when pl.ended_on <= ${to} then pl.ended_on::text end as ended_on,
          pl.initial_category, pl.latest_category, visit.occurred_on::text as visit_on, visit.child_seen_alone as seen_alone,
          (select max(cf.held_on)::text from conference cf where cf.plan_id = pl.id and cf.kind = 'review' and cf.held_on <= ${to}) as review_on,
          exists (select 1 from looked_after_period l join child_case c2 on c2.id = l.case_id
                  where c2.person_id = p.id and l.legal_status in ('L1', 'L2') and l.started_on between ${sixMonths} and ${to})
          or exists (select 1 from emergency_protection ep join child_case c3 on c3.id = ep.case_id
                  where c3.person_id = p.id and ep.started_on between ${sixMonths} and ${to}) as emergency,
          coalesce(
            (select (r.census->>'numberOfPreviousCpp')::int from census_imported_record r where r.entity_id = pl.id and r.entity = 'plan' limit 1),
            (select count(*)::int from plan p2 join child_case c2 on c2.id = p2.case_id
             where c2.person_id = p.id and p2.kind = 'child-protection' and p2.started_on < pl.started_on)) as previous
        from plan pl join child_case c on c.id = pl.case_id join person p on p.id = c.person_id ${ALLOCATION}
        left join lateral (select n.occurred_on, n.child_seen_alone from case_note n
                           where n.case_id = c.id and n.kind = 'statutory-visit' and n.occurred_on between pl.started_on and ${to}
                           order by n.occurred_on desc limit 1) visit on true
        where pl.partnership_id = ${partnershipId} and pl.kind = 'child-protection'
          and pl.started_on <= ${to} and (pl.ended_on is null or pl.ended_on >= ${from})
        order by pl.started_on, p.id`,
  )
  return found.map((r) => ({
    ...withDisability(r, to),
    'Child Protection Plan Start Date': r.started_on,
    'Initial Category of Abuse': abuseCategory(r.initial_category),
    'Latest Category of Abuse': abuseCategory(r.latest_category ?? r.initial_category),
    'Date of the Last Statutory Visit': r.visit_on,
    'Was the Child Seen Alone?': r.visit_on ? (r.seen_alone === null ? 'Unknown' : yesNo(r.seen_alone)) : null,
    'Date of latest review conference': r.review_on,
    'Child Protection Plan End Date': r.ended_on,
    'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)': yesNo(r.emergency),
    'Number of Previous Child Protection Plans': Number(r.previous),
    ...allocated(r),
  }))
}

/**
 * List 8: children looked after at any time in the period: the period, legal status and visits,
 * and the placement columns from the placements recorded in the period of care (the one open at the
 * period's end, or the last; a temporary move is the placement while it lasts): type, provider,
 * postcode, URN (the placement's, else its carer's), IN/OUT and the LA derived from the postcode as
 * the 903 derives them, and the placements (not temporary moves) that began in the 12 months to the
 * end of the period. A period recorded before placements were has none: its start date, postcode and
 * count come from the child's address history (an address moved to while looked after).
 */
async function childrenInCare(db: Db, partnershipId: string, { from, to }: AnnexAPeriod): Promise<AnnexARow[]> {
  const found = await rows<{
    started_on: string
    ended_on: string | null
    legal_status: string
    primary_need: string | null
    again: boolean
    visit_on: string | null
    placement_on: string | null
    placement_postcode: string | null
    placements: number
    place_type: string | null
    provider: string | null
    urn: string | null
    home_postcode: string | null
    missing: number
    away: number
    interview_offered: boolean | null
    interview_accepted: boolean | null
    health_on: string | null
    dental_on: string | null
  }>(
    db,
    sql`select ${CHILD}, l.started_on::text as started_on,
          (select count(*)::int from missing_episode m where m.case_id = c.id and m.kind = 'missing' and m.started_on <= ${to} and m.started_on > (${to}::date - interval '12 months')) as missing,
          (select count(*)::int from missing_episode m where m.case_id = c.id and m.kind = 'away' and m.started_on <= ${to} and m.started_on > (${to}::date - interval '12 months')) as away,
          lm.interview_offered, lm.interview_accepted,
          (select max(h.done_on)::text from health_education_record h where h.case_id = c.id and h.kind in ('initial-health-assessment', 'review-health-assessment') and h.done_on <= ${to}) as health_on,
          (select max(h.done_on)::text from health_education_record h where h.case_id = c.id and h.kind = 'dental-check' and h.done_on <= ${to}) as dental_on, case when l.ended_on <= ${to} then l.ended_on::text end as ended_on, l.legal_status,
          (select e.primary_need from cin_episode e where e.case_id = c.id and e.referral_date <= l.started_on order by e.referral_date desc limit 1) as primary_need,
          exists (select 1 from looked_after_period l2 join child_case c2 on c2.id = l2.case_id
                  where c2.person_id = p.id and l2.id <> l.id and l2.ended_on is not null and l2.ended_on <= l.started_on
                    and l2.ended_on > (l.started_on - interval '12 months')) as again,
          (select max(n.occurred_on)::text from case_note n where n.case_id = c.id and n.kind in ('visit', 'statutory-visit') and n.occurred_on <= ${to}) as visit_on,
          coalesce(cp.started_on::text, pl.from_date::text) as placement_on, coalesce(cp.postcode, pl.postcode) as placement_postcode,
          cp.place_type, cp.provider, cp.urn, case when pc.uasc then null else pc.home_postcode end as home_postcode,
          case when cp.place_type is not null then
            (select count(*)::int from placement x where x.period_id = l.id and x.interrupts_id is null
               and x.started_on <= least(coalesce(l.ended_on, ${to}), ${to}::date) and x.started_on > (${to}::date - interval '12 months'))
          else
            (select count(*)::int from person_address a where a.person_id = p.id and a.from_date >= l.started_on
               and a.from_date <= least(coalesce(l.ended_on, ${to}), ${to}::date) and a.from_date > (${to}::date - interval '12 months'))
          end as placements
        from looked_after_period l join child_case c on c.id = l.case_id join person p on p.id = c.person_id ${ALLOCATION}
        left join period_of_care pc on pc.period_id = l.id
        left join lateral (
          select x.started_on, x.postcode, x.place_type, x.provider, coalesce(x.urn, k.urn) as urn
          from placement x left join carer k on k.id = x.carer_id
          where x.period_id = l.id and x.started_on <= least(coalesce(l.ended_on, ${to}), ${to}::date)
          order by (x.ended_on is null or x.ended_on > least(coalesce(l.ended_on, ${to}), ${to}::date)) desc, x.started_on desc, (x.interrupts_id is not null) desc
          limit 1
        ) cp on true
        left join lateral (
          select a.from_date, a.postcode from person_address a
          where a.person_id = p.id and a.from_date >= l.started_on and a.from_date <= least(coalesce(l.ended_on, ${to}), ${to}::date)
          order by a.from_date desc limit 1
        ) pl on true
        left join lateral (
          select m.interview_offered_on is not null and m.interview_offered_on <= ${to} as interview_offered,
            case when m.interview_offered_on <= ${to} then m.interview_accepted end as interview_accepted
          from missing_episode m where m.case_id = c.id and m.kind = 'missing' and m.returned_on <= ${to}
          order by m.started_at desc limit 1
        ) lm on true
        where l.partnership_id = ${partnershipId} and l.started_on <= ${to} and (l.ended_on is null or l.ended_on >= ${from})
        order by l.started_on, p.id`,
  )
  const area = found.some((r) => r.place_type !== null) ? await authorityArea(db, partnershipId) : ''
  return found.map((r) => {
    const where = r.place_type !== null && r.placement_postcode ? locationOf(postcodeLookup(), area, r.placement_postcode, r.home_postcode) : null
    return {
    ...childColumns(r, to),
    'Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)': null,
    'Does the Child have a Disability': disabled(r.disabilities),
    'Date Started to be Looked After': r.started_on,
    "Child's Category of Need": primaryNeed(r.primary_need),
    'Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)': yesNo(r.again),
    'Start date of current legal status': r.started_on,
    "Child's Legal Status": legalStatus(r.legal_status),
    'Date of Last Social Work Visit': r.visit_on,
    'Number of Placements in the Last 12 months': Number(r.placements),
    'Date Ceased to be Looked After': r.ended_on,
    'Start Date of Most Recent Placement': r.placement_on,
    'Placement Type': placementType(r.place_type),
    'Placement Provider': placementProvider(r.provider),
    'Placement postcode': r.placement_postcode,
    'URN of Placement': r.urn,
    'Placement Location': placementLocation(where?.location),
    'LA of Placement': where?.la ?? null,
    'Date of Last Health Assessment': r.health_on,
    'Date of Last Dental Check': r.dental_on,
    "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months": Number(r.missing),
    "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months": Number(r.away),
    'Was the child offered a Return Interview after their last missing episode (Y/N)?': yesNo(r.interview_offered),
    'Did the child accept a Return Interview after their last missing episode (Y/N)?': yesNo(r.interview_accepted),
    ...allocated(r),
    }
  })
}

/**
 * List 9: care leavers (a case with a care leaver's record) aged 16 to 25 at some time in the
 * period, with the latest pathway plan or review and the latest contact up to the period's end.
 */
async function careLeavers(db: Db, partnershipId: string, { from, to }: AnnexAPeriod): Promise<AnnexARow[]> {
  const found = await rows<{
    category: string
    personal_adviser: string | null
    uasc: boolean
    plan_on: string | null
    contact_on: string | null
    in_touch: string | null
    accommodation: string | null
    activity: string | null
  }>(
    db,
    sql`select ${CHILD}, cl.category, cl.personal_adviser,
          exists (select 1 from period_of_care pc where pc.case_id = c.id and pc.uasc) as uasc,
          (select max(r.on)::text from care_leaver_record r where r.case_id = c.id and r.kind in ('pathway-plan', 'pathway-plan-review') and r.on <= ${to}) as plan_on,
          lc.on::text as contact_on, lc.in_touch, lc.accommodation, lc.activity
        from care_leaver cl join child_case c on c.id = cl.case_id join person p on p.id = c.person_id ${ALLOCATION}
        left join lateral (
          select r.on, r.in_touch, r.accommodation, r.activity from care_leaver_record r
          where r.case_id = c.id and r.kind = 'contact' and r.on <= ${to} order by r.on desc, r.created_at desc limit 1
        ) lc on true
        where cl.partnership_id = ${partnershipId}
          and p.date_of_birth <= (${to}::date - interval '16 years') and p.date_of_birth > (${from}::date - interval '26 years')
        order by p.date_of_birth, p.id`,
  )
  return found.map((r) => ({
    ...withDisability(r, to),
    'Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)': yesNo(r.uasc),
    ...allocated(r),
    'Allocated Personal Advisor': r.personal_adviser,
    'Eligibility Category': eligibilityCategory(r.category),
    'Latest Pathway Plan Review Date': r.plan_on,
    'LA in Touch': laInTouch(r.in_touch),
    'Latest Date of Contact': r.contact_on,
    'Type of Accommodation': accommodationType(r.accommodation),
    'Suitability of Accommodation': accommodationSuitability(r.in_touch === 'YES' ? r.accommodation : null),
    'Activity Status': activityStatus(r.activity),
  }))
}

interface AdoptionFacts {
  decision_id: string
  entered_on: string
  decided_on: string
  placement_order_on: string | null
  matched_on: string | null
  placed_on: string | null
  ffa_on: string | null
  adopted_on: string | null
  ceased_on: string | null
  reason_ceased: string | null
}

/** Decisions to place for adoption standing at some time in the period, with their period's adoption dates up to its end. */
async function adoptionDecisions(db: Db, partnershipId: string, { from, to }: AnnexAPeriod) {
  return rows<AdoptionFacts>(
    db,
    sql`select ${CHILD}, d.id as decision_id, l.started_on::text as entered_on, d.decided_on::text as decided_on,
          (select min(s.from_on)::text from legal_status_change s where s.period_id = l.id and s.legal_status = 'E1' and s.from_on <= ${to}) as placement_order_on,
          case when d.matched_on <= ${to} then d.matched_on::text end as matched_on,
          (select min(pl.started_on)::text from placement pl where pl.period_id = l.id and pl.place_type in ('A3', 'A4', 'A5', 'A6') and pl.started_on <= ${to}) as placed_on,
          (select min(pl.started_on)::text from placement pl where pl.period_id = l.id and pl.place_type in ('U2', 'U5') and pl.started_on <= ${to}) as ffa_on,
          case when pc.reason_ceased in ('E11', 'E12') and l.ended_on <= ${to} then l.ended_on::text end as adopted_on,
          case when d.ceased_on <= ${to} then d.ceased_on::text end as ceased_on,
          case when d.ceased_on <= ${to} then d.reason_ceased end as reason_ceased
        from adoption_decision d join looked_after_period l on l.id = d.period_id left join period_of_care pc on pc.period_id = l.id
        join child_case c on c.id = d.case_id join person p on p.id = c.person_id ${ALLOCATION}
        where d.partnership_id = ${partnershipId} and d.decided_on <= ${to} and (d.ceased_on is null or d.ceased_on >= ${from})
        order by d.decided_on, p.id`,
  )
}

/** List 10: children with a decision to place for adoption standing in the period. Family identifier: no sibling groups are recorded yet. */
async function adoptionChildren(db: Db, partnershipId: string, period: AnnexAPeriod): Promise<AnnexARow[]> {
  return (await adoptionDecisions(db, partnershipId, period)).map((r) => ({
    ...withDisability(r, period.to),
    'Family identifier': null,
    'Date the Child Entered Care': r.entered_on,
    'Date of Decision that Child Should be Placed for Adoption': r.decided_on,
    'Date of Placement Order': r.placement_order_on,
    'Date of Matching Child and Prospective Adopters': r.matched_on,
    'Date Placed for Adoption': r.placed_on,
    'Date of Adoption Order': r.adopted_on,
    'Date of Decision that Child Should No Longer be Placed for Adoption': r.ceased_on,
    'Reason Why Child No Longer Placed for Adoption': noLongerPlacedReason(r.reason_ceased),
    'Date the child was placed for fostering in FFA or concurrent planning placement': r.ffa_on,
  }))
}

/**
 * List 11: the adopters matched with a child, one row per match (the record holds the adopters as AD1
 * does, not an adopter's own record: recruitment, stages 1 and 2 and approval are blank, and the
 * identifier is the match's). Fostering for adoption when the child had an FFA placement (U2, U5).
 */
async function adopters(db: Db, partnershipId: string, period: AnnexAPeriod): Promise<AnnexARow[]> {
  return (await adoptionDecisions(db, partnershipId, period))
    .filter((r) => r.matched_on !== null)
    .map((r) => ({
      'Individual adopter identifier': `ADOPTERS-${r.decision_id.slice(0, 8).toUpperCase()}`,
      'Family identifier': null,
      'Is the (prospective) adopter fostering for adoption?': r.ffa_on ? 'Yes' : 'No',
      'Date adopter matched with child(ren)': r.matched_on,
      'Date child/children placed with adopter(s)': r.placed_on,
      'No. of children placed': r.placed_on ? 1 : 0,
      'Date of Adoption Order': r.adopted_on,
      'Date of leaving adoption process': r.ceased_on,
      'Reason for leaving adoption process': r.ceased_on ? noLongerPlacedReason(r.reason_ceased) : null,
    }))
}


/** Each list's rows, by list number. */
export const ANNEX_A_QUERIES: Record<number, (db: Db, partnershipId: string, period: AnnexAPeriod) => Promise<AnnexARow[]>> = {
  1: contacts,
  2: earlyHelpAssessments,
  3: referrals,
  4: assessments,
  5: section47s,
  6: childrenInNeed,
  7: childProtection,
  8: childrenInCare,
  9: careLeavers,
  10: adoptionChildren,
  11: adopters,
}
