/**
 * The one way journey records are read and written. Every feature service (front door,
 * assessments, child protection, plans, notes ...) opens the case through here, so access is
 * decided by the policy, every read and write is audited, every write names the version it was
 * made from, and every write appends a record_revision that the chronology reads.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/connection.ts'
import { childCase, partnership, recordRevision } from '../../db/schema/index.ts'
import type { Decision, RecordAction } from '../../domain/access/policy.ts'
import { mergeLocalRules, type LocalRuleSettings } from '../../domain/timescales/index.ts'
import { audit, auditGrouped, type ActorEntry } from '../access/audit.ts'
import { decideCaseAction, decideLinkedCase, loadCase, type CaseSummary } from './case-access.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'

/** A case the actor may act on, with the policy's ground for audit entries. */
export interface OpenCase {
  c: CaseSummary
  ground: string
  breakGlass: boolean
}

/**
 * Loads a case and asks the policy whether the actor may do `action` on it, inside the caller's
 * transaction. Reads are audited here (with the part of the record viewed), and so are refusals,
 * which are then thrown.
 */
export async function openCase(
  ctx: ServiceContext,
  tx: Db,
  caseId: string,
  action: RecordAction,
  section = 'overview',
): Promise<OpenCase> {
  const { open, entry, refusal } = await decideOpen(ctx, tx, caseId, action, section)
  if (entry) await audit(ctx, tx, entry)
  if (refusal) throw refusal
  return open!
}

/** Actions that only read: the whole record, or a partner's participation view of it. */
const isRead = (action: RecordAction) => action === 'case:read' || action === 'case:participate'

type Decided =
  | { open: OpenCase; entry: ActorEntry | null; refusal?: undefined }
  | { open: null; entry: ActorEntry; refusal: AccessDenied | NotFound }

/**
 * The audit entry of a refusal, and the error to throw: a refusal the policy conceals (a
 * restricted record refused to someone unrelated to it) is answered as if the case did not exist.
 */
export function refusalOf(c: CaseSummary, action: RecordAction | 'case:link', decision: Decision & { allowed: false }, section: string) {
  return {
    entry: {
      recordType: 'case',
      recordId: c.id,
      subjectPersonId: c.personId,
      action: `case.${action.slice(5)}.refused`,
      reason: decision.reason,
      detail: { section },
    } satisfies ActorEntry,
    refusal: decision.conceal
      ? new NotFound('No case with that id')
      : new AccessDenied(decision.reason, action === 'case:read' && decision.breakGlassAvailable),
  }
}

/**
 * The policy's answer on a case, and the audit entry it calls for (a refusal, or a read). An
 * action that only reads is audited as a read; so is any other action when the caller opens the
 * case to show it (`shows`: a form page, an authorisation page), since it returns the child's
 * details whatever else it is.
 */
async function decideOpen(ctx: ServiceContext, db: Db, caseId: string, action: RecordAction, section: string, shows = false): Promise<Decided> {
  const c = await loadCase(db, ctx.actor, caseId)
  const decision = await decideCaseAction(db, ctx, c, action)
  if (!decision.allowed) return { open: null, ...refusalOf(c, action, decision, section) }
  const base = { recordType: 'case', recordId: c.id, subjectPersonId: c.personId }
  const entry: ActorEntry | null =
    isRead(action) || shows
      ? { ...base, action: 'case.view', ground: decision.ground, breakGlass: decision.breakGlass, detail: isRead(action) ? { section } : { section, for: action } }
      : null
  return { open: { c, ground: decision.ground, breakGlass: decision.breakGlass }, entry }
}

/**
 * Opens a case to show it for `action` (a form whose save is `action`, an authorisation page):
 * decided as `action`, audited as a read of `section`, as plain queries (nothing is changed).
 */
export async function showCase<T>(
  ctx: ServiceContext,
  caseId: string,
  action: RecordAction,
  work: (db: Db, open: OpenCase) => Promise<T>,
  section = 'overview',
): Promise<T> {
  const { open, entry, refusal } = await decideOpen(ctx, ctx.db, caseId, action, section, true)
  await auditGrouped(ctx, entry!)
  if (refusal) throw refusal
  return work(ctx.db, open!)
}

/**
 * Refuses (audited, then thrown) unless the actor may do `action` on the case; returns nothing of
 * it. Every page of a form that changes a case asks this before rendering the form, so a user who
 * may only read the case is refused the form rather than a save (web/common/case-forms.ts).
 */
export async function requireCaseAction(ctx: ServiceContext, caseId: string, action: RecordAction, section: string): Promise<void> {
  const c = await loadCase(ctx.db, ctx.actor, caseId)
  const decision = await decideCaseAction(ctx.db, ctx, c, action)
  if (decision.allowed) return
  const { entry, refusal } = refusalOf(c, action, decision, section)
  await auditGrouped(ctx, entry)
  throw refusal
}

