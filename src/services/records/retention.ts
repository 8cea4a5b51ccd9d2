/**
 * Retention, legal holds and erasure (issue 18 §4; docs/data-protection.md). The partnership's
 * schedule per kind of record (defaults to confirm), one record's own retention date, legal holds,
 * the review list of records past retention (computed when asked, not a job), and erasure: one
 * person proposes, another approves, the personal data goes (erasure-scrub.ts) and the erasure row
 * stays as the tombstone. Only the data protection officer (auditor) and administrators; every
 * change audited, with ids and codes only (never a reason's words: they may name people).
 */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { appUser, childCase, cinEpisode, document, erasure, ladoCase, ladoChild, legalHold, lookedAfterPeriod, person, practiceReview, recordRevision, retentionOverride, retentionSchedule } from '../../db/schema/index.ts'
import {
  describeRule,
  holdsCovering,
  isPastRetention,
  retentionDate,
  retentionKindLabel,
  schedulesOf,
  type HoldTarget,
  type LegalHold,
  type RetentionKind,
  type RetentionSchedule,
} from '../../domain/records/retention.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { audit } from '../access/audit.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { pageOf, type Page, type PageRequest } from '../common/paging.ts'
import { eraseCase, eraseDocument, type ErasedCounts } from './erasure-scrub.ts'
import type { ErasureDecisionInput, LegalHoldInput, ProposeErasureInput, RetentionOverrideInput, RetentionRecordType, RetentionScheduleInput } from './retention-input.ts'

const today = (ctx: ServiceContext) => londonDate(ctx.now())

// ---------------------------------------------------------------- schedules

export interface ScheduleView extends RetentionSchedule {
  label: string
  rule: string
  version: number | null
}

export async function retentionSchedules(ctx: ServiceContext): Promise<ScheduleView[]> {
  requireGeneral(ctx, 'retention:manage')
  const saved = await savedSchedules(ctx.db, ctx.actor.partnershipId)
  return schedulesOf(saved).map((s) => ({ ...s, label: retentionKindLabel(s.kind), rule: describeRule(s), version: saved.find((v) => v.kind === s.kind)?.version ?? null }))
}

async function savedSchedules(db: Db, partnershipId: string): Promise<(RetentionSchedule & { version: number })[]> {
  const rows = await db
    .select({ kind: retentionSchedule.kind, basis: retentionSchedule.basis, months: retentionSchedule.months, source: retentionSchedule.source, version: retentionSchedule.version })
    .from(retentionSchedule)
    .where(eq(retentionSchedule.partnershipId, partnershipId))
  return rows.map((r) => ({ ...r, kind: r.kind as RetentionKind, basis: r.basis as RetentionSchedule['basis'], confirmed: true }))
}

const SCHEDULE_CHANGED = 'Someone else changed this retention period while you were editing it'

/** Confirms or changes the period of one kind of record (the first save confirms the default). */
export async function setRetentionSchedule(ctx: ServiceContext, kind: RetentionKind, input: RetentionScheduleInput): Promise<void> {
  const ground = requireGeneral(ctx, 'retention:manage')
  const months = input.basis === 'with-case' ? 0 : input.years * 12 + input.months
  await ctx.db.transaction(async (tx) => {
    const [current] = await tx
      .select({ id: retentionSchedule.id, version: retentionSchedule.version })
      .from(retentionSchedule)
      .where(and(eq(retentionSchedule.partnershipId, ctx.actor.partnershipId), eq(retentionSchedule.kind, kind)))
      .for('update')
    if (current) {
      if (input.version !== current.version) throw new EditConflict(SCHEDULE_CHANGED)
      await tx
        .update(retentionSchedule)
        .set({ basis: input.basis, months, source: input.source, confirmedBy: ctx.actor.userId, updatedAt: ctx.now(), version: current.version + 1 })
        .where(eq(retentionSchedule.id, current.id))
    } else {
      if (input.version !== undefined) throw new EditConflict(SCHEDULE_CHANGED)
      await tx.insert(retentionSchedule).values({ partnershipId: ctx.actor.partnershipId, kind, basis: input.basis, months, source: input.source, confirmedBy: ctx.actor.userId, createdAt: ctx.now(), updatedAt: ctx.now() })
    }
    await audit(ctx, tx, { action: 'retention.schedule.set', recordType: 'retention-schedule', recordId: kind, ground, detail: { kind, basis: input.basis, months } })
  })
}

// ---------------------------------------------------------------- records and their dates

