/**
 * Subject access requests (UK GDPR Article 15; issue 18 §3, docs/data-protection.md): recorded
 * with their one-month clock by the data protection officer (or a team manager:
 * subject-access:manage), compiled into a bundle of everything held about the people they are
 * about (each child's case read through the policy under the `subject-access` ground and audited
 * against that child), reviewed item by item with the exemption for every redaction or
 * withholding, approved by a second person, released as a PDF kept in the database.
 */
import { createHash } from 'node:crypto'
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import {
  appUser,
  caseNote,
  childCase,
  document,
  person,
  personAddress,
  rectificationRequest,
  subjectAccessBundle,
  subjectAccessItem,
  subjectAccessRequest,
  subjectAccessSubject,
  team,
} from '../../db/schema/index.ts'
import { decideGeneral, decideOnSubjectAccessCase, type Decision } from '../../domain/access/policy.ts'
import { chronologyEntries } from '../../domain/journey/chronology.ts'
import { labelOf } from '../../domain/journey/dfe-codes.ts'
import {
  approvalRefusal,
  extensionRefusal,
  itemDecisionErrors,
  reviewSubmissionRefusal,
  sarClock,
  SAR_REQUESTER_KIND,
  SAR_STATUS,
  type SarClock,
} from '../../domain/records/subject-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { audit, auditGrouped, auditMany, type ActorEntry } from '../access/audit.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { pageCounted, totalOver, type Page, type PageRequest } from '../common/paging.ts'
import { personNamedOrNumbered } from '../common/person-lookup.ts'
import { relationshipsTo } from '../journey/case-access.ts'
import { revisionsOfCase } from '../journey/chronology.ts'
import { documentKindsOf } from './document-kinds.ts'
import { documentItems, line, partnershipRecordItems, type CompiledItem } from './subject-access-partnership.ts'
import { renderBundlePdf } from './subject-access-pdf.ts'
import type { SubjectAccessExtension, SubjectAccessIdentity, SubjectAccessItemDecision, SubjectAccessNew } from './subject-access-input.ts'

type RequestRow = typeof subjectAccessRequest.$inferSelect
type ItemRow = typeof subjectAccessItem.$inferSelect

/** Refuses (audited) unless the user works subject access requests; the decision opens the cases read for a bundle. */
async function requireSar(ctx: ServiceContext): Promise<Decision & { allowed: true }> {
  const decision = decideGeneral(ctx.actor, 'subject-access:manage')
  if (!decision.allowed) {
    await auditGrouped(ctx, { action: 'subject-access.refused', recordType: 'subject-access-request', reason: decision.reason })
    throw new AccessDenied(decision.reason)
  }
  return decision
}

const today = (ctx: ServiceContext) => londonDate(ctx.now())

export interface SarSummary {
  id: string
  requesterName: string
  requesterKind: string
  requesterKindLabel: string
  receivedOn: string
  status: string
  statusLabel: string
  clock: SarClock
  people: { id: string; name: string }[]
}

function summaryOf(ctx: ServiceContext, r: RequestRow, people: { id: string; name: string }[]): SarSummary {
  return {
    id: r.id,
    requesterName: r.requesterName,
    requesterKind: r.requesterKind,
    requesterKindLabel: labelOf(SAR_REQUESTER_KIND, r.requesterKind),
    receivedOn: r.receivedOn,
    status: r.status,
    statusLabel: labelOf(SAR_STATUS, r.status),
    clock: sarClock(r, today(ctx)),
    people,
  }
}

async function peopleOf(db: Db, requestIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>()
  if (requestIds.length === 0) return out
  const rows = await db
    .select({ requestId: subjectAccessSubject.requestId, id: person.id, givenName: person.givenName, familyName: person.familyName })
    .from(subjectAccessSubject)
    .innerJoin(person, eq(person.id, subjectAccessSubject.personId))
    .where(inArray(subjectAccessSubject.requestId, requestIds))
    .orderBy(asc(person.familyName), asc(person.givenName))
  for (const r of rows) {
    const list = out.get(r.requestId) ?? []
    list.push({ id: r.id, name: `${r.givenName} ${r.familyName}` })
    out.set(r.requestId, list)
  }
  return out
}

