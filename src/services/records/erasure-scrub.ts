/**
 * What an approved erasure removes (docs/data-protection.md, "Erasure"). Called only by
 * decideErasure (retention.ts) inside its transaction, after the two-person check and the holds.
 *
 * Conservative by design: free text and identifying details go; ids, dates, codes, who recorded
 * what and the audit log stay, so statutory counts, the access history and the chain still hold.
 * A person's own record is erased only when nothing else of the partnership refers to them.
 * Column names come from the constant lists below, never from input.
 */
import { and, eq, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/connection.ts'
import { documentVersion } from '../../db/schema/index.ts'
import { storeOf, type DocumentStore } from './document-store.ts'

/** What an erasure removed, counted (kept on the tombstone; no personal details). */
export type ErasedCounts = Record<string, number>

const ERASED = 'Erased'

type Scrub = 'null' | 'erased' | 'empty-list'

/**
 * The free-text columns of each table of a case's records: set to null, to 'Erased' (a column
 * that must hold text) or to an empty list (names of attendees and participants).
 */
const CASE_TABLES: Record<string, Record<string, Scrub>> = {
  case_note: { title: 'erased', body: 'erased' },
  assessment: { developmental_needs: 'null', parenting_capacity: 'null', family_environment: 'null', analysis: 'null', authorisation_comment: 'null', delay_reason: 'null', return_reasons: 'null', reopen_reason: 'null' },
  strategy_discussion: { attendees: 'empty-list', information_shared: 'erased', decision_detail: 'null', immediate_safety_actions: 'null' },
  section47_enquiry: { findings: 'null', childs_account: 'null', outcome_reasons: 'null' },
  conference: { participants: 'empty-list', venue: 'null', reschedule_reason: 'null', outline_plan: 'null', dissent: 'null', delay_reason: 'null' },
  core_group_meeting: { attendees: 'null', notes: 'null' },
  plan: { summary: 'null', end_reason: 'null' },
  plan_item: { description: 'erased', progress: 'null' },
  pre_proceedings: { fgdm_not_offered_reason: 'null' },
  early_help_assessment: { summary: 'erased' },
  emergency_protection: { notes: 'null' },
  missing_episode: { notes: 'null', interview_by: 'null' },
  health_education_record: { done_by: 'null', notes: 'null' },
  care_leaver_record: { notes: 'null' },
  // Where the child lived and was placed: the postcodes go, the codes and dates the 903 counts stay.
  period_of_care: { home_postcode: 'null' },
  placement: { postcode: 'erased' },
  home_postcode_change: { postcode: 'null' },
  clock: { delay_reason: 'null' },
  task: { title: 'erased' },
  case_transfer: { reason: 'erased' },
  conference_report: { body: 'erased' },
  information_request: { question: 'erased', information: 'null' },
  information_share: { information: 'erased', consent_reason: 'null', advice_sought: 'null' },
  plan_action_update: { note: 'erased' },
  strategy_contribution: { body: 'erased' },
  notification: { title: 'erased', link: 'null' },
  access_grant: { reason: 'erased', withdraw_reason: 'null' },
  case_restriction: { reason: 'erased' },
  case_involvement: { reason: 'null', end_reason: 'null' },
}

function setList(columns: Record<string, Scrub>): string {
  return Object.entries(columns)
    .map(([c, how]) => `"${c}" = ${how === 'null' ? 'null' : how === 'erased' ? `'${ERASED}'` : `'[]'::jsonb`}`)
    .join(', ')
}

async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const rows = await queryRows<{ n: number }>(db, sql`with changed as (${query} returning 1) select count(*)::int as n from changed`)
  return Number(rows[0]?.n ?? 0)
}

/**
 * Erases one document: its bytes (every version's chunks in the database, or its object in the
 * S3-compatible store, deleted before the erasure commits: a failed delete fails the erasure, to
 * be tried again), its title, source and file names. A version in the object store while it is not
 * configured refuses the erasure (StoreNotConfigured) rather than leave the file behind.
 */
export async function eraseDocument(db: Db, partnershipId: string, documentId: string, objectStore: DocumentStore | null | undefined): Promise<ErasedCounts> {
  const stored = await db.select().from(documentVersion).where(and(eq(documentVersion.partnershipId, partnershipId), eq(documentVersion.documentId, documentId)))
  let chunks = 0
  let objects = 0
  for (const v of stored) {
    const store = storeOf(objectStore, v)
    const removed = await store.remove(db, v)
    if (store.kind === 's3') objects += removed
    else chunks += removed
  }
  const versions = await count(db, sql`update document_version set file_name = 'erased' where partnership_id = ${partnershipId} and document_id = ${documentId}`)
  const documents = await count(db, sql`update document set title = ${ERASED}, received_from = null where partnership_id = ${partnershipId} and id = ${documentId}`)
  return { documents, documentVersions: versions, documentChunks: chunks, ...(objects > 0 ? { documentObjects: objects } : {}) }
}

/**
 * Erases a case: every revision's content, the free text of its records (CASE_TABLES), its
 * documents, its alerts, the contacts only about it, the family network's notes, and the child's
 * own details and person-index entries when nothing else refers to the child.
 */