/**
 * A record that has a retention date: a case (of one of three kinds) or a document, on a case or
 * on one of the partnership's own records (a LADO case, a practice review: then caseId is null and
 * owner says which; such a document is kept as long as that record, under its kind's schedule).
 */
export interface RetainedRecord {
  recordType: RetentionRecordType
  recordId: string
  kind: RetentionKind
  caseId: string | null
  /** For a document of a LADO case or a practice review: that record. */
  owner?: { kind: 'lado-case' | 'practice-review'; id: string }
  personIds: string[]
  closedOn: string | null
  retainUntil: string | null
  why: string
  overridden: boolean
}

interface CaseRow {
  caseId: string
  personId: string
  dateOfBirth: string | null
  closedOn: string | null
  openedOn: string
  lookedAfter: boolean
  episodes: boolean
}

/** What a case is for retention: looked after once, a child in need (or protection) case, or a contact that went no further. */
function caseKind(c: CaseRow): RetentionKind {
  if (c.lookedAfter) return 'looked-after-child'
  return c.episodes ? 'child-case' : 'contact-no-further-action'
}

async function caseRows(db: Db, partnershipId: string, caseIds?: readonly string[]): Promise<CaseRow[]> {
  const where = caseIds ? and(eq(childCase.partnershipId, partnershipId), inArray(childCase.id, [...caseIds])) : and(eq(childCase.partnershipId, partnershipId), eq(childCase.status, 'closed'))
  return db
    .select({
      caseId: childCase.id,
      personId: childCase.personId,
      dateOfBirth: person.dateOfBirth,
      closedOn: childCase.closedOn,
      openedOn: childCase.openedOn,
      lookedAfter: sql<boolean>`exists (select 1 from ${lookedAfterPeriod} where ${lookedAfterPeriod.caseId} = ${childCase.id})`.mapWith(Boolean),
      episodes: sql<boolean>`exists (select 1 from ${cinEpisode} where ${cinEpisode.caseId} = ${childCase.id})`.mapWith(Boolean),
    })
    .from(childCase)
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(where)
    .orderBy(asc(childCase.id))
}

async function overridesOf(db: Db, partnershipId: string, recordType: RetentionRecordType): Promise<Map<string, { retainUntil: string; reason: string }>> {
  const rows = await db
    .select({ recordId: retentionOverride.recordId, retainUntil: retentionOverride.retainUntil, reason: retentionOverride.reason })
    .from(retentionOverride)
    .where(and(eq(retentionOverride.partnershipId, partnershipId), eq(retentionOverride.recordType, recordType)))
  return new Map(rows.map((r) => [r.recordId, r]))
}

