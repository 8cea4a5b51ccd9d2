/**
 * Serious incidents, rapid reviews, practice reviews (LCSPRs and SCRs), agency contributions and
 * review actions in the JSON API: the same operations as the pages under /partnership, through the
 * same services, so the same policy (members only; the child through decideOnLinkedCase) and the
 * same audit. Another partnership's record is a 404, a refusal a 403, a stale version a 409.
 */
import { pageOf, pageQuery } from '../../../services/common/paging.ts'
import { answerContribution, getContribution, myContributions } from '../../../services/partnership/contributions.ts'
import {
  contributionAnswerInput,
  contributionRequestInput,
  incidentInput,
  memberInput,
  notificationInput,
  panelSubmissionInput,
  rapidReviewDecisionInput,
} from '../../../services/partnership/incident-input.ts'
import {
  addIncidentMember,
  getIncident,
  listIncidents,
  rapidReviewChronology,
  recordIncident,
  recordNotification,
  recordRapidReviewDecision,
  requestIncidentContribution,
  submitToPanel,
} from '../../../services/partnership/incidents.ts'
import {
  addAction,
  addDraft,
  addRecommendation,
  closeAction,
  getAction,
  getReview,
  giveActionEvidence,
  listReviews,
  myActions,
  publishReview,
  recordAdvanceNotice,
  requestReviewContribution,
  startReview,
  updateReviewDetails,
} from '../../../services/partnership/practice-reviews.ts'
import {
  actionCloseInput,
  actionEvidenceInput,
  actionInput,
  advanceNoticeInput,
  publicationInput,
  recommendationInput,
  reviewDetailsInput,
  reviewDraftInput,
  reviewStartInput,
} from '../../../services/partnership/review-input.ts'
import type { ServiceContext } from '../../../services/common/context.ts'
import type { ApiBuilder, OperationInput } from '../../common/api/builder.ts'

const INCIDENTS = 'Serious incidents'
const REVIEWS = 'Practice reviews'
const REQUESTS = 'Review requests'

/** The answer to a request made of an agency: 201, where it is (GET /agency-contributions/{id}), and the request as its reader sees it. */
/**
 * An operation that changes a record through its service, answered with the record as `show` reads
 * it now (the same view, policy and audit as its GET).
 */
export const changeThen =
  <V>(show: (ctx: ServiceContext, id: string) => Promise<V>) =>
  <B>(run: (ctx: ServiceContext, id: string, value: B) => Promise<unknown>) =>
  async ({ ctx, params, body }: OperationInput<B, undefined>): Promise<V> => {
    await run(ctx, params.id!, body)
    return show(ctx, params.id!)
  }

async function contributionMade({ ctx, res }: OperationInput<unknown, undefined>, made: { id: string }) {
  res.location(`/api/v1/agency-contributions/${made.id}`)
  return getContribution(ctx, made.id)
}

export function registerPartnershipReviewApi(api: ApiBuilder): void {
  registerIncidentApi(api)
  registerPracticeReviewApi(api)
  registerRequestApi(api)
}

