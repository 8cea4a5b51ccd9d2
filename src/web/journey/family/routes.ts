/**
 * Family network pages: the child's relationships as a table and as a genogram (inline SVG, no
 * script; the table is its text alternative), adding someone (found by name or new), changing
 * and ending a relationship.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { layoutGenogram } from '../../../domain/journey/genogram.ts'
import { labelOf, RELATIONSHIP_KIND } from '../../../domain/journey/codes.ts'
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import {
  familyMemberInput,
  memberRelationshipInput,
  newPersonInput,
  personSearchQuery,
  relationshipEnd,
  relationshipUpdate,
} from '../../../services/journey/family-input.ts'
import {
  addFamilyMember,
  addMemberRelationship,
  changeRelationship,
  endRelationship,
  familyOfCase,
  getRelationship,
  searchPeopleForFamily,
  type Family,
  type PersonChoice,
} from '../../../services/journey/family.ts'
import { openCaseFrame } from '../../../services/journey/case-notes.ts'
import type { AppDeps } from '../../deps.ts'
import { fieldMessages, formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { caseForm } from '../../common/case-forms.ts'
import {
  combineDates,
  conflictView,
  formValuesOf,
  linkDateErrors,
  type ConflictField,
} from '../../common/form-helpers.ts'

const PERSON_DATES = ['dateOfBirth'] as const
const END_DATES = ['endedOn'] as const

const CONFLICT_FIELDS: ConflictField[] = [
  { name: 'kind', label: 'Relationship', show: (v) => labelOf(RELATIONSHIP_KIND, v as string) },
  { name: 'sameHousehold', label: 'Lives in the child’s household' },
  { name: 'parentalResponsibility', label: 'Parental responsibility' },
  { name: 'notes', label: 'Notes' },
  { name: 'endedOn', label: 'Ended' },
]

/** The genogram of the current relationships (ended ones are in the table only). */
export function genogramOf(family: Pick<Family, 'child' | 'relationships'> & Partial<Pick<Family, 'memberRelationships'>>) {
  const { child } = family
  return layoutGenogram({
    child: { id: child.id, name: `${child.givenName} ${child.familyName}`, sex: child.sex },
    relations: family.relationships
      .filter((r) => r.endedOn === null)
      .map((r) => ({
        id: r.relatedPersonId,
        name: `${r.givenName} ${r.familyName}`,
        sex: r.sex,
        kind: r.kind,
        sameHousehold: r.sameHousehold,
        parentalResponsibility: r.parentalResponsibility,
      })),
    links: (family.memberRelationships ?? [])
      .filter((r) => r.endedOn === null)
      .map((r) => ({ personId: r.personId, relatedId: r.relatedPersonId, kind: r.kind })),
  })
}

/**
 * The add form posts the relationship and either `personChoice` = a person's id, or 'new' with
 * the new person's fields; errors of both parts are keyed by the form's own field names.
 */
function parseNewMember(body: Record<string, unknown>) {
  const choice = typeof body.personChoice === 'string' && body.personChoice !== '' ? body.personChoice : 'new'
  const errors: Record<string, string> = {}
  let person: unknown
  if (choice === 'new') {
    const parsed = newPersonInput.safeParse(combineDates(body, PERSON_DATES))
    if (parsed.success) person = parsed.data
    else Object.assign(errors, fieldMessages(parsed.error))
  }
  const member = familyMemberInput.safeParse({
    ...body,
    personId: choice === 'new' ? undefined : choice,
    person: choice === 'new' ? (person ?? { givenName: 'x', familyName: 'x' }) : undefined,
  })
  if (!member.success) Object.assign(errors, fieldMessages(member.error))
  if (errors.personId) errors.personChoice = errors.personId
  delete errors.personId
  if (Object.keys(errors).length > 0) return { ok: false as const, errors: linkDateErrors(formErrors(errors), PERSON_DATES) }
  return { ok: true as const, value: member.data! }
}