/** Every closed case's retention date (or the cases named), and documents whose schedule is their own. */
async function retainedRecords(db: Db, partnershipId: string, only?: { recordType: RetentionRecordType; recordId: string }): Promise<RetainedRecord[]> {
  const schedules = schedulesOf(await savedSchedules(db, partnershipId))
  const rule = (kind: RetentionKind) => schedules.find((s) => s.kind === kind)!
  let caseIds: string[] | undefined
  let docs: DocRow[] = []
  if (only?.recordType === 'document') {
    docs = await db.select(DOC_COLUMNS).from(document).where(and(eq(document.partnershipId, partnershipId), eq(document.id, only.recordId)))
    caseIds = docs.flatMap((d) => (d.caseId ? [d.caseId] : []))
  } else if (only) {
    caseIds = [only.recordId]
  }
  const cases = caseIds?.length === 0 ? [] : await caseRows(db, partnershipId, caseIds)
  const caseOverrides = await overridesOf(db, partnershipId, 'case')
  const out: RetainedRecord[] = []
  const byCase = new Map<string, RetainedRecord>()
  const caseRecord = (c: CaseRow): RetainedRecord => {
    const kind = caseKind(c)
    const d = retentionDate(rule(kind), { dateOfBirth: c.dateOfBirth, closedOn: c.closedOn, createdOn: c.openedOn }, caseOverrides.get(c.caseId))
    const r: RetainedRecord = { recordType: 'case', recordId: c.caseId, kind, caseId: c.caseId, personIds: [c.personId], closedOn: c.closedOn, ...d }
    byCase.set(c.caseId, r)
    return r
  }
  for (const c of cases) {
    const r = caseRecord(c)
    if (only?.recordType !== 'document') out.push(r)
  }
  // Documents kept "with the case" go with their case's erasure; only those with a date of their own are listed.
  const docRule = rule('document')
  const docOverrides = await overridesOf(db, partnershipId, 'document')
  if (!only) {
    const own = docRule.basis !== 'with-case' ? undefined : [...docOverrides.keys()]
    if (own === undefined || own.length > 0) {
      docs = await db
        .select(DOC_COLUMNS)
        .from(document)
        .where(and(eq(document.partnershipId, partnershipId), own ? inArray(document.id, own) : undefined))
        .orderBy(asc(document.id))
      const missing = docs.flatMap((d) => (d.caseId && !byCase.has(d.caseId) ? [d.caseId] : []))
      for (const c of missing.length ? await caseRows(db, partnershipId, [...new Set(missing)]) : []) caseRecord(c)
    }
  }
  // Documents "with the case" of a LADO case or a review are kept as long as that record; every one is listed.
  if (!only && docRule.basis === 'with-case') {
    const owned = await db.select(DOC_COLUMNS).from(document).where(and(eq(document.partnershipId, partnershipId), sql`${document.ownerKind} <> 'case'`)).orderBy(asc(document.id))
    const listed = new Set(docs.map((d) => d.id))
    docs = [...docs, ...owned.filter((d) => !listed.has(d.id))]
  }
  const owners = await ownerRetention(db, partnershipId, docs, rule)
  for (const doc of docs) {
    if (!doc.caseId) {
      const held = owners.get(doc.ownerId ?? '')
      if (!held) continue
      const d = retentionDate(docRule, { dateOfBirth: null, closedOn: held.closedOn, createdOn: londonDate(doc.createdAt), caseRetainUntil: held.retainUntil }, docOverrides.get(doc.id))
      out.push({ recordType: 'document', recordId: doc.id, kind: 'document', caseId: null, owner: { kind: held.kind, id: doc.ownerId! }, personIds: held.personIds, closedOn: held.closedOn, ...d })
      continue
    }
    const owner = byCase.get(doc.caseId)
    if (!owner) continue
    const d = retentionDate(docRule, { dateOfBirth: null, closedOn: owner.closedOn, createdOn: londonDate(doc.createdAt), caseRetainUntil: owner.retainUntil }, docOverrides.get(doc.id))
    out.push({ recordType: 'document', recordId: doc.id, kind: 'document', caseId: doc.caseId, personIds: owner.personIds, closedOn: owner.closedOn, ...d })
  }
  return out
}

const DOC_COLUMNS = { id: document.id, caseId: document.caseId, ownerKind: document.ownerKind, ownerId: document.ownerId, createdAt: document.createdAt }
type DocRow = { id: string; caseId: string | null; ownerKind: string; ownerId: string | null; createdAt: Date }

interface OwnerRetention {
  kind: 'lado-case' | 'practice-review'
  closedOn: string | null
  personIds: string[]
  /** The record's own retention date under its kind's schedule (null while it is open). */
  retainUntil: string | null
}

/**
 * The LADO cases and practice reviews the documents belong to, as retention sees them: closed on
 * the outcome (a LADO case) or completion or publication (a review), their own kind's schedule
 * (LGA/IRMS: 10 and 25 years from closure by default), and the children they are about (for holds on a person).
 */
async function ownerRetention(db: Db, partnershipId: string, docs: readonly DocRow[], rule: (kind: RetentionKind) => RetentionSchedule): Promise<Map<string, OwnerRetention>> {
  const out = new Map<string, OwnerRetention>()
  const ids = (kind: string) => [...new Set(docs.filter((d) => d.ownerKind === kind && d.ownerId).map((d) => d.ownerId!))]
  const ladoIds = ids('lado-case')
  if (ladoIds.length > 0) {
    const rows = await db.select({ id: ladoCase.id, referredOn: ladoCase.referredOn, outcomeOn: ladoCase.outcomeOn }).from(ladoCase).where(and(eq(ladoCase.partnershipId, partnershipId), inArray(ladoCase.id, ladoIds)))
    const children = await db.select({ ladoCaseId: ladoChild.ladoCaseId, personId: childCase.personId }).from(ladoChild).innerJoin(childCase, eq(childCase.id, ladoChild.caseId)).where(inArray(ladoChild.ladoCaseId, ladoIds))
    for (const r of rows) {
      const d = retentionDate(rule('lado-case'), { dateOfBirth: null, closedOn: r.outcomeOn, createdOn: r.referredOn })
      out.set(r.id, { kind: 'lado-case', closedOn: r.outcomeOn, personIds: children.filter((c) => c.ladoCaseId === r.id).map((c) => c.personId), retainUntil: d.retainUntil })
    }
  }
  const reviewIds = ids('practice-review')
  if (reviewIds.length > 0) {
    const rows = await db
      .select({ id: practiceReview.id, decidedOn: practiceReview.decidedOn, completedOn: practiceReview.completedOn, publishedOn: practiceReview.publishedOn, personId: childCase.personId })
      .from(practiceReview)
      .innerJoin(childCase, eq(childCase.id, practiceReview.caseId))
      .where(and(eq(practiceReview.partnershipId, partnershipId), inArray(practiceReview.id, reviewIds)))
    for (const r of rows) {
      const closedOn = r.completedOn ?? r.publishedOn
      const d = retentionDate(rule('practice-review'), { dateOfBirth: null, closedOn, createdOn: r.decidedOn })
      out.set(r.id, { kind: 'practice-review', closedOn, personIds: [r.personId], retainUntil: d.retainUntil })
    }
  }
  return out
}

