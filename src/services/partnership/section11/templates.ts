/**
 * Section 11 templates: standards with criteria, kept by the partnership business unit. A cycle
 * copies its template's standards when issued, so editing a template never changes a past cycle.
 */
import { asc, eq } from 'drizzle-orm'
import type { z } from 'zod'
import { section11Template } from '../../../db/schema/index.ts'
import { DEFAULT_SECTION11_STANDARDS, formatStandards, type Section11Standard } from '../../../domain/partnership/section11.ts'
import { audit } from '../../access/audit.ts'
import type { ServiceContext } from '../../common/context.ts'
import { partnershipTransaction, requireGeneral } from '../access.ts'
import { getOwnRecord, updateVersioned } from '../records.ts'
import type { templateInput, templateUpdate } from './input.ts'

export type TemplateRow = typeof section11Template.$inferSelect
export interface TemplateView extends Omit<TemplateRow, 'standards'> {
  standards: Section11Standard[]
}

const view = (row: TemplateRow): TemplateView => ({ ...row, standards: row.standards as Section11Standard[] })

/** The default standards (Working Together's section 11 arrangements) as the template form's text. */
export const DEFAULT_STANDARDS_TEXT = formatStandards(DEFAULT_SECTION11_STANDARDS)

export async function listTemplates(ctx: ServiceContext): Promise<TemplateView[]> {
  requireGeneral(ctx, 'section11:manage')
  const rows = await ctx.db.select().from(section11Template).where(eq(section11Template.partnershipId, ctx.actor.partnershipId)).orderBy(asc(section11Template.name))
  return rows.map(view)
}

export async function getTemplate(ctx: ServiceContext, id: string): Promise<TemplateView & { standardsText: string }> {
  requireGeneral(ctx, 'section11:manage')
  const row = view(await getOwnRecord<TemplateRow>(ctx.db, ctx, section11Template, id, 'template'))
  return { ...row, standardsText: formatStandards(row.standards) }
}

export async function createTemplate(ctx: ServiceContext, input: z.infer<typeof templateInput>): Promise<TemplateView> {
  const ground = requireGeneral(ctx, 'section11:manage')
  return partnershipTransaction(ctx, async (tx) => {
    const [row] = await tx
      .insert(section11Template)
      .values({ partnershipId: ctx.actor.partnershipId, name: input.name, standards: input.standards, recordedBy: ctx.actor.userId })
      .returning()
    await audit(ctx, tx, { action: 'section11-template.create', recordType: 'section11-template', recordId: row!.id, ground, detail: { standards: input.standards.length } })
    return view(row!)
  })
}

export async function updateTemplate(ctx: ServiceContext, id: string, input: z.infer<typeof templateUpdate>): Promise<TemplateView> {
  const ground = requireGeneral(ctx, 'section11:manage')
  return partnershipTransaction(ctx, async (tx) => {
    const row = await updateVersioned<TemplateRow>(ctx, tx, section11Template, id, input.version, { name: input.name, standards: input.standards })
    await audit(ctx, tx, { action: 'section11-template.update', recordType: 'section11-template', recordId: id, ground, detail: { standards: input.standards.length } })
    return view(row)
  })
}
