/** Clocks that always ask why (JSON API): the same operations as the pages, through the same services. */
import { clockDelay, setClockDelay, teamLateReasons } from '../../../services/journey/clock-delays.ts'
import { delayReasonInput } from '../../../services/journey/clock-delays-input.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { incidentDelayInput } from '../../../services/partnership/incident-input.ts'
import { explainIncidentDelay, getIncident } from '../../../services/partnership/incidents.ts'
import { ladoDelayInput } from '../../../services/partnership/lado/input.ts'
import { explainLadoDelay } from '../../../services/partnership/lado/cases.ts'
import { reviewDelayInput } from '../../../services/partnership/review-input.ts'
import { explainReviewDelay, getReview } from '../../../services/partnership/practice-reviews.ts'
import { darDelayInput } from '../../../services/partnership/dar-review-input.ts'
import { explainDarDelay, getDarReview } from '../../../services/partnership/dar-reviews.ts'

export function registerClockDelayApi(api: ApiBuilder): void {
  const path = '/cases/:caseId/clocks/:clockId/delay-reason'
  api.get(path, { summary: "A case clock with its reason for delay: delayReasonCode (DELAY_REASON), delayReason (the words), version, late", tag: 'Timescales' }, async ({ ctx, params }) =>
    (await clockDelay(ctx, params.caseId!, params.clockId!)).clock,
  )
  api.put(
    path,
    {
      caseAction: 'case:update',
      summary:
        "Give or change the reason a case clock was late (or is running late): reasonCode (DELAY_REASON), reason (words; required for 'other'), the clock's version read (a stale one is 409); only for a clock past its due date (422 otherwise); audited",
      tag: 'Timescales',
      body: delayReasonInput,
    },
    ({ ctx, params, body }) => setClockDelay(ctx, params.caseId!, params.clockId!, body),
  )
  api.get(
    '/team/late-reasons',
    { summary: "The user's team's timescales completed late in the last 12 months, counted by coded reason for delay (team managers)", tag: 'Timescales' },
    ({ ctx }) => teamLateReasons(ctx),
  )
}

/**
 * The partnership records' late timescales explained afterwards: a serious incident's notification
 * or rapid review (the business unit working on it), a referral to the designated officer or a case
 * concluded after 12 months (the designated officer's team), and a practice review's or a death review's decision or completion
 * (their members), through the same services as their pages.
 */
export function registerRecordDelayApi(api: ApiBuilder): void {
  api.put(
    '/serious-incidents/:id/late-reason',
    {
      summary:
        "Give or change the reason a serious incident's notification or rapid review was late: timescale ('notification' or 'rapid-review'), reasonCode (DELAY_REASON), reason (words; required for 'other'), the incident's version read (409 when stale); answers the incident as GET /serious-incidents/{id} does",
      tag: 'Timescales',
      body: incidentDelayInput,
    },
    // Answered with the incident as its GET shows it: the child's case id only where the policy shows the child.
    async ({ ctx, params, body }) => (await explainIncidentDelay(ctx, params.id!, body), getIncident(ctx, params.id!)),
  )
  api.put(
    '/lado-cases/:id/late-reason',
    {
      summary:
        "Give or change the reason a referral to the designated officer was late (timescale 'referral') or the case was concluded after 12 months (timescale 'resolution'): reasonCode (DELAY_REASON), reason (words), the case's version read (409 when stale)",
      tag: 'Timescales',
      body: ladoDelayInput,
    },
    ({ ctx, params, body }) => explainLadoDelay(ctx, params.id!, body),
  )
  api.put(
    '/practice-reviews/:id/late-reason',
    {
      summary:
        "Give or change the reason a serious case review's decision was late (timescale 'decision') or a practice review was completed late (timescale 'completion'; a local review: published after its due date): reasonCode (DELAY_REASON), reason (words; required for 'other'), the review's version read (409 when stale); answers the review as GET /practice-reviews/{id} does",
      tag: 'Timescales',
      body: reviewDelayInput,
    },
    async ({ ctx, params, body }) => (await explainReviewDelay(ctx, params.id!, body), getReview(ctx, params.id!)),
  )
  api.put(
    '/dar-reviews/:id/late-reason',
    {
      summary:
        "Give or change the reason a domestic abuse related death review's decision was late (timescale 'decision') or the review was completed late (timescale 'completion': its report sent to the Home Office after the due date): reasonCode (DELAY_REASON), reason (words), the review's version read (409 when stale); answers the review",
      tag: 'Timescales',
      body: darDelayInput,
    },
    async ({ ctx, params, body }) => (await explainDarDelay(ctx, params.id!, body), getDarReview(ctx, params.id!)),
  )
}