/** People of the partnership by name or NHS number, to choose whom a request is about (at most 20). */
export async function findPeopleForSubjectAccess(ctx: ServiceContext, query: string) {
  await requireSar(ctx)
  const matching = personNamedOrNumbered(query)
  if (!matching) return []
  const rows = await ctx.db
    .select({ id: person.id, givenName: person.givenName, familyName: person.familyName, dateOfBirth: person.dateOfBirth })
    .from(person)
    .where(and(eq(person.partnershipId, ctx.actor.partnershipId), matching))
    .orderBy(asc(person.familyName), asc(person.givenName), asc(person.id))
    .limit(20)
  await auditGrouped(ctx, { action: 'subject-access.person-search', ground: 'role:' + ctx.actor.roles[0], detail: { results: rows.length, personIds: rows.map((r) => r.id) } })
  return rows.map((r) => ({ id: r.id, name: `${r.givenName} ${r.familyName}`, dateOfBirth: r.dateOfBirth }))
}

/** Records a request with the people it is about; its clock starts on the day it was received. */
export async function recordSubjectAccessRequest(ctx: ServiceContext, input: SubjectAccessNew): Promise<{ id: string }> {
  const via = await requireSar(ctx)
  if (input.receivedOn > today(ctx)) throw new ValidationFailed({ receivedOn: 'The date the request was received must be today or in the past' })
  const personIds = [...new Set(input.personIds)]
  return ctx.db.transaction(async (tx) => {
    const found = await tx
      .select({ id: person.id })
      .from(person)
      .where(and(inArray(person.id, personIds), eq(person.partnershipId, ctx.actor.partnershipId)))
    if (found.length !== personIds.length) throw new ValidationFailed({ personIds: 'Choose the people from the search results' })
    const [row] = await tx
      .insert(subjectAccessRequest)
      .values({
        partnershipId: ctx.actor.partnershipId,
        requesterName: input.requesterName,
        requesterKind: input.requesterKind,
        requesterRelationship: input.requesterKind === 'data-subject' ? null : input.requesterRelationship,
        receivedOn: input.receivedOn,
        identityMethod: input.identityMethod,
        identityVerifiedOn: input.identityMethod ? input.identityVerifiedOn : null,
        identityVerifiedBy: input.identityMethod ? ctx.actor.userId : null,
        identityNotes: input.identityNotes,
        recordedBy: ctx.actor.userId,
      })
      .returning({ id: subjectAccessRequest.id })
    await tx.insert(subjectAccessSubject).values(personIds.map((personId) => ({ partnershipId: ctx.actor.partnershipId, requestId: row!.id, personId })))
    await auditMany(
      ctx,
      tx,
      personIds.map((personId) => ({ action: 'subject-access.create', recordType: 'subject-access-request', recordId: row!.id, subjectPersonId: personId, ground: via.ground })),
    )
    return { id: row!.id }
  })
}

/** The partnership's requests, open ones first by due date, then completed ones newest first. */
export async function listSubjectAccessRequests(ctx: ServiceContext, page: PageRequest): Promise<Page<SarSummary>> {
  await requireSar(ctx)
  const listed = await pageCounted(page, (at) =>
    ctx.db
      .select({ r: subjectAccessRequest, total: totalOver() })
      .from(subjectAccessRequest)
      .where(eq(subjectAccessRequest.partnershipId, ctx.actor.partnershipId))
      .orderBy(
        sql`${subjectAccessRequest.completedOn} is not null`,
        asc(sql`${subjectAccessRequest.receivedOn} + (1 + ${subjectAccessRequest.extensionMonths}) * interval '1 month'`),
        desc(subjectAccessRequest.completedOn),
        asc(subjectAccessRequest.id),
      )
      .limit(at.limit)
      .offset(at.offset),
  )
  const people = await peopleOf(
    ctx.db,
    listed.items.map((i) => i.r.id),
  )
  await auditGrouped(ctx, { action: 'subject-access.list', detail: { requestIds: listed.items.map((i) => i.r.id) } })
  return { ...listed, items: listed.items.map((i) => summaryOf(ctx, i.r, people.get(i.r.id) ?? [])) }
}

