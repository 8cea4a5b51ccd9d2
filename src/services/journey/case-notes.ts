/**
 * Case notes, visits and management oversight on a child's case: the one form for all of them. A
 * visit to a child on a child protection plan on the day of the visit is the statutory visit: it is
 * stored as kind 'statutory-visit' and, when the child was seen, completes and restarts the plan's
 * visit clock (child-protection.ts, visitOnPlan). Listed newest first.
 */
import { and, asc, count, desc, eq, isNotNull, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { appUser, caseNote, rectificationRequest } from '../../db/schema/index.ts'
import { createRecord, getRecord, updateRecord, withCase, type OpenCase } from './case-records.ts'
import type { NoteInput, NoteUpdate } from './case-notes-input.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { FIRST_PAGE, type Page, type PageRequest } from '../common/paging.ts'
import { decideCaseAction, type CaseSummary } from './case-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { protectionPlanOn, visitOnPlan } from './child-protection.ts'

export type NoteRow = typeof caseNote.$inferSelect

export interface NoteView extends NoteRow {
  recordedByName: string
}

/**
 * What every case page needs besides its records: the case summary, whether it was opened by
 * break-glass, and whether the user may change the case (to offer the forms only to them).
 */
export type CaseFrame = CaseSummary & {
  breakGlass: boolean
  mayUpdate: boolean
  /** Records of the case kept with the person's statement of disagreement (UK GDPR Article 16), shown on every page of the case. */
  disagreements: { recordTitle: string; statement: string }[]
}

export async function caseFrame(ctx: ServiceContext, tx: Db, open: OpenCase): Promise<CaseFrame> {
  const update = await decideCaseAction(tx, ctx, open.c, 'case:update')
  const disagreements = await tx
    .select({ recordTitle: rectificationRequest.recordTitle, statement: sql<string>`${rectificationRequest.statement}` })
    .from(rectificationRequest)
    .where(and(eq(rectificationRequest.caseId, open.c.id), eq(rectificationRequest.decision, 'kept'), isNotNull(rectificationRequest.statement)))
    .orderBy(asc(rectificationRequest.decidedAt))
  return { ...open.c, breakGlass: open.breakGlass, mayUpdate: update.allowed, disagreements }
}

function notesQuery(tx: Db) {
  return tx
    .select({ note: caseNote, recordedByName: appUser.displayName })
    .from(caseNote)
    .innerJoin(appUser, eq(appUser.id, caseNote.recordedBy))
    .$dynamic()
}

const toView = (r: { note: NoteRow; recordedByName: string }): NoteView => ({ ...r.note, recordedByName: r.recordedByName })

/** The case's notes and visits, newest first, optionally of one kind (NOTE_KIND), a page at a time with their total. */
export async function notesOfCase(
  ctx: ServiceContext,
  caseId: string,
  kind?: string,
  page: PageRequest = FIRST_PAGE,
): Promise<{ c: CaseFrame; notes: NoteView[]; page: Page<NoteView> }> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => {
      const matching = and(eq(caseNote.caseId, open.c.id), kind ? eq(caseNote.kind, kind) : undefined)
      const [counted] = await tx.select({ n: count() }).from(caseNote).where(matching)
      const rows = await notesQuery(tx)
        .where(matching)
        .orderBy(desc(caseNote.occurredOn), desc(caseNote.createdAt), desc(caseNote.id))
        .limit(page.limit)
        .offset(page.offset)
      const notes = rows.map(toView)
      return { c: await caseFrame(ctx, tx, open), notes, page: { items: notes, total: counted?.n ?? 0, offset: page.offset, limit: page.limit } }
    },
    'notes',
  )
}

export async function getNote(ctx: ServiceContext, caseId: string, noteId: string): Promise<{ c: CaseFrame; note: NoteView }> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => {
      await getRecord<NoteRow>(tx, open, caseNote, noteId)
      const [row] = await notesQuery(tx).where(eq(caseNote.id, noteId))
      return { c: await caseFrame(ctx, tx, open), note: toView(row!) }
    },
    'notes',
  )
}

function refuseFuture(ctx: ServiceContext, occurredOn: string) {
  const errors = futureDateErrors(londonDate(ctx.now()), { occurredOn: [occurredOn, 'the date it happened'] })
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

/**
 * Records a case note, visit or management oversight. A visit to a child on a child protection
 * plan is the statutory visit (see the file's comment); a late one needs the reason for the delay.
 */
export async function addNote(ctx: ServiceContext, caseId: string, input: NoteInput): Promise<NoteRow> {
  refuseFuture(ctx, input.occurredOn)
  const { delayReason, delayReasonCode, ...fields } = input
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const cp = fields.kind === 'visit' ? await protectionPlanOn(tx, open, fields.occurredOn) : null
      if (!cp) return createRecord<NoteRow>(ctx, tx, open, 'case-note', caseNote, fields)
      await visitOnPlan(ctx, tx, open, cp, { ...fields, delayReason, delayReasonCode })
      return createRecord<NoteRow>(ctx, tx, open, 'case-note', caseNote, { ...fields, kind: 'statutory-visit' })
    },
    'notes',
  )
}

/**
 * Changes a note the user read at `input.version`; a stale version is an EditConflict. A statutory
 * visit cannot be changed (it set when the next visit is due).
 */
export async function changeNote(ctx: ServiceContext, caseId: string, noteId: string, input: NoteUpdate): Promise<NoteRow> {
  refuseFuture(ctx, input.occurredOn)
  const { version, delayReason: _, delayReasonCode: __, ...changes } = input
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const current = await getRecord<NoteRow>(tx, open, caseNote, noteId)
      if (current.kind === 'statutory-visit') {
        throw new ValidationFailed({
          kind: 'A statutory child protection visit cannot be changed, because it set when the next visit is due. Add a note to correct it',
        })
      }
      return updateRecord<NoteRow>(ctx, tx, open, 'case-note', caseNote, noteId, version, changes)
    },
    'notes',
  )
}

/** Opens a case for one of its pages (audited as a read of `section`) and returns its frame. */
export async function openCaseFrame(ctx: ServiceContext, caseId: string, section: string): Promise<CaseFrame> {
  return withCase(ctx, caseId, 'case:read', (tx, open) => caseFrame(ctx, tx, open), section)
}
