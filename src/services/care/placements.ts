/**
 * A period of care's events (issue 19, items 1 and 2): its 903 context, legal status changes,
 * placements with their carers, and temporary moves. Every change opens the case through the one
 * gateway (policy, audit, versions, revisions); the 903 episodes are derived from these rows
 * (domain/care/episodes.ts), never typed. The period itself is started and ended by
 * journey/looked-after.ts, which calls recordPeriodStart and recordPeriodEnd in its transaction.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { carer, homePostcodeChange, instanceSetting, legalStatusChange, lookedAfterPeriod, periodOfCare, placement } from '../../db/schema/index.ts'
import { TEMPORARY_PLACE } from '../../domain/care/codes.ts'
import { deriveEpisodes, homePostcodeOn, type DerivedEpisode, type PeriodEvents } from '../../domain/care/episodes.ts'
import {
  ageError,
  legalStatusError,
  locationOf,
  normalisePostcode,
  placeTypeError,
  providerError,
  type PlacementLocation,
} from '../../domain/care/placement-rules.ts'
import { childStability, type ChildStability } from '../../domain/care/stability.ts'
import { parsePostcodeLookup, postcodeKey, type PostcodeLookup } from '../../domain/returns/ssda903/postcodes.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { audit } from '../access/audit.ts'
import { NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { createRecord, getRecord, updateRecord, withCase, type OpenCase } from '../journey/case-records.ts'
import type {
  CarerChoice,
  CarerInput,
  LegalStatusChangeInput,
  HomePostcodeInput,
  PlacementFields,
  PlacementMoveInput,
  PlacementUpdate,
  TemporaryMoveInput,
  TemporaryReturnInput,
} from './care-input.ts'

export type PlacementRow = typeof placement.$inferSelect
export type CarerRow = typeof carer.$inferSelect
export type PeriodOfCareRow = typeof periodOfCare.$inferSelect
export type LegalStatusRow = typeof legalStatusChange.$inferSelect
export type HomePostcodeRow = typeof homePostcodeChange.$inferSelect
type PeriodRow = typeof lookedAfterPeriod.$inferSelect

const SECTION = 'looked-after'

// ---- The postcode lookup and the authority's area

/** The postcode lookup the SSDA903 validator uses (the synthetic ONS lookup shipped with it). */
export const POSTCODE_FILE = fileURLToPath(new URL('../../domain/returns/ssda903/postcode_lookup_synthetic.csv', import.meta.url))
let lookup: PostcodeLookup | undefined
export function postcodeLookup(): PostcodeLookup {
  lookup ??= parsePostcodeLookup(readFileSync(POSTCODE_FILE, 'utf8'), POSTCODE_FILE)
  return lookup
}

/**
 * The authority's area as the postcode lookup names it (upper-tier LA code), which decides IN or OUT:
 * the instance setting `care.la-area.<partnership>`, else the synthetic lookup's authority.
 */
export const SYNTHETIC_AREA = 'E06000999'
export async function authorityArea(db: Db, partnershipId: string): Promise<string> {
  const [row] = await db.select({ value: instanceSetting.value }).from(instanceSetting).where(eq(instanceSetting.key, `care.la-area.${partnershipId}`))
  return row?.value ?? SYNTHETIC_AREA
}

/** A postcode in the lookup, written as the lookup writes it; otherwise a field error. */
function knownPostcode(value: string, field: string, what: string): string {
  if (!postcodeLookup().has(postcodeKey(value))) {
    throw new ValidationFailed({ [field]: `${what} ${value.toUpperCase()} is not in the postcode lookup: check it (a real postcode, like ZQ1 2NT)` })
  }
  return normalisePostcode(value)
}

