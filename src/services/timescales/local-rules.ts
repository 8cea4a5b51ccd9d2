/**
 * A partnership's own values for the local timescale rules (core group cadence, visits, ...).
 * Everyone may read them; administrators set them; each change is audited.
 */
import { and, eq } from 'drizzle-orm'
import { partnership } from '../../db/schema/index.ts'
import { decideGeneral } from '../../domain/access/policy.ts'
import {
  DEFAULT_LOCAL_RULES,
  LocalRulesError,
  mergeLocalRules,
  type LocalRuleOverrides,
  type LocalRuleSettings,
} from '../../domain/timescales/index.ts'
import { audit } from '../access/audit.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'

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
  const d = decideGeneral(ctx.actor, 'organisation:manage')
  if (!d.allowed) throw new AccessDenied(d.reason)
  try {
    mergeLocalRules(overrides)
  } catch (err) {
    if (err instanceof LocalRulesError) throw new ValidationFailed({ form: err.message })
    throw err
  }
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(partnership)
      .set({ localRules: overrides as LocalRuleOverrides, version: version + 1, updatedAt: ctx.now() })
      .where(and(eq(partnership.id, ctx.actor.partnershipId), eq(partnership.version, version)))
      .returning({ id: partnership.id })
    if (!row) throw new EditConflict('Someone else changed the partnership’s settings while you were editing them')
    await audit(ctx, tx, {
      action: 'partnership.local-rules.update',
      recordType: 'partnership',
      recordId: ctx.actor.partnershipId,
      ground: d.ground,
      detail: { overrides: overrides as Record<string, unknown> },
    })
  })
}
