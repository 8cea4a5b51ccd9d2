/**
 * The DfE children's social care daily data feed: today's record of each child in the cohort
 * (children with a valid LA child ID and an episode or care period open since the start of the
 * financial year two years back), what changed since the last run (csc_feed_child), and sending
 * in batches of at most 100 with an OAuth2 client-credentials token. The state is kept only once a
 * run's records are written or sent, so a failed send is sent again next time.
 */
import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/connection.ts'
import { cscFeedChild, cscFeedRun } from '../../db/schema/index.ts'
import { addMonths } from '../../domain/timescales/calendar/iso-date.ts'
import { LA_CHILD_ID, batches, compact, selectFeed, type ChildRecord, type Episode, type FeedSelection } from '../../domain/returns/csc-feed/payload.ts'
import { appendAudit, appendAuditBatch } from '../access/audit.ts'
import { recordAutomaticShare } from '../multi-agency/information-sharing.ts'

/** 1 April of the financial year that was running 24 months before `today`. */
export function cohortStart(today: string): string {
  const back = addMonths(today, -24)
  const year = Number(back.slice(0, 4)) - (back.slice(5) < '04-01' ? 1 : 0)
  return `${year}-04-01`
}

interface PersonRow {
  id: string
  la_child_id: string
  upn: string | null
  former_upn: string | null
  upn_unknown: string | null
  given_name: string
  family_name: string
  date_of_birth: string | null
  expected_date_of_birth: string | null
  sex: string | null
  ethnicity: string | null
  disabilities: string[]
  postcode: string | null
}

const opt = <T>(v: T | null) => v ?? undefined