/**
 * Runs `work` on a case the actor may act on: in one transaction for a change; for a read, as
 * plain queries (nothing to commit). Refusals and reads are audited by group commit (see
 * appendAuditCommitted), so readers never queue on the audit chain's lock; a refusal is on the log
 * before it is thrown, and a read before its result is returned.
 */
export async function withCase<T>(
  ctx: ServiceContext,
  caseId: string,
  action: RecordAction,
  work: (tx: Db, open: OpenCase) => Promise<T>,
  section = 'overview',
): Promise<T> {
  if (isRead(action)) {
    const { open, entry, refusal } = await decideOpen(ctx, ctx.db, caseId, action, section)
    await auditGrouped(ctx, entry!)
    if (refusal) throw refusal
    return work(ctx.db, open!)
  }
  let refused: Decided | null = null
  const result = await ctx.db.transaction(async (tx) => {
    const decided = await decideOpen(ctx, tx, caseId, action, section)
    if (decided.refusal) {
      refused = decided
      return null
    }
    return { value: await work(tx, decided.open) }
  })
  if (refused) {
    const { entry, refusal } = refused as Decided
    await auditGrouped(ctx, entry!)
    throw refusal
  }
  return result!.value
}

/**
 * The child's case a partnership record names (a serious incident, a review of it, an allegation),
 * opened to show it to someone that record is open to; `via` is the policy's decision that opened
 * the record. The policy decides (decideOnLinkedCase): allowed, the read is audited as a read of
 * the child's case with its ground (`review-member`, `designated-officer-team`, `employer-contact`,
 * or `explicit-permission` on a restricted record) and `work` runs; refused, the refusal is audited
 * and the answer is null, so the partnership record is shown without the child.
 */
export async function showLinkedCase<T>(
  ctx: ServiceContext,
  caseId: string,
  via: Decision,
  section: string,
  work: (db: Db, open: OpenCase) => Promise<T>,
): Promise<T | null> {
  const c = await loadCase(ctx.db, ctx.actor, caseId)
  const decision = await decideLinkedCase(ctx.db, ctx, c, via)
  if (!decision.allowed) {
    await auditGrouped(ctx, refusalOf(c, 'case:read', decision, section).entry)
    return null
  }
  await auditGrouped(ctx, {
    recordType: 'case',
    recordId: c.id,
    subjectPersonId: c.personId,
    action: 'case.view',
    ground: decision.ground,
    breakGlass: false,
    detail: { section },
  })
  return work(ctx.db, { c, ground: decision.ground, breakGlass: false })
}

/**
 * Links a child's case to a partnership record being made or changed (`via`: the decision that
 * allows that): the policy decides as for showing it. A refusal is audited and answered as a
 * field error, the same one a case that does not exist gets when the policy conceals it, so
 * linking never reveals a restricted child. Returns the case, unaudited: the record made carries
 * the child, and showing it is a read.
 */
export async function linkCase(ctx: ServiceContext, caseId: string, via: Decision, field: string, notFound: string): Promise<CaseSummary> {
  let c: CaseSummary
  try {
    c = await loadCase(ctx.db, ctx.actor, caseId)
  } catch (err) {
    if (err instanceof NotFound) throw new ValidationFailed({ [field]: notFound })
    throw err
  }
  const decision = await decideLinkedCase(ctx.db, ctx, c, via)
  if (decision.allowed) return c
  const { entry } = refusalOf(c, 'case:link', decision, 'link')
  await auditGrouped(ctx, entry)
  throw new ValidationFailed({ [field]: decision.conceal ? notFound : decision.reason })
}

/** A table of journey records: an id, the case it belongs to and a version. */
export type CaseTable = PgTable & {
  id: PgColumn
  caseId: PgColumn
  partnershipId: PgColumn
  version: PgColumn
}

type Row = Record<string, unknown> & { id: string; version: number }

/** Appends the record's current state to its history. */
export async function recordRevisionOf(ctx: ServiceContext, tx: Db, caseId: string, entity: string, row: Row) {
  await tx.insert(recordRevision).values({
    partnershipId: ctx.actor.partnershipId,
    caseId,
    entity,
    entityId: row.id,
    version: row.version,
    data: row,
    recordedAt: ctx.now(),
    recordedBy: ctx.actor.userId,
  })
}

/**
 * Inserts a journey record on an open case, appends its first revision and audits it as
 * `<entity>.create`. `values` must not name the case, partnership or recorder: they come from here.
 */
