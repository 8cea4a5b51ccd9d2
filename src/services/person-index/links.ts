/**
 * Linking source records into people (clusters): every change is an appended link event and an
 * audit entry; nothing deletes a source record. A record leaves a cluster for the person it
 * belonged to before (unmerge restores), or for a new person of its own.
 */
import { and, desc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { person, personLinkEvent, sourceRecord } from '../../db/schema/index.ts'
import { appendAudit, type AuditEntryInput } from '../access/audit.ts'

export interface LinkActor {
  partnershipId: string
  userId: string | null
  requestId?: string | null
  now: Date
  ground?: string | null
}

export interface LinkEvidence {
  method: 'auto-nhs' | 'reviewer' | 'new-person' | 'restore'
  score?: number | null
  band?: string | null
  weightsId?: string | null
  evidence?: Record<string, unknown>
  reason?: string | null
}

/** Marks the transaction as the index writing a person, so the `person` trigger does not echo it back. */
export async function markIndexWriting(db: Db): Promise<void> {
  await db.execute(sql`select set_config('together.person_index', 'writing', true)`)
}

const DFE_SEX: Record<string, string> = { M: 'M', F: 'F' }

/** The person (cluster) row made for a source record of its own. */
export function personValuesFor(row: typeof sourceRecord.$inferSelect): typeof person.$inferInsert {
  return {
    partnershipId: row.partnershipId,
    givenName: row.givenName ?? '',
    familyName: row.familyName ?? '',
    dateOfBirth: row.dobPrecision === 'day' ? row.dateOfBirth : null,
    expectedDateOfBirth: row.expectedDateOfBirth,
    sex: DFE_SEX[(row.sex ?? '').trim().toUpperCase().slice(0, 1)] ?? 'U',
    nhsNumber: row.nhsNumber,
    upn: row.upn,
    postcode: row.postcode,
    address: row.addressLine,
  }
}

/** A new person (cluster) for a source record that matched no one well enough to link. */
export async function createPersonFor(db: Db, row: typeof sourceRecord.$inferSelect, who: LinkActor): Promise<string> {
  await markIndexWriting(db)
  const [p] = await db.insert(person).values(personValuesFor(row)).returning({ id: person.id })
  await setLink(db, row.id, p!.id, who, { method: 'new-person' })
  return p!.id
}

/** The link event recording why a record points at `personId`. */
export function linkEventValues(sourceRecordId: string, personId: string, who: LinkActor, why: LinkEvidence): typeof personLinkEvent.$inferInsert {
  return {
    partnershipId: who.partnershipId,
    sourceRecordId,
    personId,
    action: 'link',
    method: why.method,
    score: why.score == null ? null : String(why.score),
    band: why.band ?? null,
    weightsId: why.weightsId ?? null,
    evidence: why.evidence ?? {},
    reason: why.reason ?? null,
    decidedBy: who.userId,
    decidedAt: who.now,
  }
}

/** The audit entry of a link. */
export function linkAuditEntry(sourceRecordId: string, personId: string, who: LinkActor, why: LinkEvidence): AuditEntryInput {
  return {
    partnershipId: who.partnershipId,
    actorUserId: who.userId,
    action: 'person-index.link',
    recordType: 'source_record',
    recordId: sourceRecordId,
    subjectPersonId: personId,
    ground: who.ground ?? null,
    reason: why.reason ?? null,
    requestId: who.requestId ?? null,
    detail: { method: why.method, score: why.score ?? null, band: why.band ?? null },
    occurredAt: who.now,
  }
}

/** Points the record at `personId` and records why. */
export async function setLink(db: Db, sourceRecordId: string, personId: string, who: LinkActor, why: LinkEvidence): Promise<void> {
  await db.update(sourceRecord).set({ personId, updatedAt: who.now }).where(eq(sourceRecord.id, sourceRecordId))
  await db.insert(personLinkEvent).values(linkEventValues(sourceRecordId, personId, who, why))
  await appendAudit(db, linkAuditEntry(sourceRecordId, personId, who, why))
}

/**
 * Takes a record out of its cluster: back to the person it was linked to before the current link
 * (if that person now holds nothing else it is the record's own again), or to a new person.
 */
export async function unlink(db: Db, row: typeof sourceRecord.$inferSelect, who: LinkActor, reason: string): Promise<string> {
  const current = row.personId
  const history = await db
    .select({ personId: personLinkEvent.personId })
    .from(personLinkEvent)
    .where(and(eq(personLinkEvent.sourceRecordId, row.id), eq(personLinkEvent.action, 'link')))
    .orderBy(desc(personLinkEvent.decidedAt))
  const previous = history.map((h) => h.personId).find((p) => p !== current)
  if (current) {
    await db.insert(personLinkEvent).values({
      partnershipId: who.partnershipId,
      sourceRecordId: row.id,
      personId: current,
      action: 'unlink',
      method: 'reviewer',
      reason,
      decidedBy: who.userId,
      decidedAt: who.now,
    })
    await appendAudit(db, {
      partnershipId: who.partnershipId,
      actorUserId: who.userId,
      action: 'person-index.unlink',
      recordType: 'source_record',
      recordId: row.id,
      subjectPersonId: current,
      ground: who.ground ?? null,
      reason,
      requestId: who.requestId ?? null,
      detail: {},
      occurredAt: who.now,
    })
  }
  if (previous) {
    await setLink(db, row.id, previous, who, { method: 'restore', reason })
    return previous
  }
  return createPersonFor(db, row, who)
}
