import { Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { accessHistoryForPerson, breakGlassAccesses, findPeopleForAudit, ACCESS_HISTORY_PAGE_SIZE } from '../../../services/access/audit.ts'
import { accountChanges, ACCOUNT_CHANGES_PAGE_SIZE } from '../../../services/access/account-audit.ts'
import { pagingOf } from '../../common/pagination.ts'
import type { AppDeps } from '../../deps.ts'
import { fieldMessages, formErrors } from '../../common/forms.ts'
import { dateFromFields } from '../../common/form-dates.ts'
import { pickDateFields } from '../../common/period-query.ts'
import { accessHistoryFilter } from '../../../services/access/audit-input.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { whoCanSeePerson } from '../../../services/journey/case-access-admin.ts'

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
    const { people, total } = await findPeopleForAudit(ctx, q)
    res.render('audit/index.njk', { q, people, matched: total })
  })

  router.get('/audit/people/:id', requireSignIn, async (req, res) => {
    const id = idParam(req)
    const query = req.query as Record<string, unknown>
    const values = { ...pickDateFields(query), user: typeof query.user === 'string' ? query.user : '' }
    const parsed = accessHistoryFilter.safeParse({ from: dateFromFields(query, 'from'), to: dateFromFields(query, 'to'), userId: values.user, page: query.page })
    const ctx = serviceContext(deps, req, res)
    if (!parsed.success) {
      const history = await accessHistoryForPerson(ctx, id)
      const errors = fieldMessages(parsed.error)
      if (errors.userId) errors.user = errors.userId
      return res.status(400).render('audit/person.njk', { ...history, personId: id, values, errors: formErrors(errors), entries: [], filtered: true })
    }
    const history = await accessHistoryForPerson(ctx, id, parsed.data)
    // Shown beside the history, whose own audit entry (audit.person-history.view) records this view.
    const access = await whoCanSeePerson(ctx, id, false)
    const filter = parsed.data
    const pageLink = (page: number) =>
      `/audit/people/${id}?${new URLSearchParams({ ...values, page: String(page) }).toString()}`
    res.render('audit/person.njk', {
      ...history,
      access,
      personId: id,
      values,
      filtered: Boolean(filter.from || filter.to || filter.userId),
      previous: history.page > 1 ? pageLink(history.page - 1) : null,
      next: history.page < history.pages ? pageLink(history.page + 1) : null,
    })
  })

  router.get('/audit/accounts', requireSignIn, async (req, res) => {
    const paging = pagingOf(req, ACCOUNT_CHANGES_PAGE_SIZE)
    const page = await accountChanges(serviceContext(deps, req, res), paging.request)
    const pagination = paging.view(page)
    res.status(pagination.status).render('audit/accounts.njk', { entries: page.items, total: page.total, pagination })
  })

  router.get('/audit/break-glass', requireSignIn, async (req, res) => {
    const paging = pagingOf(req, ACCESS_HISTORY_PAGE_SIZE)
    const page = await breakGlassAccesses(serviceContext(deps, req, res), paging.request)
    const pagination = paging.view(page)
    res.status(pagination.status).render('audit/break-glass.njk', { entries: page.items, total: page.total, pagination })
  })

  return router
}
