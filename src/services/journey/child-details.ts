/**
 * A child's own details and addresses, with their history (issue 17). The details are changed
 * through the child's case: the case's access decision (case:update to change, case:read to see),
 * the person's version (a stale one is an EditConflict), the reason, an audit entry. Every earlier
 * value is kept in person_change with who changed it, when and why; addresses are kept in
 * person_address with their dates, the current one copied to the person. A change of a name or a
 * postcode re-keys the person in the person index, keeping the old name and postcode as history,
 * so the matcher finds the child by either.
 */
import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { appUser, person, personAddress, personChange, personRelationship, sourceAddress, sourceName, sourceRecord } from '../../db/schema/index.ts'
import { parsePostcode } from '../../domain/person-index/postcode.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { audit } from '../access/audit.ts'
import { EditConflict, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { caseFrame, type CaseFrame } from './case-notes.ts'
import { showCase, withCase, type OpenCase } from './case-records.ts'
import { syncChildDeathClock } from './birth-and-death-clocks.ts'
import type { ChildAddressInput, ChildDetailsInput } from './child-details-input.ts'

/** The details a change may set, in the order the pages show them, with their labels. */
export const DETAIL_FIELDS = [
  ['givenName', 'First name'],
  ['familyName', 'Last name'],
  ['dateOfBirth', 'Date of birth'],
  ['expectedDateOfBirth', 'Expected date of birth'],
  ['sex', 'Sex'],
  ['gender', 'Gender'],
  ['nhsNumber', 'NHS number'],
  ['upn', 'UPN'],
  ['formerUpn', 'Former UPN'],
  ['upnUnknown', 'Why there is no UPN'],
  ['laChildId', 'LA child ID'],
  ['ethnicity', 'Ethnicity'],
  ['disabilities', 'Disabilities'],
  ['communicationNeeds', 'Language and communication needs'],
  ['dateOfDeath', 'Date of death'],
] as const

export type DetailField = (typeof DETAIL_FIELDS)[number][0]
export type ChildDetails = { [K in DetailField]: (typeof person.$inferSelect)[K] } & { id: string; version: number }

/** One earlier value of a detail: what it was, from when until when, and the change that ended it. */
export interface DetailChange {
  field: DetailField
  label: string
  previousValue: unknown
  newValue: unknown
  /** When the earlier value was recorded (the person's creation or the change before); null when not known. */
  from: string | null
  /** When it was changed. */
  to: string
  changedByName: string
  reason: string
  version: number
}

export interface AddressView {
  id: string
  address: string
  postcode: string | null
  fromDate: string | null
  toDate: string | null
  current: boolean
  residents: { id: string; givenName: string; familyName: string }[]
  reason: string
  recordedByName: string | null
  recordedAt: string
}

export interface HouseholdChoice {
  id: string
  givenName: string
  familyName: string
  kind: string
  sameHousehold: boolean
}

export interface ChildDetailsView {
  c: CaseFrame
  details: ChildDetails
  /** Earlier values, newest change first. */
  history: DetailChange[]
  /** Addresses, the current one first, then earlier ones newest first. */
  addresses: AddressView[]
  /** The child's current family network: who may be recorded as living at an address. */
  household: HouseholdChoice[]
}

const LABELS = new Map<string, string>(DETAIL_FIELDS)
const detailColumns = Object.fromEntries(DETAIL_FIELDS.map(([f]) => [f, person[f]])) as { [K in DetailField]: (typeof person)[K] }

async function detailsOf(db: Db, personId: string): Promise<ChildDetails> {
  const [row] = await db
    .select({ id: person.id, version: person.version, ...detailColumns })
    .from(person)
    .where(eq(person.id, personId))
  return row!
}

async function historyOf(db: Db, personId: string, createdAt: Date): Promise<DetailChange[]> {
  const rows = await db
    .select({ change: personChange, changedByName: appUser.displayName })
    .from(personChange)
    .innerJoin(appUser, eq(appUser.id, personChange.changedBy))
    .where(eq(personChange.personId, personId))
    .orderBy(asc(personChange.changedAt), asc(personChange.version))
  const since = new Map<string, string>()
  const out: DetailChange[] = []
  for (const { change, changedByName } of rows) {
    const to = change.changedAt.toISOString()
    out.push({
      field: change.field as DetailField,
      label: LABELS.get(change.field) ?? change.field,
      previousValue: change.previousValue,
      newValue: change.newValue,
      from: since.get(change.field) ?? createdAt.toISOString(),
      to,
      changedByName,
      reason: change.reason,
      version: change.version,
    })
    since.set(change.field, to)
  }
  return out.reverse()
}

async function addressesOf(db: Db, personId: string): Promise<AddressView[]> {
  const rows = await db
    .select({ a: personAddress, recordedByName: appUser.displayName })
    .from(personAddress)
    .leftJoin(appUser, eq(appUser.id, personAddress.recordedBy))
    .where(eq(personAddress.personId, personId))
    .orderBy(sql`${personAddress.toDate} is not null`, sql`${personAddress.fromDate} desc nulls last`, asc(personAddress.createdAt))
  const ids = [...new Set(rows.flatMap((r) => r.a.residentIds))]
  const people = ids.length
    ? await db.select({ id: person.id, givenName: person.givenName, familyName: person.familyName }).from(person).where(inArray(person.id, ids))
    : []
  const byId = new Map(people.map((p) => [p.id, p]))
  return rows.map(({ a, recordedByName }) => ({
    id: a.id,
    address: a.address,
    postcode: a.postcode,
    fromDate: a.fromDate,
    toDate: a.toDate,
    current: a.toDate === null,
    residents: a.residentIds.flatMap((id) => byId.get(id) ?? []),
    reason: a.reason,
    recordedByName,
    recordedAt: a.createdAt.toISOString(),
  }))
}

async function householdOf(db: Db, childId: string): Promise<HouseholdChoice[]> {
  return db
    .select({
      id: person.id,
      givenName: person.givenName,
      familyName: person.familyName,
      kind: personRelationship.kind,
      sameHousehold: personRelationship.sameHousehold,
    })
    .from(personRelationship)
    .innerJoin(person, eq(person.id, personRelationship.relatedPersonId))
    .where(and(eq(personRelationship.personId, childId), isNull(personRelationship.endedOn)))
    .orderBy(sql`${personRelationship.sameHousehold} desc`, asc(person.familyName), asc(person.givenName))
}

async function viewOf(ctx: ServiceContext, db: Db, open: OpenCase): Promise<ChildDetailsView> {
  const [created] = await db.select({ createdAt: person.createdAt }).from(person).where(eq(person.id, open.c.personId))
  const [details, history, addresses, household, c] = await Promise.all([
    detailsOf(db, open.c.personId),
    historyOf(db, open.c.personId, created!.createdAt),
    addressesOf(db, open.c.personId),
    householdOf(db, open.c.personId),
    caseFrame(ctx, db, open),
  ])
  return { c, details, history, addresses, household }
}

/** The child's details, their history and addresses: a read of the case (section `details`). */
export function childDetails(ctx: ServiceContext, caseId: string): Promise<ChildDetailsView> {
  return withCase(ctx, caseId, 'case:read', (db, open) => viewOf(ctx, db, open), 'details')
}

/** The same, for a form that changes them: refused unless the user may change the case. */
export function childDetailsForm(ctx: ServiceContext, caseId: string): Promise<ChildDetailsView> {
  return showCase(ctx, caseId, 'case:update', (db, open) => viewOf(ctx, db, open), 'details')
}

/** Refuses dates after today (ValidationFailed); returns today. */
function refuseFuture(ctx: ServiceContext, dates: Parameters<typeof futureDateErrors>[1]): string {
  const today = londonDate(ctx.now())
  const errors = futureDateErrors(today, dates)
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
  return today
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/** Words for an identifier already held by someone else, that never say whose it is. */
const HELD = {
  nhsNumber: 'This NHS number is already recorded for another person: check it, and if it is right ask a front door manager to check for a duplicate record',
  laChildId: 'This LA child ID is already given to another child: check it',
  upn: 'This UPN is already recorded for another child: check it',
} as const

async function refuseHeld(tx: Db, ctx: ServiceContext, personId: string, changes: Partial<ChildDetails>) {
  const errors: Record<string, string> = {}
  for (const field of ['nhsNumber', 'laChildId', 'upn'] as const) {
    const value = changes[field]
    if (!value) continue
    const [held] = await tx
      .select({ id: person.id })
      .from(person)
      .where(and(eq(person.partnershipId, ctx.actor.partnershipId), eq(person[field], value), ne(person.id, personId)))
      .limit(1)
    if (held) errors[field] = HELD[field]
  }
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

/** The person's own record in the person index, whose keys its details feed. */
async function indexRecordOf(tx: Db, personId: string): Promise<string | null> {
  const [row] = await tx
    .select({ id: sourceRecord.id })
    .from(sourceRecord)
    .where(and(eq(sourceRecord.sourceSystem, 'together'), eq(sourceRecord.sourceId, personId)))
  return row?.id ?? null
}

/**
 * Keeps an earlier name or postcode on the person's own index record and has it keyed again: the
 * trigger on person refreshes the record's current details, and the record is standardised and
 * keyed (with its history) before the next search.
 */
async function keepInIndex(
  ctx: ServiceContext,
  tx: Db,
  personId: string,
  earlier: { name?: { givenName: string; familyName: string }; postcode?: string | null; address?: string | null },
  on: string,
) {
  const recordId = await indexRecordOf(tx, personId)
  if (!recordId) return
  const partnershipId = ctx.actor.partnershipId
  if (earlier.name) {
    await tx.insert(sourceName).values({ partnershipId, sourceRecordId: recordId, kind: 'previous', ...earlier.name, toDate: on })
  }
  if (earlier.postcode || earlier.address) {
    await tx.insert(sourceAddress).values({
      partnershipId,
      sourceRecordId: recordId,
      postcode: earlier.postcode ?? null,
      postcodeNormalised: parsePostcode(earlier.postcode)?.unit || null,
      addressLine: earlier.address ?? null,
      toDate: on,
    })
  }
  await tx.update(sourceRecord).set({ matchData: null }).where(eq(sourceRecord.id, recordId))
}

/** Sets the person's columns if the person is still at `expectedVersion`; otherwise EditConflict with the details as they are. */
async function updatePerson(ctx: ServiceContext, tx: Db, personId: string, expectedVersion: number, changes: Partial<typeof person.$inferInsert>) {
  const [row] = await tx
    .update(person)
    .set({ ...changes, version: sql`${person.version} + 1`, updatedAt: ctx.now() })
    .where(and(eq(person.id, personId), eq(person.version, expectedVersion)))
    .returning({ version: person.version })
  if (!row) {
    const current = await detailsOf(tx, personId)
    throw new EditConflict(
      `Someone else changed the child’s details (now version ${current.version}) after you opened them (version ${expectedVersion}). Your changes have not been saved.`,
      current,
    )
  }
  return row.version
}

/**
 * Changes the child's details to `input`, if the person is still at the version the user read:
 * each changed detail's earlier value is kept with the reason; an NHS number, UPN or LA child ID
 * held by another person is refused; a new name re-keys the person index, keeping the old one.
 * Changing nothing changes nothing (no new version, no history).
 */
export async function changeChildDetails(ctx: ServiceContext, caseId: string, input: ChildDetailsInput): Promise<{ details: ChildDetails; changed: DetailField[] }> {
  const today = refuseFuture(ctx, { dateOfBirth: [input.dateOfBirth, 'the date of birth'], dateOfDeath: [input.dateOfDeath, 'the date of death'] })
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const before = await detailsOf(tx, open.c.personId)
    const changes: Partial<ChildDetails> = {}
    for (const [field] of DETAIL_FIELDS) {
      if (!same(before[field], input[field])) (changes as Record<string, unknown>)[field] = input[field]
    }
    const changed = Object.keys(changes) as DetailField[]
    if (before.version !== input.version) {
      throw new EditConflict(
        `Someone else changed the child’s details (now version ${before.version}) after you opened them (version ${input.version}). Your changes have not been saved.`,
        before,
      )
    }
    if (changed.length === 0) return { details: before, changed }
    await refuseHeld(tx, ctx, open.c.personId, changes)
    const version = await updatePerson(ctx, tx, open.c.personId, input.version, changes)
    await tx.insert(personChange).values(
      changed.map((field) => ({
        partnershipId: ctx.actor.partnershipId,
        personId: open.c.personId,
        version,
        field,
        previousValue: before[field],
        newValue: changes[field],
        reason: input.reason,
        changedAt: ctx.now(),
        changedBy: ctx.actor.userId,
      })),
    )
    if (changes.givenName !== undefined || changes.familyName !== undefined) {
      await keepInIndex(ctx, tx, open.c.personId, { name: { givenName: before.givenName, familyName: before.familyName } }, today)
    }
    await audit(ctx, tx, {
      action: 'person.update',
      recordType: 'person',
      recordId: open.c.personId,
      subjectPersonId: open.c.personId,
      ground: open.ground,
      detail: { fields: changed, caseId: open.c.id },
    })
    if (changes.dateOfDeath !== undefined) await syncChildDeathClock(ctx, tx, open, changes.dateOfDeath)
    return { details: await detailsOf(tx, open.c.personId), changed }
  }, 'details')
}

/**
 * Records the child's new address from `fromDate` (a move): the current address ends that day and
 * is kept as a previous one; an address held before history was kept becomes a previous one with
 * no start date. Who lives there must be people of the child's family network. The person's
 * address and postcode become the new ones, and the earlier postcode stays in the person index.
 */
export async function moveChild(ctx: ServiceContext, caseId: string, input: ChildAddressInput): Promise<{ address: AddressView; version: number }> {
  refuseFuture(ctx, { fromDate: [input.fromDate, 'the date the child started living there'] })
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const personId = open.c.personId
    const [held] = await tx.select({ address: person.address, postcode: person.postcode }).from(person).where(eq(person.id, personId))
    const [current] = await tx
      .select()
      .from(personAddress)
      .where(and(eq(personAddress.personId, personId), isNull(personAddress.toDate)))
    if (current?.fromDate && input.fromDate <= current.fromDate) {
      throw new ValidationFailed({ fromDate: `The new address must start after the current one did (${current.fromDate})` })
    }
    const network = new Set((await householdOf(tx, personId)).map((m) => m.id))
    if (input.residentIds.some((id) => !network.has(id))) {
      throw new ValidationFailed({ residentIds: 'Select who lives there from the child’s family network' })
    }
    const version = await updatePerson(ctx, tx, personId, input.version, { address: input.address, postcode: input.postcode })
    const base = { partnershipId: ctx.actor.partnershipId, personId, recordedBy: ctx.actor.userId }
    if (current) {
      await tx
        .update(personAddress)
        .set({ toDate: input.fromDate, version: sql`${personAddress.version} + 1`, updatedAt: ctx.now() })
        .where(eq(personAddress.id, current.id))
    } else if (held!.address || held!.postcode) {
      await tx.insert(personAddress).values({
        ...base,
        address: held!.address ?? '',
        postcode: held!.postcode,
        fromDate: null,
        toDate: input.fromDate,
        reason: 'Held before the address history was kept',
      })
    }
    const [row] = await tx
      .insert(personAddress)
      .values({ ...base, address: input.address, postcode: input.postcode, fromDate: input.fromDate, residentIds: [...new Set(input.residentIds)], reason: input.reason })
      .returning({ id: personAddress.id })
    if (held!.postcode || held!.address) {
      await keepInIndex(ctx, tx, personId, { postcode: held!.postcode, address: held!.address }, input.fromDate)
    }
    await audit(ctx, tx, {
      action: 'person.address',
      recordType: 'person',
      recordId: personId,
      subjectPersonId: personId,
      ground: open.ground,
      detail: { caseId: open.c.id, addressId: row!.id },
    })
    const address = (await addressesOf(tx, personId)).find((a) => a.id === row!.id)!
    return { address, version }
  }, 'details')
}
