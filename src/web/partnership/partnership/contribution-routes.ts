/**
 * Requests addressed to the signed-in user (agency contributions), and answering one. The key
 * events are rows of a date input and what happened; "Add another event" shows one more row
 * without saving, so the form works without JavaScript.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { EditConflict, ValidationFailed, type ServiceContext } from '../../../services/common/context.ts'
import { contributionAnswerInput } from '../../../services/partnership/incident-input.ts'
import { answerContribution, getContribution } from '../../../services/partnership/contributions.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import type { FormErrors } from '../../common/forms.ts'
import { compactRows, errorsFor, parseWith, rowCount, rowValues, type Body, type RowList } from '../../journey/child-protection/form-values.ts'
import { idsOf } from './forms.ts'
import { discardSentDraft } from '../../common/drafts.ts'

const ENTRIES: RowList = { name: 'entries', fields: ['text'], dates: ['on'] }
/** Rows shown at least: enough for a few events before anyone needs "Add another event". */
const MIN_ROWS = 3

interface Shown {
  values: Body
  rows: number
  errors?: FormErrors
  focusRow?: number
}

async function renderContribution(ctx: ServiceContext, req: Request, res: Response, shown?: Shown, status = 200) {
  const contribution = await getContribution(ctx, idParam(req))
  const stored: Shown = {
    values: { involvement: contribution.involvement ?? '', learning: contribution.learning ?? '', version: contribution.version, ...rowValues('entries', contribution.entries.map((e) => ({ ...e })), ['on']) },
    rows: Math.max(MIN_ROWS, contribution.entries.length + 1),
  }
  const { values, rows, errors, focusRow } = shown ?? stored
  res.status(status).render('partnership/contribution.njk', {
    contribution,
    values: { ...values, version: values.version ?? contribution.version },
    rows,
    focusRow: focusRow ?? -1,
    errors,
    saved: req.query.saved,
  })
}

/** Messages of a key event's fields say which event they are about. */
function withEventNumbers(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, message]) => {
      const row = /^entries-(\d+)-/.exec(key)
      return [key, row ? `Event ${Number(row[1]) + 1}: ${message}` : message]
    }),
  )
}

export function contributionRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  router.get('/partnership/contributions/:id', requireSignIn, async (req, res, next) => {
    if (!idsOf(req)) return next()
    await renderContribution(serviceContext(deps, req, res), req, res)
  })
  router.post('/partnership/contributions/:id', requireSignIn, async (req, res, next) => {
    if (!idsOf(req)) return next()
    const ctx = serviceContext(deps, req, res)
    const { body, rows: entries } = compactRows(req.body as Body, ENTRIES)
    const rows = rowCount(req.body as Body, 'entries', entries.length, MIN_ROWS)
    const again = (fields: Record<string, string>, status: number) =>
      renderContribution(ctx, req, res, { values: body, rows, errors: errorsFor(withEventNumbers(fields), ['on']) }, status)
    if (body.addRow === 'entries') return renderContribution(ctx, req, res, { values: body, rows, focusRow: rows - 1 })
    const parsed = parseWith(contributionAnswerInput, { ...body, entries })
    if (!parsed.ok) return again(parsed.fields, 400)
    try {
      await answerContribution(ctx, idParam(req), parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return again(err.fieldErrors, 400)
      if (err instanceof EditConflict) return again({ version: `${err.message} Reload the page to see the changes.` }, 409)
      throw err
    }
    await discardSentDraft(ctx, req.body)
    res.redirect(`/partnership/contributions/${idParam(req)}?saved=answered`)
  })
  return router
}
