/**
 * Sharing a version of a document with a partner agency (issue 18 §1): a practitioner who may change
 * the case shares it with an agency of the partnership, with the lawful basis, and the share goes on
 * the child's information sharing ledger (an information_share record, as every share is). The
 * agency's users then see that version, and only that, even without access to the case: the list
 * of documents shared with their agency, each share's page and the download, every one audited
 * against the child (ground `document-share`). Users of any other agency are answered 404.
 */
import { and, desc, eq, inArray } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { agency, appUser, childCase, document, documentShare, documentVersion, informationShare, person } from '../../db/schema/index.ts'
import { DOCUMENT_MEDIA_TYPES, documentKindLabel, sizeText, type DocumentKindEntry } from '../../domain/records/documents.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { audit, auditGrouped } from '../access/audit.ts'
import { NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { createRecord, getRecord, withCase } from '../journey/case-records.ts'
import type { ShareRow } from '../multi-agency/information-sharing.ts'
import type { DocumentShareInput } from './document-sharing-input.ts'
import { openVersion, SERVABLE, type DocumentDownload, type DocumentRow } from './documents.ts'
import { documentKindsOf } from './document-kinds.ts'

export type DocumentShareRow = typeof documentShare.$inferSelect

/** The ground of a read that a share to the reader's agency allows. */
const GROUND = 'document-share'
const sharer = alias(appUser, 'sharer')

/**
 * Shares a version of a document on the case with an agency of the partnership: one transaction
 * puts the share on the ledger (with its lawful basis) and opens the version to the agency's users.
 * A version quarantined or waiting for its scan cannot be shared.
 */
export function shareDocument(ctx: ServiceContext, caseId: string, documentId: string, input: DocumentShareInput): Promise<DocumentShareRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const doc = await getRecord<DocumentRow>(tx, open, document, documentId)
    const [v] = await tx.select().from(documentVersion).where(and(eq(documentVersion.id, input.versionId), eq(documentVersion.documentId, doc.id)))
    if (!v) throw new ValidationFailed({ versionId: 'Select a version of this document' })
    if (!SERVABLE.has(v.scanStatus)) throw new ValidationFailed({ versionId: `Version ${v.number} cannot be shared: it is quarantined or waiting for its virus scan` })
    const [to] = await tx
      .select({ id: agency.id, name: agency.name })
      .from(agency)
      .where(and(eq(agency.id, input.agencyId), eq(agency.partnershipId, ctx.actor.partnershipId), eq(agency.active, true)))
    if (!to) throw new ValidationFailed({ agencyId: 'Select an agency of this partnership' })
    const ledger = await createRecord<ShareRow>(ctx, tx, open, 'information-share', informationShare, {
      decision: 'shared',
      decidedOn: londonDate(ctx.now()),
      information: `The document “${doc.title}” (${documentKindLabel(await documentKindsOf(tx, ctx.actor.partnershipId), doc.kind).toLowerCase()}), version ${v.number}: ${v.fileName}`,
      recipientAgencyId: to.id,
      recipient: to.name,
      purpose: input.purpose,
      article6Basis: input.article6Basis,
      specialCategory: input.specialCategory,
      article9Condition: input.specialCategory ? (input.article9Condition ?? null) : null,
      consent: input.consent,
      consentReason: input.consentReason,
      method: 'Together (document shared with the agency)',
      urgent: false,
    })
    const [row] = await tx
      .insert(documentShare)
      .values({
        partnershipId: ctx.actor.partnershipId,
        caseId: open.c.id,
        documentId: doc.id,
        versionId: v.id,
        agencyId: to.id,
        informationShareId: ledger.id,
        sharedBy: ctx.actor.userId,
        sharedAt: ctx.now(),
      })
      .returning()
    await audit(ctx, tx, {
      action: 'document.share',
      recordType: 'document-share',
      recordId: row!.id,
      subjectPersonId: open.c.personId,
      ground: open.ground,
      detail: { documentId: doc.id, versionId: v.id, agencyId: to.id, informationShareId: ledger.id },
    })
    return row!
  })
}

/** A share as its document's list on the case shows it: to whom, which version, when and by whom. */
export interface DocumentShareSummary {
  id: string
  documentId: string
  versionNumber: number
  agencyName: string
  sharedAt: Date
  sharedByName: string
}

/** The shares of the given documents (of a case already read), newest first. */
export async function sharesOfDocuments(ctx: ServiceContext, documentIds: string[]): Promise<DocumentShareSummary[]> {
  if (documentIds.length === 0) return []
  return ctx.db
    .select({
      id: documentShare.id,
      documentId: documentShare.documentId,
      versionNumber: documentVersion.number,
      agencyName: agency.name,
      sharedAt: documentShare.sharedAt,
      sharedByName: sharer.displayName,
    })
    .from(documentShare)
    .innerJoin(documentVersion, eq(documentVersion.id, documentShare.versionId))
    .innerJoin(agency, eq(agency.id, documentShare.agencyId))
    .innerJoin(sharer, eq(sharer.id, documentShare.sharedBy))
    .where(inArray(documentShare.documentId, documentIds))
    .orderBy(desc(documentShare.sharedAt))
}

