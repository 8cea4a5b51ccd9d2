/**
 * Allegations against people who work with children (LADO): the designated officer's list of
 * open cases, the referral form, a case's page (children, meetings, outcome), and the resolution
 * against targets report. The employer's named contact opens their case read only; everyone
 * else is refused by the service (403, audited).
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { decideGeneral } from '../../../domain/access/policy.ts'
import { addMonths, addDays } from '../../../domain/timescales/calendar/iso-date.ts'
import type { ServiceContext } from '../../../services/common/context.ts'
import { addLadoChild, addLadoMeeting, explainLadoDelay, getLadoCase, ladoTargetsReport, listLadoCases, recordLadoOutcome, recordLadoReferral, LADO_LISTS, LADO_LIST_PAGE_SIZE } from '../../../services/partnership/lado/cases.ts'
import { listsPagingOf } from '../../common/pagination.ts'
import { ladoChildInput, ladoDelayInput, ladoMeetingInput, ladoOutcomeInput, ladoReferralInput, ladoReportInput } from '../../../services/partnership/lado/input.ts'
import { requireGeneral } from '../../../services/partnership/access.ts'
import { partnershipAgencies, partnershipPeople } from '../../../services/partnership/people.ts'
import type { AppDeps } from '../../deps.ts'
import { dateFieldValues, dateFromFields } from '../../common/form-dates.ts'
import { parseForm } from '../../common/forms.ts'
import { linkDateErrors } from '../../common/form-helpers.ts'
import { actorOf, requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { formHandler, idsOf, recordForms, type Problem } from '../partnership/forms.ts'
import { londonDate } from '../../../domain/timescales/calendar/london-time.ts'
import { idParam } from '../../common/router.ts'
import { documentSummariesOfOwner } from '../../../services/partnership/documents.ts'

async function renderCase(ctx: ServiceContext, req: Request, res: Response, problem?: Problem, status = 200) {
  const view = await getLadoCase(ctx, idParam(req))
  const { owner: documentsOwner, documents } = await documentSummariesOfOwner(ctx, { kind: 'lado-case', id: idParam(req) })
  res.status(status).render('lado/case.njk', { ...view, documents, documentsOwner, problem, errors: problem?.errors, saved: req.query.saved })
}

export function ladoRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)

  router.get('/partnership/lado', requireSignIn, async (req, res) => {
    const actor = actorOf(res)
    // Each list pages by its own parameter (?concludedPage=2), keeping the others' pages.
    const paging = listsPagingOf(req, LADO_LISTS, LADO_LIST_PAGE_SIZE, (list) => (list === 'asContact' ? '#lado-contact' : `#lado-${list}`))
    const lists = await listLadoCases(ctxOf(req, res), paging.requests)
    const { pagination, status } = paging.view(lists)
    res.status(status).render('lado/index.njk', {
      ...lists,
      pagination,
      may: { refer: decideGeneral(actor, 'lado:refer').allowed, report: decideGeneral(actor, 'lado:report').allowed },
    })
  })

  const renderNew = async (ctx: ServiceContext, _req: Request, res: Response, problem?: Problem, status = 200) => {
    requireGeneral(ctx, 'lado:refer')
    res.status(status).render('lado/new.njk', {
      values: problem?.values ?? {},
      errors: problem?.errors,
      agencies: await partnershipAgencies(ctx),
      people: await partnershipPeople(ctx),
    })
  }
  router.get('/partnership/lado/new', requireSignIn, (req, res) => renderNew(ctxOf(req, res), req, res))
  router.post('/partnership/lado/new', requireSignIn, formHandler(deps, {
    form: 'referral', schema: ladoReferralInput, dates: ['knownOn', 'referredOn'], rerender: renderNew,
    run: async (ctx, value) => `/partnership/lado/${(await recordLadoReferral(ctx, value)).id}?saved=recorded`,
  }))

  router.get('/partnership/lado/report', requireSignIn, async (req, res) => {
    const ctx = ctxOf(req, res)
    requireGeneral(ctx, 'lado:report')
    const query = req.query as Record<string, unknown>
    const today = londonDate(ctx.now())
    const given = query['from-year'] !== undefined
    const values = given ? query : { ...dateFieldValues('from', addDays(addMonths(today, -12), 1)), ...dateFieldValues('to', today) }
    const parsed = parseForm(ladoReportInput, { from: dateFromFields(values, 'from'), to: dateFromFields(values, 'to') })
    if (!parsed.ok) {
      return res.status(400).render('lado/report.njk', { values, errors: linkDateErrors(parsed.errors, ['from', 'to']) })
    }
    res.render('lado/report.njk', { values, report: await ladoTargetsReport(ctx, parsed.value.from, parsed.value.to) })
  })

  router.get('/partnership/lado/:id', requireSignIn, async (req, res, next) => {
    if (!idsOf(req)) return next()
    await renderCase(ctxOf(req, res), req, res)
  })
  const form = recordForms(router, deps, '/partnership/lado', renderCase)
  form('children', { form: 'child', schema: ladoChildInput, saved: 'child', run: addLadoChild })
  form('meetings', { form: 'meeting', schema: ladoMeetingInput, dates: ['heldOn'], saved: 'meeting', run: addLadoMeeting })
  form('outcome', { form: 'outcome', schema: ladoOutcomeInput, dates: ['outcomeOn'], saved: 'outcome', run: recordLadoOutcome })
  form('late-reason', { form: 'late-reason', schema: ladoDelayInput, saved: 'late-reason', run: explainLadoDelay })
  return router
}