function refuseFuture(ctx: ServiceContext, dates: Record<string, [string | null | undefined, string]>) {
  const errors = futureDateErrors(londonDate(ctx.now()), dates)
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

const fail = (field: string, message: string | null) => {
  if (message) throw new ValidationFailed({ [field]: message })
}

// ---- Carers

/** The partnership's carers and settings, by name (for choosing one on a placement). */
export async function carersOf(ctx: ServiceContext): Promise<CarerRow[]> {
  return ctx.db.select().from(carer).where(eq(carer.partnershipId, ctx.actor.partnershipId)).orderBy(asc(carer.name), asc(carer.id))
}

async function insertCarer(ctx: ServiceContext, tx: Db, input: CarerInput): Promise<CarerRow> {
  const [row] = await tx.insert(carer).values({ partnershipId: ctx.actor.partnershipId, ...input }).returning()
  await audit(ctx, tx, { action: 'carer.create', recordType: 'carer', recordId: row!.id })
  return row!
}

/** Adds a carer or setting to the partnership's list. */
export async function addCarer(ctx: ServiceContext, input: CarerInput): Promise<CarerRow> {
  return ctx.db.transaction((tx) => insertCarer(ctx, tx, input))
}

/** The carer chosen, or the new one made from the fields given; null when none is given and none is needed. */
async function carerOf(ctx: ServiceContext, tx: Db, choice: CarerChoice, required: boolean): Promise<CarerRow | null> {
  if (choice.carerId) {
    const [row] = await tx.select().from(carer).where(and(eq(carer.id, choice.carerId), eq(carer.partnershipId, ctx.actor.partnershipId)))
    if (!row) throw new ValidationFailed({ carerId: 'Select a carer from the list' })
    return row
  }
  if (choice.newCarerName) {
    if (!choice.newCarerKind) throw new ValidationFailed({ newCarerKind: 'Select what kind of carer or setting it is' })
    return insertCarer(ctx, tx, { name: choice.newCarerName, kind: choice.newCarerKind, urn: choice.newCarerUrn })
  }
  if (required) throw new ValidationFailed({ carerId: 'Select who the child is placed with, or enter the name of a new household or setting' })
  return null
}

// ---- Reading a period's events

interface PeriodEventsRows {
  context: PeriodOfCareRow | null
  statuses: LegalStatusRow[]
  placements: PlacementRow[]
  /** New home postcodes during the period, date order. */
  homes: HomePostcodeRow[]
  carers: Map<string, CarerRow>
}

async function eventsOf(db: Db, periodIds: string[]): Promise<Map<string, PeriodEventsRows>> {
  const byPeriod = new Map<string, PeriodEventsRows>(periodIds.map((id) => [id, { context: null, statuses: [], placements: [], homes: [], carers: new Map() }]))
  if (periodIds.length === 0) return byPeriod
  const [contexts, statuses, placements, homes] = await Promise.all([
    db.select().from(periodOfCare).where(inArray(periodOfCare.periodId, periodIds)),
    db.select().from(legalStatusChange).where(inArray(legalStatusChange.periodId, periodIds)).orderBy(asc(legalStatusChange.fromOn)),
    db.select().from(placement).where(inArray(placement.periodId, periodIds)).orderBy(asc(placement.startedOn), asc(placement.createdAt)),
    db.select().from(homePostcodeChange).where(inArray(homePostcodeChange.periodId, periodIds)).orderBy(asc(homePostcodeChange.fromOn)),
  ])
  const carerIds = [...new Set(placements.flatMap((p) => (p.carerId ? [p.carerId] : [])))]
  const carers = carerIds.length === 0 ? [] : await db.select().from(carer).where(inArray(carer.id, carerIds))
  const carerById = new Map(carers.map((c) => [c.id, c]))
  for (const c of contexts) byPeriod.get(c.periodId)!.context = c
  for (const s of statuses) byPeriod.get(s.periodId)!.statuses.push(s)
  for (const p of placements) byPeriod.get(p.periodId)!.placements.push(p)
  for (const h of homes) byPeriod.get(h.periodId)!.homes.push(h)
  for (const rows of byPeriod.values()) rows.carers = carerById
  return byPeriod
}

function periodEvents(period: PeriodRow, rows: PeriodEventsRows): PeriodEvents {
  return {
    startedOn: period.startedOn,
    endedOn: period.endedOn,
    reasonCeased: rows.context?.reasonCeased ?? null,
    categoryOfNeed: rows.context?.categoryOfNeed ?? null,
    uasc: rows.context?.uasc ?? false,
    homePostcode: rows.context?.homePostcode ?? null,
    homePostcodes: rows.homes.map((h) => ({ postcode: h.postcode, fromOn: h.fromOn })),
    // A period recorded before legal status changes were has only the status it started with.
    legalStatuses: rows.statuses.length > 0 ? rows.statuses.map((s) => ({ legalStatus: s.legalStatus, fromOn: s.fromOn })) : [{ legalStatus: period.legalStatus, fromOn: period.startedOn }],
    placements: rows.placements.map((p) => ({
      id: p.id,
      placeType: p.placeType,
      provider: p.provider,
      carerId: p.carerId,
      postcode: p.postcode,
      urn: p.urn ?? (p.carerId ? (rows.carers.get(p.carerId)?.urn ?? null) : null),
      startedOn: p.startedOn,
      endedOn: p.endedOn,
      endReason: p.endReason,
      interruptsId: p.interruptsId,
    })),
  }
}

/**
 * The derived 903 episodes of periods of care, by period id, read without opening a case: for the
 * SSDA903 export, whose caller has already checked the analyst may run returns and audits each child.
 */
export async function episodesOfPeriods(db: Db, periods: PeriodRow[]): Promise<Map<string, { events: PeriodEvents; episodes: DerivedEpisode[] }>> {
  const events = await eventsOf(db, periods.map((p) => p.id))
  const result = new Map<string, { events: PeriodEvents; episodes: DerivedEpisode[] }>()
  for (const period of periods) {
    const ev = periodEvents(period, events.get(period.id)!)
    result.set(period.id, { events: ev, episodes: deriveEpisodes(ev) })
  }
  return result
}

export interface PlacementView extends PlacementRow {
  carerName: string | null
  carerKind: string | null
  /** The URN the return gives: the placement's, else the carer's. */
  effectiveUrn: string | null
  location: PlacementLocation | null
  temporary: boolean
  /** The placement the child lives in today (a temporary move over the placement it interrupts). */
  current: boolean
}

export interface PeriodCare {
  context: PeriodOfCareRow | null
  /** The home postcodes recorded after the start, date order. */
  homePostcodes: HomePostcodeRow[]
  legalStatuses: { legalStatus: string; fromOn: string; id: string | null }[]
  /** Date order. */
  placements: PlacementView[]
  episodes: DerivedEpisode[]
  stability: ChildStability
}

/** What the looked-after page shows of each period: its events, derived episodes and stability. */
export async function careOfPeriods(db: Db, open: OpenCase, periods: PeriodRow[], today: string): Promise<Record<string, PeriodCare>> {
  const events = await eventsOf(db, periods.map((p) => p.id))
  const area = await authorityArea(db, open.c.partnershipId)
  const result: Record<string, PeriodCare> = {}
  for (const period of periods) {
    const rows = events.get(period.id)!
    const ev = periodEvents(period, rows)
    const uasc = rows.context?.uasc ?? false
    const openNow = period.endedOn === null
    const currentTemp = rows.placements.find((p) => p.interruptsId && p.startedOn <= today && (p.endedOn === null || p.endedOn > today))
    result[period.id] = {
      context: rows.context,
      homePostcodes: rows.homes,
      legalStatuses: rows.statuses.length > 0 ? rows.statuses.map((s) => ({ legalStatus: s.legalStatus, fromOn: s.fromOn, id: s.id })) : ev.legalStatuses.map((s) => ({ ...s, id: null })),
      placements: rows.placements.map((p, i) => {
        const c = p.carerId ? rows.carers.get(p.carerId) : undefined
        const temporary = TEMPORARY_PLACE.has(p.placeType)
        return {
          ...p,
          carerName: c?.name ?? null,
          carerKind: c?.kind ?? null,
          effectiveUrn: ev.placements[i]!.urn,
          // The distance from the child's home when the placement started.
          location: locationOf(postcodeLookup(), area, p.postcode, uasc ? null : homePostcodeOn(ev, p.startedOn)),
          temporary,
          current: openNow && p.endedOn === null && (currentTemp ? p.id === currentTemp.id : !temporary),
        }
      }),
      episodes: deriveEpisodes(ev),
      stability: childStability(rows.placements, period.startedOn, open.c.dateOfBirth, period.endedOn ?? today),
    }
  }
  return result
}

// ---- Recording

/** Checks a placement's fields against the 903's rules and the postcode lookup; makes a new carer if one is given. */
async function checkedPlacement(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  fields: PlacementFields,
  startedOn: string,
  legalStatus: string,
): Promise<{ placeType: string; provider: string | null; carerId: string | null; postcode: string; urn: string | null }> {
  fail('placeType', placeTypeError(fields.placeType, startedOn))
  fail('provider', providerError(fields.placeType, fields.provider))
  fail('placeType', ageError(fields.placeType, startedOn, open.c.dateOfBirth))
  fail('placeType', legalStatusError(fields.placeType, legalStatus))
  const postcode = knownPostcode(fields.placementPostcode, 'placementPostcode', 'The placement’s postcode')
  const chosen = await carerOf(ctx, tx, fields, true)
  return { placeType: fields.placeType, provider: fields.provider, carerId: chosen!.id, postcode, urn: fields.urn }
}

export interface PeriodStartContext extends PlacementFields {
  categoryOfNeed: string
  uasc: boolean
  homePostcode: string | null
}

/**
 * The 903 context of a period just started (in the caller's transaction): category of need, UASC,
 * home postcode, the first legal status and the first placement, from the period's first day.
 */
export async function recordPeriodStart(ctx: ServiceContext, tx: Db, open: OpenCase, period: PeriodRow, input: PeriodStartContext): Promise<void> {
  let homePostcode: string | null = null
  if (input.uasc && input.homePostcode) {
    throw new ValidationFailed({ homePostcode: 'Leave the home postcode empty for an unaccompanied asylum-seeking child' })
  }
  if (!input.uasc) {
    if (!input.homePostcode) throw new ValidationFailed({ homePostcode: 'Enter the child’s home postcode when they became looked after' })
    homePostcode = knownPostcode(input.homePostcode, 'homePostcode', 'The home postcode')
  }
  const first = await checkedPlacement(ctx, tx, open, input, period.startedOn, period.legalStatus)
  if (homePostcode && first.postcode === homePostcode && first.placeType !== 'P1') {
    throw new ValidationFailed({ placementPostcode: 'The placement’s postcode is the child’s home postcode: only a placement with parents (P1) can be at home' })
  }
  await createRecord(ctx, tx, open, 'period-of-care', periodOfCare, { periodId: period.id, categoryOfNeed: input.categoryOfNeed, uasc: input.uasc, homePostcode })
  await createRecord(ctx, tx, open, 'legal-status', legalStatusChange, { periodId: period.id, legalStatus: period.legalStatus, fromOn: period.startedOn })
  await createRecord(ctx, tx, open, 'placement', placement, { periodId: period.id, ...first, startedOn: period.startedOn })
}

/**
 * Ending a period (in the caller's transaction): care cannot end from a temporary move (903 rule
 * 381), nothing may start after the end, the open placement ends that day, and the reason ceased
 * is kept on the period's context.
 */
export async function recordPeriodEnd(ctx: ServiceContext, tx: Db, open: OpenCase, period: PeriodRow, endedOn: string, reasonCeased: string): Promise<void> {
  const rows = (await eventsOf(tx, [period.id])).get(period.id)!
  const temp = rows.placements.find((p) => p.interruptsId && (p.endedOn === null || p.endedOn > endedOn))
  if (temp) throw new ValidationFailed({ endedOn: `The child is on a temporary move from ${temp.startedOn}: record their return to the placement first (care cannot end from a temporary move)` })
  const later = rows.placements.find((p) => p.startedOn >= endedOn && p.startedOn !== period.startedOn)
  if (later) throw new ValidationFailed({ endedOn: `A placement starts on ${later.startedOn}: the end of care must be after it` })
  const laterStatus = rows.statuses.find((s) => s.fromOn >= endedOn && s.fromOn !== period.startedOn)
  if (laterStatus) throw new ValidationFailed({ endedOn: `The legal status changed on ${laterStatus.fromOn}: the end of care must be after it` })
  for (const p of rows.placements.filter((p) => p.endedOn === null)) {
    await updateRecord(ctx, tx, open, 'placement', placement, p.id, p.version, { endedOn: endedOn, endReason: null }, 'placement.end')
  }
  if (rows.context) {
    await updateRecord(ctx, tx, open, 'period-of-care', periodOfCare, rows.context.id, rows.context.version, { reasonCeased }, 'period-of-care.end')
  }
}

async function openPeriodOf(tx: Db, open: OpenCase, periodId: string): Promise<PeriodRow> {
  const period = await getRecord<PeriodRow>(tx, open, lookedAfterPeriod, periodId)
  if (period.endedOn) throw new ValidationFailed({ period: `This period of care ended on ${period.endedOn}` })
  return period
}

/** The legal status on a day (the period's own, for a period recorded before legal status changes were). */
const legalStatusOn = (rows: PeriodEventsRows, period: PeriodRow, day: string) => {
  let current = rows.statuses[0]?.legalStatus ?? period.legalStatus
  for (const s of rows.statuses) if (s.fromOn <= day) current = s.legalStatus
  return current
}

/** Runs a change on an open period of the case, with its events, through the case gateway. */
function withOpenPeriod<T>(
  ctx: ServiceContext,
  caseId: string,
  periodId: string,
  work: (tx: Db, open: OpenCase, period: PeriodRow, rows: PeriodEventsRows) => Promise<T>,
): Promise<T> {
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const period = await openPeriodOf(tx, open, periodId)
      return work(tx, open, period, (await eventsOf(tx, [period.id])).get(period.id)!)
    },
    SECTION,
  )
}

