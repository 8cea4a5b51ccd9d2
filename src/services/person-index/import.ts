/**
 * Importing source records (`together import people FILE.csv`): each row is created or, when its
 * source_system and source_id are already held, updated. A new record is linked automatically
 * only on the certain rule (valid NHS number, agreeing date of birth and names, no hazard against
 * any record of that person); otherwise it becomes a person of its own, and its probable and
 * possible candidates go to the review queue.
 */
import { and, eq } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../db/connection.ts'
import { matchReview, sourceAddress, sourceName, sourceRecord } from '../../db/schema/index.ts'
import type { MatchModel } from '../../domain/person-index/model.ts'
import { score } from '../../domain/person-index/score.ts'
import type { MatchRecord } from '../../domain/person-index/standardise.ts'
import { explain } from '../../domain/person-index/explain.ts'
import { parsePostcode } from '../../domain/person-index/postcode.ts'
import { isValidNhsNumber } from '../../domain/journey/nhs-number.ts'
import { UPN_SHAPE, upnCheckLetter } from '../../domain/returns/cin-census/upn.ts'
import { unstorableTextPath } from '../common/storable-text.ts'
import { createPersonFor, setLink, type LinkActor, type LinkEvidence } from './links.ts'
import { candidateView, findCandidates, indexRecords, type Candidate } from './store.ts'

export const IMPORT_COLUMNS = [
  'source_system', 'source_id', 'given_name', 'middle_names', 'family_name', 'date_of_birth', 'sex', 'nhs_number', 'postcode', 'address_line',
] as const

/** An optional identifier column: the pupil's Unique Pupil Number, its check letter checked. */
export const IDENTIFIER_COLUMNS = ['upn'] as const

/**
 * Optional history columns after the contract's ten, each a list separated by semicolons:
 * earlier family names, other names the person is known by ("Alfie" or "Alfie Smith"), and earlier
 * postcodes. Files without them load as before.
 */
export const HISTORY_COLUMNS = ['previous_family_names', 'aliases', 'previous_postcodes'] as const

const list = (name: string, max: number) =>
  z.preprocess(blank, z.string().max(max, `${name} is longer than ${max} characters`).optional()).transform((v) =>
    v === undefined ? [] : [...new Set(v.split(';').map((x) => x.trim()).filter((x) => x !== ''))],
  )

/** A UPN of the right shape whose first character is the check letter the rest call for. */
function validUpn(value: string): boolean {
  const upn = value.toUpperCase()
  return UPN_SHAPE.test(upn) && upnCheckLetter(upn) === upn[0]
}

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v)
const optional = (name: string, max = 200) => z.preprocess(blank, z.string().max(max, `${name} is longer than ${max} characters`).optional())