/** A document shared with the reader's agency, as they see it. */
export interface SharedDocumentView {
  id: string
  caseId: string
  child: { personId: string; givenName: string; familyName: string; dateOfBirth: string | null }
  title: string
  kindLabel: string
  datedOn: string | null
  receivedFrom: string | null
  versionNumber: number
  fileName: string
  typeLabel: string
  sizeLabel: string
  sharedAt: Date
  sharedByName: string
  purpose: string
}

const sharedQuery = (ctx: ServiceContext) =>
  ctx.db
    .select({ s: documentShare, d: document, v: documentVersion, p: person, sharedByName: sharer.displayName, purpose: informationShare.purpose })
    .from(documentShare)
    .innerJoin(document, eq(document.id, documentShare.documentId))
    .innerJoin(documentVersion, eq(documentVersion.id, documentShare.versionId))
    .innerJoin(childCase, eq(childCase.id, documentShare.caseId))
    .innerJoin(person, eq(person.id, childCase.personId))
    .innerJoin(sharer, eq(sharer.id, documentShare.sharedBy))
    .innerJoin(informationShare, eq(informationShare.id, documentShare.informationShareId))
    .$dynamic()

type SharedRow = Awaited<ReturnType<ReturnType<typeof sharedQuery>['execute']>>[number]

const viewOf = (kinds: readonly DocumentKindEntry[]) => (r: SharedRow): SharedDocumentView => ({
  id: r.s.id,
  caseId: r.s.caseId,
  child: { personId: r.p.id, givenName: r.p.givenName, familyName: r.p.familyName, dateOfBirth: r.p.dateOfBirth },
  title: r.d.title,
  kindLabel: documentKindLabel(kinds, r.d.kind),
  datedOn: r.d.datedOn,
  receivedFrom: r.d.receivedFrom,
  versionNumber: r.v.number,
  fileName: r.v.fileName,
  typeLabel: DOCUMENT_MEDIA_TYPES[r.v.mediaType] ?? r.v.mediaType,
  sizeLabel: sizeText(r.v.sizeBytes),
  sharedAt: r.s.sharedAt,
  sharedByName: r.sharedByName,
  purpose: r.purpose,
})

/** The shares to the reader's own agency (of their partnership): the only ones they may open. */
const toMyAgency = (ctx: ServiceContext) => and(eq(documentShare.partnershipId, ctx.actor.partnershipId), eq(documentShare.agencyId, ctx.actor.agencyId))

/** Audits a read of a child's document through a share to the reader's agency. */
const auditShared = (ctx: ServiceContext, action: string, r: SharedRow) =>
  auditGrouped(ctx, {
    action,
    recordType: 'document-share',
    recordId: r.s.id,
    subjectPersonId: r.p.id,
    ground: GROUND,
    detail: { documentId: r.d.id, versionId: r.v.id, caseId: r.s.caseId },
  })

/**
 * The documents shared with the reader's agency, newest first: each child named is a read of
 * their details, audited once per child (`document.shared.list`).
 */
export async function documentsSharedWithMyAgency(ctx: ServiceContext): Promise<SharedDocumentView[]> {
  const rows = await sharedQuery(ctx).where(toMyAgency(ctx)).orderBy(desc(documentShare.sharedAt), desc(documentShare.id))
  const seen = new Set<string>()
  for (const r of rows) {
    if (seen.has(r.p.id)) continue
    seen.add(r.p.id)
    await auditShared(ctx, 'document.shared.list', r)
  }
  return rows.map(viewOf(await documentKindsOf(ctx.db, ctx.actor.partnershipId)))
}

async function mine(ctx: ServiceContext, shareId: string): Promise<SharedRow> {
  const [r] = await sharedQuery(ctx).where(and(eq(documentShare.id, shareId), toMyAgency(ctx)))
  // Not shared with the reader's agency: answered as if there were no such share.
  if (!r) throw new NotFound('No such document shared with your agency')
  return r
}

/** One document shared with the reader's agency (audited as `document.shared.view` against the child). */
export async function sharedDocument(ctx: ServiceContext, shareId: string): Promise<SharedDocumentView> {
  const r = await mine(ctx, shareId)
  await auditShared(ctx, 'document.shared.view', r)
  return viewOf(await documentKindsOf(ctx.db, ctx.actor.partnershipId))(r)
}

/** Downloads the version shared with the reader's agency (audited as `document.download` with the ground `document-share`). */
export async function downloadSharedDocument(ctx: ServiceContext, shareId: string): Promise<DocumentDownload> {
  const r = await mine(ctx, shareId)
  const download = openVersion(ctx.db, ctx.objectStore, r.v)
  await auditShared(ctx, 'document.download', r)
  return download
}