/** A change of legal status during the period, from a day after its start. */
export async function changeLegalStatus(ctx: ServiceContext, caseId: string, periodId: string, input: LegalStatusChangeInput): Promise<LegalStatusRow> {
  refuseFuture(ctx, { fromOn: [input.fromOn, 'the date the legal status started'] })
  return withOpenPeriod(ctx, caseId, periodId, async (tx, open, period, rows) => {
      if (input.fromOn <= period.startedOn) {
        throw new ValidationFailed({ fromOn: `A change of legal status must be after the start of the period, ${period.startedOn} (the status it started with is part of the start)` })
      }
      if (rows.statuses.some((s) => s.fromOn === input.fromOn)) throw new ValidationFailed({ fromOn: `A legal status is already recorded from ${input.fromOn}` })
      if (rows.statuses.length === 0) {
        await createRecord(ctx, tx, open, 'legal-status', legalStatusChange, { periodId: period.id, legalStatus: period.legalStatus, fromOn: period.startedOn })
      }
      const before = legalStatusOn(rows, period, input.fromOn)
      if (before === input.legalStatus) throw new ValidationFailed({ legalStatus: `The legal status on ${input.fromOn} is already ${before}` })
      const placed = rows.placements.find((p) => !p.interruptsId && p.startedOn <= input.fromOn && (p.endedOn === null || p.endedOn > input.fromOn))
      if (placed) fail('legalStatus', legalStatusError(placed.placeType, input.legalStatus))
      const row = await createRecord<LegalStatusRow>(ctx, tx, open, 'legal-status', legalStatusChange, { periodId: period.id, ...input })
      // The period shows the legal status in force now (Annex A, the daily feed read it).
      const latest = [...rows.statuses, row].sort((a, b) => a.fromOn.localeCompare(b.fromOn)).at(-1)!
      if (latest.legalStatus !== period.legalStatus) {
        await updateRecord(ctx, tx, open, 'looked-after', lookedAfterPeriod, period.id, period.version, { legalStatus: latest.legalStatus }, 'looked-after.legal-status')
      }
      return row
  })
}