export interface SarItemView extends Omit<ItemRow, 'partnershipId'> {
  /** The person's statements of disagreement on the record the item comes from. */
  statements: string[]
}

export interface SarView extends SarSummary {
  request: RequestRow
  names: Record<string, string>
  items: SarItemView[]
  bundle: { sha256: string; sizeBytes: number; producedAt: Date } | null
}

async function loadRequest(db: Db, ctx: ServiceContext, id: string): Promise<RequestRow> {
  const [r] = await db
    .select()
    .from(subjectAccessRequest)
    .where(and(eq(subjectAccessRequest.id, id), eq(subjectAccessRequest.partnershipId, ctx.actor.partnershipId)))
  if (!r) throw new NotFound('No subject access request with that id')
  return r
}

/** The request with its people, clock, items and whether its bundle has been released; audited against each person. */
export async function getSubjectAccessRequest(ctx: ServiceContext, id: string): Promise<SarView> {
  const via = await requireSar(ctx)
  const r = await loadRequest(ctx.db, ctx, id)
  const people = (await peopleOf(ctx.db, [id])).get(id) ?? []
  const items = await ctx.db.select().from(subjectAccessItem).where(eq(subjectAccessItem.requestId, id)).orderBy(asc(subjectAccessItem.seq))
  const [bundle] = await ctx.db
    .select({ sha256: subjectAccessBundle.sha256, sizeBytes: subjectAccessBundle.sizeBytes, producedAt: subjectAccessBundle.producedAt })
    .from(subjectAccessBundle)
    .where(eq(subjectAccessBundle.requestId, id))
  const userIds = [r.recordedBy, r.identityVerifiedBy, r.compiledBy, r.submittedBy, r.approvedBy, ...items.map((i) => i.decidedBy)].filter((u): u is string => !!u)
  const names = userIds.length
    ? Object.fromEntries(
        (await ctx.db.select({ id: appUser.id, name: appUser.displayName }).from(appUser).where(inArray(appUser.id, [...new Set(userIds)]))).map((u) => [u.id, u.name]),
      )
    : {}
  const statements = await statementsOf(ctx.db, items)
  await Promise.all(
    people.map((p) => auditGrouped(ctx, { action: 'subject-access.view', recordType: 'subject-access-request', recordId: id, subjectPersonId: p.id, ground: via.ground })),
  )
  return {
    ...summaryOf(ctx, r, people),
    request: r,
    names,
    items: items.map(({ partnershipId: _p, ...i }) => ({ ...i, statements: statements.get(i.sourceRef ?? '') ?? [] })),
    bundle: bundle ?? null,
  }
}

/** Statements of disagreement attached to the records items come from, by `<entity>:<id>`. */
async function statementsOf(db: Db, items: readonly { sourceRef: string | null }[]): Promise<Map<string, string[]>> {
  const ids = [...new Set(items.map((i) => i.sourceRef?.split(':')[1]).filter((x): x is string => !!x && /^[0-9a-f-]{36}$/.test(x)))]
  const out = new Map<string, string[]>()
  if (ids.length === 0) return out
  const rows = await db
    .select({ entity: rectificationRequest.entity, entityId: rectificationRequest.entityId, statement: rectificationRequest.statement })
    .from(rectificationRequest)
    .where(and(inArray(rectificationRequest.entityId, ids), eq(rectificationRequest.decision, 'kept')))
  for (const r of rows) {
    const key = `${r.entity}:${r.entityId}`
    out.set(key, [...(out.get(key) ?? []), r.statement ?? ''])
  }
  return out
}

