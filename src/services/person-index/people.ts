/**
 * Finding and adding people for the contact form. Two searches, merged: the person index (the
 * matcher: every agency's records, misspellings, nicknames, swapped dates; each candidate with a
 * band and reasons) and the plain one (an exact NHS number, a name that starts with or sounds like
 * what was typed, or an exact date of birth), within the partnership, at most 20 results. The
 * index's candidates come first, best band first. Restricted people never appear by name; they are
 * counted only for a user related to their case, who may ask for permission (restrictedMatchesToTell):
 * to anyone else a search answers as if they did not exist.
 */
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { childCase, person } from '../../db/schema/index.ts'
import { decideGeneral } from '../../domain/access/policy.ts'
import { audit } from '../access/audit.ts'
import { AccessDenied, ValidationFailed, type ServiceContext } from '../common/context.ts'
import type { PersonInput, PersonSearchInput } from '../journey/front-door-input.ts'
import { indexCandidates, restrictedMatchesToTell } from './search.ts'
import { candidateView } from './store.ts'
import type { Reason } from '../../domain/person-index/explain.ts'
import type { Band } from '../../domain/person-index/score.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export const SEARCH_LIMIT = 20

/** One person in search results: enough to tell people apart, and whether they have a case. */
export interface PersonMatch {
  id: string
  givenName: string
  familyName: string
  dateOfBirth: string | null
  expectedDateOfBirth: string | null
  nhsNumber: string | null
  /** Their case (the open one if any, else the latest closed one). */
  caseId: string | null
  caseStatus: string | null
  /** From the person index, when it found this person: how well they match, and why. */
  band?: Band
  score?: number
  reasons?: Reason[]
  /** How many agencies' records the person index holds for them. */
  sourceRecords?: number
}

export interface PersonSearchResult {
  people: PersonMatch[]
  /** Restricted records that match and whose case the user is related to: shown only as "a restricted record matches". */
  restrictedMatches: number
}

