/**
 * Forms that change a case. Before the form is rendered (its GET), and before its fields are read
 * (its POST), the action its save needs is decided for the case named in the path
 * (requireCaseAction, through the case gateway), so a user who may only read the case is answered
 * 403 (a restricted record they are unrelated to: 404), audited, instead of being shown a form, or
 * the form's validation errors, for a save that would be refused. Every GET of a case form and
 * every POST under /cases/:id/ (but break-glass, which is how access is gained) takes this
 * middleware after requireSignIn; `src/web/journey/cases/case-forms.test.ts` checks them all from
 * the route table, where the action each route declares can be read (`declaredCaseAction`).
 */
import type { NextFunction, Request, Response } from 'express'
import type { RecordAction } from '../../domain/access/policy.ts'
import { requireCaseAction } from '../../services/journey/case-records.ts'
import type { AppDeps } from '../deps.ts'
import { serviceContext } from './middleware/auth.ts'
import type { RouteEntry } from './route-table.ts'
import { idParam } from './router.ts'

/** The action each caseForm middleware decides, so a route's declaration can be read from its handlers. */
const declared = new WeakMap<object, RecordAction>()

/** Refuses the form (page or save) unless the user may do `action` (the form's save) on the case `:id`. */
export function caseForm(deps: AppDeps, section: string, action: RecordAction = 'case:update') {
  const decide = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    await requireCaseAction(serviceContext(deps, req, res), idParam(req), action, section)
    next()
  }
  declared.set(decide, action)
  return decide
}

/**
 * The action a route of the route table declares with caseForm, if it does so before its last
 * handler (the one that reads the form).
 */
export function declaredCaseAction(route: RouteEntry): RecordAction | undefined {
  for (const handler of route.handlers.slice(0, -1)) {
    const action = declared.get(handler)
    if (action) return action
  }
  return undefined
}