/** Changes a request at the version read, or EditConflict. */
async function updateRequest(tx: Db, ctx: ServiceContext, id: string, expectedVersion: number, changes: Partial<typeof subjectAccessRequest.$inferInsert>): Promise<RequestRow> {
  const [row] = await tx
    .update(subjectAccessRequest)
    .set({ ...changes, version: sql`${subjectAccessRequest.version} + 1`, updatedAt: ctx.now() })
    .where(and(eq(subjectAccessRequest.id, id), eq(subjectAccessRequest.partnershipId, ctx.actor.partnershipId), eq(subjectAccessRequest.version, expectedVersion)))
    .returning()
  if (!row) {
    const current = await loadRequest(tx, ctx, id)
    throw new EditConflict(`Someone else changed this request (now version ${current.version}) after you opened it (version ${expectedVersion}). Nothing has been saved.`, current)
  }
  return row
}

/** One audit entry per person the request is about (each person's access history shows it). */
async function auditPerPerson(ctx: ServiceContext, tx: Db, id: string, entry: Omit<ActorEntry, 'recordType' | 'recordId' | 'subjectPersonId'>) {
  const subjects = await tx.select({ personId: subjectAccessSubject.personId }).from(subjectAccessSubject).where(eq(subjectAccessSubject.requestId, id))
  await auditMany(
    ctx,
    tx,
    subjects.map((s) => ({ ...entry, recordType: 'subject-access-request', recordId: id, subjectPersonId: s.personId })),
  )
}

export async function recordIdentityCheck(ctx: ServiceContext, id: string, input: SubjectAccessIdentity): Promise<void> {
  const via = await requireSar(ctx)
  if (input.identityVerifiedOn > today(ctx)) throw new ValidationFailed({ identityVerifiedOn: 'The date the identity was checked must be today or in the past' })
  await ctx.db.transaction(async (tx) => {
    await updateRequest(tx, ctx, id, input.version, {
      identityMethod: input.identityMethod,
      identityVerifiedOn: input.identityVerifiedOn,
      identityNotes: input.identityNotes,
      identityVerifiedBy: ctx.actor.userId,
    })
    await auditPerPerson(ctx, tx, id, { action: 'subject-access.identity', ground: via.ground })
  })
}

/** Extends a complex request's clock once, by 1 or 2 months, with the reason. */
export async function extendSubjectAccessClock(ctx: ServiceContext, id: string, input: SubjectAccessExtension): Promise<void> {
  const via = await requireSar(ctx)
  await ctx.db.transaction(async (tx) => {
    const r = await loadRequest(tx, ctx, id)
    const refused = extensionRefusal(r, input.months, input.reason)
    if (refused) throw new ValidationFailed(refused)
    await updateRequest(tx, ctx, id, input.version, { extensionMonths: input.months, extensionReason: input.reason })
    await auditPerPerson(ctx, tx, id, { action: 'subject-access.extend', ground: via.ground, detail: { months: input.months } })
  })
}

/**
 * Compiles the bundle: for each person the request is about, their person index record and, for
 * each of their cases the policy opens under the `subject-access` ground, the case, its chronology,
 * its notes in full and its documents listed; then the partnership's records about them (LADO
 * cases naming them, serious incidents and practice reviews of those cases, with their documents:
 * subject-access-partnership.ts), flagged for review. Every case read is audited as a view of that
 * child's case (section `subject-access`, with the request's id); a case the policy refuses
 * (restricted, without explicit permission) is audited as refused and compiling stops, naming it.
 * Replaces any earlier compilation and its decisions; not once the review has been sent for approval.
 */
