/**
 * Finding and adding people for the contact form. Two searches, merged: the person index (the
 * matcher: every agency's records, misspellings, nicknames, swapped dates; each candidate with a
 * band and reasons) and the plain one (an exact NHS number, a name that starts with or sounds like
 * what was typed, or an exact date of birth), within the partnership. The index's candidates come
 * first, best band first; the first 20 are shown and every match is counted (`total`), so a list is
 * never cut silently, and a search that found more says what to add to narrow it. The child search
 * (child-search.ts) is the same search, with an age and a postcode and every criterion narrowing. Restricted people never appear by name; they are
 * counted only for a user related to their case, who may ask for permission (restrictedMatchesToTell):
 * to anyone else a search answers as if they did not exist.
 */
import { and, asc, desc, eq, inArray, notInArray, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { childCase, person } from '../../db/schema/index.ts'
import { audit } from '../access/audit.ts'
import { readDbOf, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import type { PersonInput, PersonSearchInput } from '../journey/front-door-input.ts'
import { indexCandidates, restrictedMatchesToTell } from './search.ts'
import { candidateView } from './store.ts'
import type { Reason } from '../../domain/person-index/explain.ts'
import type { Band } from '../../domain/person-index/score.ts'
import type { RawRecord } from '../../domain/person-index/standardise.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { escapeLike } from '../common/person-lookup.ts'

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
  /** How many people matched that the user may be shown; more than `people` when the list was cut at SEARCH_LIMIT. */
  total: number
  /** Restricted records that match and whose case the user is related to: shown only as "a restricted record matches". */
  restrictedMatches: number
  /** When more matched than are shown: what to add to the search to narrow it. */
  refine: string | null
}


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
  return ways.length > 0 ? or(...ways)! : sql`false`
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

/**
 * What a search may be given: the contact form's fields, and for the child search also one name
 * that may be first or last, an age in years, and a postcode.
 */
export interface PeopleCriteria extends PersonSearchInput {
  /** One name, first or last. */
  name?: string
  /** Age in whole years (instead of a date of birth). */
  age?: number
  /** A postcode, as typed (normalised here). */
  postcode?: string
}

export interface PeopleFound {
  /** The first SEARCH_LIMIT people, best first. */
  people: PersonMatch[]
  /** How many people the user may be shown matched: never fewer than `people`. */
  total: number
  /** Restricted people the user is told of (related to their case): counted, never shown. */
  restrictedMatches: number
  /** When more matched than are shown, what to add to narrow the search ("a date of birth"). */
  refine: string | null
}

/** The dates of birth of someone aged `age` on `today` (inclusive). */
export function birthDatesForAge(today: string, age: number): { from: string; to: string } {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number]
  const shift = (years: number) => {
    const date = new Date(Date.UTC(y - years, m - 1, d))
    // 29 February in a year without one: the 28th.
    if (date.getUTCMonth() !== m - 1) date.setUTCDate(0)
    return date.toISOString().slice(0, 10)
  }
  const from = new Date(`${shift(age + 1)}T00:00:00Z`)
  from.setUTCDate(from.getUTCDate() + 1)
  return { from: from.toISOString().slice(0, 10), to: shift(age) }
}

/** What to add to a search that found more than it shows, the most telling first. */
export function refineHint(q: PeopleCriteria): string | null {
  if (!q.dateOfBirth && q.age === undefined) return 'add a date of birth'
  if (!q.givenName) return 'add a first name'
  if (!q.familyName) return 'add a last name'
  if (!q.postcode) return 'add a postcode'
  if (!q.nhsNumber) return 'add an NHS number'
  return null
}

/**
 * The plain search, narrowing: every criterion given must hold (names as they start, look or
 * sound, the date of birth exactly, the age, the postcode). The matcher's candidates make up for
 * a criterion slightly wrong (a misspelt date, a postcode one character out).
 */
