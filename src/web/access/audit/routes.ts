import { Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { accessHistoryForPerson, breakGlassAccesses, findPeopleForAudit } from '../../../services/access/audit.ts'
import { accountChanges } from '../../../services/access/account-audit.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'

/** The auditor's pages: who has looked at a child's record, when and why; break-glass use. */
export function auditRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  router.get('/audit', requireSignIn, async (req, res) => {
    const ctx = serviceContext(deps, req, res)
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : undefined
    if (q === undefined) return res.render('audit/index.njk', {})
    if (q.length < 2) {
      return res.status(400).render('audit/index.njk', {
        q,
        errors: formErrors({ q: 'Enter at least 2 characters of a name, or a 10-digit NHS number' }),
      })
    }
    const people = await findPeopleForAudit(ctx, q)
    res.render('audit/index.njk', { q, people })
  })

  router.get('/audit/people/:id', requireSignIn, async (req, res, next) => {
    const id = idParam(req)
    const { subject, entries } = await accessHistoryForPerson(serviceContext(deps, req, res), id)
    res.render('audit/person.njk', { subject, entries })
  })

  router.get('/audit/accounts', requireSignIn, async (req, res) => {
    const entries = await accountChanges(serviceContext(deps, req, res))
    res.render('audit/accounts.njk', { entries })
  })

  router.get('/audit/break-glass', requireSignIn, async (req, res) => {
    const entries = await breakGlassAccesses(serviceContext(deps, req, res))
    res.render('audit/break-glass.njk', { entries })
  })

  return router
}