export async function compileSubjectAccessBundle(ctx: ServiceContext, id: string, version: number): Promise<{ items: number }> {
  const via = await requireSar(ctx)
  const r = await loadRequest(ctx.db, ctx, id)
  if (r.status === 'awaiting-approval' || r.status === 'completed') {
    throw new ValidationFailed({ version: 'The review has been sent for approval: the bundle can no longer be compiled again' })
  }
  const subjects = await ctx.db
    .select({ p: person })
    .from(subjectAccessSubject)
    .innerJoin(person, eq(person.id, subjectAccessSubject.personId))
    .where(eq(subjectAccessSubject.requestId, id))
    .orderBy(asc(person.familyName), asc(person.givenName))
  const items: CompiledItem[] = []
  for (const { p } of subjects) {
    items.push(...(await personIndexItems(ctx.db, p)))
    const cases = await ctx.db
      .select({ c: childCase, teamName: team.name })
      .from(childCase)
      .leftJoin(team, eq(team.id, childCase.teamId))
      .where(and(eq(childCase.personId, p.id), eq(childCase.partnershipId, ctx.actor.partnershipId)))
      .orderBy(asc(childCase.openedOn), asc(childCase.id))
    const opened: string[] = []
    for (const { c, teamName } of cases) {
      const relationships = await relationshipsTo(ctx.db, ctx.actor, c, ctx.now())
      const decision = decideOnSubjectAccessCase(ctx.actor, via, { partnershipId: c.partnershipId, restricted: c.restricted || p.restricted, relationships })
      const base = { recordType: 'case', recordId: c.id, subjectPersonId: p.id }
      if (!decision.allowed) {
        await auditGrouped(ctx, { ...base, action: 'case.read.refused', reason: decision.reason, detail: { section: 'subject-access', request: id } })
        throw new ValidationFailed({ version: `${p.givenName} ${p.familyName}’s case opened ${c.openedOn} is restricted. ${decision.reason}` })
      }
      await auditGrouped(ctx, { ...base, action: 'case.view', ground: decision.ground, breakGlass: false, detail: { section: 'subject-access', request: id } })
      items.push(...(await caseItems(ctx.db, ctx.actor.partnershipId, p.id, c, teamName)))
      opened.push(c.id)
    }
    items.push(...(await partnershipRecordItems(ctx, via, id, p, opened)))
  }
  await ctx.db.transaction(async (tx) => {
    await updateRequest(tx, ctx, id, version, { status: 'compiled', compiledAt: ctx.now(), compiledBy: ctx.actor.userId, submittedBy: null, submittedAt: null })
    await tx.delete(subjectAccessItem).where(eq(subjectAccessItem.requestId, id))
    for (let i = 0; i < items.length; i += 500) {
      await tx.insert(subjectAccessItem).values(items.slice(i, i + 500).map((item, j) => ({ ...item, partnershipId: ctx.actor.partnershipId, requestId: id, seq: i + j + 1 })))
    }
    await auditPerPerson(ctx, tx, id, { action: 'subject-access.compile', ground: via.ground, detail: { items: items.length } })
  })
  return { items: items.length }
}

async function personIndexItems(db: Db, p: typeof person.$inferSelect): Promise<CompiledItem[]> {
  const addresses = await db.select().from(personAddress).where(eq(personAddress.personId, p.id)).orderBy(asc(personAddress.fromDate))
  const text = [
    `Name: ${p.givenName} ${p.familyName}`,
    ...line('Date of birth', p.dateOfBirth),
    ...line('Sex', p.sex),
    ...line('Gender', p.gender),
    ...line('NHS number', p.nhsNumber),
    ...line('Local authority child id', p.laChildId),
    ...line('Unique pupil number', p.upn),
    ...line('Ethnicity', p.ethnicity),
    ...line('Disabilities', p.disabilities.join(', ')),
    ...line('Communication needs', p.communicationNeeds),
    ...line('Date of death', p.dateOfDeath),
    ...line('Current address', [p.address, p.postcode].filter(Boolean).join(', ')),
    ...addresses.map((a) => `Address ${a.fromDate ?? '(from unknown)'} to ${a.toDate ?? 'now'}: ${[a.address, a.postcode].filter(Boolean).join(', ')}`),
  ].join('\n')
  return [{ source: 'Person index', sourceRef: `person:${p.id}`, personId: p.id, caseId: null, datedOn: null, title: `${p.givenName} ${p.familyName}: details held`, text }]
}