export async function eraseCase(db: Db, partnershipId: string, caseId: string, objectStore: DocumentStore | null | undefined): Promise<ErasedCounts> {
  const counts: ErasedCounts = {}
  const add = (key: string, n: number) => {
    if (n > 0) counts[key] = (counts[key] ?? 0) + n
  }
  add('revisions', await count(db, sql`update record_revision set data = '{"erased": true}'::jsonb where partnership_id = ${partnershipId} and case_id = ${caseId} and entity <> 'erasure'`))
  for (const [table, columns] of Object.entries(CASE_TABLES)) {
    const where = table === 'plan_item' ? sql.raw(`(plan_id in (select id from plan where case_id = '${caseId}') or strategy_discussion_id in (select id from strategy_discussion where case_id = '${caseId}'))`) : sql.raw(`case_id = '${caseId}'`)
    add(table, await count(db, sql`update ${sql.raw(`"${table}"`)} set ${sql.raw(setList(columns))} where partnership_id = ${partnershipId} and ${where}`))
  }
  const docs = await queryRows<{ id: string }>(db, sql`select id from document where partnership_id = ${partnershipId} and case_id = ${caseId}`)
  for (const d of docs) for (const [k, n] of Object.entries(await eraseDocument(db, partnershipId, d.id, objectStore))) add(k, n)
  add('caseAlerts', await count(db, sql`update child_case set worker_safety = null, communication_needs = null where partnership_id = ${partnershipId} and id = ${caseId} and (worker_safety is not null or communication_needs is not null)`))
  // Contacts about this child only (a contact about several children keeps its words for the others).
  add(
    'contacts',
    await count(
      db,
      sql`update contact set referrer_name = ${ERASED}, referrer_role = null, referrer_contact = null, concern = ${ERASED}, consent_reason = null, decision_reason = null, feedback = null
          where partnership_id = ${partnershipId} and id in (select contact_id from contact_child where case_id = ${caseId})
            and not exists (select 1 from contact_child other where other.contact_id = contact.id and other.case_id <> ${caseId})`,
    ),
  )
  const [c] = await queryRows<{ person_id: string }>(db, sql`select person_id from child_case where id = ${caseId} and partnership_id = ${partnershipId}`)
  const personId = c!.person_id
  add('familyNotes', await count(db, sql`update person_relationship set notes = null where partnership_id = ${partnershipId} and person_id = ${personId} and notes is not null`))
  // The child's own record goes only when nothing else refers to them.
  const [elsewhere] = await queryRows<{ used: boolean }>(
    db,
    sql`select exists (select 1 from child_case where person_id = ${personId} and id <> ${caseId})
          or exists (select 1 from contact_child where person_id = ${personId} and case_id <> ${caseId})
          or exists (select 1 from person_relationship where related_person_id = ${personId})
          or exists (select 1 from lado_child where case_id = ${caseId})
          or exists (select 1 from serious_incident where case_id = ${caseId})
          or exists (select 1 from practice_review where case_id = ${caseId})
          or exists (select 1 from legal_hold where person_id = ${personId} and lifted_at is null) as used`,
  )
  if (elsewhere?.used) {
    counts.personKept = 1
    return counts
  }
  add(
    'person',
    await count(
      db,
      sql`update person set given_name = ${ERASED}, family_name = ${ERASED}, date_of_birth = null, gender = null, nhs_number = null, expected_date_of_birth = null,
            date_of_death = null, la_child_id = null, upn = null, former_upn = null, upn_unknown = null, ethnicity = null, disabilities = '{}', communication_needs = null,
            postcode = null, address = null, version = version + 1
          where partnership_id = ${partnershipId} and id = ${personId}`,
    ),
  )
  add('personChanges', await count(db, sql`update person_change set previous_value = null, new_value = null, reason = ${ERASED} where person_id = ${personId}`))
  add('personAddresses', await count(db, sql`update person_address set address = ${ERASED}, postcode = null, reason = ${ERASED} where person_id = ${personId}`))
  const sources = sql`(select id from source_record where person_id = ${personId})`
  add('personIndexKeys', await count(db, sql`delete from match_key where source_record_id in ${sources}`))
  add('personIndexNames', await count(db, sql`delete from source_name where source_record_id in ${sources}`))
  add('personIndexAddresses', await count(db, sql`delete from source_address where source_record_id in ${sources}`))
  add(
    'personIndexRecords',
    await count(
      db,
      sql`update source_record set given_name = null, middle_names = null, family_name = null, date_of_birth = null, expected_date_of_birth = null, nhs_number = null, upn = null,
            local_ids = '{}'::jsonb, postcode = null, address_line = null, match_data = null where person_id = ${personId}`,
    ),
  )
  add('personIndexEvidence', await count(db, sql`update person_link_event set evidence = '{}'::jsonb, reason = null where person_id = ${personId}`))
  add('feedMemory', await count(db, sql`delete from csc_feed_child where person_id = ${personId}`))
  return counts
}
