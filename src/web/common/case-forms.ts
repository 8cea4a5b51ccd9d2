/**
 * Pages of forms that change a case. Before the form is rendered, the action its save needs is
 * decided for the case named in the path (requireCaseAction, through the case gateway), so a user
 * who may only read the case is answered 403 (a restricted record they are unrelated to: 404)
 * instead of being shown a form whose save would be refused. Every GET of a case form takes this
 * middleware after requireSignIn; `src/web/journey/cases/case-forms.test.ts` checks them all from
 * the route table.
 */
import type { NextFunction, Request, Response } from 'express'
import type { RecordAction } from '../../domain/access/policy.ts'
import { requireCaseAction } from '../../services/journey/case-records.ts'
import type { AppDeps } from '../deps.ts'
import { serviceContext } from './middleware/auth.ts'
import { idParam } from './router.ts'

/** Refuses the form page unless the user may do `action` (the form's save) on the case `:id`. */
export function caseForm(deps: AppDeps, section: string, action: RecordAction = 'case:update') {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    await requireCaseAction(serviceContext(deps, req, res), idParam(req), action, section)
    next()
  }
}