export function familyRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  const renderFamily = async (req: Request, res: Response, caseId: string, locals: { values?: Record<string, unknown>; errors?: FormErrors } = {}, status = 200) => {
    const family = await familyOfCase(serviceContext(deps, req, res), caseId)
    res.status(status).render('family/index.njk', { ...family, genogramLayout: genogramOf(family), saved: req.query.saved, values: {}, ...locals })
  }

  router.get('/cases/:id/family', requireSignIn, async (req, res, next) => {
    await renderFamily(req, res, idParam(req))
  })

  // A relationship between two members of the network (the form under the family table).
  router.post('/cases/:id/family/links', requireSignIn, caseForm(deps, 'family'), async (req, res, next) => {
    const caseId = idParam(req)
    const parsed = parseForm(memberRelationshipInput, req.body)
    if (!parsed.ok) return renderFamily(req, res, caseId, { values: req.body, errors: parsed.errors }, 400)
    try {
      await addMemberRelationship(serviceContext(deps, req, res), caseId, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderFamily(req, res, caseId, { values: req.body, errors: formErrors(err.fieldErrors) }, 400)
      throw err
    }
    res.redirect(`/cases/${caseId}/family?saved=linked`)
  })

  const renderAdd = async (
    req: Request,
    res: Response,
    caseId: string,
    locals: { values: Record<string, unknown>; errors?: FormErrors },
    status = 200,
  ) => {
    const ctx = serviceContext(deps, req, res)
    const q = typeof req.query.q === 'string' ? req.query.q : typeof locals.values.q === 'string' ? locals.values.q : ''
    let results: PersonChoice[] | null = null
    let matched = 0
    let searchError: string | undefined
    if (q.trim() !== '') {
      const query = personSearchQuery.safeParse({ q })
      if (query.success) ({ people: results, total: matched } = await searchPeopleForFamily(ctx, caseId, query.data.q))
      else searchError = query.error.issues[0]!.message
    }
    const c = await openCaseFrame(ctx, caseId, 'family')
    res.status(status).render('family/add.njk', { c, q, results, matched, searchError, ...locals })
  }

  router.get('/cases/:id/family/new', requireSignIn, caseForm(deps, 'family'), async (req, res, next) => {
    const caseId = idParam(req)
    await renderAdd(req, res, caseId, { values: {} })
  })

  router.post('/cases/:id/family/new', requireSignIn, caseForm(deps, 'family'), async (req, res, next) => {
    const caseId = idParam(req)
    const parsed = parseNewMember(req.body)
    if (!parsed.ok) return renderAdd(req, res, caseId, { values: req.body, errors: parsed.errors }, 400)
    try {
      await addFamilyMember(serviceContext(deps, req, res), caseId, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) {
        const { personId, ...rest } = err.fieldErrors
        return renderAdd(req, res, caseId, { values: req.body, errors: formErrors(personId ? { personChoice: personId, ...rest } : rest) }, 400)
      }
      throw err
    }
    res.redirect(`/cases/${caseId}/family?saved=added`)
  })

  const renderEdit = async (
    req: Request,
    res: Response,
    caseId: string,
    relationshipId: string,
    view: 'edit' | 'end',
    locals: { values?: Record<string, unknown>; errors?: FormErrors; conflict?: unknown } = {},
    status = 200,
  ) => {
    const page = await getRelationship(serviceContext(deps, req, res), caseId, relationshipId)
    const values = locals.values ?? formValuesOf({ ...page.relationship }, END_DATES)
    res.status(status).render(view === 'edit' ? 'family/edit.njk' : 'family/end.njk', { ...page, ...locals, values })
  }

  router.get('/cases/:id/family/:relationshipId', requireSignIn, caseForm(deps, 'family'), async (req, res, next) => {
    const caseId = idParam(req)
    const relationshipId = idParam(req, 'relationshipId')
    await renderEdit(req, res, caseId, relationshipId, 'edit')
  })

  router.post('/cases/:id/family/:relationshipId', requireSignIn, caseForm(deps, 'family'), async (req, res, next) => {
    const caseId = idParam(req)
    const relationshipId = idParam(req, 'relationshipId')
    const parsed = parseForm(relationshipUpdate, req.body)
    if (!parsed.ok) return renderEdit(req, res, caseId, relationshipId, 'edit', { values: req.body, errors: parsed.errors }, 400)
    try {
      await changeRelationship(serviceContext(deps, req, res), caseId, relationshipId, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) {
        return renderEdit(req, res, caseId, relationshipId, 'edit', { values: req.body, errors: formErrors(err.fieldErrors) }, 400)
      }
      if (err instanceof EditConflict) {
        const conflict = conflictView(err, parsed.value, CONFLICT_FIELDS)
        return renderEdit(req, res, caseId, relationshipId, 'edit', { values: { ...req.body, version: conflict.version }, conflict }, 409)
      }
      throw err
    }
    res.redirect(`/cases/${caseId}/family?saved=changed`)
  })

  router.get('/cases/:id/family/:relationshipId/end', requireSignIn, caseForm(deps, 'family'), async (req, res, next) => {
    const caseId = idParam(req)
    const relationshipId = idParam(req, 'relationshipId')
    await renderEdit(req, res, caseId, relationshipId, 'end')
  })

  router.post('/cases/:id/family/:relationshipId/end', requireSignIn, caseForm(deps, 'family'), async (req, res, next) => {
    const caseId = idParam(req)
    const relationshipId = idParam(req, 'relationshipId')
    const parsed = parseForm(relationshipEnd, combineDates(req.body, END_DATES))
    const failed = (errors: FormErrors, status: number, version?: unknown) =>
      renderEdit(req, res, caseId, relationshipId, 'end', { values: { ...req.body, ...(version ? { version } : {}) }, errors: linkDateErrors(errors, END_DATES) }, status)
    if (!parsed.ok) return failed(parsed.errors, 400)
    try {
      await endRelationship(serviceContext(deps, req, res), caseId, relationshipId, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return failed(formErrors(err.fieldErrors), 400)
      if (err instanceof EditConflict) {
        return failed(formErrors({ endedOn: `${err.message} Check the relationship below, then end it again.` }), 409, err.current?.version)
      }
      throw err
    }
    res.redirect(`/cases/${caseId}/family?saved=ended`)
  })

  return router
}