function registerIncidentApi(api: ApiBuilder): void {
  const thenIncident = changeThen(getIncident)
  api.get(
    '/serious-incidents',
    { summary: 'The serious incidents you work on (a member of their review), newest first, each child named as the policy shows them: a page of them (offset, limit) with how many there are', tag: INCIDENTS, query: pageQuery },
    ({ ctx, query }) => listIncidents(ctx, query),
  )
  api.post(
    '/serious-incidents',
    {
      summary:
        "Record a serious incident the local authority became aware of (the business unit): child (the child's NHS number, or their case's id), kind (INCIDENT_KIND), incidentOn, awareOn, summary; the edition in force on awareOn sets the notification's clock and recipients; you lead its review",
      tag: INCIDENTS,
      body: incidentInput,
      status: 201,
    },
    async ({ ctx, body, res }) => {
      const made = await recordIncident(ctx, body)
      res.location(`/api/v1/serious-incidents/${made.id}`)
      return getIncident(ctx, made.id)
    },
  )
  api.get(
    '/serious-incidents/:id',
    {
      summary:
        "A serious incident (its review's members): the incident (its child's caseId only when you may see the child), the child as the policy shows them to you (null otherwise), the notification's recipients, its clocks, members and agencies' contributions",
      tag: INCIDENTS,
    },
    ({ ctx, params }) => getIncident(ctx, params.id!),
  )
  api.get(
    '/serious-incidents/:id/chronology',
    {
      summary:
        "The rapid review's merged multi-agency chronology: the child's record as known at the end of the incident date (only when the policy shows you the child; a read of the child's record, audited) with the agencies' submitted key events",
      tag: INCIDENTS,
    },
    ({ ctx, params }) => rapidReviewChronology(ctx, params.id!),
  )
  api.put(
    '/serious-incidents/:id/notification',
    {
      summary:
        "Record (or correct) the notification's sending: notifiedOn, lateReasonCode (DELAY_REASON; needed when it was late) and lateReason, the incident's version read (409 when stale); it starts the rapid review's clock",
      tag: INCIDENTS,
      body: notificationInput,
    },
    thenIncident(recordNotification),
  )
  api.put(
    '/serious-incidents/:id/decision',
    {
      summary: "Record (or correct) the rapid review's decision (WT2018 onward, after the notification): decision (RAPID_REVIEW_DECISION), reasons, decidedOn, the incident's version read (409 when stale)",
      tag: INCIDENTS,
      body: rapidReviewDecisionInput,
    },
    thenIncident(recordRapidReviewDecision),
  )
  api.put(
    '/serious-incidents/:id/submission',
    {
      summary:
        "Record the rapid review's submission to the Child Safeguarding Practice Review Panel (after the decision): submittedOn, lateReasonCode (DELAY_REASON; needed when it was late) and lateReason, the incident's version read (409 when stale)",
      tag: INCIDENTS,
      body: panelSubmissionInput,
    },
    thenIncident(submitToPanel),
  )
  api.post(
    '/serious-incidents/:id/members',
    { summary: 'Add an active user of the partnership (userId) to the people working on the incident and its rapid review (business-unit members); answers the incident', tag: INCIDENTS, body: memberInput, status: 201 },
    thenIncident((ctx, id, value: { userId: string }) => addIncidentMember(ctx, id, value.userId)),
  )
  api.post(
    '/serious-incidents/:id/contributions',
    {
      summary:
        "Ask an agency for its contribution to the rapid review through a named user there (contactUserId; agencyId optional, theirs when left out), with the question and dueOn; it becomes a task for them. Answers the request (Location: /agency-contributions/{id})",
      tag: INCIDENTS,
      body: contributionRequestInput,
      status: 201,
    },
    async (input) => contributionMade(input, await requestIncidentContribution(input.ctx, input.params.id!, input.body)),
  )
}