/** One record's retention date and why, and the holds in force that cover it. */
export async function retentionOfRecord(ctx: ServiceContext, recordType: RetentionRecordType, recordId: string): Promise<RetainedRecord & { holds: HoldView[] }> {
  requireGeneral(ctx, 'retention:manage')
  const [record] = await retainedRecords(ctx.db, ctx.actor.partnershipId, { recordType, recordId })
  if (!record) throw new NotFound('No such record')
  return { ...record, holds: holdsCovering(await holdsInForce(ctx.db, ctx.actor.partnershipId), heldAs(record)) }
}

/** Sets one record's own retention date with the reason (replacing one set before). */
export async function setRetentionOverride(ctx: ServiceContext, recordType: RetentionRecordType, recordId: string, input: RetentionOverrideInput): Promise<void> {
  const ground = requireGeneral(ctx, 'retention:manage')
  await ctx.db.transaction(async (tx) => {
    const [record] = await retainedRecords(tx, ctx.actor.partnershipId, { recordType, recordId })
    if (!record) throw new NotFound('No such record')
    const values = { retainUntil: input.retainUntil, reason: input.reason, setBy: ctx.actor.userId, updatedAt: ctx.now() }
    await tx
      .insert(retentionOverride)
      .values({ partnershipId: ctx.actor.partnershipId, recordType, recordId, ...values, createdAt: ctx.now() })
      .onConflictDoUpdate({ target: [retentionOverride.partnershipId, retentionOverride.recordType, retentionOverride.recordId], set: { ...values, version: sql`${retentionOverride.version} + 1` } })
    await audit(ctx, tx, { action: 'retention.override.set', recordType, recordId, ground, detail: { retainUntil: input.retainUntil } })
  })
}

// ---------------------------------------------------------------- legal holds

export interface HoldView extends LegalHold {
  placedBy: string
  placedAt: Date
  liftedBy: string | null
  liftReason: string | null
  version: number
  /** "Case 1a2b…", "Person 3c4d…", or the kind's label. */
  on: string
}

const placer = appUser

async function holdRows(db: Db, partnershipId: string, where?: ReturnType<typeof and>): Promise<HoldView[]> {
  const rows = await db
    .select({
      id: legalHold.id,
      targetOn: legalHold.targetOn,
      personId: legalHold.personId,
      caseId: legalHold.caseId,
      kind: legalHold.kind,
      reason: legalHold.reason,
      placedBy: placer.displayName,
      placedAt: legalHold.placedAt,
      liftedBy: sql<string | null>`(select display_name from app_user where id = ${legalHold.liftedBy})`,
      liftedAt: legalHold.liftedAt,
      liftReason: legalHold.liftReason,
      version: legalHold.version,
    })
    .from(legalHold)
    .innerJoin(placer, eq(placer.id, legalHold.placedBy))
    .where(and(eq(legalHold.partnershipId, partnershipId), where))
    .orderBy(desc(legalHold.placedAt), asc(legalHold.id))
  return rows.map((r) => {
    const target: HoldTarget = r.targetOn === 'person' ? { on: 'person', personId: r.personId! } : r.targetOn === 'case' ? { on: 'case', caseId: r.caseId! } : { on: 'kind', kind: r.kind as RetentionKind }
    const on = target.on === 'person' ? `Person ${target.personId}` : target.on === 'case' ? `Case ${target.caseId}` : `Every ${retentionKindLabel(target.kind).replace(/^(A|An) /, '').toLowerCase()}`
    return { id: r.id, target, reason: r.reason, placedBy: r.placedBy, placedAt: r.placedAt, liftedBy: r.liftedBy, liftedAt: r.liftedAt, liftReason: r.liftReason, version: r.version, on }
  })
}