/**
 * The child's new home postcode during the period, from a day after its start: the episodes
 * starting from then give it as HOME_POST (none starts because of it). Not for an unaccompanied
 * asylum-seeking child (no home postcode); one a day; it must differ from the one in force, be in
 * the postcode lookup, and not be where the child is placed then or later unless with parents (P1,
 * rule 392d).
 */
export async function recordHomePostcode(ctx: ServiceContext, caseId: string, periodId: string, input: HomePostcodeInput): Promise<HomePostcodeRow> {
  refuseFuture(ctx, { fromOn: [input.fromOn, 'the date the child’s home moved'] })
  return withOpenPeriod(ctx, caseId, periodId, async (tx, open, period, rows) => {
    if (!rows.context) throw new ValidationFailed({ homePostcode: 'This period was recorded before home postcodes were: its details are not known' })
    if (rows.context.uasc) throw new ValidationFailed({ homePostcode: 'An unaccompanied asylum-seeking child has no home postcode in the return' })
    if (input.fromOn <= period.startedOn) {
      throw new ValidationFailed({ fromOn: `A new home postcode must be from after the start of the period, ${period.startedOn} (the one it started with is part of the start)` })
    }
    if (rows.homes.some((h) => h.fromOn === input.fromOn)) throw new ValidationFailed({ fromOn: `A home postcode is already recorded from ${input.fromOn}` })
    const postcode = knownPostcode(input.homePostcode, 'homePostcode', 'The home postcode')
    const events = periodEvents(period, rows)
    if (homePostcodeOn(events, input.fromOn) === postcode) throw new ValidationFailed({ homePostcode: `The child’s home postcode on ${input.fromOn} is already ${postcode}` })
    const next = rows.homes.find((h) => h.fromOn > input.fromOn)?.fromOn
    const atHome = rows.placements.find(
      (p) => p.postcode === postcode && p.placeType !== 'P1' && (p.endedOn === null || p.endedOn > input.fromOn) && (next === undefined || p.startedOn < next),
    )
    if (atHome) throw new ValidationFailed({ homePostcode: `The child is placed at ${postcode} from ${atHome.startedOn}: only a placement with parents (P1) can be at home` })
    return createRecord<HomePostcodeRow>(ctx, tx, open, 'home-postcode', homePostcodeChange, { periodId: period.id, postcode, fromOn: input.fromOn })
  })
}