async function caseItems(db: Db, partnershipId: string, personId: string, c: typeof childCase.$inferSelect, teamName: string | null): Promise<CompiledItem[]> {
  const at = { personId, caseId: c.id }
  const items: CompiledItem[] = [
    {
      ...at,
      source: 'Case',
      sourceRef: `case:${c.id}`,
      datedOn: c.openedOn,
      title: `Case opened ${c.openedOn}`,
      text: [...line('Stage', c.status), ...line('Opened', c.openedOn), ...line('Closed', c.closedOn), ...line('Team', teamName)].join('\n'),
    },
  ]
  const revisions = await revisionsOfCase(db, partnershipId, c.id)
  const documentKinds = await documentKindsOf(db, partnershipId)
  for (const e of chronologyEntries(revisions, { documentKinds })) {
    // Notes are included in full below.
    if (e.entity === 'case-note') continue
    items.push({
      ...at,
      source: 'Chronology',
      sourceRef: `${e.entity}:${e.entityId}`,
      datedOn: e.date,
      title: e.title,
      text: [e.detail, ...line('Recorded by', [e.recordedBy, e.agency].filter(Boolean).join(', '))].filter(Boolean).join('\n'),
    })
  }
  const notes = await db
    .select({ n: caseNote, by: appUser.displayName })
    .from(caseNote)
    .leftJoin(appUser, eq(appUser.id, caseNote.recordedBy))
    .where(eq(caseNote.caseId, c.id))
    .orderBy(asc(caseNote.occurredOn), asc(caseNote.createdAt))
  for (const { n, by } of notes) {
    items.push({ ...at, source: 'Case note', sourceRef: `case-note:${n.id}`, datedOn: n.occurredOn, title: n.title, text: [n.body, ...line('Recorded by', by)].join('\n') })
  }
  items.push(...(await documentItems(db, eq(document.caseId, c.id), at, documentKinds)))
  return items
}

/** Records the reviewer's decision on one item (released, redacted or withheld, with the exemption). */
export async function decideSubjectAccessItem(ctx: ServiceContext, id: string, itemId: string, input: SubjectAccessItemDecision): Promise<void> {
  const via = await requireSar(ctx)
  await ctx.db.transaction(async (tx) => {
    const r = await loadRequest(tx, ctx, id)
    if (r.status !== 'compiled') throw new ValidationFailed({ decision: r.status === 'received' ? 'Compile the bundle first' : 'The review has been sent for approval: items can no longer be changed' })
    const [item] = await tx.select().from(subjectAccessItem).where(and(eq(subjectAccessItem.id, itemId), eq(subjectAccessItem.requestId, id)))
    if (!item) throw new NotFound('No such item in this bundle')
    const errors = itemDecisionErrors(item.text, input)
    if (Object.keys(errors).length) throw new ValidationFailed(errors)
    const released = input.decision === 'released'
    const [row] = await tx
      .update(subjectAccessItem)
      .set({
        decision: input.decision,
        exemption: released ? null : input.exemption,
        exemptionDetail: released || input.exemption !== 'other' ? null : input.exemptionDetail,
        redactedText: input.decision === 'redacted' ? input.redactedText : null,
        decidedBy: ctx.actor.userId,
        decidedAt: ctx.now(),
        version: sql`${subjectAccessItem.version} + 1`,
      })
      .where(and(eq(subjectAccessItem.id, itemId), eq(subjectAccessItem.version, input.version)))
      .returning({ id: subjectAccessItem.id })
    if (!row) throw new EditConflict('Someone else decided this item after you opened it. Nothing has been saved.', item)
    await audit(ctx, tx, {
      action: 'subject-access.item-decide',
      recordType: 'subject-access-request',
      recordId: id,
      subjectPersonId: item.personId,
      ground: via.ground,
      detail: { item: itemId, decision: input.decision, exemption: released ? null : input.exemption },
    })
  })
}

