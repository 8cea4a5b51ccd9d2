/**
 * Retention, legal holds and erasure (issue 18 §4) for the data protection officer (an auditor)
 * and administrators: the schedules, one record's retention date and its override, legal holds,
 * the monthly review list and the two-person erasure. The same operations are in the JSON API
 * (api.ts). No page here names a child: records are shown by kind, id and dates.
 */
import { Router, type Request, type Response } from 'express'
import { RETENTION_BASIS, RETENTION_KIND, retentionKindLabel, retentionKinds, type RetentionKind } from '../../../domain/records/retention.ts'
import { decideGeneral } from '../../../domain/access/policy.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed } from '../../../services/common/context.ts'
import {
  erasureDecisionInput,
  legalHoldInput,
  liftHoldInput,
  proposeErasureInput,
  recordTypes,
  retentionOverrideInput,
  retentionScheduleInput,
  type RetentionRecordType,
} from '../../../services/records/retention-input.ts'
import {
  decideErasure,
  erasureOf,
  erasures,
  legalHoldOf,
  legalHolds,
  liftLegalHold,
  placeLegalHold,
  proposeErasure,
  retentionOfRecord,
  retentionReview,
  retentionSchedules,
  setRetentionOverride,
  setRetentionSchedule,
} from '../../../services/records/retention.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { pagingOf, renderPaged } from '../../common/pagination.ts'
import { featureRouter, idParam } from '../../common/router.ts'
import { actorOf, requireSignIn, serviceContext } from '../../common/middleware/auth.ts'

type Values = Record<string, string>

const valuesOf = (body: unknown): Values =>
  Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'))

const kindOf = (req: Request): RetentionKind => {
  const kind = String(req.params.kind)
  if (!(retentionKinds as string[]).includes(kind)) throw new NotFound('No such kind of record')
  return kind as RetentionKind
}

const recordTypeOf = (req: Request): RetentionRecordType => {
  const t = String(req.params.recordType)
  if (!(recordTypes as readonly string[]).includes(t)) throw new NotFound('No such kind of record')
  return t as RetentionRecordType
}

/** Runs a change; a refusal the form can show is rendered by `again` with the messages, what was typed kept. */
async function attempt(res: Response, again: (errors: FormErrors, status: number) => Promise<void>, change: () => Promise<string>): Promise<void> {
  try {
    res.redirect(await change())
  } catch (err) {
    if (err instanceof ValidationFailed) return again(formErrors(err.fieldErrors), 400)
    if (err instanceof EditConflict) return again(formErrors({ form: `${err.message}. Reload the page and try again.` }), 409)
    throw err
  }
}

