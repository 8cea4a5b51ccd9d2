/**
 * A partnership's kinds of document (issue 18 §1), each with the largest file it takes. A
 * partnership that has changed nothing has the built-in list (DEFAULT_DOCUMENT_KINDS); its first
 * change puts that list in, then applies the change. Every signed-in user of the partnership reads
 * the list (the upload form offers the kinds in use); administrators (organisation:manage, as for
 * letter templates) add kinds, rename them, change their limits and retire or reinstate them.
 * 'letter' and 'photograph' are never retired (letters and body maps file under them). A code never
 * changes once documents carry it. Each change is audited.
 */
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { documentKind } from '../../db/schema/index.ts'
import { decideGeneral } from '../../domain/access/policy.ts'
import { DEFAULT_DOCUMENT_KINDS, documentKindCode, FIXED_DOCUMENT_KINDS, sizeText, type DocumentKindEntry } from '../../domain/records/documents.ts'
import { audit } from '../access/audit.ts'
import { EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import type { DocumentKindChange, DocumentKindInput } from './documents-input.ts'

const MB = 1024 * 1024

export interface DocumentKindView extends DocumentKindEntry {
  /** The row's version (1 for a built-in kind the partnership has not changed yet). */
  version: number
  /** '25 MB'. */
  sizeLabel: string
  /** letter and photograph: always in use. */
  fixed: boolean
}

const view = (k: DocumentKindEntry & { version?: number }): DocumentKindView => ({
  code: k.code,
  label: k.label,
  maxBytes: k.maxBytes,
  active: k.active,
  version: k.version ?? 1,
  sizeLabel: sizeText(k.maxBytes),
  fixed: FIXED_DOCUMENT_KINDS.has(k.code),
})

/** The partnership's kinds, in their order (the built-in list when it has none of its own). */
export async function documentKindsOf(db: Db, partnershipId: string): Promise<DocumentKindView[]> {
  const rows = await db
    .select()
    .from(documentKind)
    .where(eq(documentKind.partnershipId, partnershipId))
    .orderBy(asc(documentKind.position), asc(documentKind.id))
  return (rows.length > 0 ? rows : DEFAULT_DOCUMENT_KINDS).map(view)
}

/** The partnership's kinds (every signed-in user: the upload form, the lists). */
export function documentKinds(ctx: ServiceContext): Promise<DocumentKindView[]> {
  return documentKindsOf(ctx.db, ctx.actor.partnershipId)
}

/** One kind of the partnership, by its code. */
export async function documentKindOf(ctx: ServiceContext, code: string): Promise<DocumentKindView> {
  const found = (await documentKinds(ctx)).find((k) => k.code === code)
  if (!found) throw new NotFound('No such kind of document')
  return found
}

/** Whether the actor may add and change kinds (the pages show the links). */
export const mayManageDocumentKinds = (ctx: ServiceContext) => decideGeneral(ctx.actor, 'organisation:manage').allowed

function requireManage(ctx: ServiceContext) {
  requireGeneral(ctx, 'organisation:manage')
}

/** In a transaction: puts the built-in list in for a partnership that has none (two first writers wait on a lock). */
async function ensureOwnList(ctx: ServiceContext, tx: Db): Promise<void> {
  const partnershipId = ctx.actor.partnershipId
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`document-kinds:${partnershipId}`}))`)
  const [any] = await tx.select({ id: documentKind.id }).from(documentKind).where(eq(documentKind.partnershipId, partnershipId)).limit(1)
  if (any) return
  await tx.insert(documentKind).values(DEFAULT_DOCUMENT_KINDS.map((k, i) => ({ ...k, partnershipId, position: i, createdAt: ctx.now(), updatedAt: ctx.now() })))
}

/** Adds a kind, in use, after the others; a label another kind has (in words or code) is refused. */
export async function addDocumentKind(ctx: ServiceContext, input: DocumentKindInput): Promise<DocumentKindView> {
  requireManage(ctx)
  return ctx.db.transaction(async (tx) => {
    await ensureOwnList(ctx, tx)
    const kinds = await documentKindsOf(tx, ctx.actor.partnershipId)
    const code = documentKindCode(input.label)
    const clash = kinds.find((k) => k.code === code || k.label.toLowerCase() === input.label.toLowerCase())
    if (clash) throw new ValidationFailed({ label: `There is already a kind called ${clash.label}${clash.active ? '' : ' (no longer in use: reinstate it instead)'}` })
    const [row] = await tx
      .insert(documentKind)
      .values({
        partnershipId: ctx.actor.partnershipId,
        code,
        label: input.label,
        maxBytes: input.maxMegabytes * MB,
        active: true,
        position: kinds.length,
        updatedBy: ctx.actor.userId,
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
      })
      .returning()
    await audit(ctx, tx, { action: 'document-kind.create', recordType: 'document-kind', recordId: row!.id, detail: { code, maxBytes: row!.maxBytes } })
    return view(row!)
  })
}

/**
 * Renames a kind, changes its limit, retires or reinstates it, at the version read (409 when
 * stale). Retiring letter or photograph is refused; a name another kind has is refused.
 */
export async function changeDocumentKind(ctx: ServiceContext, code: string, input: DocumentKindChange): Promise<DocumentKindView> {
  requireManage(ctx)
  return ctx.db.transaction(async (tx) => {
    await ensureOwnList(ctx, tx)
    const kinds = await documentKindsOf(tx, ctx.actor.partnershipId)
    const current = kinds.find((k) => k.code === code)
    if (!current) throw new NotFound('No such kind of document')
    if (!input.active && current.fixed) throw new ValidationFailed({ active: `${current.label} is always in use: letters and body maps are kept under it` })
    const clash = kinds.find((k) => k.code !== code && k.label.toLowerCase() === input.label.toLowerCase())
    if (clash) throw new ValidationFailed({ label: `There is already a kind called ${clash.label}` })
    const [row] = await tx
      .update(documentKind)
      .set({ label: input.label, maxBytes: input.maxMegabytes * MB, active: input.active, updatedBy: ctx.actor.userId, updatedAt: ctx.now(), version: sql`${documentKind.version} + 1` })
      .where(and(eq(documentKind.partnershipId, ctx.actor.partnershipId), eq(documentKind.code, code), eq(documentKind.version, input.version)))
      .returning()
    if (!row) {
      throw new EditConflict(
        `Someone else changed this kind (now version ${current.version}) after you opened it (version ${input.version}). Your changes have not been saved.`,
        { ...current },
      )
    }
    await audit(ctx, tx, {
      action: 'document-kind.update',
      recordType: 'document-kind',
      recordId: row.id,
      detail: { code, maxBytes: row.maxBytes, active: row.active, version: row.version },
    })
    return view(row)
  })
}
