/**
 * Reads what the SSDA903 export needs of a partnership's children for a collection year, a few
 * queries per batch of children: the periods of care open in the year (with their derived
 * episodes), care leavers with a 17th to 21st birthday in it, and for those children their reviews,
 * missing episodes, health records and care leaver contacts. No access check here: callers check
 * the analyst may run returns and audit every child included (index.ts).
 */
import { and, asc, eq, gte, inArray, isNull, like, lte, or, sql } from 'drizzle-orm'
import type { Db } from '../../../db/connection.ts'
import { careLeaver, careLeaverRecord, childCase, clock, healthEducationRecord, lookedAfterPeriod, missingEpisode, person, personRelationship, recordRevision } from '../../../db/schema/index.ts'
import { londonDate } from '../../../domain/timescales/calendar/london-time.ts'
import { episodesInYear } from '../../../domain/care/episodes.ts'
import { episodesOfPeriods } from '../../care/placements.ts'
import type { CaseVersion, CollectionYear, ExportChild } from './model.ts'
import { exportPermanenceOf } from './permanence-records.ts'

const BATCH = 2000

/** Which review clock follows a review held under each (services/journey/looked-after.ts). */
const NEXT_REVIEW: Record<string, string> = { 'cla-first-review': 'cla-second-review', 'cla-second-review': 'cla-review', 'cla-review': 'cla-review' }

/** Reviews held, read from a period's review clocks: a completed clock followed by the next from its completion day. */
function reviewsHeld(clocks: { id: string; rule: string; startOn: string; completedOn: string | null }[]): string[] {
  return clocks
    .filter((k) => k.completedOn !== null && clocks.some((next) => next.id !== k.id && next.rule === NEXT_REVIEW[k.rule] && next.startOn === k.completedOn))
    .map((k) => k.completedOn!)
}

const byKey = <T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> => {
  const map = new Map<K, T[]>()
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row])
  return map
}

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += BATCH) out.push(list.slice(i, i + BATCH))
  return out
}

/** The cases in the year's return: looked after at some time in it, or care leavers with an OC3 birthday in it. */
async function casesInReturn(db: Db, partnershipId: string, year: CollectionYear): Promise<string[]> {
  const inCare = await db
    .selectDistinct({ caseId: lookedAfterPeriod.caseId })
    .from(lookedAfterPeriod)
    .where(
      and(
        eq(lookedAfterPeriod.partnershipId, partnershipId),
        lte(lookedAfterPeriod.startedOn, year.end),
        or(isNull(lookedAfterPeriod.endedOn), gte(lookedAfterPeriod.endedOn, year.start)),
      ),
    )
  // 17th to 21st birthday in the year: born from 21 years before its start to 17 years before its end.
  const from = `${year.year - 1 - 21}-04-01`
  const to = `${year.year - 17}-03-31`
  const leavers = await db
    .select({ caseId: careLeaver.caseId })
    .from(careLeaver)
    .innerJoin(childCase, eq(childCase.id, careLeaver.caseId))
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(and(eq(careLeaver.partnershipId, partnershipId), gte(person.dateOfBirth, from), lte(person.dateOfBirth, to)))
  return [...new Set([...inCare.map((r) => r.caseId), ...leavers.map((r) => r.caseId)])]
}

/**
 * A case's versions, oldest first: its revisions, then the case as it is now when that is newer
 * than them (a case made or changed without a revision, by an import or the demo).
 */
function caseHistoryOf(
  c: typeof childCase.$inferSelect,
  revisions: { version: number; recordedAt: Date; allocatedWorkerId: string | null; teamId: string | null; status: string; openedOn: string; closedOn: string | null }[],
): CaseVersion[] {
  const versions: CaseVersion[] = revisions.map((r) => ({ caseId: c.id, version: r.version, on: londonDate(r.recordedAt), allocatedWorkerId: r.allocatedWorkerId, teamId: r.teamId, status: r.status, openedOn: r.openedOn, closedOn: r.closedOn }))
  if (!revisions.some((r) => r.version >= c.version)) {
    versions.push({ caseId: c.id, version: c.version, on: londonDate(c.updatedAt), allocatedWorkerId: c.allocatedWorkerId, teamId: c.teamId, status: c.status, openedOn: c.openedOn, closedOn: c.closedOn })
  }
  return versions
}

/** Counts the children in the year's return (for progress). */
export async function countReturnChildren(db: Db, partnershipId: string, year: CollectionYear): Promise<number> {
  const caseIds = await casesInReturn(db, partnershipId, year)
  if (caseIds.length === 0) return 0
  let people = new Set<string>()
  for (const batch of chunks(caseIds)) {
    const rows = await db.select({ personId: childCase.personId }).from(childCase).where(inArray(childCase.id, batch))
    people = new Set([...people, ...rows.map((r) => r.personId)])
  }
  return people.size
}

