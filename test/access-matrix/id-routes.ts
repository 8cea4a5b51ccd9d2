/**
 * Every GET route that takes an id (issue 15, "Tests that stay"), pages from the router's route
 * table and API operations from the route table and the OpenAPI document, each either in a family
 * an access matrix covers — the matrix requests every route of its family, filled with its
 * records' ids, and expects what the policy's own decision function says — or in NO_CHILD, the one
 * reasoned list of routes that show no child's details. id-routes.test.ts fails on a route in
 * neither, so a new id route is decided on the day it is added. Lists that name children without an
 * id in their path have their own matrices: the home page's (case-lists.test.ts), the caseload and
 * the team view with its `?worker=` id (oversight.test.ts), the child search (child-search.test.ts)
 * and the chair's conferences (chair-list.test.ts).
 */
import type { Express } from 'express'
import type supertest from 'supertest'
import { routeTable } from '../../src/web/common/route-table.ts'

export interface IdRoute {
  kind: 'page' | 'api'
  /** A page as the router declares it (/contacts/:id); an operation as the OpenAPI document names it, without /api/v1 (/contacts/{id}). */
  path: string
}

/** A family of id routes and the matrix that covers it: each pattern matches a family's pages or operations, and that matrix requests every one of them. */
export interface Family {
  page?: RegExp
  api?: RegExp
  /** Where the matrix is. */
  by: string
}

export const FAMILIES = {
  // Before lado and practiceReview, whose pages these are under (the first family that matches is a route's).
  recordDocuments: {
    page: /^\/partnership\/(lado|reviews)\/:id\/documents(\/|$)/,
    api: /^\/(lado-cases|practice-reviews)\/\{id\}\/documents(\/|$)/,
    by: "record-documents.test.ts: decideOnPartnershipRecord (read, or update for an upload form), each read audited as a view of the record's documents, each refusal once",
  },
  case: { page: /^\/cases\/:id(\/|$)/, api: /^\/cases\/\{(id|caseId)\}(\/|$)/, by: 'matrix.ts (pages.test.ts, api.test.ts): decideOnCase' },
  contact: { page: /^\/contacts\/:id(\/|$)/, api: /^\/contacts\/\{id\}(\/|$)/, by: 'contacts.test.ts: decideOnCase, then decideOnDecidedContact' },
  incident: { page: /^\/partnership\/incidents\/:id(\/|$)/, api: /^\/serious-incidents\/\{id\}(\/|$)/, by: 'linked.ts (linked.test.ts): decideOnPartnershipRecord, then decideOnLinkedCase' },
  practiceReview: { page: /^\/partnership\/reviews\/:id(\/|$)/, api: /^\/practice-reviews\/\{id\}(\/|$)/, by: 'linked.ts (linked.test.ts): decideOnPartnershipRecord, then decideOnLinkedCase' },
  lado: { page: /^\/partnership\/lado\/:id(\/|$)/, api: /^\/lado-cases\/\{id\}(\/|$)/, by: 'linked.ts (linked.test.ts): decideOnPartnershipRecord, then decideOnLinkedCase' },
  informationRequest: {
    page: /^\/information-requests\/:id(\/|$)/,
    api: /^\/information-requests\/\{id\}(\/|$)/,
    by: "records.test.ts: the addressed agency's information-request:answer (decideGeneral), else decideOnCase",
  },
  auditHistory: { page: /^\/audit\/people\/:id(\/|$)/, api: /^\/audit\/people\/\{personId\}(\/|$)/, by: "records.test.ts: decideGeneral('audit:read')" },
  referral: { page: /^\/referrals\/:id(\/|$)/, api: /^\/referrals\/\{id\}(\/|$)/, by: "records.test.ts: decideGeneral('referral:submit') and the referrer's own" },
  subjectAccess: {
    page: /^\/subject-access\/:requestId(\/|$)/,
    api: /^\/subject-access-requests\/\{requestId\}(\/|$)/,
    by: "subject-access.test.ts: decideGeneral('subject-access:manage') (the data protection officer, i.e. the auditor, and team managers); another partnership's request a 404",
  },
  sharedDocument: {
    page: /^\/shared-documents\/:shareId(\/|$)/,
    api: /^\/shared-documents\/\{shareId\}(\/|$)/,
    by: "records.test.ts: a document shared with the reader's agency (document_share), whatever their access to the case; 404 for any other",
  },
} satisfies Record<string, Family>

// The partnership's records that show no child, as pages and as API operations.
const DAR_REVIEW =
  "a domestic abuse related death review (decideOnPartnershipRecord, members only): about an adult's death, linked to no child's case; a practice review it links is named by title only"
const REVIEW_ACTION =
  "an action of a practice review (its owner, or decideOnPartnershipRecord for the review's members): the action's text, owner and evidence; the review by title only, never its child"
const CONTRIBUTION =
  "an agency's contribution to a review (its addressee, or decideOnPartnershipRecord for the review's members): the question and the agency's account, never the child's record"

// Retention (issue 18 §4): retention:manage only (decideGeneral), records shown by kind, id and dates, never a child's details.
const RETENTION_SCHEDULE = 'a retention period of a kind of record (retention:manage): the rule and its source'
const RETENTION_RECORD = "one record's retention date (retention:manage): its kind, id, closure day, the rule and the holds covering it; no child's name or details"
const LEGAL_HOLD = 'a legal hold (retention:manage): what it is on by id or kind, its reason, who placed and lifted it'
const ERASURE = "an erasure or its tombstone (retention:manage): the record's kind and id, the rule, who proposed and approved, counts of what was erased"

// The partnership's carers (issue 19): carer:record or carer:manage (decideGeneral); another partnership's a 404.
const CARER = "a carer or setting of the partnership (carer:record): its name, kind, Ofsted URN and how many children are placed with it, counts only, never a child"

