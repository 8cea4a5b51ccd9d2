/**
 * The chronology page of a child's case: filters (kinds, agency, dates, "as known at") sent as a
 * GET form so a filtered chronology is a link that can be shared or printed; `print=1` renders
 * the same chronology without the case navigation and with every filter stated at the top.
 */
import { Router, type Request } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { CHRONOLOGY_KIND } from '../../../domain/journey/chronology.ts'
import { isIsoDate } from '../../../domain/timescales/calendar/iso-date.ts'
import { chronology, chronologyQuery, filtersOf, type ChronologyQuery } from '../../../services/journey/chronology.ts'
import { pageOf } from '../../../services/common/paging.ts'
import type { AppDeps } from '../../deps.ts'
import { pagingOf } from '../../common/pagination.ts'
import { fieldMessages, formErrors, type FormErrors } from '../../common/forms.ts'
import { actorOf, requireSignIn, serviceContext } from '../../common/middleware/auth.ts'


/** The date inputs of the filter form and what each is called in error messages. */
const DATE_FIELDS = { asKnownAt: '“As known at”', from: '“From”', to: '“To”' } as const
type DateField = keyof typeof DATE_FIELDS

type Query = Request['query']

/** Entries on a page of the chronology: each can be several lines, so fewer than most lists. */
const CHRONOLOGY_PAGE_SIZE = 20
const one = (v: unknown): string => (typeof v === 'string' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim() : '')

/** A govukDateInput's three fields as 'YYYY-MM-DD'; undefined when all are blank; null when not a real date. */
export function dateFromFields(query: Query, name: string): string | undefined | null {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => one(query[`${name}-${part}`]))
  if (!day && !month && !year) return undefined
  if (!/^\d{1,2}$/.test(day!) || !/^\d{1,2}$/.test(month!) || !/^\d{4}$/.test(year!)) return null
  const iso = `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`
  return isIsoDate(iso) ? iso : null
}

interface FilterForm {
  /** What the user typed, to show back in the form. */
  values: Record<string, unknown>
  query: ChronologyQuery
  errors?: FormErrors
}

/** Reads the filter form; a field that fails is left out of the filters and reported. */
export function readFilterForm(query: Query): FilterForm {
  const fieldErrors: Record<string, string> = {}
  const input: Record<string, unknown> = { kinds: query.kinds, agency: one(query.agency) }
  for (const [name, label] of Object.entries(DATE_FIELDS)) {
    const date = dateFromFields(query, name)
    if (date === null) fieldErrors[name] = `${label} must be a real date`
    else input[name] = date
  }
  const parsed = chronologyQuery.safeParse(input)
  let value: ChronologyQuery = {}
  if (parsed.success) value = parsed.data
  else {
    Object.assign(fieldErrors, { ...fieldMessages(parsed.error), ...fieldErrors })
    const retry = chronologyQuery.safeParse(Object.fromEntries(Object.entries(input).filter(([k]) => !(k in fieldErrors))))
    if (retry.success) value = retry.data
  }
  const dateValues = Object.fromEntries(
    (Object.keys(DATE_FIELDS) as DateField[]).map((name) => [
      name,
      { day: one(query[`${name}-day`]), month: one(query[`${name}-month`]), year: one(query[`${name}-year`]) },
    ]),
  )
  return {
    values: { ...dateValues, kinds: value.kinds ?? [], agency: value.agency ?? '' },
    query: value,
    ...(Object.keys(fieldErrors).length > 0 ? { errors: formErrors(fieldErrors) } : {}),
  }
}

/** The same page with `print=1`, or without it. */
function withPrint(req: Request, print: boolean): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(req.query)) {
    if (key === 'print' || key === 'page') continue
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') params.append(key, v)
  }
  if (print) params.set('print', '1')
  const qs = params.toString()
  return `${req.path}${qs ? `?${qs}` : ''}`
}

export function chronologyRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  router.get('/cases/:id/chronology', requireSignIn, async (req, res, next) => {
    const id = idParam(req)
    const form = readFilterForm(req.query)
    const print = req.query.print === '1'
    // The printout holds every entry that matches; the page shows them 20 at a time.
    const paging = pagingOf(req, CHRONOLOGY_PAGE_SIZE)
    const view = await chronology(serviceContext(deps, req, res), id, filtersOf(form.query))
    const page = pageOf(view.entries, print ? { offset: 0, limit: Math.max(1, view.entries.length) } : paging.request)
    const pagination = paging.view(page)
    // A filter naming nothing of the partnership (another partnership's agency) is left out and reported.
    const refused = Object.keys(view.refused).length > 0
    const errors = refused ? formErrors({ ...form.errors?.fields, ...view.refused }) : form.errors
    const values = refused ? { ...form.values, ...Object.fromEntries(Object.keys(view.refused).map((k) => [k, ''])) } : form.values
    const printed = print && !errors
    res.status(errors ? 400 : printed ? 200 : pagination.status).render(printed ? 'chronology/print.njk' : 'chronology/index.njk', {
      c: view.case,
      section: 'chronology',
      view,
      entries: page.items,
      pagination,
      values,
      errors,
      kinds: CHRONOLOGY_KIND,
      kindLabels: Object.fromEntries(CHRONOLOGY_KIND.map((k) => [k.code, k.label])),
      agencyName: view.agencies.find((a) => a.id === form.query.agency)?.name ?? null,
      printHref: withPrint(req, true),
      backHref: withPrint(req, false),
      clearHref: req.path,
      printedAt: deps.now(),
      printedBy: actorOf(res).displayName,
    })
  })

  return router
}
