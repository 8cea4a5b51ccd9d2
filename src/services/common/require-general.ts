import { decideGeneral, type GeneralAction } from '../../domain/access/policy.ts'
import { AccessDenied, type ServiceContext } from './context.ts'

/**
 * Refuses unless the user's role allows a general action (recording a contact, managing the
 * organisation, running a return ...), with the policy's reason or the service's own `message`;
 * the ground of the decision, for the audit entry, when it is allowed.
 */
export function requireGeneral(ctx: ServiceContext, action: GeneralAction, message?: string): string {
  const decision = decideGeneral(ctx.actor, action)
  if (!decision.allowed) throw new AccessDenied(message ?? decision.reason)
  return decision.ground
}
