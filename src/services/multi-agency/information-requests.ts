/**
 * Information requests: the front door (or a social worker) asks a partner agency what it holds
 * about named people, with a deadline set by urgency (RAG: red 4 hours, amber 1 working day, green
 * 3 working days by default; each partnership may set its own). The agency's practitioners see the
 * requests addressed to their agency and answer them (held or not held, and the information); the
 * answer is a revision of the request, so it lands in the child's record and chronology.
 * Reminders and escalation are sent by the jobs sweep (information-request-sweep.ts).
 */
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/connection.ts'
import { agency, appUser, childCase, informationRequest, person, personRelationship, requestDeadlineSetting } from '../../db/schema/index.ts'
import { decideGeneral, type GeneralAction } from '../../domain/access/policy.ts'
import { defaultBankHolidayCalendar } from '../../domain/timescales/calendar/index.ts'
import { audit, auditGrouped } from '../access/audit.ts'
import { createRecord, recordRevisionOf, withCase } from '../journey/case-records.ts'
import { EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { FIRST_PAGE, pageFrom, type Page, type PageRequest } from '../common/paging.ts'
import { londonInstant, londonTime } from '../journey/front-door.ts'
import type { InformationAnswerInput, InformationRequestInput, RequestDeadlines } from './information-requests-input.ts'
import { activeUsers, notifyUsers } from './notifications.ts'
import { recordAutomaticShare, sharedBy } from './information-sharing.ts'
import { decideCaseAction, loadCase } from '../journey/case-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export type InformationRequestRow = typeof informationRequest.$inferSelect

export const DEFAULT_REQUEST_DEADLINES: RequestDeadlines = { redHours: 4, amberWorkingDays: 1, greenWorkingDays: 3 }

function require(ctx: ServiceContext, action: GeneralAction, message: string): string {
  return requireGeneral(ctx, action, message)
}

export async function requestDeadlinesOf(db: Db, partnershipId: string): Promise<RequestDeadlines & { version: number }> {
  const [row] = await db.select().from(requestDeadlineSetting).where(eq(requestDeadlineSetting.partnershipId, partnershipId))
  return row ? { redHours: row.redHours, amberWorkingDays: row.amberWorkingDays, greenWorkingDays: row.greenWorkingDays, version: row.version } : { ...DEFAULT_REQUEST_DEADLINES, version: 0 }
}

/** An administrator sets the partnership's deadlines (version 0 = still the defaults). */
export async function setRequestDeadlines(ctx: ServiceContext, input: RequestDeadlines, expectedVersion: number): Promise<void> {
  require(ctx, 'organisation:manage', 'Only an administrator sets the partnership’s deadlines.')
  await ctx.db.transaction(async (tx) => {
    const current = await requestDeadlinesOf(tx, ctx.actor.partnershipId)
    if (current.version !== expectedVersion) throw new EditConflict('Someone else changed the deadlines after you opened them. Nothing has been saved.', current)
    await tx
      .insert(requestDeadlineSetting)
      .values({ partnershipId: ctx.actor.partnershipId, ...input, updatedAt: ctx.now() })
      .onConflictDoUpdate({ target: requestDeadlineSetting.partnershipId, set: { ...input, updatedAt: ctx.now(), version: sql`${requestDeadlineSetting.version} + 1` } })
    await audit(ctx, tx, { action: 'request-deadlines.update', recordType: 'partnership', recordId: ctx.actor.partnershipId, detail: { ...input } })
  })
}

/**
 * When a request sent at `sentAt` is due: red after the hours set; amber and green after the
 * working days set, at the same time of day (England) as it was sent.
 */
export function requestDueAt(urgency: string, sentAt: Date, deadlines: RequestDeadlines): Date {
  if (urgency === 'red') return new Date(sentAt.getTime() + deadlines.redHours * 3600_000)
  const days = urgency === 'amber' ? deadlines.amberWorkingDays : deadlines.greenWorkingDays
  const dueOn = defaultBankHolidayCalendar().addWorkingDays(londonDate(sentAt), days)
  return londonInstant(dueOn, londonTime(sentAt))
}

/** When an unanswered request is escalated: once as long again as it had to answer has passed since its deadline. */
export function requestEscalatesAt(r: Pick<InformationRequestRow, 'sentAt' | 'dueAt'>): Date {
  return new Date(r.dueAt.getTime() * 2 - r.sentAt.getTime())
}

/** Sends a request about people of a case to an agency of the partnership, and tells the agency's practitioners. */
export async function sendInformationRequest(ctx: ServiceContext, caseId: string, input: InformationRequestInput): Promise<InformationRequestRow> {
  require(ctx, 'information-request:send', 'Your role does not send information requests.')
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const [to] = await tx.select().from(agency).where(eq(agency.id, input.toAgencyId))
    if (!to || to.partnershipId !== ctx.actor.partnershipId || !to.active) {
      throw new ValidationFailed({ toAgencyId: 'That agency is not part of this partnership. Requests can go only to the partnership’s active agencies: ask your administrator to add it.' })
    }
    const people = await tx.select({ id: person.id }).from(person).where(and(inArray(person.id, input.personIds), eq(person.partnershipId, ctx.actor.partnershipId)))
    if (people.length !== new Set(input.personIds).size) throw new ValidationFailed({ personIds: 'Select people recorded in this partnership' })
    const sentAt = ctx.now()
    const deadlines = await requestDeadlinesOf(tx, ctx.actor.partnershipId)
    const row = await createRecord<InformationRequestRow>(ctx, tx, open, 'information-request', informationRequest, {
      toAgencyId: to.id,
      personIds: input.personIds,
      question: input.question,
      urgency: input.urgency,
      sentAt,
      dueAt: requestDueAt(input.urgency, sentAt, deadlines),
    })
    await notifyUsers(ctx, tx, await activeUsers(tx, { agencyId: to.id }, ['partner-practitioner']), {
      kind: 'information-request',
      title: `${input.urgency === 'red' ? 'Red (urgent) request' : input.urgency === 'amber' ? 'Amber request' : 'Request'} for information from ${ctx.actor.displayName}`,
      link: `/information-requests/${row.id}`,
      caseId: open.c.id,
    })
    return row
  })
}