function holdsInForce(db: Db, partnershipId: string): Promise<HoldView[]> {
  return holdRows(db, partnershipId, and(isNull(legalHold.liftedAt)))
}

/** The holds, those in force first, paged. */
export async function legalHolds(ctx: ServiceContext, page: PageRequest): Promise<Page<HoldView>> {
  requireGeneral(ctx, 'retention:manage')
  const all = await holdRows(ctx.db, ctx.actor.partnershipId)
  return pageOf([...all.filter((h) => !h.liftedAt), ...all.filter((h) => h.liftedAt)], page)
}

export async function legalHoldOf(ctx: ServiceContext, holdId: string): Promise<HoldView> {
  requireGeneral(ctx, 'retention:manage')
  const [hold] = await holdRows(ctx.db, ctx.actor.partnershipId, and(eq(legalHold.id, holdId)))
  if (!hold) throw new NotFound('No such legal hold')
  return hold
}

/** Places a hold; the person or case must be the partnership's. */
export async function placeLegalHold(ctx: ServiceContext, input: LegalHoldInput): Promise<string> {
  const ground = requireGeneral(ctx, 'retention:manage')
  return ctx.db.transaction(async (tx) => {
    if (input.on === 'person') {
      const [p] = await tx.select({ id: person.id }).from(person).where(and(eq(person.id, input.personId!), eq(person.partnershipId, ctx.actor.partnershipId)))
      if (!p) throw new ValidationFailed({ personId: 'No person of this partnership has this identifier' })
    }
    if (input.on === 'case') {
      const [c] = await tx.select({ id: childCase.id }).from(childCase).where(and(eq(childCase.id, input.caseId!), eq(childCase.partnershipId, ctx.actor.partnershipId)))
      if (!c) throw new ValidationFailed({ caseId: 'No case of this partnership has this identifier' })
    }
    const [row] = await tx
      .insert(legalHold)
      .values({
        partnershipId: ctx.actor.partnershipId,
        targetOn: input.on,
        personId: input.on === 'person' ? input.personId! : null,
        caseId: input.on === 'case' ? input.caseId! : null,
        kind: input.on === 'kind' ? input.kind! : null,
        reason: input.reason,
        placedBy: ctx.actor.userId,
        placedAt: ctx.now(),
      })
      .returning({ id: legalHold.id })
    await audit(ctx, tx, {
      action: 'legal-hold.place',
      recordType: 'legal-hold',
      recordId: row!.id,
      subjectPersonId: input.on === 'person' ? input.personId! : null,
      ground,
      detail: { on: input.on, ...(input.on === 'case' ? { caseId: input.caseId } : {}), ...(input.on === 'kind' ? { kind: input.kind } : {}) },
    })
    return row!.id
  })
}

export async function liftLegalHold(ctx: ServiceContext, holdId: string, input: { reason: string; version: number }): Promise<void> {
  const ground = requireGeneral(ctx, 'retention:manage')
  await ctx.db.transaction(async (tx) => {
    const [hold] = await tx.select({ version: legalHold.version, liftedAt: legalHold.liftedAt }).from(legalHold).where(and(eq(legalHold.id, holdId), eq(legalHold.partnershipId, ctx.actor.partnershipId))).for('update')
    if (!hold) throw new NotFound('No such legal hold')
    if (hold.liftedAt) throw new ValidationFailed({ reason: 'This hold has already been lifted' })
    if (hold.version !== input.version) throw new EditConflict('Someone else changed this hold while you were reading it')
    await tx.update(legalHold).set({ liftedBy: ctx.actor.userId, liftedAt: ctx.now(), liftReason: input.reason, version: hold.version + 1 }).where(eq(legalHold.id, holdId))
    await audit(ctx, tx, { action: 'legal-hold.lift', recordType: 'legal-hold', recordId: holdId, ground, detail: {} })
  })
}

const heldAs = (r: RetainedRecord) => ({ kinds: r.recordType === 'case' ? [r.kind, 'document' as const] : (['document', r.kind] as RetentionKind[]), caseId: r.caseId, personIds: r.personIds })

/**
 * A case's hold check also needs its kind when the record is a document (the hold on the case's
 * kind covers it); a document of a LADO case or a review, that record's kind.
 */
