/** Requests addressed to the signed-in user (agency contributions), and answering one. */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { formatDatedEntries } from '../../../domain/partnership/dated-entries.ts'
import type { ServiceContext } from '../../../services/common/context.ts'
import { contributionAnswerInput } from '../../../services/partnership/incident-input.ts'
import { answerContribution, getContribution } from '../../../services/partnership/contributions.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { formHandler, idsOf, type Problem } from './forms.ts'
import { idParam } from '../../common/router.ts'

async function renderContribution(ctx: ServiceContext, req: Request, res: Response, problem?: Problem, status = 200) {
  const contribution = await getContribution(ctx, idParam(req))
  const stored = {
    involvement: contribution.involvement ?? '',
    entries: formatDatedEntries(contribution.entries),
    learning: contribution.learning ?? '',
    version: contribution.version,
  }
  res.status(status).render('partnership/contribution.njk', {
    contribution,
    values: problem ? { ...problem.values, version: problem.values.version ?? contribution.version } : stored,
    errors: problem?.errors,
    saved: req.query.saved,
  })
}

export function contributionRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  router.get('/partnership/contributions/:id', requireSignIn, async (req, res, next) => {
    if (!idsOf(req)) return next()
    await renderContribution(serviceContext(deps, req, res), req, res)
  })
  router.post('/partnership/contributions/:id', requireSignIn, formHandler(deps, {
    form: 'answer', schema: contributionAnswerInput, rerender: renderContribution,
    run: async (ctx, value, req) => (await answerContribution(ctx, idParam(req), value), `/partnership/contributions/${idParam(req)}?saved=answered`),
  }))
  return router
}