const requester = alias(appUser, 'requester')
const answerer = alias(appUser, 'answerer')

export interface RequestView extends InformationRequestRow {
  agencyName: string
  requestedByName: string
  answeredByName: string | null
  people: { id: string; givenName: string; familyName: string; dateOfBirth: string | null; nhsNumber: string | null }[]
  overdue: boolean
}

async function viewsOf(db: Db, rows: { r: InformationRequestRow; agencyName: string; requestedByName: string; answeredByName: string | null }[], now: Date): Promise<RequestView[]> {
  const ids = [...new Set(rows.flatMap((x) => x.r.personIds))]
  const people = ids.length
    ? await db.select({ id: person.id, givenName: person.givenName, familyName: person.familyName, dateOfBirth: person.dateOfBirth, nhsNumber: person.nhsNumber }).from(person).where(inArray(person.id, ids))
    : []
  const byId = new Map(people.map((p) => [p.id, p]))
  return rows.map((x) => ({
    ...x.r,
    agencyName: x.agencyName,
    requestedByName: x.requestedByName,
    answeredByName: x.answeredByName,
    people: x.r.personIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
    overdue: x.r.status === 'open' && x.r.dueAt.getTime() < now.getTime(),
  }))
}

function requestsQuery(db: Db) {
  return db
    .select({ r: informationRequest, agencyName: agency.name, requestedByName: requester.displayName, answeredByName: answerer.displayName })
    .from(informationRequest)
    .innerJoin(agency, eq(agency.id, informationRequest.toAgencyId))
    .innerJoin(requester, eq(requester.id, informationRequest.recordedBy))
    .leftJoin(answerer, eq(answerer.id, informationRequest.answeredBy))
    .$dynamic()
}

