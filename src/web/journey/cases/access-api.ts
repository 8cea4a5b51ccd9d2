/**
 * Access administration as JSON operations (issue 17, section 2), beside the pages: who can see a
 * case and why, agencies' involvement, restriction and explicit permission. Each is decided as the
 * policy's `case:manage-access` before its body is read; the services audit every view and change.
 */
import {
  caseAccess,
  endInvolvement,
  givePermission,
  recordInvolvement,
  setRestriction,
  withdrawPermission,
  whoCanSeePerson,
} from '../../../services/journey/case-access-admin.ts'
import {
  endInvolvementInput,
  involvementInput,
  permissionInput,
  restrictionInput,
  withdrawPermissionInput,
} from '../../../services/journey/case-access-admin-input.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const tag = 'Access'

export function registerCaseAccessApi(api: ApiBuilder): void {
  api.get(
    '/cases/:caseId/access',
    {
      caseAction: 'case:manage-access',
      summary:
        "Who can see a case and why (a manager of the case's team): every user the policy lets see the record or a partner's view of it, with their relationships (and, on a restricted case, those who would need permission); the restriction with its reason, the agencies' involvements and the explicit permissions, with their versions; the case's version",
      tag,
    },
    ({ ctx, params }) => caseAccess(ctx, params.caseId!),
  )
  api.post(
    '/cases/:caseId/involvements',
    {
      caseAction: 'case:manage-access',
      summary: "Record an agency's involvement in a case (which agency, its part, why, from when, until when): its partner practitioners see the record while it lasts",
      tag,
      status: 201,
      body: involvementInput,
    },
    ({ ctx, params, body }) => recordInvolvement(ctx, params.caseId!, body),
  )
  api.post(
    '/cases/:caseId/involvements/:involvementId/end',
    {
      caseAction: 'case:manage-access',
      summary: "End an agency's involvement now, with why (name the involvement's version): its partners' access through it ends at once",
      tag,
      body: endInvolvementInput,
    },
    ({ ctx, params, body }) => endInvolvement(ctx, params.caseId!, params.involvementId!, body),
  )
  api.put(
    '/cases/:caseId/restriction',
    {
      caseAction: 'case:manage-access',
      summary: 'Mark a case restricted (only explicit permission opens it) or lift the restriction, with why (name the case version you read)',
      tag,
      body: restrictionInput,
    },
    ({ ctx, params, body }) => setRestriction(ctx, params.caseId!, body),
  )
  api.post(
    '/cases/:caseId/permissions',
    {
      caseAction: 'case:manage-access',
      summary: 'Give a named user explicit permission to see a case until the end of a day (England), with why; not oneself',
      tag,
      status: 201,
      body: permissionInput,
    },
    ({ ctx, params, body }) => givePermission(ctx, params.caseId!, body),
  )
  api.post(
    '/cases/:caseId/permissions/:permissionId/withdrawal',
    {
      caseAction: 'case:manage-access',
      summary: "Withdraw an explicit permission in force, with why (name the permission's version): it ends now",
      tag,
      body: withdrawPermissionInput,
    },
    ({ ctx, params, body }) => withdrawPermission(ctx, params.caseId!, params.permissionId!, body),
  )
  api.get(
    '/audit/people/:personId/access',
    {
      summary: "Who can see a child's records now (auditors): each case of the person with every user the policy lets see it and why",
      tag: 'Audit',
    },
    ({ ctx, params }) => whoCanSeePerson(ctx, params.personId!),
  )
}