async function heldAsFull(db: Db, partnershipId: string, r: RetainedRecord) {
  if (r.recordType === 'case') return heldAs(r)
  if (!r.caseId) return { kinds: ['document', ...(r.owner ? [r.owner.kind] : [])] as RetentionKind[], caseId: null, personIds: r.personIds }
  const [owner] = await retainedRecords(db, partnershipId, { recordType: 'case', recordId: r.caseId })
  return { kinds: ['document', ...(owner ? [owner.kind] : [])] as RetentionKind[], caseId: r.caseId, personIds: r.personIds }
}

// ---------------------------------------------------------------- the review list

export interface ReviewItem extends RetainedRecord {
  label: string
  /** An erasure proposed and not yet decided, if any. */
  proposal: { id: string; proposedBy: string; proposedAt: Date } | null
}

export interface ReviewList {
  page: Page<ReviewItem>
  /** Records past retention that holds keep, not listed. */
  held: number
  today: string
}

/**
 * The records past their retention date on the day asked, not erased and not held, oldest date
 * first: computed from the schedules when asked (there is no job: a schedule changed today
 * changes the list today). The data protection officer reviews it each month. No child is named:
 * kinds, ids and dates only.
 */
export async function retentionReview(ctx: ServiceContext, page: PageRequest): Promise<ReviewList> {
  const ground = requireGeneral(ctx, 'retention:manage')
  const day = today(ctx)
  const records = (await retainedRecords(ctx.db, ctx.actor.partnershipId)).filter((r) => isPastRetention(r.retainUntil, day))
  const erasures = await ctx.db
    .select({ id: erasure.id, recordType: erasure.recordType, recordId: erasure.recordId, status: erasure.status, proposedBy: appUser.displayName, proposedAt: erasure.proposedAt })
    .from(erasure)
    .innerJoin(appUser, eq(appUser.id, erasure.proposedBy))
    .where(and(eq(erasure.partnershipId, ctx.actor.partnershipId), inArray(erasure.status, ['proposed', 'erased'])))
  const key = (t: string, id: string) => `${t}:${id}`
  const erased = new Set(erasures.filter((e) => e.status === 'erased').map((e) => key(e.recordType, e.recordId)))
  const erasedCases = new Set(erasures.filter((e) => e.status === 'erased' && e.recordType === 'case').map((e) => e.recordId))
  const proposed = new Map(erasures.filter((e) => e.status === 'proposed').map((e) => [key(e.recordType, e.recordId), e]))
  const holds = await holdsInForce(ctx.db, ctx.actor.partnershipId)
  const due = records.filter((r) => !erased.has(key(r.recordType, r.recordId)) && !(r.caseId && erasedCases.has(r.caseId)))
  const free: ReviewItem[] = []
  let held = 0
  for (const r of due) {
    if (holdsCovering(holds, await heldAsFull(ctx.db, ctx.actor.partnershipId, r)).length > 0) held++
    else {
      const p = proposed.get(key(r.recordType, r.recordId))
      free.push({ ...r, label: retentionKindLabel(r.kind), proposal: p ? { id: p.id, proposedBy: p.proposedBy, proposedAt: p.proposedAt } : null })
    }
  }
  free.sort((a, b) => (a.retainUntil! < b.retainUntil! ? -1 : a.retainUntil! > b.retainUntil! ? 1 : a.recordId < b.recordId ? -1 : 1))
  const shown = pageOf(free, page)
  await audit(ctx, ctx.db, { action: 'retention.review.view', recordType: 'partnership', recordId: ctx.actor.partnershipId, ground, detail: { total: shown.total, held, offset: page.offset } })
  return { page: shown, held, today: day }
}

// ---------------------------------------------------------------- erasure

export interface ErasureView {
  id: string
  recordType: RetentionRecordType
  recordId: string
  caseId: string | null
  kind: RetentionKind
  label: string
  rule: string
  retainUntil: string
  status: 'proposed' | 'erased' | 'refused'
  proposedBy: string
  proposedById: string
  proposedAt: Date
  decidedBy: string | null
  decidedAt: Date | null
  refusalReason: string | null
  erased: ErasedCounts
  version: number
}

const proposer = appUser

