/**
 * Administrators set the partnership's local timescale rules. Each rule is a limit and a unit;
 * leaving the limit empty keeps the national default. The page also sets whether closing an
 * episode needs a manager, and the format of the LA child IDs Together gives. Saving changes only
 * the settings the page shows (merged over what is stored), as GET and PATCH /api/v1/local-rules do.
 */
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import { featureRouter } from '../../common/router.ts'
import { decideGeneral } from '../../../domain/access/policy.ts'
import {
  describeDuration,
  TIMESCALE_UNITS,
  localRuleChangesSchema,
  type LocalRuleChanges,
  type LocalRuleKey,
} from '../../../domain/timescales/index.ts'
import { laChildIdFormatProblem } from '../../../domain/journey/la-child-id.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import { changeLocalRules, getLocalRules } from '../../../services/timescales/local-rules.ts'
import type { AppDeps } from '../../deps.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { version } from '../../../services/common/fields-input.ts'
import { actorOf, requireSignIn, serviceContext } from '../../common/middleware/auth.ts'

export const LOCAL_RULE_LABELS: Record<LocalRuleKey, string> = {
  firstCoreGroup: 'First core group meeting, from the initial child protection conference',
  coreGroupCadence: 'Core group meetings, from one to the next',
  childProtectionVisits: 'Visits to a child on a child protection plan, from one to the next',
  strategyDiscussion: 'Strategy discussion, from the decision to hold one',
  transferInConference: 'Transfer-in conference, from notice that a child on a plan has moved in',
  advanceNotice: 'Publishing a practice review, no sooner than this after the advance copy to the Panel',
  section11Cycle: 'Section 11 audits, from one cycle to the next',
  prebirthConference: 'Pre-birth child protection conference, in weeks of pregnancy (from the expected date of delivery less 40 weeks)',
}

const UNIT_LABELS: Record<(typeof TIMESCALE_UNITS)[number], string> = {
  'working-days': 'working days',
  days: 'calendar days',
  weeks: 'weeks',
  months: 'months',
  hours: 'hours',
}

type Values = Record<string, string>

/** The posted form: the version the page read, and one text per other field (a limit, a unit). */
const localRulesForm = z.object({ version }).catchall(z.string({ error: 'Send each field once, as text' }))

/** What was posted, as text, to show again in the form (a repeated field shows none). */
const formValues = (body: unknown): Values =>
  Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'))

export const EPISODE_CLOSURE_LABEL = 'Closing an episode needs a manager’s authorisation'
export const LA_CHILD_ID_FORMAT_LABEL = 'Format of the LA child IDs Together gives'

/**
 * Reads the form into changes of the settings it shows (an empty limit: back to the default), with
 * a message per field for anything that is not a limit. A setting the form does not send is left
 * as it is.
 */
function parseChanges(body: Values): { changes: LocalRuleChanges; errors: Record<string, string> } {
  const changes: Record<string, { limit: number; unit: (typeof TIMESCALE_UNITS)[number] } | boolean | string | null> = {}
  const errors: Record<string, string> = {}
  const closure = body.episodeClosureAuthorisation
  if (closure === 'yes' || closure === 'no') changes.episodeClosureAuthorisation = closure === 'yes'
  else if (closure !== undefined) errors.episodeClosureAuthorisation = `${EPISODE_CLOSURE_LABEL}: select yes or no`
  const format = body.laChildIdFormat?.trim()
  if (format === '') changes.laChildIdFormat = null
  else if (format !== undefined) {
    const problem = laChildIdFormatProblem(format)
    if (problem) errors.laChildIdFormat = `${LA_CHILD_ID_FORMAT_LABEL}: ${problem}`
    else changes.laChildIdFormat = format
  }
  for (const key of Object.keys(LOCAL_RULE_LABELS) as LocalRuleKey[]) {
    const limitText = (body[`${key}-limit`] ?? '').trim()
    const unit = body[`${key}-unit`] ?? ''
    if (body[`${key}-limit`] === undefined) continue
    if (limitText === '') {
      changes[key] = null
      continue
    }
    const limit = Number(limitText)
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 999) {
      errors[`${key}-limit`] = `${LOCAL_RULE_LABELS[key]}: enter a whole number from 1 to 999, or leave it empty for the default`
      continue
    }
    if (!(TIMESCALE_UNITS as readonly string[]).includes(unit)) {
      errors[`${key}-unit`] = `${LOCAL_RULE_LABELS[key]}: select a unit`
      continue
    }
    changes[key] = { limit, unit: unit as (typeof TIMESCALE_UNITS)[number] }
  }
  return { changes: changes as LocalRuleChanges, errors }
}

