/**
 * The partnership's carers (issue 19): the list with how many children are placed with each (no
 * child's name), a page to add one, and each carer's page with the form to correct it for those
 * who may (services/care/carers.ts); the API the same. Another partnership's carer is a 404.
 */
import { Router, type Request, type Response } from 'express'
import { carerInput, carerUpdate } from '../../../services/care/carers-input.ts'
import { createCarer, listCarers, mayEditCarers, mayRecord, readCarer, updateCarer } from '../../../services/care/carers.ts'
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { conflictView, type ConflictField } from '../../common/form-helpers.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { featureRouter, idParam } from '../../common/router.ts'

const PATH = '/care/carers'

const CONFLICT_FIELDS: ConflictField[] = [
  { name: 'name', label: 'Name' },
  { name: 'kind', label: 'Kind' },
  { name: 'urn', label: 'Ofsted URN' },
]

interface Failed {
  values: Record<string, unknown>
  errors?: FormErrors
  conflict?: ReturnType<typeof conflictView>
}

export function carerRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  router.get(PATH, requireSignIn, async (req, res) => {
    const carers = await listCarers(serviceContext(deps, req, res))
    res.render('carers/list.njk', { carers })
  })

  const newPage = async (req: Request, res: Response, failed?: Failed) => {
    mayRecord(serviceContext(deps, req, res))
    res.status(failed ? 400 : 200).render('carers/new.njk', { values: failed?.values ?? {}, errors: failed?.errors })
  }
  router.get(`${PATH}/new`, requireSignIn, (req, res) => newPage(req, res))
  router.post(`${PATH}/new`, requireSignIn, async (req, res) => {
    const ctx = serviceContext(deps, req, res)
    const parsed = parseForm(carerInput, req.body)
    if (!parsed.ok) return newPage(req, res, { values: req.body, errors: parsed.errors })
    try {
      const added = await createCarer(ctx, parsed.value)
      res.redirect(`${PATH}/${added.id}?added=1`)
    } catch (err) {
      if (err instanceof ValidationFailed) return newPage(req, res, { values: req.body, errors: formErrors(err.fieldErrors) })
      throw err
    }
  })

  const carerPage = async (req: Request, res: Response, failed?: Failed) => {
    const ctx = serviceContext(deps, req, res)
    const carer = await readCarer(ctx, idParam(req, 'carerId'))
    const values = failed ? { ...failed.values, version: failed.conflict?.version ?? failed.values.version } : carer
    res.status(failed ? (failed.conflict ? 409 : 400) : 200).render('carers/carer.njk', {
      carer,
      mayEdit: mayEditCarers(ctx),
      values,
      errors: failed?.errors,
      conflict: failed?.conflict,
      saved: req.query.saved === '1',
      added: req.query.added === '1',
    })
  }
  router.get(`${PATH}/:carerId`, requireSignIn, (req, res) => carerPage(req, res))
  router.post(`${PATH}/:carerId`, requireSignIn, async (req, res) => {
    const ctx = serviceContext(deps, req, res)
    const carerId = idParam(req, 'carerId')
    const parsed = parseForm(carerUpdate, req.body)
    // (carerPage reads the carer first: another partnership's is a 404 before any error is shown.)
    if (!parsed.ok) return carerPage(req, res, { values: req.body, errors: parsed.errors })
    try {
      await updateCarer(ctx, carerId, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return carerPage(req, res, { values: req.body, errors: formErrors(err.fieldErrors) })
      if (err instanceof EditConflict) return carerPage(req, res, { values: req.body, conflict: conflictView(err, parsed.value, CONFLICT_FIELDS) })
      throw err
    }
    res.redirect(`${PATH}/${carerId}?saved=1`)
  })
  return router
}

export function registerCarerApi(api: ApiBuilder): void {
  const tag = 'Looked after'
  api.get(
    '/carers',
    { summary: "The partnership's carers and settings by name, each with how many children are placed with them now and in all (counts only; those who record placements and their managers)", tag },
    ({ ctx }) => listCarers(ctx),
  )
  api.post(
    '/carers',
    { summary: 'Add a carer or setting: name, kind (CARER_KIND) and optional Ofsted URN (6 to 8 letters and digits, XXXXXXX when not known)', tag, body: carerInput, status: 201 },
    ({ ctx, body }) => createCarer(ctx, body),
  )
  api.get(
    '/carers/:carerId',
    { summary: 'One of the partnership’s carers, with how many children are placed with them now and in all; another partnership’s is not found', tag },
    ({ ctx, params }) => readCarer(ctx, params.carerId!),
  )
  api.put(
    '/carers/:carerId',
    { summary: 'Correct a carer’s name, kind and Ofsted URN from the version read (a stale version is a 409); team managers and administrators', tag, body: carerUpdate },
    ({ ctx, params, body }) => updateCarer(ctx, params.carerId!, body),
  )
}