/**
 * Id routes that show no child's details, each with the reason. A route here must never show a
 * child's name, date of birth, NHS number or case record; one that comes to do so moves to a family.
 */
export const NO_CHILD: Record<string, string> = {
  'page /admin/agencies/:id': 'an agency of the partnership (administrators): its name, type and teams',
  'page /admin/teams/:id': 'a team and its members (administrators)',
  'page /admin/users/:id': "a user's account and roles (administrators)",
  'api /agencies/{id}': 'an agency of the partnership',
  'api /teams/{id}': 'a team and its members',
  'api /users/{id}': "a user's account and roles",
  'api /authority-contacts/{agencyId}': "an agency's named contacts for the local authority: professionals, not children",
  'api /agencies/{agencyId}/information-sharing':
    'sharing decisions about a receiving agency: counts, dates, lawful bases and case ids, never a child\'s name (agencyShareReport; another partnership\'s agency is a 404)',
  'api /drafts/{key}': "the signed-in user's own draft of a form, keyed by user: what they typed themselves, never a record read from the database",
  'page /referrals/new/:slug': "one page of the professional referral form (the slug names the page, not a record): the referrer's own draft",
  'page /partnership/section-11/templates/:id': 'a section 11 audit template: questions about agencies\' arrangements',
  'page /partnership/section-11/cycles/:id': "a section 11 cycle: agencies' returns and their status",
  'page /partnership/section-11/returns/:id': "one agency's section 11 self-assessment (decideOnSection11Return): about the agency, not a child",
  'page /partnership/section-11/actions/:id': "an agreed action of a section 11 return: about the agency's arrangements",
  'api /section-11/templates/{id}': "a section 11 audit template (the business unit): standards about agencies' arrangements",
  'api /section-11/cycles/{id}': "a section 11 cycle (the business unit): agencies' returns and their status",
  'api /section-11/returns/{id}': "one agency's section 11 self-assessment (decideOnSection11Return): about the agency, not a child",
  'api /section-11/actions/{id}': "an agreed action of a section 11 return: about the agency's arrangements",
  'page /partnership/dar-reviews/:id': DAR_REVIEW,
  'page /partnership/actions/:id': REVIEW_ACTION,
  'page /partnership/contributions/:id': CONTRIBUTION,
  'api /dar-reviews/{id}': DAR_REVIEW,
  'api /review-actions/{id}': REVIEW_ACTION,
  'api /agency-contributions/{id}': CONTRIBUTION,
  'page /admin/letter-templates/:templateId': 'a letter template of the partnership (administrators): its words with ((field)) placeholders, never filled with a child',
  'api /letter-templates/{templateId}': 'a letter template of the partnership: its words with ((field)) placeholders, never filled with a child',
  'page /admin/document-kinds/:code': "a kind of document of the partnership (administrators): its name, largest file and whether it is in use, never a child's documents",
  'page /retention/schedules/:kind': RETENTION_SCHEDULE,
  'page /retention/records/:recordType/:recordId': RETENTION_RECORD,
  'api /retention/records/{recordType}/{recordId}': RETENTION_RECORD,
  'page /retention/holds/:holdId': LEGAL_HOLD,
  'api /retention/holds/{holdId}': LEGAL_HOLD,
  'page /retention/erasures/:erasureId': ERASURE,
  'api /retention/erasures/{erasureId}': ERASURE,
  'page /care/carers/:carerId': CARER,
  'api /carers/{carerId}': CARER,
}

const PAGE_PARAM = /:(\w+)/g
const API_PARAM = /\{(\w+)\}/g
const takesId = (path: string, kind: IdRoute['kind']) => (kind === 'page' ? /:\w/ : /\{\w/).test(path)

/** Every GET route with a parameter in its path: the route table's pages and API routes, and the OpenAPI document's operations. */
export async function idRoutes(app: Express, agent: () => supertest.Agent): Promise<IdRoute[]> {
  const out = new Map<string, IdRoute>()
  const add = (r: IdRoute) => out.set(`${r.kind} ${r.path}`, r)
  for (const r of routeTable(app)) {
    if (r.method !== 'GET' || !takesId(r.path, 'page')) continue
    if (r.path.startsWith('/api/v1/')) add({ kind: 'api', path: r.path.slice('/api/v1'.length).replace(PAGE_PARAM, '{$1}') })
    else add({ kind: 'page', path: r.path })
  }
  const doc = (await agent().get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> }
  for (const [path, ops] of Object.entries(doc.paths)) if (ops.get && takesId(path, 'api')) add({ kind: 'api', path })
  return [...out.values()]
}

export const routeKey = (r: IdRoute) => `${r.kind} ${r.path}`

/** The family a route belongs to, if any. */
export function familyOf(r: IdRoute): keyof typeof FAMILIES | undefined {
  for (const [name, f] of Object.entries(FAMILIES) as [keyof typeof FAMILIES, Family][]) {
    if ((r.kind === 'page' ? f.page : f.api)?.test(r.path)) return name
  }
  return undefined
}

/** The GET routes of one family, pages and operations, for its matrix to request. */
export async function routesOf(family: keyof typeof FAMILIES, app: Express, agent: () => supertest.Agent): Promise<IdRoute[]> {
  return (await idRoutes(app, agent)).filter((r) => familyOf(r) === family)
}

/** A route's address with each parameter filled by `value` (an API operation's under /api/v1). */
export function fillRoute(r: IdRoute, value: (name: string) => string): string {
  const url = r.path.replace(r.kind === 'page' ? PAGE_PARAM : API_PARAM, (_, name: string) => value(name))
  return r.kind === 'page' ? url : `/api/v1${url}`
}