/** The placement the child lives in (not a temporary move), still open. */
const openPlacementOf = (rows: PeriodEventsRows) => rows.placements.filter((p) => !p.interruptsId && p.endedOn === null).at(-1)

/** A move to a new placement: the open one ends the day the new one starts, with the reason. */
export async function movePlacement(ctx: ServiceContext, caseId: string, periodId: string, input: PlacementMoveInput): Promise<PlacementRow> {
  refuseFuture(ctx, { startedOn: [input.startedOn, 'the date the child moved'] })
  return withOpenPeriod(ctx, caseId, periodId, async (tx, open, period, rows) => {
      if (input.startedOn < period.startedOn) throw new ValidationFailed({ startedOn: `The placement cannot start before the period of care, ${period.startedOn}` })
      const current = openPlacementOf(rows)
      const latestStart = rows.placements.map((p) => p.startedOn).sort().at(-1)
      if (latestStart && input.startedOn <= latestStart) {
        throw new ValidationFailed({ startedOn: `Placements cannot overlap: the move must be after ${latestStart}, when the latest placement or temporary move started` })
      }
      const temp = rows.placements.find((p) => p.interruptsId && (p.endedOn === null || p.endedOn > input.startedOn))
      if (temp) throw new ValidationFailed({ startedOn: `The child is on a temporary move from ${temp.startedOn}: record their return first` })
      const values = await checkedPlacement(ctx, tx, open, input, input.startedOn, legalStatusOn(rows, period, input.startedOn))
      if (current) {
        await updateRecord(ctx, tx, open, 'placement', placement, current.id, current.version, { endedOn: input.startedOn, endReason: input.endReason }, 'placement.end')
      }
      return createRecord<PlacementRow>(ctx, tx, open, 'placement', placement, { periodId: period.id, ...values, startedOn: input.startedOn })
  })
}