/** Today's record of every child in the cohort, with its hash. */
export async function currentRecords(db: Db, partnershipId: string, today: string): Promise<{ record: ChildRecord; hash: string }[]> {
  const since = cohortStart(today)
  const people = await queryRows<PersonRow>(
    db,
    sql`select p.id, p.la_child_id, p.upn, p.former_upn, p.upn_unknown, p.given_name, p.family_name, p.date_of_birth::text as date_of_birth,
          p.expected_date_of_birth::text as expected_date_of_birth, p.sex, p.ethnicity, p.disabilities, p.postcode
        from person p
        where p.partnership_id = ${partnershipId} and p.la_child_id ~ '^[A-Za-z0-9]{1,20}$'
          and exists (select 1 from child_case c join cin_episode e on e.case_id = c.id
                      where c.person_id = p.id and e.referral_date <= ${today} and (e.closure_date is null or e.closure_date >= ${since}))
        order by p.la_child_id`,
  )
  if (people.length === 0) return []
  const ids = `{${people.map((p) => p.id).join(',')}}`
  const [episodes, assessments, plans, enquiries, care] = await Promise.all([
    queryRows<{ id: string; person_id: string; referral_date: string; referral_source: string; referral_nfa: boolean; closure_date: string | null; closure_reason: string | null }>(
      db,
      sql`select e.id, c.person_id, e.referral_date::text as referral_date, e.referral_source, e.referral_nfa,
            e.closure_date::text as closure_date, e.closure_reason
          from cin_episode e join child_case c on c.id = e.case_id
          where c.person_id = any(${ids}::uuid[]) and e.referral_date <= ${today} and (e.closure_date is null or e.closure_date >= ${since})
          order by e.referral_date, e.id`,
    ),
    queryRows<{ id: string; episode_id: string; started_on: string; authorised_on: string | null; factors: string[] }>(
      db,
      sql`select a.id, a.episode_id, a.started_on::text as started_on, a.authorised_on::text as authorised_on, a.factors
          from assessment a join child_case c on c.id = a.case_id where c.person_id = any(${ids}::uuid[]) and a.started_on <= ${today}
          order by a.started_on, a.id`,
    ),
    queryRows<{ id: string; episode_id: string | null; kind: string; started_on: string; ended_on: string | null }>(
      db,
      sql`select pl.id, pl.episode_id, pl.kind, pl.started_on::text as started_on, pl.ended_on::text as ended_on
          from plan pl join child_case c on c.id = pl.case_id
          where c.person_id = any(${ids}::uuid[]) and pl.kind in ('child-in-need', 'child-protection') and pl.started_on <= ${today}
          order by pl.started_on, pl.id`,
    ),
    queryRows<{ id: string; episode_id: string; started_on: string; outcome: string | null; completed_on: string | null; icpc_on: string | null }>(
      db,
      sql`select s.id, s.episode_id, s.started_on::text as started_on, s.outcome, s.completed_on::text as completed_on,
            (select min(cf.held_on)::text from conference cf where cf.section47_id = s.id and cf.kind = 'initial' and cf.held_on <= ${today}) as icpc_on
          from section47_enquiry s join child_case c on c.id = s.case_id where c.person_id = any(${ids}::uuid[]) and s.started_on <= ${today}
          order by s.started_on, s.id`,
    ),
    queryRows<{ id: string; person_id: string; started_on: string; ended_on: string | null }>(
      db,
      sql`select l.id, c.person_id, l.started_on::text as started_on, l.ended_on::text as ended_on
          from looked_after_period l join child_case c on c.id = l.case_id where c.person_id = any(${ids}::uuid[]) and l.started_on <= ${today}
          order by l.started_on, l.id`,
    ),
  ])
  const upTo = (d: string | null) => (d !== null && d <= today ? d : undefined)
  const byEpisode = new Map<string, Episode>()
  const episodesOf = new Map<string, Episode[]>()
  for (const e of episodes) {
    const closed = upTo(e.closure_date)
    const episode: Episode = {
      social_care_episode_id: e.id,
      referral_date: e.referral_date,
      referral_source: e.referral_source,
      referral_no_further_action_flag: e.referral_nfa,
      closure_date: closed,
      closure_reason: closed ? opt(e.closure_reason) : undefined,
      child_and_family_assessments: [],
      child_in_need_plans: [],
      section_47_assessments: [],
      child_protection_plans: [],
      child_looked_after_placements: [],
    }
    byEpisode.set(e.id, episode)
    episodesOf.set(e.person_id, [...(episodesOf.get(e.person_id) ?? []), episode])
  }
  for (const a of assessments) {
    const authorised = upTo(a.authorised_on)
    byEpisode.get(a.episode_id)?.child_and_family_assessments.push({
      child_and_family_assessment_id: a.id,
      start_date: a.started_on,
      authorisation_date: authorised,
      factors: authorised && a.factors.length > 0 ? a.factors : undefined,
    })
  }
  for (const p of plans) {
    const episode = p.episode_id ? byEpisode.get(p.episode_id) : undefined
    if (!episode) continue
    if (p.kind === 'child-in-need') episode.child_in_need_plans.push({ child_in_need_plan_id: p.id, start_date: p.started_on, end_date: upTo(p.ended_on) })
    else episode.child_protection_plans.push({ child_protection_plan_id: p.id, start_date: p.started_on, end_date: upTo(p.ended_on) })
  }
  for (const s of enquiries) {
    byEpisode.get(s.episode_id)?.section_47_assessments.push({
      section_47_assessment_id: s.id,
      start_date: s.started_on,
      icpc_required_flag: s.outcome === null ? undefined : s.outcome === 'substantiated-continuing-risk',
      icpc_date: opt(s.icpc_on),
      end_date: upTo(s.completed_on),
    })
  }
  // A care period belongs to the child's episode open when it started (the feed nests placements in episodes).
  for (const l of care) {
    const open = (episodesOf.get(l.person_id) ?? []).filter((e) => e.referral_date <= l.started_on)
    open[open.length - 1]?.child_looked_after_placements.push({ child_looked_after_placement_id: l.id, start_date: l.started_on, end_date: upTo(l.ended_on) })
  }
  return people.map((p) => {
    const record = compact<ChildRecord>({
      la_child_id: p.la_child_id,
      mis_child_id: p.id,
      child_details: {
        unique_pupil_number: opt(p.upn),
        former_unique_pupil_number: opt(p.former_upn),
        unique_pupil_number_unknown_reason: p.upn ? undefined : opt(p.upn_unknown),
        first_name: p.given_name,
        surname: p.family_name,
        date_of_birth: upTo(p.date_of_birth),
        expected_date_of_birth: p.date_of_birth && p.date_of_birth <= today ? undefined : opt(p.expected_date_of_birth),
        sex: opt(p.sex),
        ethnicity: opt(p.ethnicity),
        disabilities: p.disabilities.length > 0 ? p.disabilities : undefined,
        postcode: opt(p.postcode),
      },
      social_care_episodes: episodesOf.get(p.id) ?? [],
    })
    return { record, hash: createHash('sha256').update(JSON.stringify(record)).digest('hex') }
  })
}

/** Today's feed for the partnership: a full snapshot on the first run, then changes and purges. */
export async function prepareFeed(db: Db, partnershipId: string, today: string): Promise<FeedSelection> {
  const current = await currentRecords(db, partnershipId, today)
  const sent = await queryRows<{ la_child_id: string; person_id: string | null; payload_hash: string; purged: boolean }>(
    db,
    sql`select la_child_id, person_id, payload_hash, purged from csc_feed_child where partnership_id = ${partnershipId}`,
  )
  return selectFeed(
    current.filter((c) => LA_CHILD_ID.test(c.record.la_child_id)),
    sent.map((s) => ({ laChildId: s.la_child_id, personId: s.person_id, hash: s.payload_hash, purged: s.purged })),
  )
}

