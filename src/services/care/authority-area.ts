/**
 * The authority's area (issue 19): its three-digit DfE LA code (the 903 and CIN census headers, the
 * daily feed) and the upper-tier area code the postcode lookup names (placements inside or outside
 * the authority, 903 PL_LOCATION; the 903 check's LA). An administrator sets them on a page
 * instead of configuration only (`organisation:manage`); each change is audited.
 */
import { eq } from 'drizzle-orm'
import { instanceSetting } from '../../db/schema/index.ts'
import { audit } from '../access/audit.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { laCodeOf, setLaCode } from '../returns/la-code.ts'
import { authorityArea, postcodeLookup, SYNTHETIC_AREA } from './placements.ts'
import type { AuthorityAreaInput } from './authority-area-input.ts'

export interface AuthorityAreaSettings {
  /** The three-digit LA code, or null when neither set here nor configured (TOGETHER_LA_CODE). */
  laCode: string | null
  /** The upper-tier area code in force (the synthetic lookup's when not set). */
  area: string
  /** Whether the area was set for the partnership (otherwise the default applies). */
  areaSet: boolean
  /** The upper-tier areas of the postcode lookup, the choices for `area`. */
  areas: string[]
}

/** The instance setting placements.ts's authorityArea reads. */
const areaSettingKey = (partnershipId: string) => `care.la-area.${partnershipId}`

const mayManage = (ctx: ServiceContext) => {
  requireGeneral(ctx, 'organisation:manage', 'Only an administrator sets the authority’s area.')
}

let areas: string[] | undefined
/** The upper-tier LA codes the postcode lookup knows, in order. */
export function lookupAreas(): string[] {
  areas ??= [...new Set([...postcodeLookup().values()].map((p) => p.utla).filter((a) => a !== ''))].sort()
  return areas
}

export async function authorityAreaSettings(ctx: ServiceContext): Promise<AuthorityAreaSettings> {
  mayManage(ctx)
  const partnershipId = ctx.actor.partnershipId
  const [laCode, area, set] = await Promise.all([
    laCodeOf(ctx.db, partnershipId),
    authorityArea(ctx.db, partnershipId),
    ctx.db.select({ key: instanceSetting.key }).from(instanceSetting).where(eq(instanceSetting.key, areaSettingKey(partnershipId))),
  ])
  return { laCode: laCode ?? null, area, areaSet: set.length > 0, areas: lookupAreas() }
}

/** Sets the LA code and the area; the area must be one the postcode lookup knows. */
export async function setAuthorityAreaSettings(ctx: ServiceContext, input: AuthorityAreaInput): Promise<AuthorityAreaSettings> {
  mayManage(ctx)
  if (!lookupAreas().includes(input.area)) {
    throw new ValidationFailed({ area: `${input.area} is not an area of the postcode lookup: select one from the list (the synthetic lookup's is ${SYNTHETIC_AREA})` })
  }
  const partnershipId = ctx.actor.partnershipId
  await ctx.db.transaction(async (tx) => {
    const before = { laCode: (await laCodeOf(tx, partnershipId)) ?? null, area: await authorityArea(tx, partnershipId) }
    await setLaCode(tx, partnershipId, input.laCode)
    await tx
      .insert(instanceSetting)
      .values({ key: areaSettingKey(partnershipId), value: input.area })
      .onConflictDoUpdate({ target: instanceSetting.key, set: { value: input.area } })
    await audit(ctx, tx, { action: 'authority-area.update', detail: { before, after: { laCode: input.laCode, area: input.area } } })
  })
  return authorityAreaSettings(ctx)
}