export function localRuleRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const path = '/admin/local-rules'

  const requireAdmin = (_req: Request, res: Response, next: () => void) => {
    const d = decideGeneral(actorOf(res), 'organisation:manage')
    if (!d.allowed) throw new AccessDenied(d.reason)
    next()
  }

  const render = async (req: Request, res: Response, extra: { values?: Values; errors?: FormErrors } = {}, status = 200) => {
    const current = await getLocalRules(serviceContext(deps, req, res))
    const values: Values =
      extra.values ??
      Object.fromEntries(
        (Object.keys(LOCAL_RULE_LABELS) as LocalRuleKey[]).flatMap((key) => [
          [`${key}-limit`, current.overrides[key] ? String(current.overrides[key].limit) : ''],
          [`${key}-unit`, current.overrides[key]?.unit ?? current.defaults[key].unit],
        ]).concat([
          ['episodeClosureAuthorisation', current.settings.episodeClosureAuthorisation ? 'yes' : 'no'],
          ['laChildIdFormat', current.overrides.laChildIdFormat ?? ''],
        ]),
      )
    const rules = (Object.keys(LOCAL_RULE_LABELS) as LocalRuleKey[]).map((key) => ({
      key,
      label: LOCAL_RULE_LABELS[key],
      defaultText: describeDuration(current.defaults[key]),
      units: TIMESCALE_UNITS.map((u) => ({ value: u, text: UNIT_LABELS[u], selected: values[`${key}-unit`] === u })),
    }))
    res.status(status).render('local-rules/form.njk', {
      rules,
      episodeClosureLabel: EPISODE_CLOSURE_LABEL,
      laChildIdFormatLabel: LA_CHILD_ID_FORMAT_LABEL,
      laChildIdFormatDefault: current.defaults.laChildIdFormat,
      values,
      version: extra.values?.version ?? current.version,
      saved: req.query.saved === '1',
      ...(extra.errors ? { errors: extra.errors } : {}),
    })
  }

  router.get(path, requireSignIn, requireAdmin, (req, res) => render(req, res))

  router.post(path, requireSignIn, requireAdmin, async (req, res) => {
    // The shared parsing refuses a repeated field, a non-numeric version and unstorable text.
    const parsed = parseForm(localRulesForm, req.body)
    if (!parsed.ok) return render(req, res, { values: formValues(req.body), errors: parsed.errors }, 400)
    const { version: readVersion, ...fields } = parsed.value as { version: number } & Values
    const body: Values = { ...fields, version: String(readVersion) }
    const { changes, errors } = parseChanges(body)
    if (Object.keys(errors).length > 0) return render(req, res, { values: body, errors: formErrors(errors) }, 400)
    try {
      await changeLocalRules(serviceContext(deps, req, res), changes, readVersion)
    } catch (err) {
      if (err instanceof EditConflict) {
        return render(req, res, { values: body, errors: formErrors({ form: `${err.message}. Reload the page and make your changes again.` }) }, 409)
      }
      if (err instanceof ValidationFailed) return render(req, res, { values: body, errors: formErrors(err.fieldErrors) }, 400)
      throw err
    }
    res.redirect(`${path}?saved=1`)
  })

  return router
}

/** The same as the page: everyone signed in reads the settings; an administrator changes some of them. */
export function registerLocalRulesApi(api: ApiBuilder): void {
  api.get('/local-rules', { summary: "The partnership's local rules: its settings, its own overrides, the defaults and the version to name when changing them", tag: 'Timescales' }, ({ ctx }) =>
    getLocalRules(ctx),
  )
  api.patch(
    '/local-rules',
    {
      summary: "Change some of the partnership's local rules (administrators; name the version you read): a setting given is set, null returns it to its default, a setting left out is kept",
      tag: 'Timescales',
      body: z.object({ version, changes: localRuleChangesSchema }).strict(),
    },
    async ({ ctx, body }) => {
      await changeLocalRules(ctx, body.changes, body.version)
      return getLocalRules(ctx)
    },
  )
}