/** Keeps what was sent (or written), records the run and audits it, in one transaction. */
export async function commitFeed(
  db: Db,
  partnershipId: string,
  selection: FeedSelection,
  run: { destination: 'file' | 'dfe'; receipts: string[]; now: Date; actorUserId: string | null; trigger?: FeedTrigger },
): Promise<void> {
  await db.transaction(async (tx) => {
    for (const s of selection.state) {
      await tx
        .insert(cscFeedChild)
        .values({ partnershipId, laChildId: s.laChildId, personId: s.personId, payloadHash: s.hash, purged: s.purged, sentAt: run.now })
        .onConflictDoUpdate({
          target: [cscFeedChild.partnershipId, cscFeedChild.laChildId],
          set: { personId: s.personId, payloadHash: s.hash, purged: s.purged, sentAt: run.now },
        })
    }
    const purged = selection.records.filter((r) => r.purge).length
    await tx.insert(cscFeedRun).values({
      partnershipId,
      ranAt: run.now,
      kind: selection.kind,
      children: selection.records.length - purged,
      purged,
      destination: run.destination,
      receipts: run.receipts,
      trigger: run.trigger ?? 'command',
    })
    // Each child sent to DfE is on their sharing ledger with its lawful basis (not a purge, not a file written to check).
    if (run.destination === 'dfe') await recordAutomaticShare(tx as unknown as Db, { kind: 'csc-feed', partnershipId, recordedBy: run.actorUserId, sharedOn: run.now, personIds: selection.state.flatMap((s) => (s.purged || !s.personId ? [] : [s.personId])) })
    // Each child sent is in their access history: one entry per child, one statement.
    if (run.destination === 'dfe') {
      await appendAuditBatch(
        tx as unknown as Db,
        selection.records.flatMap((r) =>
          r.purge ? [] : [{ partnershipId, actorUserId: run.actorUserId, action: 'returns:csc-feed.child', recordType: 'person', recordId: r.mis_child_id, subjectPersonId: r.mis_child_id, detail: { kind: selection.kind }, occurredAt: run.now }],
        ),
      )
    }
    await appendAudit(tx as unknown as Db, {
      partnershipId,
      actorUserId: run.actorUserId,
      action: 'returns:csc-feed',
      recordType: 'csc-feed',
      detail: { kind: selection.kind, destination: run.destination, children: selection.records.length - purged, purged, unchanged: selection.unchanged, batches: run.receipts.length },
      occurredAt: run.now,
    })
  })
}

/** What started a run: the server's periodic jobs, a user (page or API), or the command line. */
export type FeedTrigger = 'scheduled' | 'manual' | 'command'

export interface FeedEndpoint {
  /** Base URL of DfE's API; the path /children_social_care_data/{la}/children is added. */
  apiUrl: string
  tokenUrl: string
  clientId: string
  clientSecret: string
  scope?: string
  /** Sent as the SupplierKey header when set. */
  supplierKey?: string
  laCode: string
}

/** The endpoint from TOGETHER_CSC_* variables; null when the feed is not configured. */
export function feedEndpointFromEnv(env: NodeJS.ProcessEnv, laCode: string | undefined): FeedEndpoint | null {
  const { TOGETHER_CSC_API_URL: apiUrl, TOGETHER_CSC_TOKEN_URL: tokenUrl, TOGETHER_CSC_CLIENT_ID: clientId, TOGETHER_CSC_CLIENT_SECRET: clientSecret } = env
  if (!apiUrl || !tokenUrl || !clientId || !clientSecret || !laCode) return null
  return { apiUrl, tokenUrl, clientId, clientSecret, scope: env.TOGETHER_CSC_SCOPE, supplierKey: env.TOGETHER_CSC_SUPPLIER_KEY, laCode }
}

export class FeedSendError extends Error {
  override name = 'FeedSendError'
}

async function accessToken(endpoint: FeedEndpoint, fetcher: typeof fetch): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: endpoint.clientId, client_secret: endpoint.clientSecret })
  if (endpoint.scope) body.set('scope', endpoint.scope)
  const res = await fetcher(endpoint.tokenUrl, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  if (!res.ok) throw new FeedSendError(`the token endpoint answered ${res.status}`)
  const token = ((await res.json()) as { access_token?: string }).access_token
  if (!token) throw new FeedSendError('the token endpoint gave no access_token')
  return token
}

/**
 * Sends the records in batches of at most 100; a 401 fetches a new token once, a 429 waits and
 * retries (up to 3 times). Returns each batch's receipt. Throws FeedSendError on any other failure.
 */
export async function sendFeed(
  records: readonly ChildRecord[],
  endpoint: FeedEndpoint,
  options: { fetcher?: typeof fetch; wait?: (ms: number) => Promise<void> } = {},
): Promise<string[]> {
  const fetcher = options.fetcher ?? fetch
  const wait = options.wait ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  const url = `${endpoint.apiUrl.replace(/\/$/, '')}/children_social_care_data/${endpoint.laCode}/children`
  let token = await accessToken(endpoint, fetcher)
  const receipts: string[] = []
  for (const batch of batches(records)) {
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
      if (endpoint.supplierKey) headers.SupplierKey = endpoint.supplierKey
      const res = await fetcher(url, { method: 'POST', headers, body: JSON.stringify(batch) })
      if (res.ok) {
        receipts.push(res.status === 204 ? '' : String(await res.json()))
        break
      }
      if (res.status === 401 && attempt === 0) token = await accessToken(endpoint, fetcher)
      else if (res.status === 429 && attempt < 3) await wait(1000 * 2 ** attempt)
      else throw new FeedSendError(`DfE's API answered ${res.status} for a batch of ${batch.length} children`)
    }
  }
  return receipts
}