/** UK writing (31/12/2015) or ISO (2015-12-31). */
function isoDate(value: string): string | null {
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value)
  const iso = uk ? `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}` : value
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null
  const d = new Date(`${iso}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null
}

const SEXES: Record<string, string> = { m: 'M', male: 'M', f: 'F', female: 'F', u: 'U', unknown: 'U', 'not known': 'U', x: 'U', '0': 'U', '1': 'M', '2': 'F', '9': 'U' }

export const importRow = z.object({
  source_system: z.preprocess(blank, z.string({ error: 'source_system is empty' }).max(100)),
  source_id: z.preprocess(blank, z.string({ error: 'source_id is empty' }).max(200)),
  given_name: optional('given_name'),
  middle_names: optional('middle_names'),
  family_name: optional('family_name'),
  date_of_birth: z.preprocess(blank, z.string().optional()).transform((v, issue) => {
    if (v === undefined) return undefined
    const iso = isoDate(v)
    if (!iso) {
      issue.addIssue({ code: 'custom', message: `date_of_birth "${v}" is not a date (use YYYY-MM-DD or DD/MM/YYYY)` })
      return z.NEVER
    }
    return iso
  }),
  sex: z.preprocess(blank, z.string().optional()).transform((v, issue) => {
    if (v === undefined) return undefined
    const code = SEXES[v.toLowerCase()]
    if (!code) {
      issue.addIssue({ code: 'custom', message: `sex "${v}" is not M, F or U` })
      return z.NEVER
    }
    return code
  }),
  nhs_number: optional('nhs_number', 20).superRefine((v, issue) => {
    if (v !== undefined && !isValidNhsNumber(v)) {
      issue.addIssue({ code: 'custom', message: `nhs_number "${v}" is not a valid NHS number (ten digits, the last a modulus 11 check digit)` })
    }
  }),
  upn: optional('upn', 20).superRefine((v, issue) => {
    if (v !== undefined && !validUpn(v)) issue.addIssue({ code: 'custom', message: `upn "${v}" is not a valid UPN (13 characters with a correct check letter)` })
  }),
  postcode: optional('postcode', 10),
  address_line: optional('address_line', 500),
  previous_family_names: list('previous_family_names', 1000),
  aliases: list('aliases', 1000),
  previous_postcodes: list('previous_postcodes', 500).superRefine((codes, issue) => {
    const bad = codes.find((c) => !parsePostcode(c)?.unit)
    if (bad) issue.addIssue({ code: 'custom', message: `previous_postcodes "${bad}" is not a full postcode` })
  }),
})
export type ImportRow = z.infer<typeof importRow>

/** The first problem with a row, as one sentence, or null when it is fine. */
export function rowProblem(row: unknown, today: string): string | null {
  const unstorable = unstorableTextPath(row)
  if (unstorable) return `${String(unstorable[0] ?? 'a column')} holds a character that cannot be saved (a null character or a broken symbol)`
  const parsed = importRow.safeParse(row)
  if (!parsed.success) return parsed.error.issues.map((i) => i.message).join('; ')
  if (parsed.data.date_of_birth && parsed.data.date_of_birth > today) return `date_of_birth ${parsed.data.date_of_birth} is in the future`
  return null
}

export type ImportOutcome = 'created' | 'updated' | 'linked'

export interface ImportOneResult {
  outcome: ImportOutcome
  sourceRecordId: string
  personId: string
  reviews: number
}

/** Hazards against any record of the person rule out an automatic link to it. */
function safeToJoin(model: MatchModel, q: MatchRecord, c: Candidate): boolean {
  return c.records.every((r) => score(model, q, r.data).hazards.length === 0)
}

/** The record as the index standardised it, with its name and address history. */
async function storedMatchData(db: Db, id: string): Promise<MatchRecord> {
  const [row] = await db.select({ data: sourceRecord.matchData }).from(sourceRecord).where(eq(sourceRecord.id, id))
  return row!.data as MatchRecord
}

export interface HistoryName {
  kind: string
  givenName: string | null
  familyName: string | null
}

/** The row's earlier names and postcodes not held already (`heldNames` as kind|given|family, `heldCodes` normalised). */
export function newHistory(row: ImportRow, heldNames: ReadonlySet<string>, heldCodes: ReadonlySet<string | null>): { names: HistoryName[]; addresses: { postcode: string; postcodeNormalised: string }[] } {
  const names = [
    ...row.previous_family_names.map((familyName) => ({ kind: 'previous', givenName: null, familyName })),
    ...row.aliases.map((alias) => {
      const [given, ...family] = alias.split(/\s+/)
      return { kind: 'alias', givenName: given ?? null, familyName: family.length > 0 ? family.join(' ') : null }
    }),
  ].filter((n) => !heldNames.has(`${n.kind}|${n.givenName ?? ''}|${n.familyName ?? ''}`))
  const codes = [...new Set(row.previous_postcodes.map((p) => parsePostcode(p)!.unit))].filter((u) => !heldCodes.has(u))
  return { names, addresses: codes.map((unit) => ({ postcode: row.previous_postcodes.find((p) => parsePostcode(p)!.unit === unit)!, postcodeNormalised: unit })) }
}

/**
 * Adds the row's earlier names and postcodes to the record's history, leaving what is held already
 * (history is only ever added to).
 */
async function addHistory(db: Db, partnershipId: string, recordId: string, row: ImportRow): Promise<void> {
  const names = await db.select({ kind: sourceName.kind, givenName: sourceName.givenName, familyName: sourceName.familyName }).from(sourceName).where(eq(sourceName.sourceRecordId, recordId))
  const addresses = await db.select({ postcode: sourceAddress.postcodeNormalised }).from(sourceAddress).where(eq(sourceAddress.sourceRecordId, recordId))
  const add = newHistory(row, new Set(names.map((n) => `${n.kind}|${n.givenName ?? ''}|${n.familyName ?? ''}`)), new Set(addresses.map((a) => a.postcode)))
  if (add.names.length > 0) await db.insert(sourceName).values(add.names.map((n) => ({ partnershipId, sourceRecordId: recordId, ...n })))
  if (add.addresses.length > 0) await db.insert(sourceAddress).values(add.addresses.map((a) => ({ partnershipId, sourceRecordId: recordId, ...a })))
}

/** The source record's columns as the row gives them. */
export function recordValues(row: ImportRow, now: Date) {
  return {
    givenName: row.given_name ?? null,
    middleNames: row.middle_names ?? null,
    familyName: row.family_name ?? null,
    dateOfBirth: row.date_of_birth ?? null,
    sex: row.sex ?? null,
    nhsNumber: row.nhs_number ?? null,
    upn: row.upn?.toUpperCase() ?? null,
    postcode: row.postcode ?? null,
    addressLine: row.address_line ?? null,
    matchData: null,
    recordedAt: now,
    updatedAt: now,
  }
}

/**
 * What becomes of a new record, from its candidates (best first, at most five): linked to the top
 * one on the certain rule when no record of that person has a hazard against it; otherwise a person
 * of its own, with its first three candidates above unlikely for review.
 */
export function decideNew(model: MatchModel, query: MatchRecord, candidates: readonly Candidate[], weightsId: string | null): { link: Candidate; why: LinkEvidence } | { review: Candidate[] } {
  const top = candidates[0]
  if (top && top.best.band === 'certain' && safeToJoin(model, query, top)) {
    const view = candidateView(top)
    return { link: top, why: { method: 'auto-nhs', score: view.score, band: view.band, weightsId, evidence: { vector: top.best.comparison.vector, reasons: view.reasons } } }
  }
  return { review: candidates.filter((c) => c.best.band !== 'unlikely').slice(0, 3) }
}

/** A review of a possible match of the new record. */
export function reviewValues(partnershipId: string, sourceRecordId: string, c: Candidate, now: Date): typeof matchReview.$inferInsert {
  return {
    partnershipId,
    sourceRecordId,
    candidatePersonId: c.personId,
    score: String(Math.round(c.best.weight * 100) / 100),
    band: c.best.band,
    reasons: explain(c.best),
    createdAt: now,
  }
}

/** Creates or updates one source record; call inside a transaction. */
export async function importOne(db: Db, who: LinkActor, row: ImportRow, model: MatchModel, weightsId: string | null): Promise<ImportOneResult> {
  const values = recordValues(row, who.now)
  const [existing] = await db
    .select()
    .from(sourceRecord)
    .where(and(eq(sourceRecord.partnershipId, who.partnershipId), eq(sourceRecord.sourceSystem, row.source_system), eq(sourceRecord.sourceId, row.source_id)))
  if (existing) {
    const [updated] = await db
      .update(sourceRecord)
      .set({ ...values, version: existing.version + 1 })
      .where(eq(sourceRecord.id, existing.id))
      .returning()
    await addHistory(db, who.partnershipId, existing.id, row)
    await indexRecords(db, [updated!])
    return { outcome: 'updated', sourceRecordId: existing.id, personId: existing.personId!, reviews: 0 }
  }
  const [created] = await db
    .insert(sourceRecord)
    .values({ partnershipId: who.partnershipId, sourceSystem: row.source_system, sourceId: row.source_id, ...values })
    .returning()
  await addHistory(db, who.partnershipId, created!.id, row)
  await indexRecords(db, [created!])
  const query = await storedMatchData(db, created!.id)
  const candidates = await findCandidates(db, who.partnershipId, {}, model, { limit: 5, excludeRecordId: created!.id, query })
  const decision = decideNew(model, query, candidates, weightsId)
  if ('link' in decision) {
    await setLink(db, created!.id, decision.link.personId, who, decision.why)
    return { outcome: 'linked', sourceRecordId: created!.id, personId: decision.link.personId, reviews: 0 }
  }
  const personId = await createPersonFor(db, created!, who)
  for (const c of decision.review) await db.insert(matchReview).values(reviewValues(who.partnershipId, created!.id, c, who.now)).onConflictDoNothing()
  return { outcome: 'created', sourceRecordId: created!.id, personId, reviews: decision.review.length }
}