function registerPracticeReviewApi(api: ApiBuilder): void {
  api.get(
    '/practice-reviews',
    { summary: 'The practice reviews (LCSPRs and SCRs) you work on, newest decision first, with their clocks (no child: open one to see them): a page of them (offset, limit) with how many there are', tag: REVIEWS, query: pageQuery },
    ({ ctx, query }) => listReviews(ctx, query),
  )
  api.post(
    '/practice-reviews',
    {
      summary:
        "Start the practice review a serious incident called for (an LCSPR after a rapid review that decided on a local review; an SCR under WT2006–2015): incidentId, title, decidedOn, notifiedOn (SCRs: when the LSCB was notified), lateReasonCode (DELAY_REASON) and lateReason (words) when an SCR's decision came after its due date (422 without the code); the incident's members work on it too",
      tag: REVIEWS,
      body: reviewStartInput,
      status: 201,
    },
    async ({ ctx, body, res }) => {
      const made = await startReview(ctx, body)
      res.location(`/api/v1/practice-reviews/${made.id}`)
      return getReview(ctx, made.id)
    },
  )
  api.get(
    '/practice-reviews/:id',
    {
      summary:
        "A practice review (its members): the review (its child's caseId only when you may see the child), the child as the policy shows them to you (null otherwise), clocks, members, contributions, drafts, recommendations with their actions, and linked death reviews",
      tag: REVIEWS,
    },
    ({ ctx, params }) => getReview(ctx, params.id!),
  )
  const thenReview = changeThen(getReview)
  const path = (part: string) => `/practice-reviews/:id/${part}`
  api.put(path('details'), { summary: "Change the reviewer and the terms of reference, naming the review's version read (409 when stale)", tag: REVIEWS, body: reviewDetailsInput }, thenReview(updateReviewDetails))
  api.put(
    path('advance-notice'),
    { summary: "Record the advance copy to the Panel and DfE (advanceNoticeOn; publication should wait the local notice period), naming the review's version read (409 when stale)", tag: REVIEWS, body: advanceNoticeInput },
    thenReview(recordAdvanceNotice),
  )
  api.put(
    path('publication'),
    {
      summary:
        "Record the review's publication: publishedOn, publicationNote, lateReasonCode (DELAY_REASON; required when past its clock) and lateReason (words), naming the review's version read (409 when stale); publishing before the advance notice has run is flagged, not refused",
      tag: REVIEWS,
      body: publicationInput,
    },
    thenReview(publishReview),
  )
  api.post(path('drafts'), { summary: 'Add a draft of the report as received: receivedOn, summary; answers the review', tag: REVIEWS, body: reviewDraftInput, status: 201 }, thenReview(addDraft))
  api.post(path('recommendations'), { summary: 'Add a recommendation (numbered in order): text; answers the review', tag: REVIEWS, body: recommendationInput, status: 201 }, thenReview(addRecommendation))
  api.post(
    '/practice-reviews/:id/contributions',
    {
      summary:
        'Ask an agency for its contribution to the practice review through a named user there (contactUserId; agencyId optional), with the question and dueOn; it becomes a task for them. Answers the request (Location: /agency-contributions/{id})',
      tag: REVIEWS,
      body: contributionRequestInput,
      status: 201,
    },
    async (input) => contributionMade(input, await requestReviewContribution(input.ctx, input.params.id!, input.body)),
  )
  api.post(
    '/practice-reviews/:id/actions',
    {
      summary:
        "Agree an action for one of the review's recommendations (recommendationId), owned by an active user (ownerUserId) for their agency, due on actionDueOn; it becomes a task for them. Answers the action (Location: /review-actions/{id})",
      tag: REVIEWS,
      body: actionInput,
      status: 201,
    },
    async ({ ctx, params, body, res }) => {
      const made = await addAction(ctx, params.id!, body)
      res.location(`/api/v1/review-actions/${made.id}`)
      return getAction(ctx, made.id)
    },
  )
}

function registerRequestApi(api: ApiBuilder): void {
  const thenAction = changeThen(getAction)
  api.get(
    '/agency-contributions',
    { summary: 'The contributions to reviews your agency was asked for through you, open ones first: a page of them (offset, limit) with how many there are', tag: REQUESTS, query: pageQuery },
    async ({ ctx, query }) => pageOf(await myContributions(ctx), query),
  )
  api.get(
    '/agency-contributions/:id',
    { summary: "One contribution to a review: for the person it is addressed to (mayAnswer), or the review's members; the question and the agency's account, never the child's record", tag: REQUESTS },
    ({ ctx, params }) => getContribution(ctx, params.id!),
  )
  api.put(
    '/agency-contributions/:id',
    {
      summary:
        "Answer (or improve the answer to) a contribution addressed to you: involvement, entries (key events: on, text; kept earliest first, none in the future), learning, the contribution's version read (409 when stale); its task is done",
      tag: REQUESTS,
      body: contributionAnswerInput,
    },
    changeThen(getContribution)(answerContribution),
  )
  api.get(
    '/review-actions',
    { summary: 'The practice review actions you own for your agency, open ones first, with whether each is overdue: a page of them (offset, limit) with how many there are', tag: REQUESTS, query: pageQuery },
    async ({ ctx, query }) => pageOf(await myActions(ctx), query),
  )
  api.get(
    '/review-actions/:id',
    { summary: "A practice review action: for its owner, or the review's members; the review by title only", tag: REQUESTS },
    ({ ctx, params }) => getAction(ctx, params.id!),
  )
  api.put(
    '/review-actions/:id/evidence',
    { summary: "Give evidence that an action you own is complete: evidence, completedOn, the action's version read (409 when stale); its task is done", tag: REQUESTS, body: actionEvidenceInput },
    thenAction(giveActionEvidence),
  )
  api.put(
    '/review-actions/:id/close',
    { summary: "Close an action once its owner has given evidence (business-unit members of the review), naming the action's version read (409 when stale)", tag: REQUESTS, body: actionCloseInput },
    thenAction(closeAction),
  )
}
