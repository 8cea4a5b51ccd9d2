/**
 * What the child protection pages share: reading ids from the path, the page data every form
 * needs (the case and its child protection records), rendering with errors, and edit conflicts.
 */
import type { Request, Response } from 'express'
import { childProtectionOf, type ChildProtectionView } from '../../../services/journey/child-protection.ts'
import { EditConflict, ValidationFailed, type ServiceContext } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import type { FormErrors } from '../../common/forms.ts'
import { serviceContext } from '../../common/middleware/auth.ts'
import { errorsFor, type Body } from './form-values.ts'
import { idParam } from '../../common/router.ts'


export type PageHandler = (req: Request, res: Response, ids: Record<string, string>, ctx: ServiceContext) => Promise<void>

/** A page handler given the path ids it names (featureRouter has checked they are UUIDs). */
export function page(deps: AppDeps, names: readonly string[], handler: PageHandler) {
  return async (req: Request, res: Response) => {
    const ids: Record<string, string> = {}
    for (const name of names) ids[name] = idParam(req, name)
    await handler(req, res, ids, serviceContext(deps, req, res))
  }
}

/** The case frame's locals from the child protection view. */
export function caseLocals(view: ChildProtectionView) {
  return { c: view.c, cp: view }
}

export interface Conflict {
  message: string
  version: number
  rows: { label: string; yours: string; saved: string }[]
}

/** What a failed save shows: field errors (400) or an edit conflict beside the saved values (409). */
export interface Failure {
  status: number
  errors: FormErrors
  conflict?: Conflict
  /** The version the form should carry now, after a conflict. */
  version?: number
}

/**
 * Turns a service refusal into what the form shows, or null for errors the error handler deals
 * with. `conflictRows` lays the user's values beside the saved record's.
 */
export function failureOf(
  err: unknown,
  dateNames: readonly string[],
  conflictRows?: (current: Record<string, unknown>) => Conflict['rows'],
): Failure | null {
  if (err instanceof ValidationFailed) return { status: 400, errors: errorsFor(err.fieldErrors, dateNames) }
  if (err instanceof EditConflict) {
    const current = err.current ?? {}
    const version = Number(current.version)
    return {
      status: 409,
      errors: errorsFor({ conflict: 'Someone else has changed this record since you opened it. Check your changes against theirs' }, []),
      conflict: { message: err.message, version, rows: conflictRows ? conflictRows(current) : [] },
      version,
    }
  }
  return null
}

/** The body's values, with a new version after a conflict so re-saving is deliberate. */
export function valuesAfter(body: Body, failure: Failure | null): Body {
  return failure?.version ? { ...body, version: String(failure.version) } : body
}

export { childProtectionOf }