function narrowCondition(q: PeopleCriteria, today: string): SQL {
  const all: SQL[] = []
  if (q.nhsNumber) all.push(eq(person.nhsNumber, q.nhsNumber))
  if (q.givenName) all.push(nameMatches(person.givenName, q.givenName))
  if (q.familyName) all.push(nameMatches(person.familyName, q.familyName))
  if (q.name) all.push(or(nameMatches(person.givenName, q.name), nameMatches(person.familyName, q.name))!)
  if (q.dateOfBirth) all.push(or(eq(person.dateOfBirth, q.dateOfBirth), eq(person.expectedDateOfBirth, q.dateOfBirth))!)
  if (q.age !== undefined) {
    const { from, to } = birthDatesForAge(today, q.age)
    all.push(sql`${person.dateOfBirth} between ${from} and ${to}`)
  }
  if (q.postcode) {
    const typed = q.postcode.toUpperCase().replace(/[^A-Z0-9]/g, '')
    const held = sql`replace(upper(${person.postcode}), ' ', '')`
    // A full postcode matches itself; an outward code alone (QK4) the postcodes of that district.
    all.push(typed.length >= 5 ? sql`${held} = ${typed}` : sql`left(${held}, length(${held}) - 3) = ${typed}`)
  }
  return and(...all)!
}

/** The query the person index is given: an age becomes an estimated date of birth. */
function indexQuery(q: PeopleCriteria, today: string): RawRecord {
  const raw: RawRecord = { givenName: q.givenName, familyName: q.familyName ?? q.name, dateOfBirth: q.dateOfBirth, nhsNumber: q.nhsNumber, postcode: q.postcode }
  if (!q.dateOfBirth && q.age !== undefined) {
    const { from, to } = birthDatesForAge(today, q.age)
    const middle = new Date((Date.parse(from) + Date.parse(to)) / 2).toISOString().slice(0, 10)
    Object.assign(raw, { dateOfBirth: middle, dobPrecision: 'estimated' })
  }
  return raw
}

/**
 * The one person search behind the contact form, the child search and GET /api/v1/people: the
 * person index's candidates (those it thinks at least possibly the person: an unlikely one is not
 * a match) then the plain search's, restricted people left out (counted only for a user related to
 * their case), the first SEARCH_LIMIT shown and every match counted, never cut silently. `narrow`:
 * every criterion must hold in the plain search (the child search); otherwise (the contact form,
 * which must not miss a child already known) an NHS number or the names match on their own and a
 * date of birth only orders them. The search and who it showed are audited.
 */
