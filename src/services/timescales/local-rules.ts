/**
 * A partnership's own values for the local timescale rules (core group cadence, visits, ...).
 * Everyone may read them; administrators set them; each change is audited.
 */
import { and, eq } from 'drizzle-orm'
import { partnership } from '../../db/schema/index.ts'
import {
  applyLocalRuleChanges,
  DEFAULT_LOCAL_RULES,
  LocalRulesError,
  mergeLocalRules,
  type LocalRuleChanges,
  type LocalRuleOverrides,
  type LocalRuleSettings,
} from '../../domain/timescales/index.ts'
import { audit } from '../access/audit.ts'
import { EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'

export interface PartnershipLocalRules {
  settings: LocalRuleSettings
  overrides: LocalRuleOverrides
  defaults: Readonly<LocalRuleSettings>
  version: number
}

export async function getLocalRules(ctx: ServiceContext): Promise<PartnershipLocalRules> {
  const [row] = await ctx.db
    .select({ localRules: partnership.localRules, version: partnership.version })
    .from(partnership)
    .where(eq(partnership.id, ctx.actor.partnershipId))
  if (!row) throw new NotFound('No such partnership')
  const overrides = (row.localRules ?? {}) as LocalRuleOverrides
  return { settings: mergeLocalRules(overrides), overrides, defaults: DEFAULT_LOCAL_RULES, version: row.version }
}

/** Replaces the partnership's overrides; an empty object restores every default. */
export async function setLocalRules(ctx: ServiceContext, overrides: unknown, version: number): Promise<void> {
  await writeLocalRules(ctx, version, () => overrides)
}

/**
 * Changes some of the partnership's overrides (null: back to the default) and keeps every other
 * one as stored: what the page and the API's PATCH call, so a setting they do not show or send is
 * never dropped.
 */
export async function changeLocalRules(ctx: ServiceContext, changes: LocalRuleChanges, version: number): Promise<void> {
  await writeLocalRules(ctx, version, (stored) => applyLocalRuleChanges(stored, changes))
}

const CHANGED_BY_SOMEONE_ELSE = 'Someone else changed the partnership’s settings while you were editing them'

/** Writes the overrides `next` makes of the stored ones, if the partnership is still at `version`; audited. */
async function writeLocalRules(ctx: ServiceContext, version: number, next: (stored: LocalRuleOverrides) => unknown): Promise<void> {
  const ground = requireGeneral(ctx, 'organisation:manage')
  await ctx.db.transaction(async (tx) => {
    const [stored] = await tx
      .select({ localRules: partnership.localRules })
      .from(partnership)
      .where(and(eq(partnership.id, ctx.actor.partnershipId), eq(partnership.version, version)))
      .for('update')
    if (!stored) throw new EditConflict(CHANGED_BY_SOMEONE_ELSE)
    const overrides = next((stored.localRules ?? {}) as LocalRuleOverrides)
    try {
      mergeLocalRules(overrides)
    } catch (err) {
      if (err instanceof LocalRulesError) throw new ValidationFailed({ form: err.message })
      throw err
    }
    const [row] = await tx
      .update(partnership)
      .set({ localRules: overrides as LocalRuleOverrides, version: version + 1, updatedAt: ctx.now() })
      .where(and(eq(partnership.id, ctx.actor.partnershipId), eq(partnership.version, version)))
      .returning({ id: partnership.id })
    if (!row) throw new EditConflict(CHANGED_BY_SOMEONE_ELSE)
    await audit(ctx, tx, {
      action: 'partnership.local-rules.update',
      recordType: 'partnership',
      recordId: ctx.actor.partnershipId,
      ground: ground,
      detail: { overrides: overrides as Record<string, unknown> },
    })
  })
}