/** A temporary move (T0-T4) away from the open placement, which it names; the child goes back to it. */
export async function startTemporaryMove(ctx: ServiceContext, caseId: string, periodId: string, input: TemporaryMoveInput): Promise<PlacementRow> {
  refuseFuture(ctx, { startedOn: [input.startedOn, 'the date the temporary move started'], endedOn: [input.endedOn, 'the date the child went back'] })
  return withOpenPeriod(ctx, caseId, periodId, async (tx, open, period, rows) => {
      const current = openPlacementOf(rows)
      if (!current) throw new ValidationFailed({ startedOn: 'A temporary move interrupts a placement: record the placement first' })
      if (input.startedOn <= current.startedOn) {
        throw new ValidationFailed({ startedOn: `The temporary move must start after the placement it interrupts, which started on ${current.startedOn}` })
      }
      if (input.endedOn !== null && input.endedOn <= input.startedOn) throw new ValidationFailed({ endedOn: 'The return must be after the start of the temporary move' })
      const clash = rows.placements.find((p) => p.interruptsId && (p.endedOn === null || p.endedOn > input.startedOn) && (input.endedOn === null || p.startedOn < input.endedOn))
      if (clash) throw new ValidationFailed({ startedOn: `Temporary moves cannot overlap: one started on ${clash.startedOn}` })
      const postcode = knownPostcode(input.placementPostcode, 'placementPostcode', 'The postcode')
      const chosen = await carerOf(ctx, tx, input, false)
      return createRecord<PlacementRow>(ctx, tx, open, 'placement', placement, {
        periodId: period.id,
        interruptsId: current.id,
        placeType: input.placeType,
        provider: null,
        carerId: chosen?.id ?? null,
        postcode,
        urn: null,
        startedOn: input.startedOn,
        endedOn: input.endedOn,
      })
  })
}