async function erasureRows(db: Db, partnershipId: string, where?: ReturnType<typeof and>): Promise<ErasureView[]> {
  const rows = await db
    .select({
      id: erasure.id,
      recordType: erasure.recordType,
      recordId: erasure.recordId,
      caseId: erasure.caseId,
      kind: erasure.kind,
      rule: erasure.rule,
      retainUntil: erasure.retainUntil,
      status: erasure.status,
      proposedBy: proposer.displayName,
      proposedById: erasure.proposedBy,
      proposedAt: erasure.proposedAt,
      decidedBy: sql<string | null>`(select display_name from app_user where id = ${erasure.decidedBy})`,
      decidedAt: erasure.decidedAt,
      refusalReason: erasure.refusalReason,
      erased: erasure.erased,
      version: erasure.version,
    })
    .from(erasure)
    .innerJoin(proposer, eq(proposer.id, erasure.proposedBy))
    .where(and(eq(erasure.partnershipId, partnershipId), where))
    .orderBy(desc(erasure.proposedAt), asc(erasure.id))
  return rows.map((r) => ({ ...r, recordType: r.recordType as RetentionRecordType, kind: r.kind as RetentionKind, label: retentionKindLabel(r.kind), status: r.status as ErasureView['status'], erased: r.erased as ErasedCounts }))
}

/** Erasures, those waiting for a decision first, then the tombstones and refusals, newest first. */
export async function erasures(ctx: ServiceContext, page: PageRequest): Promise<Page<ErasureView>> {
  requireGeneral(ctx, 'retention:manage')
  const all = await erasureRows(ctx.db, ctx.actor.partnershipId)
  return pageOf([...all.filter((e) => e.status === 'proposed'), ...all.filter((e) => e.status !== 'proposed')], page)
}

export async function erasureOf(ctx: ServiceContext, erasureId: string): Promise<ErasureView & { holds: HoldView[] }> {
  requireGeneral(ctx, 'retention:manage')
  const [e] = await erasureRows(ctx.db, ctx.actor.partnershipId, and(eq(erasure.id, erasureId)))
  if (!e) throw new NotFound('No such erasure')
  let holds: HoldView[] = []
  if (e.status === 'proposed') {
    const [record] = await retainedRecords(ctx.db, ctx.actor.partnershipId, { recordType: e.recordType, recordId: e.recordId })
    if (record) holds = holdsCovering(await holdsInForce(ctx.db, ctx.actor.partnershipId), await heldAsFull(ctx.db, ctx.actor.partnershipId, record))
  }
  return { ...e, holds }
}

/** Why a record may not be erased today, or null: not past retention, held, already erased or proposed. */
async function refusalToErase(db: Db, partnershipId: string, record: RetainedRecord, day: string, exceptProposal?: string): Promise<string | null> {
  const earlier = await db
    .select({ id: erasure.id, status: erasure.status })
    .from(erasure)
    .where(and(eq(erasure.partnershipId, partnershipId), inArray(erasure.status, ['proposed', 'erased']), sql`((${erasure.recordType} = ${record.recordType} and ${erasure.recordId} = ${record.recordId}) or (${erasure.recordType} = 'case' and ${erasure.recordId} = ${record.caseId} and ${erasure.status} = 'erased'))`))
  const other = earlier.find((e) => e.id !== exceptProposal)
  if (other) return other.status === 'erased' ? 'This record has already been erased' : 'An erasure of this record has already been proposed'
  if (!isPastRetention(record.retainUntil, day)) {
    return record.retainUntil ? `This record is kept until ${record.retainUntil} (${record.why})` : `This record has no retention date yet (${record.why}): it is still open`
  }
  const holds = holdsCovering(await holdsInForce(db, partnershipId), await heldAsFull(db, partnershipId, record))
  if (holds.length > 0) return `A legal hold covers this record (${holds.map((h) => h.on).join('; ')}): it cannot be erased until the hold is lifted`
  return null
}

