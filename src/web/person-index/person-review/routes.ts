/**
 * The review queue of possible duplicates (/person-review): each pair side by side with the
 * matcher's reasons, "same person" (link) and "not the same person"; a linked pair can be undone
 * (unlink) from the decided list. Needs `person:review`.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import { reviewDecisionInput, unlinkInput } from '../../../services/person-index/review-input.ts'
import { linkReview, listReviews, rejectReview, unlinkRecord, REVIEW_PAGE_SIZE } from '../../../services/person-index/review.ts'
import { listsPagingOf } from '../../common/pagination.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'

const DONE: Record<string, string> = {
  linked: 'The record was linked to the person.',
  'awaiting-second':
    'Your decision is recorded. The person has a child protection plan or has been looked after, so a second reviewer must agree before the record is linked.',
  'not-same': 'Recorded as not the same person. The pair will not be suggested again.',
  unlinked: 'The record was unlinked and is back with the person it belonged to before.',
}

/** Linked records a page shows (each a line with its unlink form). */
const LINKED_PAGE_SIZE = 10

export function personReviewRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  const render = async (req: Request, res: Response, extra: { errors?: FormErrors; conflict?: string } = {}, status = 200) => {
    const ctx = serviceContext(deps, req, res)
    // The queue and the linked records page each by its own parameter (?openPage=2).
    const paging = listsPagingOf(req, ['open', 'linked'] as const, { open: REVIEW_PAGE_SIZE, linked: LINKED_PAGE_SIZE }, (list) => `#${list}-pairs`)
    const open = await listReviews(ctx, { page: paging.requests.open })
    const linked = await listReviews(ctx, { status: 'linked', page: paging.requests.linked })
    const { pagination, status: pageStatus } = paging.view({ open, linked })
    res.status(status === 200 ? pageStatus : status).render('person-review/index.njk', { open, linked, pagination, done: DONE[String(req.query.done)], ...extra })
  }

  router.get('/person-review', requireSignIn, (req, res) => render(req, res))

  const decide = (action: 'link' | 'not-same') => async (req: Request, res: Response, next: () => void) => {
    const id = idParam(req)
    const parsed = parseForm(reviewDecisionInput, req.body)
    if (!parsed.ok) return render(req, res, { errors: parsed.errors }, 400)
    let outcome: string = action
    try {
      const ctx = serviceContext(deps, req, res)
      if (action === 'link') outcome = await linkReview(ctx, id, parsed.value)
      else await rejectReview(ctx, id, parsed.value)
    } catch (err) {
      if (err instanceof EditConflict) return render(req, res, { conflict: err.message }, 409)
      if (err instanceof ValidationFailed) return render(req, res, { errors: formErrors(err.fieldErrors) }, 400)
      throw err
    }
    res.redirect(303, `/person-review?done=${outcome}`)
  }

  router.post('/person-review/:id/link', requireSignIn, decide('link'))
  router.post('/person-review/:id/not-same', requireSignIn, decide('not-same'))

  router.post('/person-review/records/:id/unlink', requireSignIn, async (req, res, next) => {
    const id = idParam(req)
    const parsed = parseForm(unlinkInput, req.body)
    if (!parsed.ok) return render(req, res, { errors: parsed.errors }, 400)
    try {
      await unlinkRecord(serviceContext(deps, req, res), id, parsed.value.reason)
    } catch (err) {
      if (err instanceof ValidationFailed) return render(req, res, { errors: formErrors(err.fieldErrors) }, 400)
      throw err
    }
    res.redirect(303, '/person-review?done=unlinked')
  })

  return router
}