/** The child and the current members of their family network: whom a request may name. */
async function peopleToAskAbout(tx: Db, childId: string) {
  const [child] = await tx.select({ id: person.id, givenName: person.givenName, familyName: person.familyName }).from(person).where(eq(person.id, childId))
  const family = await tx
    .select({ id: person.id, givenName: person.givenName, familyName: person.familyName, kind: personRelationship.kind })
    .from(personRelationship)
    .innerJoin(person, eq(person.id, personRelationship.relatedPersonId))
    .where(and(eq(personRelationship.personId, childId), sql`${personRelationship.endedOn} is null`))
    .orderBy(asc(person.familyName), asc(person.givenName))
  return [{ ...child!, kind: 'child' }, ...family]
}

/** The requests of one case (for those who may read it). */
export async function requestsOfCase(ctx: ServiceContext, caseId: string) {
  return withCase(ctx, caseId, 'case:read', async (tx, open) => {
    const rows = await requestsQuery(tx).where(eq(informationRequest.caseId, open.c.id)).orderBy(desc(informationRequest.sentAt))
    return {
      c: { ...open.c, ground: open.ground, breakGlass: open.breakGlass },
      requests: await viewsOf(tx, rows, ctx.now()),
      canSend: decideGeneral(ctx.actor, 'information-request:send').allowed && (await decideCaseAction(tx, ctx, open.c, 'case:update')).allowed,
      agencies: await tx
        .select({ id: agency.id, name: agency.name })
        .from(agency)
        .where(and(eq(agency.partnershipId, ctx.actor.partnershipId), eq(agency.active, true), sql`${agency.type} <> 'la-childrens-social-care'`))
        .orderBy(asc(agency.name)),
      people: await peopleToAskAbout(tx, open.c.personId),
    }
  }, 'information-requests')
}

/** The requests addressed to the user's agency: open ones first, by deadline (then id), a page at a time with how many there are. Audited as a listing. */
export async function incomingRequests(ctx: ServiceContext, page: PageRequest = FIRST_PAGE): Promise<Page<RequestView>> {
  require(ctx, 'information-request:answer', 'Information requests are answered by partner agencies’ practitioners.')
  const toAgency = and(eq(informationRequest.partnershipId, ctx.actor.partnershipId), eq(informationRequest.toAgencyId, ctx.actor.agencyId))
  const listed = await pageFrom(
    page,
    ctx.db.select({ n: count() }).from(informationRequest).where(toAgency),
    requestsQuery(ctx.db)
      .where(toAgency)
      .orderBy(sql`${informationRequest.status} <> 'open'`, asc(informationRequest.dueAt), asc(informationRequest.id))
      .limit(page.limit)
      .offset(page.offset),
  )
  const rows = listed.items
  if (rows.length) await audit(ctx, ctx.db, { action: 'information-request.list', detail: { requestIds: rows.map((x) => x.r.id) } })
  return { ...listed, items: await viewsOf(ctx.db, rows, ctx.now()) }
}

/**
 * One request: for the agency it is addressed to (ground `addressed-request`: they see the request
 * and the people it names, not the case), or for anyone who may read the case. Audited.
 */
export async function viewRequest(ctx: ServiceContext, requestId: string): Promise<RequestView & { mayAnswer: boolean }> {
  const [row] = await requestsQuery(ctx.db).where(and(eq(informationRequest.id, requestId), eq(informationRequest.partnershipId, ctx.actor.partnershipId)))
  if (!row) throw new NotFound('No information request with that id')
  const addressed = row.r.toAgencyId === ctx.actor.agencyId && decideGeneral(ctx.actor, 'information-request:answer').allowed
  if (addressed) {
    const c = await loadCase(ctx.db, ctx.actor, row.r.caseId)
    await auditGrouped(ctx, { action: 'information-request.view', recordType: 'information-request', recordId: requestId, subjectPersonId: c.personId, ground: 'addressed-request' })
  } else {
    await withCase(ctx, row.r.caseId, 'case:read', async () => null, 'information-requests')
  }
  const [view] = await viewsOf(ctx.db, [row], ctx.now())
  return { ...view!, mayAnswer: addressed && row.r.status === 'open' }
}

