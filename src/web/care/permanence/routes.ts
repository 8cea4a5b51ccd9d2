/**
 * A period of care's care plan, IRO, IRO escalations and permanence, one page each (linked from the
 * looked-after page): the care plan agreed, allocating the IRO, raising and updating an escalation,
 * the decision to place for adoption, the match and adopters, its reversal, and previous
 * permanence. Each page keeps what was typed on error; changes to a record name the version read.
 */
import type { Request, Response } from 'express'
import type { z } from 'zod'
import { NotFound, type ServiceContext } from '../../../services/common/context.ts'
import {
  adoptionDecisionInput,
  adoptionMatchInput,
  adoptionReversalInput,
  carePlanInput,
  iroAllocationInput,
  iroEscalationInput,
  iroEscalationUpdate,
  previousPermanenceInput,
} from '../../../services/care/permanence-input.ts'
import {
  allocateIro,
  changeIroEscalation,
  iroCandidates,
  raiseIroEscalation,
  recordAdoptionDecision,
  recordAdoptionMatch,
  recordCarePlan,
  recordPreviousPermanence,
  reverseAdoptionDecision,
} from '../../../services/care/permanence.ts'
import { lookedAfterOfCase, type LookedAfterPage } from '../../../services/journey/looked-after.ts'
import type { AppDeps } from '../../deps.ts'
import { caseForm } from '../../common/case-forms.ts'
import type { ConflictField } from '../../common/form-helpers.ts'
import { dateFieldValues } from '../../common/form-dates.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { featureRouter, idParam } from '../../common/router.ts'
import { savePeriodPage, type PeriodPage } from '../period-page.ts'

const SECTION = 'looked-after'

const CONFLICT_FIELDS: ConflictField[] = [
  { name: 'stage', label: 'Stage' },
  { name: 'resolvedOn', label: 'Resolved' },
  { name: 'outcome', label: 'Outcome' },
  { name: 'matchedOn', label: 'Matched' },
  { name: 'ceasedOn', label: 'No longer to be placed for adoption' },
]

type Param = 'periodId' | 'escalationId' | 'decisionId'

type PermanencePage<S extends z.ZodType> = PeriodPage<S, Param>

function periodOfPage(page: LookedAfterPage, id: string, openOnly: boolean) {
  const period = page.periods.find((p) => p.id === id && (!openOnly || p.endedOn === null))
  if (!period) throw new NotFound(openOnly ? 'No open period of care with that id on this case' : 'No such period of care on this case')
  return { period, permanence: page.permanence[period.id]! }
}

function escalationOfPage(page: LookedAfterPage, id: string) {
  for (const period of page.periods) {
    const escalation = page.permanence[period.id]?.escalations.find((e) => e.id === id)
    if (escalation) return { period, escalation }
  }
  throw new NotFound('No such IRO escalation on this case')
}

function decisionOfPage(page: LookedAfterPage, id: string) {
  for (const period of page.periods) {
    const decision = page.permanence[period.id]?.adoptionDecisions.find((d) => d.id === id)
    if (decision) return { period, decision }
  }
  throw new NotFound('No such adoption decision on this case')
}