export function retentionRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)

  router.get('/retention', requireSignIn, async (req, res) => {
    const schedules = await retentionSchedules(ctxOf(req, res))
    res.render('retention/index.njk', { schedules, saved: req.query.saved, mayApprove: decideGeneral(actorOf(res), 'erasure:approve').allowed })
  })

  // ---- a schedule
  const renderSchedule = async (req: Request, res: Response, extra: { values?: Values; errors?: FormErrors } = {}, status = 200) => {
    const kind = kindOf(req)
    const schedule = (await retentionSchedules(ctxOf(req, res))).find((s) => s.kind === kind)!
    const values = extra.values ?? { basis: schedule.basis, years: String(Math.floor(schedule.months / 12)), months: String(schedule.months % 12), source: schedule.source, version: schedule.version ? String(schedule.version) : '' }
    res.status(status).render('retention/schedule.njk', { schedule, values, bases: RETENTION_BASIS, ...(extra.errors ? { errors: extra.errors } : {}) })
  }
  router.get('/retention/schedules/:kind', requireSignIn, (req, res) => renderSchedule(req, res))
  router.post('/retention/schedules/:kind', requireSignIn, async (req, res) => {
    const kind = kindOf(req)
    const values = valuesOf(req.body)
    const parsed = parseForm(retentionScheduleInput, { ...values, version: values.version || undefined })
    if (!parsed.ok) return renderSchedule(req, res, { values, errors: parsed.errors }, 400)
    await attempt(res, (errors, status) => renderSchedule(req, res, { values, errors }, status), async () => {
      await setRetentionSchedule(ctxOf(req, res), kind, parsed.value)
      return `/retention?saved=${kind}`
    })
  })

  // ---- one record's retention date
  const renderRecord = async (req: Request, res: Response, extra: { values?: Values; errors?: FormErrors } = {}, status = 200) => {
    const record = await retentionOfRecord(ctxOf(req, res), recordTypeOf(req), idParam(req, 'recordId'))
    res.status(status).render('retention/record.njk', { record: { ...record, label: retentionKindLabel(record.kind) }, values: extra.values ?? {}, saved: req.query.saved === '1', ...(extra.errors ? { errors: extra.errors } : {}) })
  }
  router.get('/retention/records/:recordType/:recordId', requireSignIn, (req, res) => renderRecord(req, res))
  router.post('/retention/records/:recordType/:recordId', requireSignIn, async (req, res) => {
    const values = valuesOf(req.body)
    const parsed = parseForm(retentionOverrideInput, values)
    if (!parsed.ok) return renderRecord(req, res, { values, errors: parsed.errors }, 400)
    const recordType = recordTypeOf(req)
    const recordId = idParam(req, 'recordId')
    await attempt(res, (errors, status) => renderRecord(req, res, { values, errors }, status), async () => {
      await setRetentionOverride(ctxOf(req, res), recordType, recordId, parsed.value)
      return `/retention/records/${recordType}/${recordId}?saved=1`
    })
  })

  // ---- the review list
  router.get('/retention/review', requireSignIn, async (req, res) => {
    const paging = pagingOf(req)
    const review = await retentionReview(ctxOf(req, res), paging.request)
    const pagination = paging.view(review.page)
    res.status(pagination.status).render('retention/review.njk', { ...review, items: review.page.items, total: review.page.total, pagination, proposed: req.query.proposed === '1' })
  })

  // ---- legal holds
  router.get('/retention/holds', requireSignIn, async (req, res) => {
    await renderPaged(req, res, 'retention/holds.njk', (at) => legalHolds(ctxOf(req, res), at), (page) => ({ holds: page.items, total: page.total, saved: req.query.saved }))
  })
  const renderNewHold = (res: Response, values: Values, errors?: FormErrors, status = 200) =>
    res.status(status).render('retention/hold-new.njk', { values, kinds: RETENTION_KIND, ...(errors ? { errors } : {}) })
  router.get('/retention/holds/new', requireSignIn, (req, res) => {
    decideOrRefuse(res)
    const q = req.query as Record<string, unknown>
    renderNewHold(res, { on: typeof q.on === 'string' ? q.on : '', caseId: typeof q.caseId === 'string' ? q.caseId : '', personId: typeof q.personId === 'string' ? q.personId : '' })
  })
  router.post('/retention/holds', requireSignIn, async (req, res) => {
    const values = valuesOf(req.body)
    const parsed = parseForm(legalHoldInput, values)
    if (!parsed.ok) return renderNewHold(res, values, parsed.errors, 400)
    await attempt(res, async (errors, status) => renderNewHold(res, values, errors, status), async () => {
      const id = await placeLegalHold(ctxOf(req, res), parsed.value)
      return `/retention/holds/${id}?saved=placed`
    })
  })
  const renderHold = async (req: Request, res: Response, extra: { values?: Values; errors?: FormErrors } = {}, status = 200) => {
    const hold = await legalHoldOf(ctxOf(req, res), idParam(req, 'holdId'))
    res.status(status).render('retention/hold.njk', { hold, values: extra.values ?? {}, saved: req.query.saved, ...(extra.errors ? { errors: extra.errors } : {}) })
  }
  router.get('/retention/holds/:holdId', requireSignIn, (req, res) => renderHold(req, res))
  router.post('/retention/holds/:holdId/lift', requireSignIn, async (req, res) => {
    const values = valuesOf(req.body)
    const parsed = parseForm(liftHoldInput, values)
    if (!parsed.ok) return renderHold(req, res, { values, errors: parsed.errors }, 400)
    const holdId = idParam(req, 'holdId')
    await attempt(res, (errors, status) => renderHold(req, res, { values, errors }, status), async () => {
      await liftLegalHold(ctxOf(req, res), holdId, parsed.value)
      return `/retention/holds/${holdId}?saved=lifted`
    })
  })

  // ---- erasures
  router.get('/retention/erasures', requireSignIn, async (req, res) => {
    await renderPaged(req, res, 'retention/erasures.njk', (at) => erasures(ctxOf(req, res), at), (page) => ({ erasures: page.items, total: page.total }))
  })
  router.post('/retention/erasures', requireSignIn, async (req, res) => {
    const parsed = parseForm(proposeErasureInput, valuesOf(req.body))
    const back = async (errors: FormErrors, status: number) => {
      const paging = pagingOf(req)
      const review = await retentionReview(ctxOf(req, res), paging.request)
      res.status(status).render('retention/review.njk', { ...review, items: review.page.items, total: review.page.total, pagination: paging.view(review.page), errors })
    }
    if (!parsed.ok) return back(parsed.errors, 400)
    await attempt(res, back, async () => `/retention/erasures/${await proposeErasure(ctxOf(req, res), parsed.value)}?saved=proposed`)
  })
  const renderErasure = async (req: Request, res: Response, extra: { values?: Values; errors?: FormErrors } = {}, status = 200) => {
    const e = await erasureOf(ctxOf(req, res), idParam(req, 'erasureId'))
    const actor = actorOf(res)
    const mayDecide = e.status === 'proposed' && e.proposedById !== actor.userId && decideGeneral(actor, 'erasure:approve').allowed
    res.status(status).render('retention/erasure.njk', { erasure: e, mayDecide, values: extra.values ?? {}, saved: req.query.saved, ...(extra.errors ? { errors: extra.errors } : {}) })
  }
  router.get('/retention/erasures/:erasureId', requireSignIn, (req, res) => renderErasure(req, res))
  router.post('/retention/erasures/:erasureId/decision', requireSignIn, async (req, res) => {
    const values = valuesOf(req.body)
    const parsed = parseForm(erasureDecisionInput, values)
    if (!parsed.ok) return renderErasure(req, res, { values, errors: parsed.errors }, 400)
    const erasureId = idParam(req, 'erasureId')
    await attempt(res, (errors, status) => renderErasure(req, res, { values, errors }, status), async () => {
      await decideErasure(ctxOf(req, res), erasureId, parsed.value)
      return `/retention/erasures/${erasureId}?saved=${parsed.value.decision}`
    })
  })

  return router
}

/** The hold form shows no record, but only those who may place holds see it. */
function decideOrRefuse(res: Response): void {
  const d = decideGeneral(actorOf(res), 'retention:manage')
  if (!d.allowed) throw new AccessDenied(d.reason)
}
