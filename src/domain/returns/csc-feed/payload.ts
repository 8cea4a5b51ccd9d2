/**
 * The DfE children's social care daily data feed (OpenAPI 1.0.1, reference-data/csc-api): one
 * record per child, built from Together's rows, and which records a run sends — everything the
 * first time (a full snapshot), afterwards only children whose record changed, plus a purge
 * record for each child sent before who has left the cohort. Pure: hashing is the caller's.
 */

export const BATCH_LIMIT = 100
/** DfE's la_child_id: letters and digits, at most 20. */
export const LA_CHILD_ID = /^[A-Za-z0-9]{1,20}$/

export interface ChildDetails {
  unique_pupil_number?: string
  former_unique_pupil_number?: string
  unique_pupil_number_unknown_reason?: string
  first_name?: string
  surname?: string
  date_of_birth?: string
  expected_date_of_birth?: string
  sex?: string
  ethnicity?: string
  disabilities?: string[]
  postcode?: string
}

export interface Episode {
  social_care_episode_id: string
  referral_date: string
  referral_source: string
  referral_no_further_action_flag: boolean
  closure_date?: string
  closure_reason?: string
  child_and_family_assessments: { child_and_family_assessment_id: string; start_date: string; authorisation_date?: string; factors?: string[] }[]
  child_in_need_plans: { child_in_need_plan_id: string; start_date: string; end_date?: string }[]
  section_47_assessments: { section_47_assessment_id: string; start_date: string; icpc_required_flag?: boolean; icpc_date?: string; end_date?: string }[]
  child_protection_plans: { child_protection_plan_id: string; start_date: string; end_date?: string }[]
  child_looked_after_placements: { child_looked_after_placement_id: string; start_date: string; end_date?: string }[]
}

export interface ChildRecord {
  la_child_id: string
  mis_child_id: string
  purge?: boolean
  child_details?: ChildDetails
  social_care_episodes?: Episode[]
}

/** What was last sent for a child. */
export interface SentState {
  laChildId: string
  personId: string | null
  hash: string
  purged: boolean
}

export interface FeedSelection {
  kind: 'full' | 'changes'
  /** Records to send, in la_child_id order: changed or new children, then purges. */
  records: ChildRecord[]
  /** The state to keep once the records are sent. */
  state: SentState[]
  unchanged: number
}

/** Drops undefined members so the record (and its hash) depends only on what is present. */
export function compact<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/**
 * The records a run sends: `current` are today's records with their hashes; `sent` is what was
 * sent before (empty on the first run, which is then a full snapshot).
 */
export function selectFeed(current: readonly { record: ChildRecord; hash: string }[], sent: readonly SentState[]): FeedSelection {
  const before = new Map(sent.map((s) => [s.laChildId, s]))
  const records: ChildRecord[] = []
  const state: SentState[] = []
  let unchanged = 0
  const now = new Set<string>()
  for (const { record, hash } of [...current].sort((a, b) => (a.record.la_child_id < b.record.la_child_id ? -1 : 1))) {
    now.add(record.la_child_id)
    const last = before.get(record.la_child_id)
    if (last && !last.purged && last.hash === hash) {
      unchanged++
      continue
    }
    records.push(record)
    state.push({ laChildId: record.la_child_id, personId: record.mis_child_id, hash, purged: false })
  }
  for (const s of sent) {
    if (s.purged || now.has(s.laChildId)) continue
    records.push({ la_child_id: s.laChildId, mis_child_id: s.personId ?? undefined!, purge: true })
    state.push({ ...s, purged: true })
  }
  return { kind: sent.length === 0 ? 'full' : 'changes', records: records.map(compact), state, unchanged }
}

/** Records in batches the API accepts. */
export function batches<T>(records: readonly T[], size = BATCH_LIMIT): T[][] {
  const out: T[][] = []
  for (let i = 0; i < records.length; i += size) out.push(records.slice(i, i + size))
  return out
}