export function carePermanenceRoutes(deps: AppDeps) {
  const router = featureRouter()

  function permanencePage<S extends z.ZodType>(path: string, p: PermanencePage<S>) {
    const render = async (req: Request, res: Response, locals: Record<string, unknown>, status = 200) => {
      const ctx = serviceContext(deps, req, res)
      const page = await lookedAfterOfCase(ctx, idParam(req))
      const id = idParam(req, p.param)
      const about = p.about(page, id)
      const users = p.view === 'permanence/iro.njk' ? await iroCandidates(ctx) : []
      const action = req.originalUrl.split('?')[0]
      res.status(status).render(p.view, { c: page.c, users, action, ...about, values: p.initial(about), ...locals })
    }
    router.get(path, requireSignIn, caseForm(deps, SECTION), (req, res) => render(req, res, {}))
    router.post(path, requireSignIn, caseForm(deps, SECTION), savePeriodPage(deps, p, CONFLICT_FIELDS, render))
  }

  permanencePage('/cases/:id/looked-after/:periodId/care-plan', {
    view: 'permanence/care-plan.njk',
    param: 'periodId',
    schema: carePlanInput,
    dates: ['agreedOn'],
    about: (page, id) => periodOfPage(page, id, true),
    initial: () => ({}),
    save: (ctx, caseId, id, value) => recordCarePlan(ctx, caseId, id, value),
    done: 'care-plan',
  })

  permanencePage('/cases/:id/looked-after/:periodId/iro', {
    view: 'permanence/iro.njk',
    param: 'periodId',
    schema: iroAllocationInput,
    dates: ['fromOn'],
    about: (page, id) => periodOfPage(page, id, true),
    initial: () => ({}),
    save: (ctx, caseId, id, value) => allocateIro(ctx, caseId, id, value),
    done: 'iro',
  })

  permanencePage('/cases/:id/looked-after/:periodId/iro-escalations/new', {
    view: 'permanence/escalation.njk',
    param: 'periodId',
    schema: iroEscalationInput,
    dates: ['raisedOn'],
    about: (page, id) => periodOfPage(page, id, false),
    initial: () => ({}),
    save: (ctx, caseId, id, value) => raiseIroEscalation(ctx, caseId, id, value),
    done: 'iro-escalation',
  })

  permanencePage('/cases/:id/iro-escalations/:escalationId', {
    view: 'permanence/escalation-edit.njk',
    param: 'escalationId',
    schema: iroEscalationUpdate,
    dates: ['resolvedOn'],
    about: (page, id) => escalationOfPage(page, id),
    initial: (about) => {
      const e = about.escalation as { version: number; stage: string; resolvedOn: string | null; outcome: string | null }
      return { version: e.version, stage: e.stage, outcome: e.outcome ?? '', ...dateFieldValues('resolvedOn', e.resolvedOn) }
    },
    save: (ctx, caseId, id, value) => changeIroEscalation(ctx, caseId, id, value),
    done: 'iro-escalation-changed',
  })

  permanencePage('/cases/:id/looked-after/:periodId/adoption-decisions/new', {
    view: 'permanence/adoption-decision.njk',
    param: 'periodId',
    schema: adoptionDecisionInput,
    dates: ['decidedOn'],
    about: (page, id) => periodOfPage(page, id, true),
    initial: () => ({}),
    save: (ctx, caseId, id, value) => recordAdoptionDecision(ctx, caseId, id, value),
    done: 'adoption-decision',
  })

  permanencePage('/cases/:id/adoption-decisions/:decisionId/match', {
    view: 'permanence/adoption-match.njk',
    param: 'decisionId',
    schema: adoptionMatchInput,
    dates: ['matchedOn'],
    about: (page, id) => decisionOfPage(page, id),
    initial: (about) => ({ version: (about.decision as { version: number }).version }),
    save: (ctx, caseId, id, value) => recordAdoptionMatch(ctx, caseId, id, value),
    done: 'adoption-match',
  })

  permanencePage('/cases/:id/adoption-decisions/:decisionId/reversal', {
    view: 'permanence/adoption-reversal.njk',
    param: 'decisionId',
    schema: adoptionReversalInput,
    dates: ['ceasedOn'],
    about: (page, id) => decisionOfPage(page, id),
    initial: (about) => ({ version: (about.decision as { version: number }).version }),
    save: (ctx, caseId, id, value) => reverseAdoptionDecision(ctx, caseId, id, value),
    done: 'adoption-reversal',
  })

  permanencePage('/cases/:id/looked-after/:periodId/previous-permanence', {
    view: 'permanence/previous-permanence.njk',
    param: 'periodId',
    schema: previousPermanenceInput,
    dates: [],
    about: (page, id) => periodOfPage(page, id, false),
    initial: (about) => {
      const prev = (about.permanence as LookedAfterPage['permanence'][string]).previousPermanence
      return prev ? { prevPerm: prev.prevPerm, laPerm: prev.laPerm ?? '', datePerm: prev.datePerm ?? '' } : {}
    },
    save: (ctx, caseId, id, value) => recordPreviousPermanence(ctx, caseId, id, value),
    done: 'previous-permanence',
  })

  return router
}
