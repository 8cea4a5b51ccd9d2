/**
 * Opening a section 11 return through the policy: the return, its cycle, and the ground the
 * decision gave. Used by the return and action services.
 */
import type { Db } from '../../../db/connection.ts'
import { section11Return } from '../../../db/schema/index.ts'
import { decideOnSection11Return, type Section11ReturnAction } from '../../../domain/access/policy.ts'
import type { ServiceContext } from '../../common/context.ts'
import { openDecided } from '../access.ts'
import { getOwnRecord } from '../records.ts'
import { cycleById, type ReturnRow } from './cycles.ts'

export const mayOn = (ctx: ServiceContext, action: Section11ReturnAction, r: ReturnRow) =>
  decideOnSection11Return(ctx.actor, action, { partnershipId: r.partnershipId, ownAgency: ctx.actor.agencyId === r.agencyId })

/** Loads a return and decides `action` on it (audited; a refusal inside a change is audited after the rollback). */
export async function openReturn(ctx: ServiceContext, db: Db, id: string, action: Section11ReturnAction, section = 'overview') {
  const ret = await getOwnRecord<ReturnRow>(db, ctx, section11Return, id, 'self-assessment')
  const { ground } = await openDecided(ctx, action, { recordType: 'section11-return', recordId: id, section }, mayOn(ctx, action, ret))
  return { ret, cycle: await cycleById(ctx, db, ret.cycleId), ground }
}
