/**
 * The front door pages: the queue (/front-door), the contact form (/contacts/new, search first,
 * kept in a server-side draft between steps), a contact with its decision, acknowledgement and
 * feedback (/contacts/:id), and a case's contacts and child-in-need episodes (/cases/:id/contacts).
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { listsPagingOf } from '../../common/pagination.ts'
import { DEFAULT_PAGE_SIZE } from '../../../services/common/paging.ts'
import { z } from 'zod'
import { decideGeneral } from '../../../domain/access/policy.ts'
import { CONTACT_DECISION } from '../../../domain/journey/codes.ts'
import { labelOf, PRIMARY_NEED, type Code } from '../../../domain/journey/dfe-codes.ts'
import { transferTeams } from '../../../services/journey/case-transfer.ts'
import { BREAK_GLASS_HOURS } from '../../../services/journey/cases.ts'
import { AccessDenied, EditConflict, ValidationFailed, type ServiceContext } from '../../../services/common/context.ts'
import { markReferralNfa, setPrimaryNeed } from '../../../services/journey/episodes.ts'
import {
  acknowledgementInput,
  contactChildrenInput,
  contactDetailsInput,
  contactInput,
  decisionInput,
  feedbackInput,
  personInput,
  personSearchInput,
  primaryNeedInput,
  referralNfaInput,
  type ContactInput,
} from '../../../services/journey/front-door-input.ts'
import {
  acknowledgeContact,
  checkContactDetails,
  contactsAndEpisodes,
  decideContact,
  discardContactDraft,
  worksFrontDoor,
  frontDoorQueue,
  QUEUE_LISTS,
  loadContactDraft,
  londonTime,
  mayReadContact,
  recordContact,
  recordFeedback,
  referrerAgencies,
  saveContactDraft,
  viewContact,
  type ContactDraft,
} from '../../../services/journey/front-door.ts'
import { createPerson, peopleForContactForm, searchPeople } from '../../../services/person-index/people.ts'
import type { AppDeps } from '../../deps.ts'
import { fieldMessages, parseForm, type FormErrors } from '../../common/forms.ts'
import { actorOf, requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import { caseForm } from '../../common/case-forms.ts'
import { dateFromFields, fieldsFromDate, formValues, pageErrors } from './form-fields.ts'
import { londonDate } from '../../../domain/timescales/calendar/london-time.ts'
import { documentsAboutRecord } from '../../../services/records/documents.ts'

const uuid = z.uuid()
const PERSON_FIELDS = ['givenName', 'familyName', 'dateOfBirth', 'expectedDateOfBirth', 'sex', 'nhsNumber', 'ethnicity', 'disabilities']
const CONTACT_FIELDS = [
  'receivedDate', 'receivedTime', 'source', 'referrerName', 'referrerAgencyId', 'referrerRole', 'referrerContact',
  'concern', 'consent', 'consentReason', 'urgency', 'children',
]
type Values = Record<string, string | string[]>
const CONFLICT_MESSAGE = 'Someone else saved this record while you were working on it. Check their changes below.'

/** Someone else's save got in first: what the user typed beside what is saved now. */
interface Conflict {
  message: string
  rows: { label: string; mine: string; current: string }[]
}

type FieldSpec = readonly [key: string, label: string, codes?: readonly Code[]]

function conflictOf(err: EditConflict, fields: readonly FieldSpec[], mine: Record<string, unknown>): Conflict {
  const show = (v: unknown, codes?: readonly Code[]) => (v == null || v === '' ? 'Not given' : codes ? labelOf(codes, String(v)) : String(v))
  return {
    message: err.message,
    rows: fields.map(([key, label, codes]) => ({ label, mine: show(mine[key], codes), current: show(err.current?.[key], codes) })),
  }
}

/** A form that changes a saved record: its schema, its date inputs and its fields top to bottom. */
interface RecordForm<T extends z.ZodType> {
  schema: T
  dates?: readonly string[]
  /** Labels (and code sets) for the conflict panel; the first also takes the conflict's error link. */
  fields: readonly FieldSpec[]
}

/**
 * Validates a posted form and runs the change. On a refusal it calls `fail` with what was typed,
 * the errors and, after a conflicting save, the saved values; returns whether the change was made.
 */
