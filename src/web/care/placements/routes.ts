/**
 * A period of care's events, one page each (shown from the looked-after page): a change of legal
 * status, a new home postcode, a move to a new placement, a temporary move and the return from it, and corrections to a
 * placement's details (from the version read). Each page keeps what was typed on error.
 */
import type { Request, Response } from 'express'
import type { z } from 'zod'
import { NotFound } from '../../../services/common/context.ts'
import {
  homePostcodeInput,
  legalStatusChangeInput,
  placementMoveInput,
  placementUpdate,
  temporaryMoveInput,
  temporaryReturnInput,
} from '../../../services/care/care-input.ts'
import {
  carersOf,
  changeLegalStatus,
  changePlacement,
  endTemporaryMove,
  movePlacement,
  recordHomePostcode,
  startTemporaryMove,
} from '../../../services/care/placements.ts'
import { teamStability } from '../../../services/care/stability.ts'
import { lookedAfterOfCase, type LookedAfterPage } from '../../../services/journey/looked-after.ts'
import type { AppDeps } from '../../deps.ts'
import { caseForm } from '../../common/case-forms.ts'
import type { ConflictField } from '../../common/form-helpers.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { featureRouter, idParam } from '../../common/router.ts'
import { savePeriodPage, type PeriodPage } from '../period-page.ts'

const SECTION = 'looked-after'

const PLACEMENT_CONFLICT_FIELDS: ConflictField[] = [
  { name: 'provider', label: 'Who provides it' },
  { name: 'carerId', label: 'Carer or setting' },
  { name: 'postcode', label: 'Postcode' },
  { name: 'urn', label: 'Ofsted URN' },
  { name: 'endReason', label: 'Why it ended' },
]

type CarePage<S extends z.ZodType> = PeriodPage<S, 'periodId' | 'placementId'>

function openPeriod(page: LookedAfterPage, id: string) {
  const period = page.periods.find((p) => p.id === id && p.endedOn === null)
  if (!period) throw new NotFound('No open period of care with that id on this case')
  return { period, care: page.care[period.id]! }
}

function placementOfPage(page: LookedAfterPage, id: string) {
  for (const period of page.periods) {
    const placement = page.care[period.id]?.placements.find((p) => p.id === id)
    if (placement) return { period, placement }
  }
  throw new NotFound('No such placement on this case')
}

export function carePlacementRoutes(deps: AppDeps) {
  const router = featureRouter()

  function carePage<S extends z.ZodType>(path: string, p: CarePage<S>) {
    const render = async (req: Request, res: Response, locals: Record<string, unknown>, status = 200) => {
      const ctx = serviceContext(deps, req, res)
      const page = await lookedAfterOfCase(ctx, idParam(req))
      const about = p.about(page, idParam(req, p.param))
      const carers = await carersOf(ctx)
      res.status(status).render(p.view, { c: page.c, carers, ...about, values: p.initial(about), ...locals })
    }
    router.get(path, requireSignIn, caseForm(deps, SECTION), (req, res) => render(req, res, {}))
    router.post(path, requireSignIn, caseForm(deps, SECTION), savePeriodPage(deps, p, PLACEMENT_CONFLICT_FIELDS, render))
  }

  carePage('/cases/:id/looked-after/:periodId/legal-status', {
    param: 'periodId',
    view: 'placements/legal-status.njk',
    schema: legalStatusChangeInput,
    dates: ['fromOn'],
    about: (page, id) => openPeriod(page, id),
    initial: () => ({}),
    save: (ctx, caseId, id, value) => changeLegalStatus(ctx, caseId, id, value),
    done: 'legal-status',
  })

  carePage('/cases/:id/looked-after/:periodId/home-postcode', {
    param: 'periodId',
    view: 'placements/home-postcode.njk',
    schema: homePostcodeInput,
    dates: ['fromOn'],
    about: (page, id) => openPeriod(page, id),
    initial: () => ({}),
    save: (ctx, caseId, id, value) => recordHomePostcode(ctx, caseId, id, value),
    done: 'home-postcode',
  })

  carePage('/cases/:id/looked-after/:periodId/placements/new', {
    param: 'periodId',
    view: 'placements/move.njk',
    schema: placementMoveInput,
    dates: ['startedOn'],
    about: (page, id) => openPeriod(page, id),
    initial: () => ({}),
    save: (ctx, caseId, id, value) => movePlacement(ctx, caseId, id, value),
    done: 'placement',
  })

  carePage('/cases/:id/looked-after/:periodId/temporary-moves/new', {
    param: 'periodId',
    view: 'placements/temporary.njk',
    schema: temporaryMoveInput,
    dates: ['startedOn', 'endedOn'],
    about: (page, id) => openPeriod(page, id),
    initial: () => ({}),
    save: (ctx, caseId, id, value) => startTemporaryMove(ctx, caseId, id, value),
    done: 'temporary',
  })

  carePage('/cases/:id/placements/:placementId/return', {
    param: 'placementId',
    view: 'placements/return.njk',
    schema: temporaryReturnInput,
    dates: ['endedOn'],
    about: (page, id) => {
      const found = placementOfPage(page, id)
      if (!found.placement.interruptsId || found.placement.endedOn) throw new NotFound('No temporary move still running with that id on this case')
      return found
    },
    initial: (about) => ({ version: (about.placement as { version: number }).version }),
    save: (ctx, caseId, id, value) => endTemporaryMove(ctx, caseId, id, value),
    done: 'returned',
  })

  carePage('/cases/:id/placements/:placementId', {
    param: 'placementId',
    view: 'placements/edit.njk',
    schema: placementUpdate,
    dates: [],
    about: (page, id) => placementOfPage(page, id),
    initial: (about) => {
      const p = about.placement as Record<string, unknown>
      return { version: p.version, provider: p.provider ?? '', carerId: p.carerId ?? '', placementPostcode: p.postcode, urn: p.urn ?? '', endReason: p.endReason ?? '' }
    },
    save: (ctx, caseId, id, value) => changePlacement(ctx, caseId, id, value),
    done: 'placement-changed',
  })

  /** The team's placement stability measures (children named link to their looked-after page). */
  router.get('/care/placement-stability', requireSignIn, async (req, res) => {
    res.render('placements/stability.njk', { view: await teamStability(serviceContext(deps, req, res)) })
  })

  return router
}