/** The year's children, a batch of cases at a time, each child once (a person's cases together). */
export async function* returnChildren(db: Db, partnershipId: string, year: CollectionYear): AsyncGenerator<ExportChild[]> {
  const caseIds = await casesInReturn(db, partnershipId, year)
  if (caseIds.length === 0) return
  // A person's cases in one batch: batches are made of people, in a stable order.
  const owners: { caseId: string; personId: string }[] = []
  for (const batch of chunks(caseIds)) owners.push(...(await db.select({ caseId: childCase.id, personId: childCase.personId }).from(childCase).where(inArray(childCase.id, batch))))
  const casesOf = byKey(owners, (o) => o.personId)
  const people = [...casesOf.keys()].sort()
  for (const peopleBatch of chunks(people)) {
    const ids = peopleBatch.flatMap((p) => casesOf.get(p)!.map((o) => o.caseId))
    const [cases, persons, periods, clocks, missing, health, leavers, leaverRecords, parentOf, revisions] = await Promise.all([
      db.select().from(childCase).where(inArray(childCase.id, ids)),
      db.select().from(person).where(inArray(person.id, peopleBatch)),
      db
        .select()
        .from(lookedAfterPeriod)
        .where(and(inArray(lookedAfterPeriod.caseId, ids), lte(lookedAfterPeriod.startedOn, year.end), or(isNull(lookedAfterPeriod.endedOn), gte(lookedAfterPeriod.endedOn, year.start))))
        .orderBy(asc(lookedAfterPeriod.startedOn)),
      db
        .select({ id: clock.id, caseId: clock.caseId, subjectId: clock.subjectId, rule: clock.rule, startOn: clock.startOn, completedOn: clock.completedOn })
        .from(clock)
        .where(and(inArray(clock.caseId, ids), like(clock.rule, 'cla-%'))),
      db.select().from(missingEpisode).where(inArray(missingEpisode.caseId, ids)).orderBy(asc(missingEpisode.startedOn)),
      db.select().from(healthEducationRecord).where(inArray(healthEducationRecord.caseId, ids)),
      db.select().from(careLeaver).where(inArray(careLeaver.caseId, ids)),
      db.select().from(careLeaverRecord).where(inArray(careLeaverRecord.caseId, ids)),
      // `relatedPersonId` is `kind` of `personId`: the child is the parent of personId.
      db
        .select({ parentId: personRelationship.relatedPersonId, bornOn: person.dateOfBirth })
        .from(personRelationship)
        .innerJoin(person, eq(person.id, personRelationship.personId))
        .where(and(inArray(personRelationship.relatedPersonId, peopleBatch), eq(personRelationship.kind, 'parent'))),
      // The cases' revisions: who was allocated, in which team, open or closed, at each version.
      db
        .select({
          caseId: recordRevision.caseId,
          version: recordRevision.version,
          recordedAt: recordRevision.recordedAt,
          allocatedWorkerId: sql<string | null>`${recordRevision.data}->>'allocatedWorkerId'`,
          teamId: sql<string | null>`${recordRevision.data}->>'teamId'`,
          status: sql<string>`${recordRevision.data}->>'status'`,
          openedOn: sql<string>`${recordRevision.data}->>'openedOn'`,
          closedOn: sql<string | null>`${recordRevision.data}->>'closedOn'`,
        })
        .from(recordRevision)
        .where(and(inArray(recordRevision.caseId, ids), eq(recordRevision.entity, 'case')))
        .orderBy(asc(recordRevision.version)),
    ])
    const childrenOf = byKey(parentOf, (r) => r.parentId)
    const episodes = await episodesOfPeriods(db, periods)
    const permanence = await exportPermanenceOf(db, periods.map((p) => ({ ...p, reasonCeased: episodes.get(p.id)!.events.reasonCeased })))
    const personById = new Map(persons.map((p) => [p.id, p]))
    const caseById = new Map(cases.map((c) => [c.id, c]))
    const periodsOf = byKey(periods, (p) => p.caseId)
    const clocksOf = byKey(clocks, (k) => k.subjectId)
    const missingOf = byKey(missing, (m) => m.caseId)
    const healthOf = byKey(health, (h) => h.caseId)
    const recordsOf = byKey(leaverRecords, (r) => r.caseId)
    const leaverOf = new Map(leavers.map((l) => [l.caseId, l]))
    const revisionsOf = byKey(revisions, (r) => r.caseId)
    const children: ExportChild[] = []
    for (const personId of peopleBatch) {
      const p = personById.get(personId)!
      const ofPerson = casesOf.get(personId)!.map((o) => caseById.get(o.caseId)!).sort((a, b) => a.openedOn.localeCompare(b.openedOn))
      const own = <T>(map: Map<string, T[]>) => ofPerson.flatMap((c) => map.get(c.id) ?? [])
      const ps = own(periodsOf).sort((a, b) => a.startedOn.localeCompare(b.startedOn))
      const exportPeriods = ps.map((period) => ({
        id: period.id,
        startedOn: period.startedOn,
        endedOn: period.endedOn,
        uasc: episodes.get(period.id)!.events.uasc,
        episodes: episodes.get(period.id)!.episodes,
      }))
      const newest = ofPerson.at(-1)!
      children.push({
        child: p.laChildId ?? `P${p.id.slice(0, 8).toUpperCase()}`,
        personId,
        caseId: newest.id,
        caseIds: ofPerson.map((c) => c.id),
        sex: p.sex,
        dateOfBirth: p.dateOfBirth,
        ethnicity: p.ethnicity,
        upn: p.upn,
        upnUnknown: p.upnUnknown,
        childrenBornOn: (childrenOf.get(personId) ?? []).flatMap((r) => (r.bornOn ? [r.bornOn] : [])),
        periods: exportPeriods,
        episodes: exportPeriods.flatMap((period) => episodesInYear(period.episodes, year.year)),
        reviews: ps
          .flatMap((period) => reviewsHeld(clocksOf.get(period.id) ?? []))
          .filter((on) => on >= year.start && on <= year.end)
          .sort(),
        permanence: ps.map((period) => permanence.get(period.id)!),
        missing: own(missingOf),
        health: own(healthOf),
        careLeaver: ofPerson.map((c) => leaverOf.get(c.id)).find((l) => l !== undefined) ?? null,
        careLeaverRecords: own(recordsOf).sort((a, b) => a.on.localeCompare(b.on)),
        caseHistory: ofPerson.flatMap((c) => caseHistoryOf(c, revisionsOf.get(c.id) ?? [])),
      })
    }
    yield children.sort((a, b) => a.child.localeCompare(b.child))
  }
}
