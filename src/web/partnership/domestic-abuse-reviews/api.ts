/**
 * Domestic abuse related death reviews in the JSON API: the same operations as their pages under
 * /partnership/dar-reviews, through the same services and policy (the review's members read it,
 * business-unit members change it). Another partnership's review is a 404, a refusal a 403, a
 * stale version a 409.
 */
import { pageQuery } from '../../../services/common/paging.ts'
import {
  darChairInput,
  darDecisionInput,
  darLinkInput,
  darPublicationInput,
  darReportInput,
  darReviewInput,
  darTimelineInput,
} from '../../../services/partnership/dar-review-input.ts'
import {
  addDarMember,
  addDarTimelineEntry,
  appointDarChair,
  getDarReview,
  linkDarToPracticeReview,
  listDarReviews,
  publishDarReview,
  recordDarDecision,
  recordDarReport,
  recordDarReview,
} from '../../../services/partnership/dar-reviews.ts'
import { memberInput } from '../../../services/partnership/incident-input.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { changeThen } from '../partnership/api.ts'

const tag = 'Death reviews'
const VERSIONED = "naming the review's version read (409 when stale)"

export function registerDarReviewApi(api: ApiBuilder): void {
  const thenReview = changeThen(getDarReview)
  api.get(
    '/dar-reviews',
    { summary: 'The domestic abuse related death reviews you work on, newest notification first, with their clocks: a page of them (offset, limit) with how many there are', tag, query: pageQuery },
    ({ ctx, query }) => listDarReviews(ctx, query),
  )
  api.post(
    '/dar-reviews',
    {
      summary:
        'Record a death the police notified to the community safety partnership (the business unit): cspName, deceased (a pseudonym), deceasedAge (16 or over), deathOn, notifiedOn, suicide (a death by suicide where there was domestic abuse), circumstances; you lead the review',
      tag,
      body: darReviewInput,
      status: 201,
    },
    async ({ ctx, body, res }) => {
      const made = await recordDarReview(ctx, body)
      res.location(`/api/v1/dar-reviews/${made.id}`)
      return getDarReview(ctx, made.id)
    },
  )
  api.get(
    '/dar-reviews/:id',
    {
      summary:
        'A domestic abuse related death review (its members): the review, its timeline, clocks and members, the practice review it is linked to (its title only if you work on that one too) and the practice reviews you could link it to',
      tag,
    },
    ({ ctx, params }) => getDarReview(ctx, params.id!),
  )
  const path = (part: string) => `/dar-reviews/:id/${part}`
  api.put(
    path('decision'),
    { summary: `Record the community safety partnership's decision: decision (DAR_DECISION), decisionReasons, decidedOn, decisionNotifiedOn (the Home Office told), lateReasonCode (DELAY_REASON) and lateReason (words) when the decision came after its due date (422 without the code), ${VERSIONED}`, tag, body: darDecisionInput },
    thenReview(recordDarDecision),
  )
  api.put(path('chair'), { summary: `Appoint the independent chair (after a decision to review): chair, chairAppointedOn, scope, ${VERSIONED}`, tag, body: darChairInput }, thenReview(appointDarChair))
  api.post(
    path('timeline'),
    { summary: `Add a dated event to the review's timeline (a panel meeting, for example): entryOn, entry, ${VERSIONED}`, tag, body: darTimelineInput, status: 201 },
    thenReview(addDarTimelineEntry),
  )
  api.put(
    path('report'),
    {
      summary: `Record the overview report: reportCompletedOn, reportSummary, homeOfficeSentOn, commissionerCopyOn, lateReasonCode (DELAY_REASON; required when sent to the Home Office past its clock) and lateReason (words), ${VERSIONED}`,
      tag,
      body: darReportInput,
    },
    thenReview(recordDarReport),
  )
  api.put(path('publication'), { summary: `Record the review's publication (after the report): publishedOn, ${VERSIONED}`, tag, body: darPublicationInput }, thenReview(publishDarReview))
  api.put(
    path('link'),
    { summary: `Link the review to a child safeguarding practice review about the same family that you work on (reviewId), ${VERSIONED}`, tag, body: darLinkInput },
    thenReview(linkDarToPracticeReview),
  )
  api.post(
    path('members'),
    { summary: 'Add an active user of the partnership (userId) to the people working on the review (business-unit members); answers the review', tag, body: memberInput, status: 201 },
    thenReview((ctx, id, value: { userId: string }) => addDarMember(ctx, id, value.userId)),
  )
}