async function placementOfCase(tx: Db, open: OpenCase, placementId: string) {
  const row = await getRecord<PlacementRow>(tx, open, placement, placementId)
  const period = await getRecord<PeriodRow>(tx, open, lookedAfterPeriod, row.periodId)
  return { row, period }
}

/** The child went back to the placement a temporary move interrupted. */
export async function endTemporaryMove(ctx: ServiceContext, caseId: string, placementId: string, input: TemporaryReturnInput): Promise<PlacementRow> {
  refuseFuture(ctx, { endedOn: [input.endedOn, 'the date the child went back'] })
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const { row, period } = await placementOfCase(tx, open, placementId)
      if (!row.interruptsId) throw new NotFound('No such temporary move on this case')
      if (period.endedOn) throw new ValidationFailed({ endedOn: `This period of care ended on ${period.endedOn}` })
      if (input.endedOn <= row.startedOn) throw new ValidationFailed({ endedOn: `The return must be after the start of the temporary move, ${row.startedOn}` })
      return updateRecord<PlacementRow>(ctx, tx, open, 'placement', placement, row.id, input.version, { endedOn: input.endedOn }, 'placement.return')
    },
    SECTION,
  )
}

/** Corrects a placement's details (provider, carer, postcode, URN, why it ended), named by the version read. */
export async function changePlacement(ctx: ServiceContext, caseId: string, placementId: string, input: PlacementUpdate): Promise<PlacementRow> {
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const { row } = await placementOfCase(tx, open, placementId)
      const { version, placementPostcode, ...given } = input
      const changes: Record<string, unknown> = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined))
      if (placementPostcode !== undefined) changes.postcode = knownPostcode(placementPostcode, 'placementPostcode', 'The placement’s postcode')
      const provider = 'provider' in changes ? (changes.provider as string | null) : row.provider
      fail('provider', providerError(row.placeType, provider))
      if (changes.carerId !== undefined) {
        if (changes.carerId === null && !row.interruptsId) throw new ValidationFailed({ carerId: 'A placement is with a carer or setting: select one' })
        if (changes.carerId) await carerOf(ctx, tx, { carerId: changes.carerId as string, newCarerName: null, newCarerKind: null, newCarerUrn: null }, true)
      }
      if (changes.endReason !== undefined && changes.endReason !== null && (row.interruptsId || row.endedOn === null)) {
        throw new ValidationFailed({ endReason: 'Only a placement that ended with a move to another has a reason it ended' })
      }
      return updateRecord<PlacementRow>(ctx, tx, open, 'placement', placement, row.id, version, changes)
    },
    SECTION,
  )
}
