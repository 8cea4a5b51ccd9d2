/**
 * Closing a child-in-need episode (issue 16, item 7): a confirmation page that shows what is still
 * open on the episode and the case (plans, section 47 enquiries, assessments, tasks), refuses while
 * a plan is open (end it first), says when a team manager must close it (the partnership's local
 * rules), and closes only when the user confirms. The case's contacts page links here.
 */
import type { Request, Response } from 'express'
import { z } from 'zod'
import { featureRouter, idParam } from '../../common/router.ts'
import { episodeClosureInput } from '../../../services/journey/front-door-input.ts'
import { closeEpisode, episodeClosure } from '../../../services/journey/episodes.ts'
import { londonDate } from '../../../domain/timescales/calendar/london-time.ts'
import type { AppDeps } from '../../deps.ts'
import type { FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { caseForm } from '../../common/case-forms.ts'
import { failureOf, pageErrors, parsePosted, splitDates, withDates } from '../assessments/form-helpers.ts'
import { conflictRows, type ConflictRow } from '../assessments/routes.ts'

const DATES = ['closureDate']
const FORM_ID = 'close-form'

/** The page's form: the closure and the user's confirmation that they have checked what is still open. */
export const confirmedClosureInput = episodeClosureInput.extend({
  confirmed: z.literal('yes', { error: 'Confirm that you have checked what is still open and want to close the episode' }),
})

const CONFLICT_FIELDS = [
  { name: 'closureDate', label: 'Closure date', date: true },
  { name: 'closureReason', label: 'Reason for closure' },
]

/** The id of the message saying what stops the closure, shown instead of the form. */
const BLOCKED_ID = 'closure-blocked'

/** Points the error summary's links that go to `from` to `to` instead. */
function relink(errors: FormErrors | undefined, from: string, to: string): FormErrors | undefined {
  return errors && { ...errors, list: errors.list.map((e) => (e.href === from ? { ...e, href: to } : e)) }
}

export function episodeRoutes(deps: AppDeps) {
  const router = featureRouter()

  type State = { values?: Record<string, unknown>; errors?: FormErrors; status?: number; conflict?: { message: string; rows: ConflictRow[] } }
  const render = async (req: Request, res: Response, state: State = {}) => {
    const ctx = serviceContext(deps, req, res)
    const view = await episodeClosure(ctx, idParam(req), idParam(req, 'episodeId'))
    const blockers = Object.keys(view.blockers).length > 0 && !state.errors ? pageErrors(view.blockers, DATES, FORM_ID) : undefined
    res.status(state.status ?? 200).render('episodes/close.njk', {
      ...view,
      section: 'contacts',
      values: splitDates(state.values ?? { closureDate: londonDate(ctx.now()), version: view.episode.version }, DATES),
      // The primary need is set on the contacts page; while something stops the closure the form
      // is not shown, so the refusal links to the message saying what instead.
      errors: relink(
        relink(state.errors ?? blockers, '#primaryNeed', `/cases/${view.c.id}/contacts#primaryNeed-${view.episode.id}`),
        `#${FORM_ID}`,
        view.blockers.form ? `#${BLOCKED_ID}` : `#${FORM_ID}`,
      ),
      conflict: state.conflict,
    })
  }

  router.get('/cases/:id/episodes/:episodeId/close', requireSignIn, caseForm(deps, 'contacts'), async (req, res) => {
    await render(req, res)
  })

  router.post('/cases/:id/episodes/:episodeId/close', requireSignIn, caseForm(deps, 'contacts'), async (req, res) => {
    const caseId = idParam(req)
    const parsed = parsePosted(confirmedClosureInput, req.body, DATES, FORM_ID)
    if (!parsed.ok) return render(req, res, { values: req.body, errors: parsed.errors, status: 400 })
    try {
      const { confirmed: _, ...input } = parsed.value
      await closeEpisode(serviceContext(deps, req, res), caseId, idParam(req, 'episodeId'), input)
    } catch (err) {
      const failure = failureOf(err, DATES, FORM_ID)
      if (!failure) throw err
      const current = failure.conflict?.current
      const conflict = failure.conflict && {
        message: failure.conflict.message,
        rows: conflictRows(CONFLICT_FIELDS, withDates(req.body, DATES), current ?? {}),
      }
      const values = current ? { ...req.body, version: current.version } : req.body
      return render(req, res, { values, errors: failure.errors, status: failure.status, conflict })
    }
    res.redirect(303, `/cases/${caseId}/contacts?saved=closed`)
  })

  return router
}
