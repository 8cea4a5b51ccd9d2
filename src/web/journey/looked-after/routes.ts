/**
 * Looked after and pre-proceedings pages: the overview with the review and proceedings clocks,
 * and one page per thing recorded (became looked after, a review held, leaving care, starting
 * and changing pre-proceedings), each with its own errors.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import type { z } from 'zod'
import { labelOf, PRE_PROCEEDINGS_OUTCOME } from '../../../domain/journey/codes.ts'
import { EditConflict, NotFound, ValidationFailed } from '../../../services/common/context.ts'
import {
  lacReviewInput,
  lookedAfterEnd,
  lookedAfterStart,
  preProceedingsInput,
  preProceedingsUpdate,
} from '../../../services/journey/looked-after-input.ts'
import {
  becomeLookedAfter,
  changePreProceedings,
  endLookedAfter,
  lookedAfterOfCase,
  recordLacReview,
  startPreProceedings,
  type LookedAfterPage,
} from '../../../services/journey/looked-after.ts'
import { carersOf } from '../../../services/care/placements.ts'
import { iroCandidates } from '../../../services/care/permanence.ts'
import { carePlacementRoutes } from '../../care/placements/routes.ts'
import { carePermanenceRoutes } from '../../care/permanence/routes.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import { caseForm } from '../../common/case-forms.ts'
import {
  combineDates,
  conflictView,
  formValuesOf,
  linkDateErrors,
  type ConflictField,
  type ConflictView,
} from '../../common/form-helpers.ts'

const PP_DATES = ['decisionOn', 'letterSentOn', 'fgdmOfferedOn', 'fgdmMeetingOn', 'initialMeetingOn', 'proceedingsIssuedOn', 'endedOn'] as const

const PP_CONFLICT_FIELDS: ConflictField[] = [
  { name: 'decisionOn', label: 'Decision to start pre-proceedings' },
  { name: 'letterSentOn', label: 'Letter before proceedings sent' },
  { name: 'fgdmOffered', label: 'Family group decision-making offered' },
  { name: 'fgdmOfferedOn', label: 'Family group decision-making offered on' },
  { name: 'fgdmResponse', label: 'The family’s answer', show: (v) => (v === 'accepted' ? 'Accepted' : v === 'declined' ? 'Declined' : 'Not answered') },
  { name: 'fgdmNotOfferedReason', label: 'Why no meeting was offered' },
  { name: 'fgdmMeetingOn', label: 'Family group decision-making meeting' },
  { name: 'initialMeetingOn', label: 'Initial pre-proceedings meeting' },
  { name: 'proceedingsIssuedOn', label: 'Care proceedings issued' },
  { name: 'outcome', label: 'Outcome', show: (v) => (v ? labelOf(PRE_PROCEEDINGS_OUTCOME, v as string) : 'Not given') },
  { name: 'endedOn', label: 'Ended' },
]

/** One form page: its template, the dates it posts, and what it records. */
interface FormPage<S extends z.ZodType> {
  view: string
  schema: S
  dates: readonly string[]
  /** The page's title and the record it is about (a period or pre-proceedings), from the overview. */
  about(page: LookedAfterPage, id: string | null): Record<string, unknown>
  initial(about: Record<string, unknown>): Record<string, unknown>
  save(req: Request, res: Response, caseId: string, id: string | null, value: z.infer<S>): Promise<unknown>
  done: string
}

interface Locals {
  values: Record<string, unknown>
  errors?: FormErrors
  conflict?: ConflictView
}

function periodOf(page: LookedAfterPage, id: string | null) {
  const period = page.periods.find((p) => p.id === id)
  if (!period) throw new NotFound('No such period of care on this case')
  return period
}

function preProceedingsOf(page: LookedAfterPage, id: string | null) {
  const pp = page.preProceedings.find((p) => p.id === id)
  if (!pp) throw new NotFound('No such pre-proceedings on this case')
  return pp
}

