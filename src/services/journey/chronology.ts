/**
 * A child's chronology, read from the record revisions of the case: one query for every revision
 * of its records (known by the "as known at" date), with the people who wrote them and their
 * agencies, so every agency's contribution is attributed to whoever recorded it, and a later edit
 * to whoever made it. Reading it is a read of the case,
 * audited as the 'chronology' section. The policy's decision is the primary's; the entries may come
 * from a read replica (readDbOf).
 */
import { and, asc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { z } from 'zod'
import type { Db } from '../../db/connection.ts'
import { preparedOn } from '../../db/prepared.ts'
import { agency, appUser, person, recordRevision } from '../../db/schema/index.ts'
import { CHRONOLOGY_KIND, chronologyEntries, filterEntries, type ChronologyEntry, type ChronologyFilters, type ChronologyRevision, type Recorder } from '../../domain/journey/chronology.ts'
import { codesOf } from '../../domain/journey/dfe-codes.ts'
import { withCase } from './case-records.ts'
import { readDbOf, type ServiceContext } from '../common/context.ts'
import { endOfLondonDay } from '../../domain/timescales/calendar/london-time.ts'
import { type CaseSummary } from './case-access.ts'
import { statementsOfCase } from '../records/disagreements.ts'
import { documentKindsOf } from '../records/document-kinds.ts'

const NO_SUCH_AGENCY = 'Choose an agency from the list'
const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v)
const optionalDate = (what: string) =>
  z.preprocess(blankToUndefined, z.iso.date({ message: `${what} must be a real date, written YYYY-MM-DD` }).optional())

/** `kinds=contact,visit` or `kinds=contact&kinds=visit`. */
const kindList = z.preprocess(
  (v) => {
    if (v === undefined || v === '') return undefined
    const values = (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(','))
    return values.map((s) => s.trim()).filter(Boolean)
  },
  z.array(z.enum(codesOf(CHRONOLOGY_KIND), { message: 'Choose kinds of entry from the list' })).optional(),
)

/** The chronology's filters, for the page (after its date fields are combined) and the API query. */
export const chronologyQuery = z
  .object({
    asKnownAt: optionalDate('The “as known at” date'),
    kinds: kindList,
    agency: z.preprocess(blankToUndefined, z.uuid({ message: NO_SUCH_AGENCY }).optional()),
    from: optionalDate('The “from” date'),
    to: optionalDate('The “to” date'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'The “to” date must be the same as or after the “from” date' })

export type ChronologyQuery = z.infer<typeof chronologyQuery>

export interface ChronologyView {
  case: CaseSummary & { breakGlass: boolean }
  asKnownAt: string | null
  filters: ChronologyFilters
  /** The entries matching the filters, in date order, each with the statements of disagreement on its record. */
  entries: (ChronologyEntry & { disagreements: string[] })[]
  /** How many entries there are before the kind, agency and date filters. */
  total: number
  /** Every agency that recorded an entry, for the agency filter. */
  agencies: { id: string; name: string }[]
  /**
   * Filters left out because they name nothing of the partnership (an agency id of another
   * partnership is no such agency), each with its message, as a field that fails is reported.
   */
  refused: { agency?: string }
}

export function filtersOf(query: ChronologyQuery): ChronologyFilters {
  return { asKnownAt: query.asKnownAt, kinds: query.kinds, agencyId: query.agency, from: query.from, to: query.to }
}

/** The chronology of a case, as known now or at the end of `filters.asKnownAt`. */
export async function chronology(ctx: ServiceContext, caseId: string, filters: ChronologyFilters = {}): Promise<ChronologyView> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (_primary, open) => {
      // The policy decided on the primary (withCase), and the read is audited there; the entries
      // are read from a replica when one qualifies for this request.
      const db = readDbOf(ctx)
      const { agencyId, ...others } = filters
      const agencyKnown = agencyId === undefined || (await isAgencyOf(db, ctx.actor.partnershipId, agencyId))
      const applied = agencyKnown ? filters : others
      const revisions = await revisionsOfCase(db, ctx.actor.partnershipId, caseId, applied.asKnownAt)
      // Whether a related person is restricted (and so not named) is the primary's answer.
      const personNames = await namesOfRelatedPeople(ctx.db, ctx.actor.partnershipId, revisions)
      const all = chronologyEntries(revisions, { asKnownAt: applied.asKnownAt, personNames, documentKinds: await documentKindsOf(db, ctx.actor.partnershipId) })
      // A record kept with the person's statement of disagreement shows it under its entries (docs/data-protection.md).
      const statements = await statementsOfCase(db, ctx.actor.partnershipId, caseId)
      const entries = filterEntries(all, applied).map((e) => ({ ...e, disagreements: statements[`${e.entity}:${e.entityId}`] ?? [] }))
      return {
        case: { ...open.c, breakGlass: open.breakGlass },
        asKnownAt: applied.asKnownAt ?? null,
        filters: applied,
        entries,
        total: all.length,
        agencies: agenciesOf(all),
        refused: agencyKnown ? {} : { agency: NO_SUCH_AGENCY },
      }
    },
    'chronology',
  )
}

