/**
 * Subject access requests and requests to correct a record (JSON API): the same services as the
 * pages (docs/data-protection.md).
 */
import { pageQuery } from '../../../services/common/paging.ts'
import {
  rectificationDecision,
  rectificationNew,
  subjectAccessExtension,
  subjectAccessIdentity,
  subjectAccessItemDecision,
  subjectAccessNew,
  subjectAccessSearch,
  subjectAccessStep,
} from '../../../services/records/subject-access-input.ts'
import {
  approveSubjectAccessRelease,
  compileSubjectAccessBundle,
  decideSubjectAccessItem,
  downloadSubjectAccessBundle,
  extendSubjectAccessClock,
  findPeopleForSubjectAccess,
  getSubjectAccessRequest,
  listSubjectAccessRequests,
  recordIdentityCheck,
  recordSubjectAccessRequest,
  submitSubjectAccessReview,
} from '../../../services/records/subject-access.ts'
import { decideRectification, rectificationsOfCase, recordRectification } from '../../../services/records/rectification.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { sendBundle } from './routes.ts'

const TAG = 'Subject access'
const path = '/subject-access-requests'
const one = `${path}/:requestId`
const WHO = ' (the data protection officer, i.e. the auditor role, and team managers: subject-access:manage)'

export function registerSubjectAccessApi(api: ApiBuilder): void {
  api.get(path, { summary: `Subject access requests, open ones first by due date, each with its clock (dueOn, originalDueOn, status due, overdue, completed or completed-late, rule) and the people it is about${WHO}`, tag: TAG, query: pageQuery }, ({ ctx, query }) =>
    listSubjectAccessRequests(ctx, query),
  )
  api.get(`${path}/people`, { summary: 'People of the partnership by name or NHS number (q), at most 20, to name whom a request is about', tag: TAG, query: subjectAccessSearch }, async ({ ctx, query }) => ({
    people: await findPeopleForSubjectAccess(ctx, query.q),
  }))
  api.post(
    path,
    {
      summary: `Record a subject access request: requesterName, requesterKind (data-subject, parent, acting-for), requesterRelationship (required unless data-subject), receivedOn, personIds (the people it is about), and the identity check if done (identityMethod, identityVerifiedOn, identityNotes); its clock is one calendar month from receipt${WHO}`,
      tag: TAG,
      body: subjectAccessNew,
      status: 201,
    },
    ({ ctx, body }) => recordSubjectAccessRequest(ctx, body),
  )
  api.get(one, { summary: 'A request: requester, identity check, clock, the people, the bundle items with each decision (and any statement of disagreement on the record an item comes from), and whether the released bundle is kept; audited against each person', tag: TAG }, ({ ctx, params }) =>
    getSubjectAccessRequest(ctx, params.requestId!),
  )
  api.put(`${one}/identity`, { summary: 'Record how the requester’s identity was checked (identityMethod, identityVerifiedOn, identityNotes) at the request’s version', tag: TAG, body: subjectAccessIdentity }, async ({ ctx, params, body }) => {
    await recordIdentityCheck(ctx, params.requestId!, body)
  })
  api.put(`${one}/extension`, { summary: 'Extend a complex request’s clock once, by 1 or 2 further months (months), with the reason (422 when already extended or completed)', tag: TAG, body: subjectAccessExtension }, async ({ ctx, params, body }) => {
    await extendSubjectAccessClock(ctx, params.requestId!, body)
  })
  api.post(
    `${one}/compilation`,
    {
      summary:
        'Compile the bundle at the request’s version: the person index record, each case (read through the policy under the subject-access ground, audited against the child), its chronology, notes and documents listed, and the partnership’s records about the person (LADO cases naming them, serious incidents and practice reviews of their cases, with documents; each item flagged for review in reviewFlag); replaces an earlier compilation; 422 naming a restricted case without explicit permission',
      tag: TAG,
      body: subjectAccessStep,
    },
    ({ ctx, params, body }) => compileSubjectAccessBundle(ctx, params.requestId!, body.version),
  )
  api.put(
    `${one}/items/:itemId`,
    {
      summary: 'Decide an item: decision (released, redacted, withheld), exemption (third-party, serious-harm, legal-privilege, crime-taxation, other) for a redaction or withholding, exemptionDetail for other, redactedText (the text as released) for a redaction; version is the item’s',
      tag: TAG,
      body: subjectAccessItemDecision,
    },
    async ({ ctx, params, body }) => {
      await decideSubjectAccessItem(ctx, params.requestId!, params.itemId!, body)
    },
  )
  api.post(`${one}/submission`, { summary: 'Send the review for approval once every item is decided', tag: TAG, body: subjectAccessStep }, async ({ ctx, params, body }) => {
    await submitSubjectAccessReview(ctx, params.requestId!, body.version)
  })
  api.post(
    `${one}/approval`,
    {
      summary: 'Approve the review and release the bundle as a PDF (kept), completing the request and stopping its clock; 422 for the person who sent it for approval or decided an item (a second person must approve)',
      tag: TAG,
      body: subjectAccessStep,
    },
    async ({ ctx, params, body }) => {
      await approveSubjectAccessRelease(ctx, params.requestId!, body.version)
    },
  )
  api.get(
    `${one}/bundle`,
    { summary: 'The released bundle (application/pdf, an attachment); downloading it is audited against each person', tag: TAG, rawResponse: { mediaType: 'application/pdf', description: 'The released bundle' } },
    async ({ ctx, params, res }) => {
      sendBundle(res, await downloadSubjectAccessBundle(ctx, params.requestId!))
    },
  )

  const cases = '/cases/:caseId/rectifications'
  api.get(cases, { summary: 'Requests to correct a record of the case, each with its decision and statement of disagreement, and the records a new one can name (record: "<entity>:<id>")', tag: TAG }, async ({ ctx, params }) => {
    const { requests, records, mayDecide } = await rectificationsOfCase(ctx, params.caseId!)
    return { requests, records, mayDecide }
  })
  api.post(
    cases,
    {
      summary: 'Record a request to correct a record (UK GDPR Article 16): record ("<entity>:<id>" from the list), field, requesterName, receivedOn, whatIsWrong, whatTheyWant',
      tag: TAG,
      body: rectificationNew,
      status: 201,
      caseAction: 'case:update',
    },
    ({ ctx, params, body }) => recordRectification(ctx, params.caseId!, body),
  )
  api.put(
    `${cases}/:rectificationId/decision`,
    {
      summary: 'A manager of the case’s team decides: decision corrected (reason: what was changed, through the record’s own edit) or kept (reason, and statement: the person’s statement of disagreement, shown wherever the record is shown)',
      tag: TAG,
      body: rectificationDecision,
      caseAction: 'case:authorise',
    },
    async ({ ctx, params, body }) => {
      await decideRectification(ctx, params.caseId!, params.rectificationId!, body)
    },
  )
}