function requireGeneral(ctx: ServiceContext, action: 'person:search' | 'contact:record'): string {
  const d = decideGeneral(ctx.actor, action)
  if (!d.allowed) throw new AccessDenied(d.reason)
  return d.ground
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

/**
 * A name column matches when it starts with the text, is similar to it (pg_trgm's `%`, at its
 * default threshold of 0.3), or sounds the same (double metaphone). Written with operators, not
 * functions, so trigram and expression indexes on the names can serve it.
 */
function nameMatches(column: typeof person.givenName | typeof person.familyName, typed: string): SQL {
  return or(
    sql`lower(${column}) like ${`${escapeLike(typed.toLowerCase())}%`}`,
    sql`lower(${column}) % ${typed.toLowerCase()}`,
    sql`dmetaphone(${column}) = dmetaphone(${typed})`,
  )!
}

/** The person's case: the open one first, else the newest. */
// Correlated subqueries name the outer person explicitly: drizzle leaves columns unqualified.
const outerPersonId = sql.raw('"person"."id"')

const caseOf = (field: 'id' | 'status') =>
  sql<string | null>`(select ${sql.raw(`cc.${field}`)} from ${childCase} cc where cc.person_id = ${outerPersonId}
    order by (cc.status <> 'closed') desc, cc.opened_on desc limit 1)`

const restrictedCase = sql<boolean>`exists (select 1 from ${childCase} rc where rc.person_id = ${outerPersonId} and rc.restricted)`

/** Which people match: an NHS number exactly, names (all given must match), or a date of birth alone. */
function searchCondition(q: PersonSearchInput): SQL {
  const ways: SQL[] = []
  if (q.nhsNumber) ways.push(eq(person.nhsNumber, q.nhsNumber))
  if (q.givenName || q.familyName) {
    ways.push(
      and(
        q.familyName ? nameMatches(person.familyName, q.familyName) : undefined,
        q.givenName ? nameMatches(person.givenName, q.givenName) : undefined,
      )!,
    )
  } else if (q.dateOfBirth) {
    ways.push(or(eq(person.dateOfBirth, q.dateOfBirth), eq(person.expectedDateOfBirth, q.dateOfBirth))!)
  }
  return or(...ways)!
}

/** Best first: the NHS number, then the date of birth, then how close the names are. */
function searchOrder(q: PersonSearchInput): SQL[] {
  const order: SQL[] = []
  if (q.nhsNumber) order.push(desc(sql`${person.nhsNumber} is not distinct from ${q.nhsNumber}`))
  if (q.dateOfBirth) order.push(desc(sql`${person.dateOfBirth} is not distinct from ${q.dateOfBirth}`))
  const closeness = [
    q.familyName ? sql`similarity(lower(${person.familyName}), ${q.familyName.toLowerCase()})` : null,
    q.givenName ? sql`similarity(lower(${person.givenName}), ${q.givenName.toLowerCase()})` : null,
  ].filter((s) => s !== null)
  if (closeness.length > 0) order.push(desc(sql.join(closeness, sql` + `)))
  return [...order, asc(person.familyName), asc(person.givenName), asc(person.id)]
}

/** What a search result or a chosen child shows, and whether the person or their case is restricted. */
function personMatchColumns() {
  return {
    id: person.id,
    givenName: person.givenName,
    familyName: person.familyName,
    dateOfBirth: person.dateOfBirth,
    expectedDateOfBirth: person.expectedDateOfBirth,
    nhsNumber: person.nhsNumber,
    caseId: caseOf('id'),
    caseStatus: caseOf('status'),
    restricted: sql<boolean>`(${person.restricted} or ${restrictedCase})`,
  }
}

/** Searches the partnership's people for the contact form; the search and who it showed are audited. */
export async function searchPeople(ctx: ServiceContext, q: PersonSearchInput): Promise<PersonSearchResult> {
  const ground = requireGeneral(ctx, 'person:search')
  if (!q.givenName && !q.familyName && !q.dateOfBirth && !q.nhsNumber) {
    throw new ValidationFailed({ familyName: 'Enter a name, a date of birth or an NHS number to search for' })
  }
  const { candidates } = await indexCandidates(ctx, q, SEARCH_LIMIT)
  const plain = await ctx.db
    .select(personMatchColumns())
    .from(person)
    .where(and(eq(person.partnershipId, ctx.actor.partnershipId), searchCondition(q)))
    .orderBy(...searchOrder(q))
    .limit(SEARCH_LIMIT)
  const restricted = new Set([...plain.filter((r) => r.restricted).map((r) => r.id), ...candidates.filter((c) => c.restricted).map((c) => c.personId)])
  const shownCandidates = candidates.filter((c) => !restricted.has(c.personId))
  const fromIndex = await unrestrictedPeople(ctx, shownCandidates.map((c) => c.personId))
  const people: PersonMatch[] = []
  for (const c of shownCandidates) {
    const p = fromIndex.get(c.personId)
    if (!p) continue
    const view = candidateView(c)
    people.push({ ...p, band: view.band, score: view.score, reasons: view.reasons, sourceRecords: c.records.length })
  }
  for (const r of plain) {
    if (restricted.has(r.id) || people.some((p) => p.id === r.id)) continue
    const { restricted: _, ...match } = r
    people.push(match)
  }
  const shown = people.slice(0, SEARCH_LIMIT)
  const restrictedMatches = await restrictedMatchesToTell(ctx, restricted)
  await audit(ctx, ctx.db, {
    action: 'person.search',
    ground,
    detail: { criteria: Object.keys(q).filter((k) => q[k as keyof PersonSearchInput]), personIds: shown.map((p) => p.id), restrictedMatches },
  })
  return { people: shown, restrictedMatches }
}

/** The partnership's people with these ids, by id, leaving out restricted ones. */
async function unrestrictedPeople(ctx: ServiceContext, ids: readonly string[]): Promise<Map<string, PersonMatch>> {
  if (ids.length === 0) return new Map()
  const rows = await ctx.db
    .select(personMatchColumns())
    .from(person)
    .where(and(eq(person.partnershipId, ctx.actor.partnershipId), inArray(person.id, [...ids])))
  return new Map(rows.filter((r) => !r.restricted).map(({ restricted: _, ...p }) => [p.id, p]))
}

/** The people with these ids that the contact form may show (restricted people are left out). */
export async function peopleForContactForm(ctx: ServiceContext, ids: readonly string[]): Promise<PersonMatch[]> {
  requireGeneral(ctx, 'contact:record')
  const byId = await unrestrictedPeople(ctx, ids)
  return ids.flatMap((id) => byId.get(id) ?? [])
}

export type PersonRow = typeof person.$inferSelect

/**
 * Adds a person (a child the contact is about). Dates of birth cannot be in the future; an NHS
 * number already held is refused, since that person should have been found by the search.
 * Runs in `tx` when given (recording a contact creates its new children in its own transaction).
 */
export async function createPerson(ctx: ServiceContext, input: PersonInput, tx: Db = ctx.db, contactGround?: string): Promise<PersonRow> {
  // Recording a contact (or a partner's referral) has already been allowed on `contactGround`.
  const ground = contactGround ?? requireGeneral(ctx, 'contact:record')
  const today = londonDate(ctx.now())
  if (input.dateOfBirth && input.dateOfBirth > today) {
    throw new ValidationFailed({ dateOfBirth: 'The date of birth must be today or in the past' })
  }
  if (input.nhsNumber) {
    const [holder] = await tx
      .select({ id: person.id })
      .from(person)
      .where(and(eq(person.partnershipId, ctx.actor.partnershipId), eq(person.nhsNumber, input.nhsNumber)))
      .limit(1)
    if (holder) throw new ValidationFailed({ nhsNumber: 'Someone with this NHS number is already recorded: search by the NHS number to find them' })
  }
  const [row] = await tx
    .insert(person)
    .values({
      partnershipId: ctx.actor.partnershipId,
      givenName: input.givenName,
      familyName: input.familyName,
      dateOfBirth: input.dateOfBirth ?? null,
      expectedDateOfBirth: input.expectedDateOfBirth ?? null,
      sex: input.sex,
      nhsNumber: input.nhsNumber ?? null,
      ethnicity: input.ethnicity ?? null,
      disabilities: input.disabilities,
    })
    .returning()
  await audit(ctx, tx, { action: 'person.create', recordType: 'person', recordId: row!.id, subjectPersonId: row!.id, ground })
  return row!
}
