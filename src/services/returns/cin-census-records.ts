/**
 * Reads the children of one census year from the journey tables, a batch of children at a time,
 * and turns their records into the census model: only episodes open at some point in the year,
 * only sub-modules with activity in the year, and nothing dated after the reference date (a plan
 * that ended after 31 March was still open on it).
 */
import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/connection.ts'
import type {
  CensusChild,
  CensusChildProtectionPlan,
  CensusEpisode,
  CensusPreProceedings,
  CensusSection47,
} from '../../domain/returns/cin-census/model.ts'
import { DRAFT_CENSUS_YEAR, emptyEpisode } from '../../domain/returns/cin-census/model.ts'

export interface CensusPeriod {
  year: number
  start: string
  end: string
}

export function censusPeriod(year: number): CensusPeriod {
  return { year, start: `${year - 1}-04-01`, end: `${year}-03-31` }
}

/** A census child with the Together case it came from (findings link to it). */
export interface CensusRecord {
  child: CensusChild
  personId: string
  caseId: string
}

const S47_NO_ICPC_NEEDED = new Set(['not-substantiated', 'substantiated-no-continuing-risk'])
const GENDER_CURRENT: Record<string, string> = { M: '1', F: '2', U: '0' }

/** `'{a,b}'` for `= any(...::uuid[])`; ids come from the database, so they are uuids. */
const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`

interface PersonRow {
  id: string
  la_child_id: string | null
  upn: string | null
  former_upn: string | null
  upn_unknown: string | null
  date_of_birth: string | null
  expected_date_of_birth: string | null
  sex: string | null
  date_of_death: string | null
  ethnicity: string | null
  disabilities: string[] | null
}

interface EpisodeRow {
  id: string
  case_id: string
  person_id: string
  referral_date: string
  referral_source: string
  primary_need: string | null
  referral_nfa: boolean
  closure_date: string | null
  closure_reason: string | null
}

const inCensus = (partnershipId: string, period: CensusPeriod) =>
  sql`p.partnership_id = ${partnershipId}
      and exists (select 1 from child_case c join cin_episode e on e.case_id = c.id
                  where c.person_id = p.id and e.referral_date <= ${period.end}
                    and (e.closure_date is null or e.closure_date >= ${period.start}))`

/** How many children a partnership's census for the year has (for progress). */
export async function countCensusChildren(db: Db, partnershipId: string, year: number): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from person p where ${inCensus(partnershipId, censusPeriod(year))}`)
  return row?.n ?? 0
}

/** Yields the census records of a partnership for a year, `batchSize` children per round of queries. */
export async function* censusRecords(
  db: Db,
  partnershipId: string,
  year: number,
  batchSize = 2000,
): AsyncGenerator<CensusRecord> {
  const period = censusPeriod(year)
  let after = '00000000-0000-0000-0000-000000000000'
  for (;;) {
    const people = await queryRows<PersonRow>(
      db,
      sql`select p.id, p.la_child_id, p.upn, p.former_upn, p.upn_unknown, p.date_of_birth::text as date_of_birth,
            p.expected_date_of_birth::text as expected_date_of_birth, p.sex, p.date_of_death::text as date_of_death,
            p.ethnicity, p.disabilities
          from person p
          where p.id > ${after} and ${inCensus(partnershipId, period)}
          order by p.id limit ${batchSize}`,
    )
    if (people.length === 0) return
    after = people[people.length - 1]!.id
    yield* await batchRecords(db, people, period)
    if (people.length < batchSize) return
  }
}

