/**
 * Requests to correct a record (UK GDPR Article 16; docs/data-protection.md "Rectification"):
 * recorded on the child's case against one of its records (as its chronology names them) by
 * someone who may change the case, decided by a manager of the case's team: corrected through the
 * record's normal edit, or kept with the person's statement of disagreement, which is then shown
 * wherever the record is shown (the chronology, the case's data protection section, a subject
 * access bundle).
 */
import { and, asc, eq, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/connection.ts'
import { appUser, rectificationRequest } from '../../db/schema/index.ts'
import { chronologyEntries, type ChronologyEntry } from '../../domain/journey/chronology.ts'
import { rectificationDecisionErrors } from '../../domain/records/subject-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { audit } from '../access/audit.ts'
import { EditConflict, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { withCase } from '../journey/case-records.ts'
import { revisionsOfCase } from '../journey/chronology.ts'
import { documentKindsOf } from './document-kinds.ts'
import { decideCaseAction } from '../journey/case-access.ts'
import { caseFrame, type CaseFrame } from '../journey/case-notes.ts'
import { recordKey } from './disagreements.ts'
import type { RectificationDecisionInput, RectificationNew } from './subject-access-input.ts'

type Row = typeof rectificationRequest.$inferSelect

export interface RectificationView extends Row {
  recordedByName: string | null
  decidedByName: string | null
  /** The page of the record (its normal edit is there). */
  link: string | null
}

export interface RectificationsOfCase {
  c: CaseFrame
  /** Whether the user decides requests (a manager of the case's team: case:authorise). */
  mayDecide: boolean
  requests: RectificationView[]
  /** The case's records a request can name, as its chronology lists them. */
  records: { value: string; text: string; link: string }[]
}

const SECTION = 'rectifications'
const recorder = alias(appUser, 'recorder')
const decider = alias(appUser, 'decider')


async function entriesOf(db: Db, partnershipId: string, caseId: string): Promise<ChronologyEntry[]> {
  return chronologyEntries(await revisionsOfCase(db, partnershipId, caseId), { documentKinds: await documentKindsOf(db, partnershipId) })
}

/** The case's requests to correct a record, with the records a new one can name. */
export async function rectificationsOfCase(ctx: ServiceContext, caseId: string): Promise<RectificationsOfCase> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (db, open) => {
      const entries = await entriesOf(db, ctx.actor.partnershipId, caseId)
      const links = new Map(entries.map((e) => [recordKey(e), e.link]))
      const rows = await db
        .select({ r: rectificationRequest, recordedByName: recorder.displayName, decidedByName: decider.displayName })
        .from(rectificationRequest)
        .leftJoin(recorder, eq(recorder.id, rectificationRequest.recordedBy))
        .leftJoin(decider, eq(decider.id, rectificationRequest.decidedBy))
        .where(and(eq(rectificationRequest.caseId, caseId), eq(rectificationRequest.partnershipId, ctx.actor.partnershipId)))
        .orderBy(asc(rectificationRequest.receivedOn), asc(rectificationRequest.createdAt), asc(rectificationRequest.id))
      const seen = new Set<string>()
      const records = entries
        .filter((e) => !seen.has(recordKey(e)) && seen.add(recordKey(e)))
        .map((e) => ({ value: recordKey(e), text: `${e.date}: ${e.title}`, link: e.link }))
      return {
        c: await caseFrame(ctx, db, open),
        mayDecide: (await decideCaseAction(db, ctx, open.c, 'case:authorise')).allowed,
        requests: rows.map(({ r, recordedByName, decidedByName }) => ({ ...r, recordedByName, decidedByName, link: links.get(recordKey(r)) ?? null })),
        records,
      }
    },
    SECTION,
  )
}

/** Records a request to correct one of the case's records. */
export async function recordRectification(ctx: ServiceContext, caseId: string, input: RectificationNew): Promise<{ id: string }> {
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      if (input.receivedOn > londonDate(ctx.now())) throw new ValidationFailed({ receivedOn: 'The date the request was received must be today or in the past' })
      const [entity, entityId] = input.record.split(':') as [string, string]
      const entry = (await entriesOf(tx, ctx.actor.partnershipId, caseId)).find((e) => e.entity === entity && e.entityId === entityId)
      if (!entry) throw new ValidationFailed({ record: 'Choose a record of this case' })
      const [row] = await tx
        .insert(rectificationRequest)
        .values({
          partnershipId: ctx.actor.partnershipId,
          caseId,
          entity,
          entityId,
          recordTitle: `${entry.date}: ${entry.title}`,
          field: input.field,
          requesterName: input.requesterName,
          receivedOn: input.receivedOn,
          whatIsWrong: input.whatIsWrong,
          whatTheyWant: input.whatTheyWant,
          recordedBy: ctx.actor.userId,
        })
        .returning({ id: rectificationRequest.id })
      await audit(ctx, tx, {
        action: 'rectification.create',
        recordType: 'rectification-request',
        recordId: row!.id,
        subjectPersonId: open.c.personId,
        ground: open.ground,
        detail: { entity, entityId },
      })
      return { id: row!.id }
    },
    SECTION,
  )
}

/** A manager of the case's team decides: corrected (through the record's own edit) or kept with the statement. */
export async function decideRectification(ctx: ServiceContext, caseId: string, requestId: string, input: RectificationDecisionInput): Promise<void> {
  await withCase(
    ctx,
    caseId,
    'case:authorise',
    async (tx, open) => {
      const errors = rectificationDecisionErrors(input)
      if (Object.keys(errors).length) throw new ValidationFailed(errors)
      const [row] = await tx
        .update(rectificationRequest)
        .set({
          decision: input.decision,
          decisionReason: input.reason,
          statement: input.decision === 'kept' ? input.statement : null,
          decidedBy: ctx.actor.userId,
          decidedAt: ctx.now(),
          updatedAt: ctx.now(),
          version: sql`${rectificationRequest.version} + 1`,
        })
        .where(and(eq(rectificationRequest.id, requestId), eq(rectificationRequest.caseId, caseId), eq(rectificationRequest.version, input.version)))
        .returning({ id: rectificationRequest.id })
      if (!row) {
        const [current] = await tx.select().from(rectificationRequest).where(and(eq(rectificationRequest.id, requestId), eq(rectificationRequest.caseId, caseId)))
        if (!current) throw new ValidationFailed({ decision: 'No such request on this case' })
        throw new EditConflict('Someone else decided this request after you opened it. Nothing has been saved.', current)
      }
      await audit(ctx, tx, {
        action: 'rectification.decide',
        recordType: 'rectification-request',
        recordId: requestId,
        subjectPersonId: open.c.personId,
        ground: open.ground,
        detail: { decision: input.decision },
      })
    },
    SECTION,
  )
}
