/**
 * The authority's area (issue 19): the administrator's page and API for the partnership's LA code
 * and the postcode lookup's upper-tier area that decides whether a placement is inside the
 * authority (care/authority-area.ts). No child's details.
 */
import { Router, type Request, type Response } from 'express'
import { authorityAreaInput } from '../../../services/care/authority-area-input.ts'
import { authorityAreaSettings, setAuthorityAreaSettings } from '../../../services/care/authority-area.ts'
import { ValidationFailed } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { featureRouter } from '../../common/router.ts'

const PATH = '/admin/authority-area'

export function authorityAreaRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const page = async (req: Request, res: Response, failed?: { values: Record<string, unknown>; errors: FormErrors }) => {
    const settings = await authorityAreaSettings(serviceContext(deps, req, res))
    res.status(failed ? 400 : 200).render('authority-area/index.njk', { settings, values: failed?.values ?? settings, errors: failed?.errors, saved: req.query.saved === '1' })
  }
  router.get(PATH, requireSignIn, (req, res) => page(req, res))
  router.post(PATH, requireSignIn, async (req, res) => {
    const ctx = serviceContext(deps, req, res)
    await authorityAreaSettings(ctx) // refuses anyone but an administrator before the form is read
    const parsed = parseForm(authorityAreaInput, req.body)
    if (!parsed.ok) return page(req, res, { values: req.body, errors: parsed.errors })
    try {
      await setAuthorityAreaSettings(ctx, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return page(req, res, { values: req.body, errors: formErrors(err.fieldErrors) })
      throw err
    }
    res.redirect(`${PATH}?saved=1`)
  })
  return router
}

export function registerAuthorityAreaApi(api: ApiBuilder): void {
  const tag = 'Looked after'
  api.get(
    '/authority-area',
    { summary: "The authority's LA code (3 digits) and the postcode lookup's upper-tier area that decides whether a placement is inside the authority, with the areas to choose from (administrators)", tag },
    ({ ctx }) => authorityAreaSettings(ctx),
  )
  api.put(
    '/authority-area',
    { summary: "Set the authority's LA code and area (administrators; the area one of the postcode lookup's)", tag, body: authorityAreaInput },
    ({ ctx, body }) => setAuthorityAreaSettings(ctx, body),
  )
}