/** Sends the review for approval: every item decided. */
export async function submitSubjectAccessReview(ctx: ServiceContext, id: string, version: number): Promise<void> {
  const via = await requireSar(ctx)
  await ctx.db.transaction(async (tx) => {
    const r = await loadRequest(tx, ctx, id)
    if (r.status !== 'compiled') throw new ValidationFailed({ version: r.status === 'received' ? 'Compile the bundle first' : 'The review has already been sent for approval' })
    const items = await tx.select({ decision: subjectAccessItem.decision }).from(subjectAccessItem).where(eq(subjectAccessItem.requestId, id))
    const refused = reviewSubmissionRefusal(items)
    if (refused) throw new ValidationFailed({ version: refused })
    await updateRequest(tx, ctx, id, version, { status: 'awaiting-approval', submittedBy: ctx.actor.userId, submittedAt: ctx.now() })
    await auditPerPerson(ctx, tx, id, { action: 'subject-access.submit', ground: via.ground })
  })
}

/**
 * A second person approves the review: the bundle is released as a PDF kept with the request, and
 * the request is completed (its clock stops). Refused to the person who sent it for approval and
 * to anyone who decided an item.
 */
export async function approveSubjectAccessRelease(ctx: ServiceContext, id: string, version: number): Promise<void> {
  const via = await requireSar(ctx)
  const view = await getSubjectAccessRequest(ctx, id)
  if (view.request.status !== 'awaiting-approval') throw new ValidationFailed({ version: 'The review has not been sent for approval' })
  const refused = approvalRefusal(ctx.actor.userId, { submittedBy: view.request.submittedBy, decidedBy: view.items.map((i) => i.decidedBy) })
  if (refused) {
    await auditPerPerson(ctx, ctx.db, id, { action: 'subject-access.approve.refused', reason: refused })
    throw new ValidationFailed({ version: refused })
  }
  const completedOn = today(ctx)
  const pdf = await renderBundlePdf({ ...view, approvedByName: ctx.actor.displayName, completedOn })
  await ctx.db.transaction(async (tx) => {
    await updateRequest(tx, ctx, id, version, { status: 'completed', approvedBy: ctx.actor.userId, completedOn })
    await tx.insert(subjectAccessBundle).values({
      requestId: id,
      partnershipId: ctx.actor.partnershipId,
      pdf,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      sizeBytes: pdf.length,
      producedBy: ctx.actor.userId,
      producedAt: ctx.now(),
    })
    await auditPerPerson(ctx, tx, id, {
      action: 'subject-access.release',
      ground: via.ground,
      detail: { items: view.items.length, withheld: view.items.filter((i) => i.decision === 'withheld').length, redacted: view.items.filter((i) => i.decision === 'redacted').length },
    })
  })
}

/** The released bundle's PDF; downloading it is audited against each person. */
export async function downloadSubjectAccessBundle(ctx: ServiceContext, id: string): Promise<{ pdf: Buffer; fileName: string }> {
  const via = await requireSar(ctx)
  await loadRequest(ctx.db, ctx, id)
  const [b] = await ctx.db.select({ pdf: subjectAccessBundle.pdf, producedAt: subjectAccessBundle.producedAt }).from(subjectAccessBundle).where(eq(subjectAccessBundle.requestId, id))
  if (!b) throw new NotFound('The bundle has not been released yet')
  await auditPerPerson(ctx, ctx.db, id, { action: 'subject-access.download', ground: via.ground })
  return { pdf: b.pdf, fileName: `subject-access-${londonDate(b.producedAt)}-${id.slice(0, 8)}.pdf` }
}