async function submitRecordForm<T extends z.ZodType>(
  body: unknown,
  form: RecordForm<T>,
  run: (input: z.infer<T>) => Promise<unknown>,
  fail: (values: Values, fields: Record<string, string>, status: number, conflict?: Conflict) => Promise<unknown>,
): Promise<boolean> {
  const values = formValues(body)
  const raw: Record<string, unknown> = { ...values }
  for (const d of form.dates ?? []) raw[d] = dateFromFields(values, d)
  const parsed = parseForm(form.schema, raw)
  if (!parsed.ok) {
    await fail(values, parsed.errors.fields, 400)
    return false
  }
  try {
    await run(parsed.value)
    return true
  } catch (err) {
    if (err instanceof ValidationFailed) await fail(values, err.fieldErrors, 400)
    else if (err instanceof EditConflict) await fail(values, { [form.fields[0]![0]]: CONFLICT_MESSAGE }, 409, conflictOf(err, form.fields, raw))
    else throw err
    return false
  }
}

function requireContactRecording(_req: Request, res: Response, next: () => void) {
  const d = decideGeneral(actorOf(res), 'contact:record')
  if (!d.allowed) throw new AccessDenied(d.reason)
  next()
}

/** The search criteria of a query string or form (the date comes as three fields). */
function searchCriteria(source: Record<string, unknown>) {
  const text = (k: string) => (typeof source[k] === 'string' ? (source[k] as string) : '')
  return {
    givenName: text('givenName'),
    familyName: text('familyName'),
    dateOfBirth: dateFromFields(source, 'dateOfBirth'),
    nhsNumber: text('nhsNumber'),
  }
}