async function isAgencyOf(db: Db, partnershipId: string, agencyId: string): Promise<boolean> {
  const [row] = await db.select({ id: agency.id }).from(agency).where(and(eq(agency.id, agencyId), eq(agency.partnershipId, partnershipId)))
  return row !== undefined
}

const writer = alias(appUser, 'writer')
const writerAgency = alias(agency, 'writer_agency')
const recorder = alias(appUser, 'recorder')
const recorderAgency = alias(agency, 'recorder_agency')

/**
 * Every revision of every record of one case recorded before the end of `asKnownAt` (London), or
 * ever, oldest first: one query, reading only that case's revisions through
 * record_revision(case_id, recorded_at). The chronology takes the newest of each record and credits
 * each of its events to the revision it first appeared in.
 */
export async function revisionsOfCase(db: Db, partnershipId: string, caseId: string, asKnownAt?: string): Promise<ChronologyRevision[]> {
  // As known now (every chronology page) the query is prepared; as known at a past day, built.
  const rows = asKnownAt
    ? await revisionsQuery(db, and(eq(recordRevision.caseId, caseId), eq(recordRevision.partnershipId, partnershipId), lt(recordRevision.recordedAt, endOfLondonDay(asKnownAt)))!)
    : await preparedOn(db, prepareRevisionsNow).execute({ caseId, partnershipId })
  return rows.map((row) => ({
    caseId: row.caseId,
    entity: row.entity,
    entityId: row.entityId,
    version: row.version,
    data: (row.data ?? {}) as Record<string, unknown>,
    recordedAt: row.recordedAt,
    recordedBy: recorderOf(row.writerId, row.writerName, row.writerAgencyId, row.writerAgencyName),
    originallyRecordedBy: recorderOf(row.recorderId, row.recorderName, row.recorderAgencyId, row.recorderAgencyName),
  }))
}

/** The revisions `where` picks, with who wrote each and who recorded the record first, oldest first. */
function revisionsQuery(db: Db, where: SQL) {
  const r = recordRevision
  const revisions = db
    .select({
      caseId: r.caseId,
      entity: r.entity,
      entityId: r.entityId,
      version: r.version,
      data: r.data,
      recordedAt: r.recordedAt,
      recordedBy: r.recordedBy,
      // The record's own recorder; guarded so a record without one (the case itself) gives null.
      originalBy: sql<string | null>`case when ${r.data}->>'recordedBy' ~* '^[0-9a-f-]{36}$' then (${r.data}->>'recordedBy')::uuid end`.as(
        'original_by',
      ),
    })
    .from(r)
    .where(where)
    .as('revisions')
  return db
    .select({
      caseId: revisions.caseId,
      entity: revisions.entity,
      entityId: revisions.entityId,
      version: revisions.version,
      data: revisions.data,
      recordedAt: revisions.recordedAt,
      writerId: writer.id,
      writerName: writer.displayName,
      writerAgencyId: writer.agencyId,
      writerAgencyName: writerAgency.name,
      recorderId: recorder.id,
      recorderName: recorder.displayName,
      recorderAgencyId: recorder.agencyId,
      recorderAgencyName: recorderAgency.name,
    })
    .from(revisions)
    .leftJoin(writer, eq(writer.id, revisions.recordedBy))
    .leftJoin(writerAgency, eq(writerAgency.id, writer.agencyId))
    .leftJoin(recorder, eq(recorder.id, revisions.originalBy))
    .leftJoin(recorderAgency, eq(recorderAgency.id, recorder.agencyId))
    .orderBy(asc(revisions.recordedAt), asc(revisions.version))
}

/** Every revision of a case as known now, prepared once for each database handle (db/prepared.ts). */
const prepareRevisionsNow = (db: Db) =>
  revisionsQuery(db, and(eq(recordRevision.caseId, sql.placeholder('caseId')), eq(recordRevision.partnershipId, sql.placeholder('partnershipId')))!).prepare(
    'together_case_revisions',
  )

function recorderOf(userId: string | null, name: string | null, agencyId: string | null, agencyName: string | null): Recorder | null {
  return userId && name ? { userId, name, agencyId, agencyName } : null
}

/** Family relationships name the other person by id; the chronology says who they are (never a restricted person). */
async function namesOfRelatedPeople(db: Db, partnershipId: string, revisions: ChronologyRevision[]): Promise<Record<string, string>> {
  const ids = [
    ...new Set(
      revisions
        .filter((r) => r.entity === 'relationship' && typeof r.data.relatedPersonId === 'string')
        .map((r) => r.data.relatedPersonId as string),
    ),
  ]
  if (ids.length === 0) return {}
  const people = await db
    .select({ id: person.id, givenName: person.givenName, familyName: person.familyName })
    .from(person)
    .where(and(inArray(person.id, ids), eq(person.partnershipId, partnershipId), eq(person.restricted, false)))
  return Object.fromEntries(people.map((p) => [p.id, `${p.givenName} ${p.familyName}`]))
}

function agenciesOf(entries: ChronologyEntry[]): { id: string; name: string }[] {
  const byId = new Map<string, string>()
  for (const e of entries) if (e.agencyId && e.agency) byId.set(e.agencyId, e.agency)
  return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name))
}