export async function createRecord<T extends Row>(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  entity: string,
  table: CaseTable,
  values: Record<string, unknown>,
): Promise<T> {
  const withOwner: Record<string, unknown> = {
    ...values,
    caseId: open.c.id,
    partnershipId: ctx.actor.partnershipId,
  }
  if ('recordedBy' in table) withOwner.recordedBy = ctx.actor.userId
  // Drizzle cannot type an insert into a table chosen at run time; the columns are checked by the callers' types.
  const [row] = (await tx.insert(table).values(withOwner as never).returning()) as unknown as T[]
  await recordRevisionOf(ctx, tx, open.c.id, entity, row!)
  await audit(ctx, tx, {
    action: `${entity}.create`,
    recordType: entity,
    recordId: row!.id,
    subjectPersonId: open.c.personId,
    ground: open.ground,
  })
  return row!
}

/** Reads one record of a case, or NotFound. */
export async function getRecord<T extends Row>(tx: Db, open: OpenCase, table: CaseTable, id: string): Promise<T> {
  const [row] = (await tx
    .select()
    .from(table as never)
    .where(and(eq(table.id, id), eq(table.caseId, open.c.id)))) as unknown as T[]
  if (!row) throw new NotFound('No such record on this case')
  return row
}

/**
 * Updates a record if it is still at `expectedVersion`; otherwise refuses with EditConflict
 * carrying the record as it is now. Appends a revision and audits `<entity>.update` (or `action`).
 */
export async function updateRecord<T extends Row>(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  entity: string,
  table: CaseTable,
  id: string,
  expectedVersion: number,
  changes: Record<string, unknown>,
  action = `${entity}.update`,
): Promise<T> {
  const set: Record<string, unknown> = { ...changes, version: sql`${table.version} + 1` }
  if ('updatedAt' in table) set.updatedAt = ctx.now()
  const where: SQL = and(eq(table.id, id), eq(table.caseId, open.c.id), eq(table.version, expectedVersion))!
  const [row] = (await tx
    .update(table)
    .set(set as never)
    .where(where)
    .returning()) as unknown as T[]
  if (!row) {
    const current = await getRecord<T>(tx, open, table, id)
    throw new EditConflict(
      `Someone else changed this record (now version ${current.version}) after you opened it (version ${expectedVersion}). Your changes have not been saved.`,
      current,
    )
  }
  await recordRevisionOf(ctx, tx, open.c.id, entity, row)
  await audit(ctx, tx, {
    action,
    recordType: entity,
    recordId: row.id,
    subjectPersonId: open.c.personId,
    ground: open.ground,
    detail: { fields: Object.keys(changes) },
  })
  return row
}

/** The partnership's local timescale rules, merged with the defaults. */
export async function localRulesOf(db: Db, partnershipId: string): Promise<LocalRuleSettings> {
  const [p] = await db.select({ localRules: partnership.localRules }).from(partnership).where(eq(partnership.id, partnershipId))
  return mergeLocalRules(p?.localRules ?? {})
}

/**
 * Changes the case itself (stage, allocation, closure, alerts) if it is still at `expectedVersion` (or
 * at whatever version it is, when the change follows from another record, e.g. a plan starting).
 */
export async function updateCase(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  changes: Partial<Pick<typeof childCase.$inferInsert, 'status' | 'teamId' | 'allocatedWorkerId' | 'closedOn' | 'openedOn' | 'workerSafety' | 'communicationNeeds' | 'restricted'>>,
  options: { expectedVersion?: number; action?: string; reason?: string } = {},
): Promise<typeof childCase.$inferSelect> {
  const version = options.expectedVersion
  const [row] = await tx
    .update(childCase)
    .set({ ...changes, version: sql`${childCase.version} + 1`, updatedAt: ctx.now() })
    .where(and(eq(childCase.id, open.c.id), version === undefined ? undefined : eq(childCase.version, version)))
    .returning()
  if (!row) {
    const [current] = await tx.select().from(childCase).where(eq(childCase.id, open.c.id))
    throw new EditConflict(
      `Someone else changed this case (now version ${current?.version}) after you opened it (version ${version}). Nothing has been saved.`,
      current,
    )
  }
  await recordRevisionOf(ctx, tx, open.c.id, 'case', row)
  await audit(ctx, tx, {
    action: options.action ?? 'case.update',
    recordType: 'case',
    recordId: row.id,
    subjectPersonId: open.c.personId,
    ground: open.ground,
    ...(options.reason === undefined ? {} : { reason: options.reason }),
    detail: { fields: Object.keys(changes) },
  })
  Object.assign(open.c, changes)
  return row
}

/** Moves the case to a stage (CASE_STAGE code) as a consequence of a record; reopens a closed case. */
export function setCaseStage(ctx: ServiceContext, tx: Db, open: OpenCase, stage: string, on: string) {
  if (open.c.status === stage) return Promise.resolve(null)
  const reopening = open.c.status === 'closed' && stage !== 'closed'
  return updateCase(
    ctx,
    tx,
    open,
    stage === 'closed' ? { status: stage, closedOn: on } : reopening ? { status: stage, closedOn: null, openedOn: on } : { status: stage },
    { action: 'case.stage' },
  )
}