/** The addressed agency answers (once); the requester is told. */
export async function answerRequest(ctx: ServiceContext, requestId: string, input: InformationAnswerInput): Promise<InformationRequestRow> {
  require(ctx, 'information-request:answer', 'Information requests are answered by partner agencies’ practitioners.')
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(informationRequest).where(and(eq(informationRequest.id, requestId), eq(informationRequest.partnershipId, ctx.actor.partnershipId)))
    if (!current || current.toAgencyId !== ctx.actor.agencyId) throw new NotFound('No information request to your agency with that id')
    if (current.status !== 'open') throw new ValidationFailed({ held: 'This request has already been answered' })
    const [row] = await tx
      .update(informationRequest)
      .set({ status: 'answered', held: input.held, information: input.information ?? null, answeredBy: ctx.actor.userId, answeredAt: ctx.now(), updatedAt: ctx.now(), version: sql`${informationRequest.version} + 1` })
      .where(and(eq(informationRequest.id, requestId), eq(informationRequest.version, input.version)))
      .returning()
    if (!row) throw new EditConflict('Someone else changed this request after you opened it. Nothing has been saved.', current)
    const [c] = await tx.select({ personId: childCase.personId }).from(childCase).where(eq(childCase.id, row.caseId))
    await recordRevisionOf(ctx, tx, row.caseId, 'information-request', row)
    await audit(ctx, tx, { action: 'information-request.answer', recordType: 'information-request', recordId: row.id, subjectPersonId: c!.personId, ground: 'addressed-request', detail: { held: input.held } })
    // Information held is shared with the requester: on the child's sharing ledger with its basis.
    if (input.held) await recordAutomaticShare(tx, { ...sharedBy(ctx), kind: 'information-request-answer', sourceId: row.id, recipientUserId: row.recordedBy, caseIds: [row.caseId] })
    await notifyUsers(ctx, tx, [row.recordedBy], {
      kind: 'information-request-answered',
      title: `${ctx.actor.displayName} answered your information request: ${input.held ? 'information held' : 'nothing held'}`,
      link: `/cases/${row.caseId}/information-requests`,
      caseId: row.caseId,
    })
    return row
  })
}

export interface AgencyResponseTimes {
  agencyId: string
  agencyName: string
  sent: number
  answered: number
  answeredOnTime: number
  /** Median hours from sending to answer, of those answered. */
  medianHours: number | null
  openOverdue: number
}

/** Response times by agency over the requests sent since `since` (default: all). */
export async function responseDashboard(ctx: ServiceContext): Promise<AgencyResponseTimes[]> {
  require(ctx, 'information-request:dashboard', 'The response times dashboard is for the front door and team managers.')
  const now = ctx.now()
  const rows = await ctx.db
    .select({
      agencyId: agency.id,
      agencyName: agency.name,
      sent: sql<number>`count(*)::int`,
      answered: sql<number>`count(*) filter (where ${informationRequest.status} = 'answered')::int`,
      answeredOnTime: sql<number>`count(*) filter (where ${informationRequest.answeredAt} <= ${informationRequest.dueAt})::int`,
      medianHours: sql<number | null>`round((percentile_cont(0.5) within group (order by extract(epoch from (${informationRequest.answeredAt} - ${informationRequest.sentAt})) / 3600))::numeric, 1)::float`,
      openOverdue: sql<number>`count(*) filter (where ${informationRequest.status} = 'open' and ${informationRequest.dueAt} < ${now})::int`,
    })
    .from(informationRequest)
    .innerJoin(agency, eq(agency.id, informationRequest.toAgencyId))
    .where(eq(informationRequest.partnershipId, ctx.actor.partnershipId))
    .groupBy(agency.id, agency.name)
    .orderBy(asc(agency.name))
  await audit(ctx, ctx.db, { action: 'information-request.dashboard' })
  return rows
}
