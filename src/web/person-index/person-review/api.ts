/** The person index in the JSON API: matching, and the review queue's list and decisions. */
import { linkReview, listReviews, rejectReview, unlinkRecord } from '../../../services/person-index/review.ts'
import { matchQueryInput, reviewDecisionInput, unlinkInput } from '../../../services/person-index/review-input.ts'
import { matchPeople } from '../../../services/person-index/search.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { pageQuery } from '../../../services/common/paging.ts'

const tag = 'Person index'

export function registerPersonReviewApi(api: ApiBuilder): void {
  api.get('/person-index/matches', {
    summary: 'Candidates for a person across every agency’s records, best first (at most 10), each with a band (certain, probable, possible, unlikely), a score in bits and per-field reasons; restricted people only counted',
    tag,
    query: matchQueryInput,
  }, ({ ctx, query }) => matchPeople(ctx, query))

  api.get(
    '/person-index/reviews',
    {
      summary:
        'Possible duplicates still to decide (open, or awaiting a second reviewer), oldest first: a source record, the person it may belong to, and why; a page of them (offset, limit) with how many there are',
      tag,
      query: pageQuery,
    },
    ({ ctx, query }) => listReviews(ctx, { page: query }),
  )

  api.post('/person-index/reviews/:id/link', {
    summary: 'Same person: link the record to the candidate person (name the version you read). When either person has a child protection plan or has been looked after, the first call answers status "awaiting-second" and a different reviewer’s call links',
    tag,
    body: reviewDecisionInput,
  }, async ({ ctx, params, body }) => ({ status: await linkReview(ctx, params.id!, body) }))

  api.post('/person-index/reviews/:id/not-same', { summary: 'Not the same person: the pair is never suggested again', tag, body: reviewDecisionInput }, async ({ ctx, params, body }) => {
    await rejectReview(ctx, params.id!, body)
    return { status: 'not-same' }
  })

  api.post('/person-index/records/:id/unlink', { summary: 'Unlink a source record from its person; it returns to the person it belonged to before', tag, body: unlinkInput }, ({ ctx, params, body }) =>
    unlinkRecord(ctx, params.id!, body.reason),
  )
}
