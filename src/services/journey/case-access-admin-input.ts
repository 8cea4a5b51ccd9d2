/** Input schemas of access administration (involvement, restriction, explicit permission): shared by the pages and the JSON API. */
import { z } from 'zod'
import { optionalDate, optionalText, optionalYesNo, requiredDate, requiredText, version, yesNo } from '../common/fields-input.ts'

/** An agency's involvement in a case: which agency, its part, why, from when and (if known) until when. */
export const involvementInput = z.object({
  agencyId: z.uuid({ error: 'Choose the agency' }),
  role: requiredText('the agency’s part in the case', 200),
  reason: requiredText('why the agency is involved', 2_000),
  startedOn: requiredDate('the date the involvement started'),
  endedOn: optionalDate('the last day of the involvement').default(null),
})
export type InvolvementInput = z.infer<typeof involvementInput>

/** Ending an involvement now: access through it ends at once. The version is the involvement's. */
export const endInvolvementInput = z.object({
  reason: requiredText('why the involvement is ending', 2_000),
  version,
})
export type EndInvolvementInput = z.infer<typeof endInvolvementInput>

/** Marking the case restricted, or lifting it, with why. The version is the case's. */
export const restrictionInput = z.object({
  restricted: yesNo('should only people with explicit permission see this record?'),
  reason: requiredText('why', 2_000),
  version,
})
export type RestrictionInput = z.infer<typeof restrictionInput>

/** Explicit permission for a named user, until the end of `endsOn` (England). */
export const permissionInput = z.object({
  userId: z.uuid({ error: 'Choose who to give permission to' }),
  endsOn: requiredDate('the last day of the permission'),
  reason: requiredText('why they need to see this record', 2_000),
})
export type PermissionInput = z.infer<typeof permissionInput>

/** Withdrawing a permission before its end. The version is the permission's. */
export const withdrawPermissionInput = z.object({
  reason: requiredText('why the permission is withdrawn', 2_000),
  version,
})
export type WithdrawPermissionInput = z.infer<typeof withdrawPermissionInput>

/**
 * The permission offered with an allocation of a restricted case: the worker allocated gets
 * explicit permission until `permissionEndsOn` in the same step (fields of the allocation form).
 */
export const allocationPermissionFields = {
  givePermission: optionalYesNo('give the worker permission to see this restricted record?').default(null),
  permissionEndsOn: optionalDate('the last day of the permission').default(null),
  permissionReason: optionalText('why the worker needs to see this record', 2_000).default(null),
}