function searchQueryString(values: Record<string, unknown>): string {
  const params = new URLSearchParams()
  for (const key of ['givenName', 'familyName', 'nhsNumber', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year']) {
    const v = values[key]
    if (typeof v === 'string' && v.trim()) params.set(key, v.trim())
  }
  return params.toString()
}

/** The service input of the contact form's step 2 (its details). */
function detailsFromForm(values: Values): Record<string, unknown> {
  const one = (k: string) => (typeof values[k] === 'string' ? values[k] : undefined)
  return {
    receivedDate: dateFromFields(values, 'receivedDate'),
    receivedTime: one('receivedTime'),
    source: one('source'),
    referrerName: one('referrerName'),
    referrerAgencyId: one('referrerAgencyId'),
    referrerRole: one('referrerRole'),
    referrerContact: one('referrerContact'),
    concern: one('concern'),
    consent: one('consent'),
    consentReason: one('consentReason'),
    urgency: one('urgency'),
  }
}

/** The service input of the contact form's step 1 (the children chosen). */
const childrenFromDraft = (personIds: readonly string[]) => ({ children: personIds.map((personId) => ({ personId })) })

/** Whether step 1 is done: at least one child chosen. */
const hasChildren = (draft: ContactDraft) => contactChildrenInput.safeParse(childrenFromDraft(draft.personIds)).success

/** The whole contact the form's steps make. */
const contactFromForm = (values: Values, personIds: readonly string[]) => ({ ...detailsFromForm(values), ...childrenFromDraft(personIds) })

export function frontDoorRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response): ServiceContext => serviceContext(deps, req, res)

  // ---- the queue

  router.get('/front-door', requireSignIn, async (req, res) => {
    // Each list pages by its own parameter (?recentlyDecidedPage=2), keeping the other's page.
    const paging = listsPagingOf(req, QUEUE_LISTS, DEFAULT_PAGE_SIZE)
    const queue = await frontDoorQueue(ctxOf(req, res), paging.requests)
    const { pagination, status } = paging.view(queue)
    res.status(status).render('front-door/queue.njk', { queue, pagination, saved: req.query.saved })
  })

  // ---- the contact form, step 1: the children (search first)

  const renderChildren = async (req: Request, res: Response, extra: { errors?: FormErrors; status?: number } = {}) => {
    const ctx = ctxOf(req, res)
    const draft = await loadContactDraft(ctx)
    const children = await peopleForContactForm(ctx, draft.personIds)
    const query = req.query as Record<string, unknown>
    let errors = extra.errors
    let status = extra.status ?? 200
    let results = null
    if (query.search === '1') {
      const parsed = personSearchInput.safeParse(searchCriteria(query))
      if (parsed.success) results = await searchPeople(ctx, parsed.data)
      else {
        errors = pageErrors(fieldMessages(parsed.error), { dates: ['dateOfBirth'], order: ['givenName', 'familyName', 'dateOfBirth', 'nhsNumber'] })
        status = 400
      }
    } else if (query.needChild && children.length === 0) {
      errors = pageErrors({ familyName: 'Add at least one child before you continue: search for them first' })
    }
    res.status(status).render('front-door/new-children.njk', {
      children,
      chosen: draft.personIds,
      values: query,
      results,
      errors,
      newPersonQuery: searchQueryString(query),
      added: query.added,
    })
  }

  router.get('/contacts/new', requireSignIn, requireContactRecording, (req, res) => renderChildren(req, res))

  const changeChildren = async (req: Request, res: Response, change: (draft: ContactDraft, personId: string) => string[]) => {
    const personId = uuid.safeParse(req.body?.personId)
    const ctx = ctxOf(req, res)
    if (!personId.success) return res.redirect(303, '/contacts/new')
    if ((await peopleForContactForm(ctx, [personId.data])).length === 0) return res.redirect(303, '/contacts/new')
    const draft = await loadContactDraft(ctx)
    await saveContactDraft(ctx, { ...draft, personIds: change(draft, personId.data) })
    res.redirect(303, '/contacts/new')
  }

  router.post('/contacts/new/children', requireSignIn, requireContactRecording, (req, res) =>
    changeChildren(req, res, (draft, id) => (draft.personIds.includes(id) ? draft.personIds : [...draft.personIds, id])),
  )
  router.post('/contacts/new/children/remove', requireSignIn, requireContactRecording, (req, res) =>
    changeChildren(req, res, (draft, id) => draft.personIds.filter((p) => p !== id)),
  )

  router.post('/contacts/new/cancel', requireSignIn, requireContactRecording, async (req, res) => {
    await discardContactDraft(ctxOf(req, res))
    const frontDoor = worksFrontDoor(actorOf(res))
    res.redirect(303, frontDoor ? '/front-door' : '/')
  })

  // ---- adding a new person: only from a search

  const renderPerson = async (
    req: Request,
    res: Response,
    search: Record<string, unknown>,
    locals: { values: Values; errors?: FormErrors },
    status = 200,
  ) => {
    const criteria = personSearchInput.safeParse(searchCriteria(search))
    if (!criteria.success) return res.redirect(303, '/contacts/new')
    const { people, restrictedMatches } = await searchPeople(ctxOf(req, res), criteria.data)
    res.status(status).render('front-door/new-person.njk', {
      ...locals,
      matches: people,
      restrictedMatches,
      search: Object.fromEntries(Object.entries(search).filter(([k]) => /^(givenName|familyName|nhsNumber|dateOfBirth-(day|month|year))$/.test(k))),
      searchQuery: searchQueryString(search),
    })
  }

  router.get('/contacts/new/person', requireSignIn, requireContactRecording, (req, res) => {
    const query = req.query as Record<string, string>
    return renderPerson(req, res, query, {
      values: {
        givenName: query.givenName ?? '',
        familyName: query.familyName ?? '',
        nhsNumber: query.nhsNumber ?? '',
        ...pick(query, 'dateOfBirth'),
      },
    })
  })

  router.post('/contacts/new/person', requireSignIn, requireContactRecording, async (req, res) => {
    const values = formValues(req.body)
    const search = Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith('search-')).map(([k, v]) => [k.slice(7), v]))
    const dates = ['dateOfBirth', 'expectedDateOfBirth']
    const parsed = personInput.safeParse({
      ...values,
      dateOfBirth: dateFromFields(values, 'dateOfBirth'),
      expectedDateOfBirth: dateFromFields(values, 'expectedDateOfBirth'),
    })
    if (!parsed.success) {
      return renderPerson(req, res, search, { values, errors: pageErrors(fieldMessages(parsed.error), { dates, order: PERSON_FIELDS }) }, 400)
    }
    const ctx = ctxOf(req, res)
    let personId: string
    try {
      personId = (await createPerson(ctx, parsed.data)).id
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err
      return renderPerson(req, res, search, { values, errors: pageErrors(err.fieldErrors, { dates, order: PERSON_FIELDS }) }, 400)
    }
    const draft = await loadContactDraft(ctx)
    await saveContactDraft(ctx, { ...draft, personIds: [...draft.personIds, personId] })
    await discardSentDraft(ctx, req.body)
    res.redirect(303, '/contacts/new?added=1')
  })

  // ---- step 2: the contact's details

  const renderDetails = async (req: Request, res: Response, values: Values, errors?: FormErrors, status = 200) => {
    const ctx = ctxOf(req, res)
    res.status(status).render('front-door/new-details.njk', { values, errors, agencies: await referrerAgencies(ctx) })
  }

  router.get('/contacts/new/details', requireSignIn, requireContactRecording, async (req, res) => {
    const ctx = ctxOf(req, res)
    const draft = await loadContactDraft(ctx)
    if (!hasChildren(draft)) return res.redirect(303, '/contacts/new?needChild=1')
    const now = ctx.now()
    const values = (draft.details as Values | null) ?? { ...fieldsFromDate('receivedDate', londonDate(now)), receivedTime: londonTime(now) }
    await renderDetails(req, res, values)
  })

  const detailErrors = (fields: Record<string, string>) => {
    const errors = pageErrors(fields, { dates: ['receivedDate'], order: CONTACT_FIELDS })
    // The children are chosen on step 1, so that is where their error links.
    for (const item of errors.list) if (item.href === '#children') item.href = '/contacts/new'
    return errors
  }

  router.post('/contacts/new/details', requireSignIn, requireContactRecording, async (req, res) => {
    const ctx = ctxOf(req, res)
    const values = formValues(req.body)
    const draft = await loadContactDraft(ctx)
    // Kept whatever happens next, so nothing typed is lost.
    await saveContactDraft(ctx, { ...draft, details: values })
    await discardSentDraft(ctx, req.body)
    if (!hasChildren(draft)) return res.redirect(303, '/contacts/new?needChild=1')
    // This step's fields, and the service's checks of them (not in the future, the partnership's agency).
    const parsed = parseForm(contactDetailsInput, detailsFromForm(values))
    if (!parsed.ok) return renderDetails(req, res, values, detailErrors(parsed.errors.fields), 400)
    try {
      await checkContactDetails(ctx, parsed.value)
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err
      return renderDetails(req, res, values, detailErrors(err.fieldErrors), 400)
    }
    res.redirect(303, '/contacts/new/check')
  })

  // ---- check answers, then record

  const checkedDraft = async (ctx: ServiceContext): Promise<{ input: ContactInput; values: Values } | string> => {
    const draft = await loadContactDraft(ctx)
    if (!hasChildren(draft)) return '/contacts/new?needChild=1'
    if (!draft.details) return '/contacts/new/details'
    const values = draft.details as Values
    const parsed = contactInput.safeParse(contactFromForm(values, draft.personIds))
    if (!parsed.success) return '/contacts/new/details'
    try {
      await checkContactDetails(ctx, parsed.data)
    } catch (err) {
      if (err instanceof ValidationFailed) return '/contacts/new/details'
      throw err
    }
    return { input: parsed.data, values }
  }

  router.get('/contacts/new/check', requireSignIn, requireContactRecording, async (req, res) => {
    const ctx = ctxOf(req, res)
    const checked = await checkedDraft(ctx)
    if (typeof checked === 'string') return res.redirect(303, checked)
    const agencies = await referrerAgencies(ctx)
    const personIds = checked.input.children.map((c) => ('personId' in c ? c.personId : ''))
    res.render('front-door/check.njk', {
      input: checked.input,
      children: await peopleForContactForm(ctx, personIds),
      agencyName: agencies.find((a) => a.id === checked.input.referrerAgencyId)?.name,
    })
  })

  router.post('/contacts/new/check', requireSignIn, requireContactRecording, async (req, res) => {
    const ctx = ctxOf(req, res)
    const checked = await checkedDraft(ctx)
    if (typeof checked === 'string') return res.redirect(303, checked)
    let id: string
    try {
      id = (await recordContact(ctx, checked.input)).id
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err
      return renderDetails(req, res, checked.values, detailErrors(err.fieldErrors), 400)
    }
    await discardContactDraft(ctx)
    res.redirect(303, `/contacts/${id}?saved=recorded`)
  })

  // ---- a contact

  const renderContact = async (
    req: Request,
    res: Response,
    id: string,
    locals: { values?: Values; errors?: FormErrors; conflict?: Conflict } = {},
    status = 200,
  ) => {
    const ctx = ctxOf(req, res)
    const contact = await viewContact(ctx, id)
    const teams = contact.canUpdate && !contact.decision ? await transferTeams(ctx.db, ctx.actor.partnershipId, ctx.actor.teamId) : []
    const today = londonDate(ctx.now())
    const defaults = { ...fieldsFromDate('decidedOn', today), ...fieldsFromDate('acknowledgedOn', today), ...fieldsFromDate('feedbackOn', today) }
    res.status(status).render('front-door/contact.njk', {
      contact,
      values: { ...defaults, ...locals.values },
      errors: locals.errors,
      conflict: locals.conflict,
      transferTeams: teams,
      saved: status === 200 ? req.query.saved : undefined,
    })
  }

  router.get('/contacts/:id', requireSignIn, async (req, res, next) => {
    const id = idParam(req)
    await renderContact(req, res, id)
  })

  const contactForm = <T extends z.ZodType>(
    path: string,
    form: RecordForm<T>,
    saved: string,
    run: (ctx: ServiceContext, id: string, input: z.infer<T>) => Promise<unknown>,
  ) => {
    router.post(`/contacts/:id/${path}`, requireSignIn, async (req, res, next) => {
      const id = idParam(req)
      const done = await submitRecordForm(req.body, form, (input) => run(ctxOf(req, res), id, input), (values, fields, status, conflict) =>
        renderContact(req, res, id, { values, errors: pageErrors(fields, { dates: form.dates ?? [] }), conflict }, status),
      )
      if (!done) return
      await discardSentDraft(ctxOf(req, res), req.body)
      // Telling the referrer ends the front door's hold on the case; the contact stays readable to
      // the team that decided it for a week, and after that the queue is where they land.
      if (await mayReadContact(ctxOf(req, res), id)) res.redirect(303, `/contacts/${id}?saved=${saved}`)
      else res.redirect(303, worksFrontDoor(actorOf(res)) ? `/front-door?saved=${saved}` : `/?saved=${saved}`)
    })
  }

  contactForm('decision', {
    schema: decisionInput,
    dates: ['decidedOn'],
    fields: [['decision', 'Decision', CONTACT_DECISION], ['reason', 'Reason'], ['decidedOn', 'Date the decision was made'], ['delayReason', 'Reason for the delay']],
  }, 'decided', decideContact)
  contactForm('acknowledgement', {
    schema: acknowledgementInput,
    dates: ['acknowledgedOn'],
    fields: [['acknowledgedOn', 'Date acknowledged']],
  }, 'acknowledged', acknowledgeContact)
  contactForm('feedback', {
    schema: feedbackInput,
    dates: ['feedbackOn'],
    fields: [['feedbackOn', 'Date of feedback'], ['feedback', 'Feedback']],
  }, 'feedback', recordFeedback)

  // ---- a case's contacts and episodes

  const renderCaseContacts = async (
    req: Request,
    res: Response,
    caseId: string,
    locals: { values?: Values; errors?: FormErrors; conflict?: Conflict; episodeId?: string } = {},
    status = 200,
  ) => {
    const ctx = ctxOf(req, res)
    try {
      const page = await contactsAndEpisodes(ctx, caseId)
      const referralDocuments = await documentsAboutRecord(ctx, caseId, 'referral')
      res.status(status).render('front-door/case-contacts.njk', {
        ...page,
        referralDocuments,
        ...locals,
        values: locals.values ?? {},
        today: fieldsFromDate('closureDate', londonDate(ctx.now())),
        saved: status === 200 ? req.query.saved : undefined,
      })
    } catch (err) {
      if (err instanceof AccessDenied && err.breakGlassAvailable) {
        return res.status(403).render('cases/break-glass.njk', { caseId, reason: err.message, hours: BREAK_GLASS_HOURS })
      }
      throw err
    }
  }

  router.get('/cases/:id/contacts', requireSignIn, async (req, res, next) => {
    const id = idParam(req)
    await renderCaseContacts(req, res, id)
  })

  const episodeForm = <T extends z.ZodType>(
    path: string,
    form: RecordForm<T>,
    saved: string,
    run: (ctx: ServiceContext, caseId: string, episodeId: string, input: z.infer<T>) => Promise<unknown>,
  ) => {
    router.post(`/cases/:id/episodes/:episodeId/${path}`, requireSignIn, caseForm(deps, 'contacts'), async (req, res, next) => {
      const caseId = idParam(req)
      const episodeId = idParam(req, 'episodeId')
      const done = await submitRecordForm(
        req.body,
        form,
        (input) => run(ctxOf(req, res), caseId, episodeId, input),
        (values, fields, status, conflict) => {
          const errors = pageErrors(fields, { dates: form.dates ?? [], suffix: episodeId })
          return renderCaseContacts(req, res, caseId, { values, episodeId: episodeId, errors, conflict }, status)
        },
      )
      if (done) res.redirect(303, `/cases/${caseId}/contacts?saved=${saved}`)
    })
  }

  episodeForm('primary-need', { schema: primaryNeedInput, fields: [['primaryNeed', 'Primary need', PRIMARY_NEED]] }, 'primary-need', setPrimaryNeed)
  // Closing an episode asks for confirmation on its own page: web/journey/episodes/routes.ts.
  episodeForm('referral-nfa', { schema: referralNfaInput, fields: [['referralNfa', 'Referral NFA']] }, 'referral-nfa', markReferralNfa)

  return router
}

/** The three fields of a date input from a query string. */
function pick(query: Record<string, string>, name: string): Values {
  const out: Values = {}
  for (const part of ['day', 'month', 'year']) {
    const v = query[`${name}-${part}`]
    if (typeof v === 'string') out[`${name}-${part}`] = v
  }
  return out
}