export function lookedAfterRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)

  router.get('/cases/:id/looked-after', requireSignIn, async (req, res, next) => {
    const caseId = idParam(req)
    const page = await lookedAfterOfCase(ctxOf(req, res), caseId)
    res.render('looked-after/index.njk', {
      ...page,
      current: page.periods.find((p) => p.endedOn === null) ?? null,
      currentPp: page.preProceedings.find((p) => p.endedOn === null) ?? null,
      saved: req.query.saved,
    })
  })

  /** Registers the GET and POST of one form page at `path` (with `:recordId` when about a record). */
  function formPage<S extends z.ZodType>(path: string, p: FormPage<S>) {
    /** The case id, and the record's id when the path names one. */
    const ids = (req: Request) => ({ caseId: idParam(req), id: req.params.recordId === undefined ? null : idParam(req, 'recordId') })
    const render = async (req: Request, res: Response, caseId: string, id: string | null, locals: Partial<Locals>, status = 200) => {
      const page = await lookedAfterOfCase(ctxOf(req, res), caseId)
      const about = p.about(page, id)
      const carers = p.view === 'looked-after/start.njk' ? await carersOf(ctxOf(req, res)) : []
      const chairs = p.view === 'looked-after/review.njk' ? await iroCandidates(ctxOf(req, res)) : []
      res.status(status).render(p.view, { c: page.c, clocks: page.clocks, carers, chairs, ...about, values: locals.values ?? p.initial(about), ...locals })
    }

    router.get(path, requireSignIn, caseForm(deps, 'looked-after'), async (req, res) => {
      const { caseId, id } = ids(req)
      await render(req, res, caseId, id, {})
    })

    router.post(path, requireSignIn, caseForm(deps, 'looked-after'), async (req, res) => {
      const { caseId, id } = ids(req)
      const parsed = parseForm(p.schema, combineDates(req.body, p.dates))
      if (!parsed.ok) return render(req, res, caseId, id, { values: req.body, errors: linkDateErrors(parsed.errors, p.dates) }, 400)
      try {
        await p.save(req, res, caseId, id, parsed.value)
      } catch (err) {
        if (err instanceof ValidationFailed) {
          return render(req, res, caseId, id, { values: req.body, errors: linkDateErrors(formErrors(err.fieldErrors), p.dates) }, 400)
        }
        if (err instanceof EditConflict) {
          const conflict = conflictView(err, parsed.value as Record<string, unknown>, PP_CONFLICT_FIELDS)
          return render(req, res, caseId, id, { values: { ...req.body, version: conflict.version }, conflict }, 409)
        }
        throw err
      }
      await discardSentDraft(serviceContext(deps, req, res), req.body)
      res.redirect(`/cases/${caseId}/looked-after?saved=${p.done}`)
    })
  }

  formPage('/cases/:id/looked-after/start', {
    view: 'looked-after/start.njk',
    schema: lookedAfterStart,
    dates: ['startedOn'],
    about: () => ({}),
    initial: () => ({}),
    save: (req, res, caseId, _id, value) => becomeLookedAfter(ctxOf(req, res), caseId, value),
    done: 'started',
  })

  formPage('/cases/:id/looked-after/:recordId/review', {
    view: 'looked-after/review.njk',
    schema: lacReviewInput,
    dates: ['heldOn'],
    about: (page, id) => ({ period: periodOf(page, id) }),
    initial: () => ({}),
    save: (req, res, caseId, id, value) => recordLacReview(ctxOf(req, res), caseId, id!, value),
    done: 'review',
  })

  formPage('/cases/:id/looked-after/:recordId/end', {
    view: 'looked-after/end.njk',
    schema: lookedAfterEnd,
    dates: ['endedOn'],
    about: (page, id) => ({ period: periodOf(page, id) }),
    initial: (about) => ({ version: (about.period as { version: number }).version }),
    save: (req, res, caseId, id, value) => endLookedAfter(ctxOf(req, res), caseId, id!, value),
    done: 'ended',
  })

  formPage('/cases/:id/pre-proceedings/new', {
    view: 'looked-after/pre-proceedings.njk',
    schema: preProceedingsInput,
    dates: PP_DATES,
    about: () => ({ pp: null }),
    initial: () => ({}),
    save: (req, res, caseId, _id, value) => startPreProceedings(ctxOf(req, res), caseId, value),
    done: 'pre-proceedings',
  })

  formPage('/cases/:id/pre-proceedings/:recordId', {
    view: 'looked-after/pre-proceedings.njk',
    schema: preProceedingsUpdate,
    dates: PP_DATES,
    about: (page, id) => ({ pp: preProceedingsOf(page, id) }),
    initial: (about) => formValuesOf({ ...(about.pp as Record<string, unknown>) }, PP_DATES),
    save: (req, res, caseId, id, value) => changePreProceedings(ctxOf(req, res), caseId, id!, value),
    done: 'pre-proceedings-changed',
  })

  // A period of care's legal statuses, placements and temporary moves (web/care/placements).
  router.use(carePlacementRoutes(deps))
  router.use(carePermanenceRoutes(deps))
  return router
}