async function batchRecords(db: Db, people: PersonRow[], period: CensusPeriod): Promise<CensusRecord[]> {
  const { start, end, year } = period
  const personIds = uuidArray(people.map((p) => p.id))
  const episodes = await queryRows<EpisodeRow>(
    db,
    sql`select e.id, e.case_id, c.person_id, e.referral_date::text as referral_date, e.referral_source, e.primary_need,
          e.referral_nfa, e.closure_date::text as closure_date, e.closure_reason
        from cin_episode e join child_case c on c.id = e.case_id
        where c.person_id = any(${personIds}::uuid[]) and e.referral_date <= ${end}
          and (e.closure_date is null or e.closure_date >= ${start})
        order by c.person_id, e.referral_date, e.created_at, e.id`,
  )
  const caseIds = uuidArray([...new Set(episodes.map((e) => e.case_id))])
  const [assessments, section47s, conferences, plans, preProceedings] = await Promise.all([
    queryRows<{ episode_id: string; started_on: string; authorised_on: string | null; factors: string[] }>(
      db,
      sql`select episode_id, started_on::text as started_on, authorised_on::text as authorised_on, factors
          from assessment where case_id = any(${caseIds}::uuid[]) and started_on <= ${end}
            and (authorised_on is null or authorised_on >= ${start})
          order by episode_id, started_on, created_at, id`,
    ),
    queryRows<{ id: string; episode_id: string; started_on: string; icpc_target: string | null; outcome: string | null }>(
      db,
      sql`select id, episode_id, started_on::text as started_on, icpc_target::text as icpc_target, outcome
          from section47_enquiry where case_id = any(${caseIds}::uuid[]) and started_on <= ${end}
          order by started_on, created_at, id`,
    ),
    queryRows<{ episode_id: string; section47_id: string | null; plan_id: string | null; kind: string; held_on: string }>(
      db,
      sql`select episode_id, section47_id, plan_id, kind, held_on::text as held_on from conference
          where case_id = any(${caseIds}::uuid[]) and held_on <= ${end}
          order by held_on, created_at, id`,
    ),
    queryRows<{
      id: string
      case_id: string
      episode_id: string | null
      kind: string
      started_on: string
      ended_on: string | null
      initial_category: string | null
      latest_category: string | null
      previous: string | number
    }>(
      db,
      sql`select pl.id, pl.case_id, pl.episode_id, pl.kind, pl.started_on::text as started_on, pl.ended_on::text as ended_on,
            pl.initial_category, pl.latest_category,
            coalesce(
              -- an imported plan keeps the count its census file gave (plans before our records start)
              (select (r.census->>'numberOfPreviousCpp')::int from census_imported_record r where r.entity_id = pl.id and r.entity = 'plan' limit 1),
              (select count(*) from plan p2 join child_case c2 on c2.id = p2.case_id
               where c2.person_id = c.person_id and p2.kind = 'child-protection' and p2.started_on < pl.started_on)) as previous
          from plan pl join child_case c on c.id = pl.case_id
          where pl.case_id = any(${caseIds}::uuid[]) and pl.kind in ('child-in-need', 'child-protection')
            and pl.started_on <= ${end} and (pl.ended_on is null or pl.ended_on >= ${start})
          order by pl.started_on, pl.created_at, pl.id`,
    ),
    year === DRAFT_CENSUS_YEAR
      ? queryRows<{
          case_id: string
          episode_id: string | null
          decision_on: string
          letter_sent_on: string | null
          fgdm_offered: boolean
          fgdm_meeting_on: string | null
          initial_meeting_on: string | null
          proceedings_issued_on: string | null
          outcome: string | null
          ended_on: string | null
        }>(
          db,
          sql`select case_id, episode_id, decision_on::text as decision_on, letter_sent_on::text as letter_sent_on, fgdm_offered,
                fgdm_meeting_on::text as fgdm_meeting_on, initial_meeting_on::text as initial_meeting_on,
                proceedings_issued_on::text as proceedings_issued_on, outcome, ended_on::text as ended_on
              from pre_proceedings where case_id = any(${caseIds}::uuid[]) and decision_on <= ${end}
                and (ended_on is null or ended_on >= ${start})
              order by decision_on, created_at, id`,
        )
      : Promise.resolve([]),
  ])

  const byEpisode = new Map<string, CensusEpisode>()
  const episodesOfCase = new Map<string, { row: EpisodeRow; episode: CensusEpisode }[]>()
  const childOf = new Map<string, CensusRecord>()
  const inYear = (d: string | null | undefined) => d != null && d >= start && d <= end
  const upToEnd = (d: string | null | undefined) => (d != null && d <= end ? d : undefined)

  for (const p of people) {
    const child: CensusChild = {
      laChildId: p.la_child_id ?? undefined,
      upn: p.upn ?? undefined,
      formerUpn: p.former_upn ?? undefined,
      upnUnknown: p.upn ? undefined : (p.upn_unknown ?? undefined),
      personBirthDate: upToEnd(p.date_of_birth),
      expectedPersonBirthDate: p.date_of_birth && p.date_of_birth <= end ? undefined : (p.expected_date_of_birth ?? p.date_of_birth ?? undefined),
      sex: p.sex ?? undefined,
      genderCurrent: p.sex ? GENDER_CURRENT[p.sex] : undefined,
      personDeathDate: upToEnd(p.date_of_death),
      ethnicity: p.ethnicity ?? undefined,
      disabilities: p.disabilities && p.disabilities.length > 0 ? p.disabilities : undefined,
      episodes: [],
    }
    childOf.set(p.id, { child, personId: p.id, caseId: '' })
  }
  for (const row of episodes) {
    const record = childOf.get(row.person_id)!
    if (record.caseId === '') record.caseId = row.case_id
    const closed = upToEnd(row.closure_date)
    const episode: CensusEpisode = {
      ...emptyEpisode(),
      referralDate: row.referral_date,
      referralSource: row.referral_source,
      primaryNeedCode: row.primary_need ?? undefined,
      closureDate: closed,
      reasonForClosure: closed ? (row.closure_reason ?? undefined) : undefined,
      referralNfa: row.referral_nfa ? '1' : '0',
    }
    record.child.episodes.push(episode)
    byEpisode.set(row.id, episode)
    const list = episodesOfCase.get(row.case_id) ?? []
    list.push({ row, episode })
    episodesOfCase.set(row.case_id, list)
  }

  for (const a of assessments) {
    const authorised = upToEnd(a.authorised_on)
    byEpisode.get(a.episode_id)?.assessments.push({
      startDate: a.started_on,
      authorisationDate: authorised,
      factors: authorised && a.factors.length > 0 ? a.factors : undefined,
    })
  }

  // Each enquiry's ICPC: the first initial conference held for it by the reference date.
  const icpcOf = new Map<string, string>()
  for (const cf of conferences) {
    if (cf.kind === 'initial' && cf.section47_id && !icpcOf.has(cf.section47_id)) icpcOf.set(cf.section47_id, cf.held_on)
  }
  const includedS47 = new Map<string, CensusSection47>()
  for (const row of section47s) {
    const s = { ...row, icpc: icpcOf.get(row.id) ?? null }
    const notNeeded = s.outcome !== null && S47_NO_ICPC_NEEDED.has(s.outcome)
    const awaiting = s.icpc === null && !notNeeded
    if (!(s.started_on >= start || inYear(s.icpc) || awaiting)) continue
    const entry: CensusSection47 = {
      startDate: s.started_on,
      initialCpcTarget: s.icpc_target ?? undefined,
      dateOfInitialCpc: s.icpc ?? undefined,
      icpcNotRequired: notNeeded ? '1' : '0',
    }
    byEpisode.get(s.episode_id)?.section47s.push(entry)
    includedS47.set(s.id, entry)
  }

  const reviewsOfPlan = new Map<string, string[]>()
  for (const cf of conferences) {
    if (!inYear(cf.held_on)) continue
    if (cf.kind === 'review' && cf.plan_id) {
      const list = reviewsOfPlan.get(cf.plan_id) ?? []
      list.push(cf.held_on)
      reviewsOfPlan.set(cf.plan_id, list)
    } else if ((cf.kind === 'initial' || cf.kind === 'transfer-in') && !(cf.section47_id && includedS47.has(cf.section47_id))) {
      // An ICPC whose enquiry is not in this census (it started in an earlier year) is recorded on the episode.
      const episode = byEpisode.get(cf.episode_id)
      if (episode && episode.dateOfInitialCpc === undefined) episode.dateOfInitialCpc = cf.held_on
    }
  }

  for (const pl of plans) {
    const episode = episodeFor(pl.episode_id, pl.case_id, pl.started_on, byEpisode, episodesOfCase)
    if (!episode) continue
    const ended = upToEnd(pl.ended_on)
    if (pl.kind === 'child-in-need') {
      episode.cinPlans.push({ startDate: pl.started_on, endDate: ended })
      continue
    }
    const plan: CensusChildProtectionPlan = {
      startDate: pl.started_on,
      endDate: ended,
      initialCategory: pl.initial_category ?? undefined,
      latestCategory: pl.latest_category ?? pl.initial_category ?? undefined,
      numberOfPreviousCpp: String(pl.previous),
      reviews: reviewsOfPlan.get(pl.id),
    }
    episode.childProtectionPlans.push(plan)
  }

  for (const pp of preProceedings) {
    const episode = episodeFor(pp.episode_id, pp.case_id, pp.decision_on, byEpisode, episodesOfCase)
    if (!episode) continue
    const entry: CensusPreProceedings = {
      ppStartDate: pp.decision_on,
      lbpSentDate: upToEnd(pp.letter_sent_on),
      fgdmMeetingOffer: pp.fgdm_offered ? '1' : '0',
      fgdmMeetingFac: pp.fgdm_offered ? (upToEnd(pp.fgdm_meeting_on) ? '1' : '0') : undefined,
      initialPpMeetingDate: upToEnd(pp.initial_meeting_on),
      stepDecisionDate: upToEnd(pp.ended_on),
      ppOutcome: upToEnd(pp.ended_on) ? (pp.outcome ?? undefined) : undefined,
      courtAppDate: upToEnd(pp.proceedings_issued_on),
    }
    episode.preProceedings.push(entry)
  }

  return [...childOf.values()].filter((r) => r.child.episodes.length > 0)
}

/** The plan's own episode, or (for a plan recorded without one) the case's latest episode referred by its start. */
function episodeFor(
  episodeId: string | null,
  caseId: string,
  startedOn: string,
  byEpisode: Map<string, CensusEpisode>,
  episodesOfCase: Map<string, { row: EpisodeRow; episode: CensusEpisode }[]>,
): CensusEpisode | undefined {
  if (episodeId) return byEpisode.get(episodeId)
  const candidates = (episodesOfCase.get(caseId) ?? []).filter((e) => e.row.referral_date <= startedOn)
  return candidates[candidates.length - 1]?.episode
}
