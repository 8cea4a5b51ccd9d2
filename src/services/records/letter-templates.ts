/**
 * A partnership's letter templates (issue 18 §2). Every signed-in user of the partnership may read
 * them (a worker picks one to write a letter); administrators (organisation:manage) add and change
 * them. A partnership starts with the default templates (domain/records/letters.ts), put in the
 * first time its templates are read. A template naming a placeholder that is not a merge field is
 * refused, naming it. Changes name the version read; each is audited.
 */
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { letterTemplate } from '../../db/schema/index.ts'
import { decideGeneral } from '../../domain/access/policy.ts'
import { labelOf } from '../../domain/journey/dfe-codes.ts'
import { DEFAULT_LETTER_TEMPLATES, LETTER_KIND, LETTER_LANGUAGE, placeholderProblem } from '../../domain/records/letters.ts'
import { audit } from '../access/audit.ts'
import { EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import type { LetterTemplateChange, LetterTemplateInput } from './letters-input.ts'

export type LetterTemplateRow = typeof letterTemplate.$inferSelect

export interface LetterTemplateView extends LetterTemplateRow {
  kindLabel: string
  languageLabel: string
}

const view = (r: LetterTemplateRow): LetterTemplateView => ({ ...r, kindLabel: labelOf(LETTER_KIND, r.kind), languageLabel: labelOf(LETTER_LANGUAGE, r.language) })

/** Puts the default templates in for a partnership that has none (once: two first readers wait on a lock). */
export async function ensureDefaultTemplates(db: Db, partnershipId: string): Promise<void> {
  const [any] = await db.select({ id: letterTemplate.id }).from(letterTemplate).where(eq(letterTemplate.partnershipId, partnershipId)).limit(1)
  if (any) return
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`letter-templates:${partnershipId}`}))`)
    const [again] = await tx.select({ id: letterTemplate.id }).from(letterTemplate).where(eq(letterTemplate.partnershipId, partnershipId)).limit(1)
    if (again) return
    await tx.insert(letterTemplate).values(DEFAULT_LETTER_TEMPLATES.map((t) => ({ ...t, partnershipId })))
  })
}

/** The partnership's templates, by kind then language. */
export async function letterTemplates(ctx: ServiceContext, options: { activeOnly?: boolean } = {}): Promise<LetterTemplateView[]> {
  await ensureDefaultTemplates(ctx.db, ctx.actor.partnershipId)
  const rows = await ctx.db
    .select()
    .from(letterTemplate)
    .where(and(eq(letterTemplate.partnershipId, ctx.actor.partnershipId), options.activeOnly ? eq(letterTemplate.active, true) : undefined))
    .orderBy(asc(letterTemplate.kind), asc(letterTemplate.language), asc(letterTemplate.title), asc(letterTemplate.id))
  const kinds = new Map<string, number>(LETTER_KIND.map((k, i) => [k.code, i]))
  const languages = new Map<string, number>(LETTER_LANGUAGE.map((l, i) => [l.code, i]))
  return rows.map(view).sort((a, b) => (kinds.get(a.kind) ?? 99) - (kinds.get(b.kind) ?? 99) || (languages.get(a.language) ?? 99) - (languages.get(b.language) ?? 99))
}

/** One template of the partnership. */
export async function letterTemplateOf(ctx: ServiceContext, templateId: string, db: Db = ctx.db): Promise<LetterTemplateView> {
  const [row] = await db
    .select()
    .from(letterTemplate)
    .where(and(eq(letterTemplate.id, templateId), eq(letterTemplate.partnershipId, ctx.actor.partnershipId)))
  if (!row) throw new NotFound('No such letter template')
  return view(row)
}

function requireManage(ctx: ServiceContext) {
  requireGeneral(ctx, 'organisation:manage')
}

/** Whether the actor may add and change templates (the pages show the links). */
export const mayManageTemplates = (ctx: ServiceContext) => decideGeneral(ctx.actor, 'organisation:manage').allowed

function checkPlaceholders(input: { title: string; body: string }) {
  const errors: Record<string, string> = {}
  const inBody = placeholderProblem(input.body)
  if (inBody) errors.body = inBody
  const inTitle = placeholderProblem(input.title)
  if (inTitle) errors.title = inTitle
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

export async function addLetterTemplate(ctx: ServiceContext, input: LetterTemplateInput): Promise<LetterTemplateView> {
  requireManage(ctx)
  checkPlaceholders(input)
  await ensureDefaultTemplates(ctx.db, ctx.actor.partnershipId)
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(letterTemplate)
      .values({ ...input, partnershipId: ctx.actor.partnershipId, updatedBy: ctx.actor.userId, createdAt: ctx.now(), updatedAt: ctx.now() })
      .returning()
    await audit(ctx, tx, { action: 'letter-template.create', recordType: 'letter-template', recordId: row!.id, detail: { kind: input.kind, language: input.language } })
    return view(row!)
  })
}

export async function changeLetterTemplate(ctx: ServiceContext, templateId: string, input: LetterTemplateChange): Promise<LetterTemplateView> {
  requireManage(ctx)
  checkPlaceholders(input)
  return ctx.db.transaction(async (tx) => {
    const current = await letterTemplateOf(ctx, templateId, tx)
    const [row] = await tx
      .update(letterTemplate)
      .set({ kind: input.kind, language: input.language, title: input.title, body: input.body, updatedBy: ctx.actor.userId, updatedAt: ctx.now(), version: sql`${letterTemplate.version} + 1` })
      .where(and(eq(letterTemplate.id, current.id), eq(letterTemplate.version, input.version)))
      .returning()
    if (!row) {
      throw new EditConflict(
        `Someone else changed this template (now version ${current.version}) after you opened it (version ${input.version}). Your changes have not been saved.`,
        { ...current },
      )
    }
    await audit(ctx, tx, { action: 'letter-template.update', recordType: 'letter-template', recordId: row.id, detail: { kind: row.kind, language: row.language, version: row.version } })
    return view(row)
  })
}