export async function findPeople(ctx: ServiceContext, q: PeopleCriteria, options: { narrow: boolean }): Promise<PeopleFound> {
  const ground = requireGeneral(ctx, 'person:search')
  if (!q.givenName && !q.familyName && !q.name && !q.dateOfBirth && q.age === undefined && !q.nhsNumber && !q.postcode) {
    throw new ValidationFailed({ familyName: 'Enter a name, a date of birth or an NHS number to search for' })
  }
  const today = londonDate(ctx.now())
  // The matches from a read replica when one qualifies for this request; who among them is
  // restricted now, and whom a restricted match may be told to, is the primary's answer.
  const db = readDbOf(ctx)
  const { candidates: ranked } = await indexCandidates(ctx, indexQuery(q, today), Number.MAX_SAFE_INTEGER, db)
  const candidates = ranked.filter((c) => c.best.band !== 'unlikely')
  const fromIndex = candidates.filter((c) => !c.restricted)
  const condition = and(eq(person.partnershipId, ctx.actor.partnershipId), options.narrow ? narrowCondition(q, today) : searchCondition(q))
  const restrictedRow = sql`(${person.restricted} or ${restrictedCase})`
  const restrictedPlain = await db.select({ id: person.id }).from(person).where(and(condition, restrictedRow))
  const indexIds = fromIndex.map((c) => c.personId)
  const plain = await db
    .select({ ...personMatchColumns(), matches: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(person)
    .where(and(condition, sql`not ${restrictedRow}`, indexIds.length > 0 ? notInArray(person.id, indexIds) : undefined))
    .orderBy(...searchOrder(q))
    .limit(SEARCH_LIMIT)
  const indexed = await unrestrictedPeople(ctx, indexIds.slice(0, SEARCH_LIMIT), db)
  const found: PersonMatch[] = []
  for (const c of fromIndex.slice(0, SEARCH_LIMIT)) {
    const p = indexed.get(c.personId)
    if (!p) continue
    const view = candidateView(c)
    found.push({ ...p, band: view.band, score: view.score, reasons: view.reasons, sourceRecords: c.records.length })
  }
  for (const { restricted: _, matches: __, ...match } of plain) found.push(match)
  // Read from a replica: a person (or their case) restricted there since is left out, and counted as restricted.
  const restrictedSince = db === ctx.db ? new Set<string>() : await restrictedNow(ctx, found.map((p) => p.id))
  const people = found.filter((p) => !restrictedSince.has(p.id))
  const shown = people.slice(0, SEARCH_LIMIT)
  const total = fromIndex.length + (plain[0]?.matches ?? 0) - restrictedSince.size
  const restricted = new Set([...restrictedPlain.map((r) => r.id), ...candidates.filter((c) => c.restricted).map((c) => c.personId), ...restrictedSince])
  const restrictedMatches = await restrictedMatchesToTell(ctx, restricted)
  await audit(ctx, ctx.db, {
    action: 'person.search',
    ground,
    detail: {
      criteria: Object.keys(q).filter((k) => q[k as keyof PeopleCriteria] !== undefined && q[k as keyof PeopleCriteria] !== ''),
      personIds: shown.map((p) => p.id),
      total,
      restrictedMatches,
    },
  })
  return { people: shown, total, restrictedMatches, refine: total > shown.length ? refineHint(q) : null }
}

/** Searches the partnership's people for the contact form (and GET /api/v1/people): see findPeople. */
export async function searchPeople(ctx: ServiceContext, q: PersonSearchInput): Promise<PersonSearchResult> {
  return findPeople(ctx, q, { narrow: false })
}

/** Of these people, those restricted (or with a restricted case) on the primary now. */
async function restrictedNow(ctx: ServiceContext, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await ctx.db
    .select({ id: person.id, restricted: personMatchColumns().restricted })
    .from(person)
    .where(and(eq(person.partnershipId, ctx.actor.partnershipId), inArray(person.id, [...ids])))
  const unrestricted = new Set(rows.filter((r) => !r.restricted).map((r) => r.id))
  return new Set(ids.filter((id) => !unrestricted.has(id)))
}

/** The partnership's people with these ids, by id, leaving out restricted ones (in `db`: the primary, or a replica the caller asks the primary after). */
async function unrestrictedPeople(ctx: ServiceContext, ids: readonly string[], db = ctx.db): Promise<Map<string, PersonMatch>> {
  if (ids.length === 0) return new Map()
  const rows = await db
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
 * A new person's NHS number is already held. The same words whoever holds it, restricted or not, so
 * that they never confirm a restricted person to someone unrelated to them: the search finds an
 * unrestricted holder, and a manager can check a number the search does not explain.
 */
const NHS_NUMBER_HELD =
  'This NHS number cannot be used for a new person, as it may already be recorded: search by the NHS number, and if the search does not find the person, ask a front door manager to check the number'
/** The same, to a user related to a restricted holder's case, who may ask for permission to see them. */
const NHS_NUMBER_HELD_RESTRICTED =
  'This NHS number is already recorded for someone whose record is restricted: search by the NHS number, then ask for permission to see them'

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
    const holders = await tx
      .select({ id: person.id, restricted: sql<boolean>`(${person.restricted} or ${restrictedCase})` })
      .from(person)
      .where(and(eq(person.partnershipId, ctx.actor.partnershipId), eq(person.nhsNumber, input.nhsNumber)))
      .limit(SEARCH_LIMIT)
    if (holders.length > 0) {
      // As the search: a restricted holder is told of only to a user related to their case.
      const told = await restrictedMatchesToTell({ ...ctx, db: tx }, holders.filter((h) => h.restricted).map((h) => h.id))
      throw new ValidationFailed({ nhsNumber: told > 0 ? NHS_NUMBER_HELD_RESTRICTED : NHS_NUMBER_HELD })
    }
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