/** Person one: proposes erasing a record past its retention date, under its rule. */
export async function proposeErasure(ctx: ServiceContext, input: ProposeErasureInput): Promise<string> {
  const ground = requireGeneral(ctx, 'retention:manage')
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`erasure:${input.recordId}`}))`)
    const [record] = await retainedRecords(tx, ctx.actor.partnershipId, input)
    if (!record) throw new NotFound('No such record')
    const refusal = await refusalToErase(tx, ctx.actor.partnershipId, record, today(ctx))
    if (refusal) throw new ValidationFailed({ recordId: refusal })
    const [row] = await tx
      .insert(erasure)
      .values({
        partnershipId: ctx.actor.partnershipId,
        recordType: record.recordType,
        recordId: record.recordId,
        caseId: record.caseId,
        kind: record.kind,
        rule: record.why,
        retainUntil: record.retainUntil!,
        status: 'proposed',
        proposedBy: ctx.actor.userId,
        proposedAt: ctx.now(),
      })
      .returning({ id: erasure.id })
    await audit(ctx, tx, { action: 'erasure.propose', recordType: 'erasure', recordId: row!.id, ground, detail: { of: record.recordType, recordId: record.recordId, kind: record.kind, retainUntil: record.retainUntil } })
    return row!.id
  })
}

/**
 * Person two: approves (the personal data is removed and the erasure stays as the tombstone) or
 * refuses. The approver must not be the proposer; a hold placed since the proposal, or a new
 * retention date, stops the approval.
 */
export async function decideErasure(ctx: ServiceContext, erasureId: string, input: ErasureDecisionInput): Promise<void> {
  const ground = requireGeneral(ctx, 'erasure:approve')
  await ctx.db.transaction(async (tx) => {
    const [e] = await tx.select().from(erasure).where(and(eq(erasure.id, erasureId), eq(erasure.partnershipId, ctx.actor.partnershipId))).for('update')
    if (!e) throw new NotFound('No such erasure')
    if (e.status !== 'proposed') throw new ValidationFailed({ decision: `This erasure has already been ${e.status === 'erased' ? 'approved' : 'refused'}` })
    if (e.version !== input.version) throw new EditConflict('Someone else decided this erasure while you were reading it')
    if (e.proposedBy === ctx.actor.userId) throw new AccessDenied('A different person must decide an erasure you proposed')
    if (input.decision === 'refuse') {
      await tx.update(erasure).set({ status: 'refused', decidedBy: ctx.actor.userId, decidedAt: ctx.now(), refusalReason: input.refusalReason ?? null, version: e.version + 1 }).where(eq(erasure.id, erasureId))
      await audit(ctx, tx, { action: 'erasure.refuse', recordType: 'erasure', recordId: erasureId, ground, detail: { of: e.recordType, recordId: e.recordId } })
      return
    }
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`erasure:${e.recordId}`}))`)
    const [record] = await retainedRecords(tx, ctx.actor.partnershipId, { recordType: e.recordType as RetentionRecordType, recordId: e.recordId })
    if (!record) throw new NotFound('The record is no longer there')
    const refusal = await refusalToErase(tx, ctx.actor.partnershipId, record, today(ctx), erasureId)
    if (refusal) throw new ValidationFailed({ decision: refusal })
    const erased = record.recordType === 'case' ? await eraseCase(tx, ctx.actor.partnershipId, record.recordId, ctx.objectStore) : await eraseDocument(tx, ctx.actor.partnershipId, record.recordId, ctx.objectStore)
    const decidedAt = ctx.now()
    await tx.update(erasure).set({ status: 'erased', decidedBy: ctx.actor.userId, decidedAt, erased, version: e.version + 1 }).where(eq(erasure.id, erasureId))
    // The chronology shows the gap: a revision of its own on the case, with no personal details
    // (a document of a LADO case or a review is on no child's chronology: the tombstone is the erasure row).
    if (record.caseId) await tx.insert(recordRevision).values({
      partnershipId: ctx.actor.partnershipId,
      caseId: record.caseId,
      entity: 'erasure',
      entityId: erasureId,
      version: 1,
      data: { erasedOn: londonDate(decidedAt), what: record.recordType, kind: record.kind, rule: e.rule, retainUntil: e.retainUntil },
      recordedAt: decidedAt,
      recordedBy: ctx.actor.userId,
    })
    await audit(ctx, tx, { action: 'erasure.approve', recordType: 'erasure', recordId: erasureId, ground, detail: { of: e.recordType, recordId: e.recordId, kind: e.kind, erased } })
  })
}

/** Erasures of a case and its documents that were carried out: what the case's pages show in place of what went. */
export async function tombstonesOfCase(db: Db, partnershipId: string, caseId: string): Promise<{ id: string; kind: string; recordType: string; decidedAt: Date | null; rule: string }[]> {
  return db
    .select({ id: erasure.id, kind: erasure.kind, recordType: erasure.recordType, decidedAt: erasure.decidedAt, rule: erasure.rule })
    .from(erasure)
    .where(and(eq(erasure.partnershipId, partnershipId), eq(erasure.caseId, caseId), eq(erasure.status, 'erased')))
    .orderBy(asc(erasure.decidedAt))
}
