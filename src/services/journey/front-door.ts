/**
 * The front door: recording a contact about one or more children, the queue of contacts awaiting
 * a decision, the contact itself, and the decision on it (within 1 working day, T01). A contact
 * attaches to each child's one case (reused, reopened or created), starts the referral-decision
 * clock on each, and a referral decision opens a child-in-need episode per child with its
 * assessment clock. Every write appends a revision of the contact to each child's case history.
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/connection.ts'
import {
  agency,
  appUser,
  childCase,
  cinEpisode,
  clock,
  contact,
  contactChild,
  draft,
  person,
  task,
} from '../../db/schema/index.ts'
import { decideGeneral, decideOnDecidedContact, DECIDED_CONTACT_DAYS } from '../../domain/access/policy.ts'
import { addDays, addMonths } from '../../domain/timescales/calendar/iso-date.ts'
import {
  CONTACT_DECISION,
  contactDecisionDue,
  hasOpenWork,
  labelOf,
  OPEN_CASE_DECISION,
  REFERRAL_DECISIONS,
} from '../../domain/journey/codes.ts'
import { defaultBankHolidayCalendar } from '../../domain/timescales/calendar/index.ts'
import { editionInForce } from '../../domain/timescales/editions.ts'
import { audit } from '../access/audit.ts'
import { giveLaChildId } from './la-child-id.ts'
import { createRecord, openCase, recordRevisionOf, setCaseStage, updateCase, withCase, type OpenCase } from './case-records.ts'
import { completeClocks, startClock, viewClock, type ClockView } from './clocks.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { FIRST_PAGE, pageCounted, totalOver, type Page, type PageRequest } from '../common/paging.ts'
import { moveCaseToTeam } from './case-transfer.ts'
import { closeCaseIfNothingOpen, episodesOf } from './episodes.ts'
import type { AcknowledgementInput, ContactDetailsInput, ContactInput, DecisionInput, FeedbackInput } from './front-door-input.ts'
import { createPerson } from '../person-index/people.ts'
import { additionsOf, notifyReferrer, type ContactAdditionView } from '../multi-agency/referral-links.ts'
import { activeUsers, notifyUsers } from '../multi-agency/notifications.ts'
import { decideCaseAction, loadCase, type CaseSummary } from './case-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export type ContactRow = typeof contact.$inferSelect
type EpisodeRow = typeof cinEpisode.$inferSelect

/** Roles whose work is the front door queue. */
/** Whether the user works the front door queue (the policy's 'front-door:queue'). */
export function worksFrontDoor(actor: ServiceContext['actor']): boolean {
  return decideGeneral(actor, 'front-door:queue').allowed
}

const URGENCY_RANK = sql`case ${contact.urgency} when 'immediate' then 0 when 'urgent' then 1 else 2 end`

// ---- times in England

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
})

/** Minutes England's clocks are ahead of UTC at `at` (0 or 60). */
function londonOffsetMinutes(at: Date): number {
  const parts = Object.fromEntries(londonParts.formatToParts(at).map((p) => [p.type, p.value]))
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute))
  return Math.round((local - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000)
}

/** The instant of a date and 'HH:MM' time on England's clocks. */
export function londonInstant(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const [h, min] = time.split(':').map(Number) as [number, number]
  const wallClock = Date.UTC(y, m - 1, d, h, min)
  const guess = wallClock - londonOffsetMinutes(new Date(wallClock)) * 60_000
  return new Date(wallClock - londonOffsetMinutes(new Date(guess)) * 60_000)
}

/** '2026-03-02' → '2 March 2026', for messages. */
function longDate(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(`${iso}T00:00:00Z`))
}

/** 'HH:MM' on England's clocks. */
export function londonTime(instant: Date): string {
  const parts = Object.fromEntries(londonParts.formatToParts(instant).map((p) => [p.type, p.value]))
  return `${parts.hour}:${parts.minute}`
}

// ---- opening the children's cases

/** A child the contact is about, with their case opened for recording on it. */
interface ContactCase {
  personId: string
  open: OpenCase
}

/**
 * Opens a case to record a contact on it. Whoever may update the case may; otherwise the right to
 * record contacts is enough for an unrestricted case, because the front door must be able to take
 * a contact about any child. A restricted record still needs the policy's permission.
 */
async function openForContact(ctx: ServiceContext, tx: Db, c: CaseSummary, place: ContactPlacement): Promise<OpenCase | string> {
  const decision = await decideCaseAction(tx, ctx, c, 'case:update')
  if (decision.allowed) return { c, ground: decision.ground, breakGlass: false }
  if ((c.restricted || c.personRestricted) && !place.referral) {
    await audit(ctx, tx, {
      action: 'case.update.refused',
      recordType: 'case',
      recordId: c.id,
      subjectPersonId: c.personId,
      reason: decision.reason,
      detail: { section: 'contacts' },
    })
    return decision.reason
  }
  return { c, ground: place.ground, breakGlass: false }
}

/**
 * Where a contact goes and on what ground it is recorded: a front door user's contact goes to their
 * own team; a partner's referral to the partnership's front door team, and a restricted record
 * does not stop it (the referrer is told nothing about the child's records either way).
 */
export interface ContactPlacement {
  teamId: string
  ground: string
  referral?: boolean
}

/** The child's one case: the open one, else the latest closed one, else none. */
async function existingCaseOf(tx: Db, partnershipId: string, personId: string): Promise<string | null> {
  const [row] = await tx
    .select({ id: childCase.id })
    .from(childCase)
    .where(and(eq(childCase.partnershipId, partnershipId), eq(childCase.personId, personId)))
    .orderBy(desc(sql`${childCase.status} <> 'closed'`), desc(childCase.openedOn))
    .limit(1)
  return row?.id ?? null
}

/** A new case for the child in the front door team the contact goes to. */
async function createCase(ctx: ServiceContext, tx: Db, personId: string, openedOn: string, place: ContactPlacement): Promise<string> {
  const ground = place.ground
  const [row] = await tx
    .insert(childCase)
    .values({ partnershipId: ctx.actor.partnershipId, personId, teamId: place.teamId, status: 'front-door', openedOn })
    .returning()
  await recordRevisionOf(ctx, tx, row!.id, 'case', row!)
  await audit(ctx, tx, { action: 'case.create', recordType: 'case', recordId: row!.id, subjectPersonId: personId, ground })
  return row!.id
}

/** A closed case reopens at the front door, held by the team the contact goes to and unallocated. */
async function reopenCase(ctx: ServiceContext, tx: Db, open: OpenCase, on: string, teamId: string): Promise<void> {
  await updateCase(
    ctx,
    tx,
    open,
    { status: 'front-door', closedOn: null, openedOn: on, teamId, allocatedWorkerId: null },
    { action: 'case.reopen' },
  )
}

// ---- contact history

async function childrenOf(tx: Db, contactId: string) {
  return tx
    .select({ personId: contactChild.personId, caseId: contactChild.caseId, decision: contactChild.decision })
    .from(contactChild)
    .where(eq(contactChild.contactId, contactId))
    .orderBy(asc(contactChild.id))
}

/** A contact's decision timescale as the record keeps it: due by, made on, and why it was late. */
interface DecisionTiming {
  decisionDueOn: string | null
  /** When the decision was made: the completion date of its referral-decision clock. */
  decidedOn: string | null
  decisionDelayReason: string | null
  /** The coded reason (DELAY_REASON), given alone or with the words. */
  decisionDelayReasonCode: string | null
}

async function decisionTimingOf(tx: Db, contactId: string): Promise<DecisionTiming> {
  const [row] = await tx
    .select({ decisionDueOn: clock.dueOn, decidedOn: clock.completedOn, decisionDelayReason: clock.delayReason, decisionDelayReasonCode: clock.delayReasonCode })
    .from(clock)
    .where(and(eq(clock.subjectId, contactId), eq(clock.rule, 'referral-decision')))
    .orderBy(asc(clock.createdAt))
    .limit(1)
  return row ?? { decisionDueOn: null, decidedOn: null, decisionDelayReason: null, decisionDelayReasonCode: null }
}

/**
 * Appends the contact's state (with its children and the decision's timing, which the chronology
 * reads) to each child's case history and audits the action for each child.
 */
async function recordContactHistory(
  ctx: ServiceContext,
  tx: Db,
  cases: readonly OpenCase[],
  row: ContactRow,
  action: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const children = await childrenOf(tx, row.id)
  const timing = await decisionTimingOf(tx, row.id)
  for (const open of cases) {
    await recordRevisionOf(ctx, tx, open.c.id, 'contact', { ...row, children, ...timing })
    await audit(ctx, tx, {
      action,
      recordType: 'contact',
      recordId: row.id,
      subjectPersonId: open.c.personId,
      ground: open.ground,
      detail,
    })
  }
}

// ---- recording a contact

/** The partnership's active agencies, for the referrer's agency. */
export async function referrerAgencies(ctx: ServiceContext): Promise<{ id: string; name: string }[]> {
  return ctx.db
    .select({ id: agency.id, name: agency.name })
    .from(agency)
    .where(and(eq(agency.partnershipId, ctx.actor.partnershipId), eq(agency.active, true)))
    .orderBy(asc(agency.name))
}

const NOT_AN_AGENCY = 'Select an agency from the list'

async function isAgencyOfPartnership(db: Db, partnershipId: string, agencyId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: agency.id })
    .from(agency)
    .where(and(eq(agency.id, agencyId), eq(agency.partnershipId, partnershipId)))
  return row !== undefined
}

async function assertAgencyOfPartnership(tx: Db, partnershipId: string, agencyId: string | undefined): Promise<void> {
  if (agencyId && !(await isAgencyOfPartnership(tx, partnershipId, agencyId))) throw new ValidationFailed({ referrerAgencyId: NOT_AN_AGENCY })
}

/**
 * The checks of a contact's details that need the clock or the database: received not in the
 * future (the date, or on today's date the time), and the referrer's agency one of this
 * partnership's. The contact form runs them on the step that asks for the details, and recording a
 * contact (the form's last step and the JSON API) runs them again. Returns the instant received.
 */
export async function checkContactDetails(
  ctx: ServiceContext,
  details: Pick<ContactDetailsInput, 'receivedDate' | 'receivedTime' | 'referrerAgencyId'>,
): Promise<Date> {
  const fields: Record<string, string> = {}
  const receivedAt = londonInstant(details.receivedDate, details.receivedTime)
  const now = ctx.now()
  if (receivedAt.getTime() > now.getTime()) {
    if (details.receivedDate > londonDate(now)) fields.receivedDate = 'The date received must be today or in the past'
    else fields.receivedTime = `The time received must be in the past: it is ${londonTime(now)} now`
  }
  if (details.referrerAgencyId && !(await isAgencyOfPartnership(ctx.db, ctx.actor.partnershipId, details.referrerAgencyId))) {
    fields.referrerAgencyId = NOT_AN_AGENCY
  }
  if (Object.keys(fields).length > 0) throw new ValidationFailed(fields)
  return receivedAt
}

/** The known people the contact names, checked to be the partnership's. */
async function knownChildren(ctx: ServiceContext, tx: Db, children: ContactInput['children']): Promise<string[]> {
  const ids = children.flatMap((child) => ('personId' in child ? [child.personId] : []))
  if (new Set(ids).size !== ids.length) throw new ValidationFailed({ children: 'The same child is named twice' })
  if (ids.length === 0) return []
  const found = await tx
    .select({ id: person.id })
    .from(person)
    .where(and(inArray(person.id, ids), eq(person.partnershipId, ctx.actor.partnershipId)))
  if (found.length !== ids.length) throw new ValidationFailed({ children: 'One of the children is not recorded in this partnership' })
  return ids
}

/**
 * Opens the existing cases of the known children for the contact. Writes nothing but the audit of
 * a refusal (a restricted record), which is returned rather than thrown so the caller can keep it.
 */
async function openKnownCases(
  ctx: ServiceContext,
  tx: Db,
  personIds: readonly string[],
  place: ContactPlacement,
): Promise<Map<string, OpenCase> | AccessDenied> {
  const opened = new Map<string, OpenCase>()
  for (const personId of personIds) {
    const caseId = await existingCaseOf(tx, ctx.actor.partnershipId, personId)
    if (!caseId) {
      const [p] = await tx.select({ restricted: person.restricted }).from(person).where(eq(person.id, personId))
      if (p?.restricted && !place.referral) return new AccessDenied('One of the children has a restricted record. Ask a team manager to record this contact.')
      continue
    }
    const open = await openForContact(ctx, tx, await loadCase(tx, ctx.actor, caseId), place)
    if (typeof open === 'string') return new AccessDenied(open)
    opened.set(personId, open)
  }
  return opened
}

/** Each child's case for the contact: the open one, the closed one reopened, or a new one. */
async function casesForContact(
  ctx: ServiceContext,
  tx: Db,
  personIds: readonly string[],
  opened: ReadonlyMap<string, OpenCase>,
  receivedOn: string,
  place: ContactPlacement,
): Promise<ContactCase[]> {
  const cases: ContactCase[] = []
  for (const personId of personIds) {
    let open = opened.get(personId)
    if (!open) {
      const caseId = await createCase(ctx, tx, personId, receivedOn, place)
      // A new case is unrestricted, so this always opens it.
      open = (await openForContact(ctx, tx, await loadCase(tx, ctx.actor, caseId), place)) as OpenCase
    } else if (open.c.status === 'closed') {
      await reopenCase(ctx, tx, open, receivedOn, place.teamId)
    }
    cases.push({ personId, open })
  }
  return cases
}

/** A contact as recorded, with each child's person and case. */
export type RecordedContact = ContactRow & { children: { personId: string; caseId: string }[] }

/**
 * Records a contact about one or more children. Each child's case is reused (open), reopened
 * (closed) or created in the recording user's team; the referral-decision clock starts on each.
 */
export async function recordContact(ctx: ServiceContext, input: ContactInput): Promise<RecordedContact> {
  const ground = requireGeneral(ctx, 'contact:record')
  if (!ctx.actor.teamId) throw new AccessDenied('You need to be a member of a team to record contacts.')
  const receivedAt = await checkContactDetails(ctx, input)
  let refusal: AccessDenied | null = null
  const row = await ctx.db.transaction(async (tx) => {
    const recorded = await insertContact(ctx, tx, input, receivedAt, { teamId: ctx.actor.teamId!, ground })
    if (recorded instanceof AccessDenied) {
      refusal = recorded
      return null
    }
    return recorded
  })
  if (refusal) throw refusal
  return row!
}

/**
 * Records a contact inside the caller's transaction, placed as `place` says. Returns (rather than
 * throws) a refusal, so the caller's transaction can keep its audit entry.
 */
export async function insertContact(
  ctx: ServiceContext,
  tx: Db,
  input: ContactInput,
  receivedAt: Date,
  place: ContactPlacement,
): Promise<RecordedContact | AccessDenied> {
  await assertAgencyOfPartnership(tx, ctx.actor.partnershipId, input.referrerAgencyId)
  const opened = await openKnownCases(ctx, tx, await knownChildren(ctx, tx, input.children), place)
  if (opened instanceof AccessDenied) return opened
  const personIds: string[] = []
  for (const child of input.children) {
    personIds.push('personId' in child ? child.personId : (await createPerson(ctx, child.newPerson, tx, place.ground)).id)
  }
  const cases = await casesForContact(ctx, tx, personIds, opened, input.receivedDate, place)
  const [created] = await tx
    .insert(contact)
    .values({
      partnershipId: ctx.actor.partnershipId,
      receivedAt,
      source: input.source,
      referrerName: input.referrerName ?? 'Anonymous',
      referrerAgencyId: input.referrerAgencyId ?? null,
      referrerRole: input.referrerRole ?? null,
      referrerContact: input.referrerContact ?? null,
      concern: input.concern,
      consent: input.consent,
      consentReason: input.consentReason ?? null,
      urgency: input.urgency,
      teamId: place.teamId,
      recordedBy: ctx.actor.userId,
    })
    .returning()
  await tx.insert(contactChild).values(
    cases.map(({ personId, open }) => ({ partnershipId: ctx.actor.partnershipId, contactId: created!.id, caseId: open.c.id, personId })),
  )
  const opens = cases.map((k) => k.open)
  await recordContactHistory(ctx, tx, opens, created!, 'contact.create')
  for (const open of opens) {
    await startClock(ctx, tx, open, {
      rule: 'referral-decision',
      start: input.receivedDate,
      subjectType: 'contact',
      subjectId: created!.id,
      task: 'Decide the response to the contact',
      due: (ruleDue) => contactDecisionDue(input.urgency, input.receivedDate, ruleDue),
    })
  }
  return { ...created!, children: cases.map(({ personId, open }) => ({ personId, caseId: open.c.id })) }
}

// ---- reading a contact

export interface ContactChildView {
  personId: string
  caseId: string
  /** Whether the child is shown: the user may read their case, or this contact (decideOnDecidedContact); when not, nothing else about the child is. */
  readable: boolean
  /** Whether the user may read the child's case (not only this contact about them). */
  caseReadable: boolean
  givenName: string | null
  familyName: string | null
  dateOfBirth: string | null
  expectedDateOfBirth: string | null
  nhsNumber: string | null
  caseStatus: string | null
  /** This child's decision (the contact's, or 'open-case' when added to their open case). */
  decision: string | null
  /**
   * The child's open case, when it has open work a contact can be added to: only who holds it,
   * which is all the decision needs (nothing else of the case is shown for it).
   */
  openCase: { teamName: string | null; allocatedWorkerName: string | null } | null
}

export interface ContactView extends ContactRow {
  referrerAgencyName: string | null
  recordedByName: string
  decidedByName: string | null
  children: ContactChildView[]
  /** The referral-decision timescale (the same for every child). */
  decisionClock: ClockView | null
  /** Episodes the decision opened, on the cases the user may read. */
  episodes: (EpisodeRow & { childName: string })[]
  /** Whether the user may decide, acknowledge and feed back (update access to every child's case). */
  canUpdate: boolean
  /** Information the referrer added after sending it. */
  additions: ContactAdditionView[]
}

/** What is shown of a child whose case the user may not read: nothing. */
const HIDDEN_CHILD = {
  readable: false,
  caseReadable: false,
  givenName: null,
  familyName: null,
  dateOfBirth: null,
  expectedDateOfBirth: null,
  nhsNumber: null,
  caseStatus: null,
  openCase: null,
} as const

const recorder = alias(appUser, 'recorder')
const decider = alias(appUser, 'decider')

async function loadContact(tx: Db, ctx: ServiceContext, contactId: string) {
  const [row] = await tx
    .select({ contact, referrerAgencyName: agency.name, recordedByName: recorder.displayName, decidedByName: decider.displayName })
    .from(contact)
    .leftJoin(agency, eq(agency.id, contact.referrerAgencyId))
    .innerJoin(recorder, eq(recorder.id, contact.recordedBy))
    .leftJoin(decider, eq(decider.id, contact.decidedBy))
    .where(and(eq(contact.id, contactId), eq(contact.partnershipId, ctx.actor.partnershipId)))
  if (!row) throw new NotFound('No contact with that id')
  return row
}

/** The first referral-decision clock of a contact, as it stands today. */
async function decisionClockOf(tx: Db, contactId: string, today: string): Promise<ClockView | null> {
  const [row] = await tx
    .select()
    .from(clock)
    .where(and(eq(clock.subjectId, contactId), eq(clock.rule, 'referral-decision')))
    .orderBy(asc(clock.createdAt))
    .limit(1)
  return row ? viewClock(row, today) : null
}

/** A refusal openCase audited and threw: AccessDenied, or NotFound when the policy conceals the case. */
const isRefusal = (err: unknown): err is AccessDenied | NotFound => err instanceof AccessDenied || err instanceof NotFound

/**
 * A contact, readable by anyone who may read one of its children's cases. Each child's case shown
 * is audited as a read; children whose case the user may not read are shown only as such.
 */
export async function viewContact(ctx: ServiceContext, contactId: string): Promise<ContactView> {
  let refusal: AccessDenied | NotFound | null = null
  const view = await ctx.db.transaction(async (tx) => {
    const row = await loadContact(tx, ctx, contactId)
    const links = await childrenOf(tx, contactId)
    const children: ContactChildView[] = []
    const readable: OpenCase[] = []
    let canUpdate = true
    let shown = 0
    for (const link of links) {
      const c = await loadCase(tx, ctx.actor, link.caseId)
      const read = await decideCaseAction(tx, ctx, c, 'case:read')
      const contactRead = read.allowed ? null : decideOnDecidedContact(ctx.actor, { ...row.contact, restricted: c.restricted || c.personRestricted }, ctx.now())
      if (!read.allowed && !contactRead?.allowed) {
        children.push({ ...link, ...HIDDEN_CHILD })
        canUpdate = false
        continue
      }
      shown++
      if (read.allowed) {
        readable.push(await openCase(ctx, tx, c.id, 'case:read', 'contact'))
        canUpdate &&= (await decideCaseAction(tx, ctx, c, 'case:update')).allowed
      } else {
        // The contact, not the case: audited as a read of this contact about the child.
        canUpdate = false
        await audit(ctx, tx, { action: 'contact.view', recordType: 'contact', recordId: contactId, subjectPersonId: c.personId, ground: 'deciding-team' })
      }
      const [p] = await tx.select().from(person).where(eq(person.id, link.personId))
      children.push({
        ...link,
        readable: true,
        caseReadable: read.allowed,
        givenName: p!.givenName,
        familyName: p!.familyName,
        dateOfBirth: p!.dateOfBirth,
        expectedDateOfBirth: p!.expectedDateOfBirth,
        nhsNumber: p!.nhsNumber,
        caseStatus: read.allowed ? c.status : null,
        openCase: read.allowed && hasOpenWork(c.status) ? { teamName: c.teamName, allocatedWorkerName: c.allocatedWorkerName } : null,
      })
    }
    if (shown === 0) {
      // Audits the refusal against the first child's case, as every refused read is. A refusal the
      // policy conceals is a NotFound: kept too (a rethrow would roll its audit entry back).
      try {
        await openCase(ctx, tx, links[0]!.caseId, 'case:read', 'contact')
      } catch (err) {
        if (!isRefusal(err)) throw err
        refusal = err
        return null
      }
    }
    const readableIds = readable.map((o) => o.c.id)
    const episodes = readableIds.length === 0 ? [] : await tx
      .select()
      .from(cinEpisode)
      .where(and(eq(cinEpisode.contactId, contactId), inArray(cinEpisode.caseId, readableIds)))
    const nameOfCase = new Map(children.map((k) => [k.caseId, `${k.givenName} ${k.familyName}`]))
    return {
      ...row.contact,
      referrerAgencyName: row.referrerAgencyName,
      recordedByName: row.recordedByName,
      decidedByName: row.decidedByName,
      children,
      decisionClock: await decisionClockOf(tx, contactId, londonDate(ctx.now())),
      episodes: episodes.map((e) => ({ ...e, childName: nameOfCase.get(e.caseId) ?? '' })),
      canUpdate,
      additions: await additionsOf(tx, contactId),
    }
  })
  if (refusal) throw refusal
  return view!
}

/**
 * Whether the user may still read the contact (some child's case, or the contact as the team that
 * decided it): where to send them after a change that may have ended their access. Reads and
 * audits nothing of the child.
 */
export async function mayReadContact(ctx: ServiceContext, contactId: string): Promise<boolean> {
  const { contact: row } = await loadContact(ctx.db, ctx, contactId)
  for (const link of await childrenOf(ctx.db, contactId)) {
    const c = await loadCase(ctx.db, ctx.actor, link.caseId)
    if ((await decideCaseAction(ctx.db, ctx, c, 'case:read')).allowed) return true
    if (decideOnDecidedContact(ctx.actor, { ...row, restricted: c.restricted || c.personRestricted }, ctx.now()).allowed) return true
  }
  return false
}

/** The contacts about a child, newest first (for the case's contacts page). */
export async function contactsOfCase(tx: Db, caseId: string): Promise<(ContactRow & { recordedByName: string })[]> {
  const rows = await tx
    .select({ contact, recordedByName: recorder.displayName, childDecision: contactChild.decision })
    .from(contactChild)
    .innerJoin(contact, eq(contact.id, contactChild.contactId))
    .innerJoin(recorder, eq(recorder.id, contact.recordedBy))
    .where(eq(contactChild.caseId, caseId))
    .orderBy(desc(contact.receivedAt))
  // A contact about several children may have been decided differently for this child.
  return rows.map((r) => ({ ...r.contact, decision: r.childDecision ?? r.contact.decision, recordedByName: r.recordedByName }))
}

/** The case's contacts and child-in-need episodes, for its "Contacts and referrals" section. */
export function contactsAndEpisodes(ctx: ServiceContext, caseId: string) {
  return withCase(ctx, caseId, 'case:read', async (tx, open) => ({
    c: { ...open.c, breakGlass: open.breakGlass, ground: open.ground },
    contacts: await contactsOfCase(tx, open.c.id),
    episodes: await episodesOf(tx, open, londonDate(ctx.now())),
    /** Whether the user may change the episodes (the forms are shown only then). */
    canUpdate: (await decideCaseAction(tx, ctx, open.c, 'case:update')).allowed,
  }), 'contacts')
}

// ---- changing a contact

/**
 * Runs `work` on a contact with every child's case open for update, in one transaction. Refusals
 * are audited and kept even though nothing else is written.
 */
async function withContactForUpdate<T>(
  ctx: ServiceContext,
  contactId: string,
  work: (tx: Db, row: ContactRow, cases: OpenCase[]) => Promise<T>,
): Promise<T> {
  let refusal: AccessDenied | NotFound | null = null
  const result = await ctx.db.transaction(async (tx) => {
    const { contact: row } = await loadContact(tx, ctx, contactId)
    const cases: OpenCase[] = []
    for (const link of await childrenOf(tx, contactId)) {
      try {
        cases.push(await openCase(ctx, tx, link.caseId, 'case:update', 'contact'))
      } catch (err) {
        if (!isRefusal(err)) throw err
        refusal = err
        return null
      }
    }
    return { value: await work(tx, row, cases) }
  })
  if (refusal) throw refusal
  return result!.value
}

/** Updates the contact if it is still at `expectedVersion`, or refuses with the current row. */
async function updateContact(
  ctx: ServiceContext,
  tx: Db,
  cases: readonly OpenCase[],
  id: string,
  expectedVersion: number,
  changes: Partial<typeof contact.$inferInsert>,
  action: string,
): Promise<ContactRow> {
  const [row] = await tx
    .update(contact)
    .set({ ...changes, version: sql`${contact.version} + 1`, updatedAt: ctx.now() })
    .where(and(eq(contact.id, id), eq(contact.version, expectedVersion)))
    .returning()
  if (!row) {
    const [current] = await tx.select().from(contact).where(eq(contact.id, id))
    throw new EditConflict(
      `Someone else changed this contact (now version ${current?.version}) after you opened it ` +
        `(version ${expectedVersion}). Your changes have not been saved.`,
      current,
    )
  }
  await recordContactHistory(ctx, tx, cases, row, action, { fields: Object.keys(changes) })
  return row
}

const receivedOn = (row: ContactRow) => londonDate(row.receivedAt)

function assertEventDate(row: ContactRow, field: string, on: string, today: string): void {
  if (on < receivedOn(row)) throw new ValidationFailed({ [field]: 'The date cannot be before the contact was received' })
  if (on > today) throw new ValidationFailed({ [field]: 'The date must be today or in the past' })
}

/** Records when the referrer was told the contact had been received. */
export function acknowledgeContact(ctx: ServiceContext, contactId: string, input: AcknowledgementInput): Promise<ContactRow> {
  return withContactForUpdate(ctx, contactId, async (tx, row, cases) => {
    assertEventDate(row, 'acknowledgedOn', input.acknowledgedOn, londonDate(ctx.now()))
    const updated = await updateContact(ctx, tx, cases, contactId, input.version, { acknowledgedOn: input.acknowledgedOn }, 'contact.acknowledge')
    await notifyReferrer(ctx, tx, contactId, 'referral-acknowledged')
    return updated
  })
}

/** Records what the referrer was told of the outcome, and when. */
export function recordFeedback(ctx: ServiceContext, contactId: string, input: FeedbackInput): Promise<ContactRow> {
  return withContactForUpdate(ctx, contactId, async (tx, row, cases) => {
    if (!row.decision) throw new ValidationFailed({ feedback: 'Record the decision before feeding back the outcome' })
    assertEventDate(row, 'feedbackOn', input.feedbackOn, londonDate(ctx.now()))
    const updated = await updateContact(ctx, tx, cases, contactId, input.version, { feedbackOn: input.feedbackOn, feedback: input.feedback }, 'contact.feedback')
    await notifyReferrer(ctx, tx, contactId, 'referral-feedback')
    return updated
  })
}

/** An open episode that is not an NFA referral: a new referral must not overlap it (census rules 8815, 8820). */
async function openEpisodeOf(tx: Db, caseId: string): Promise<EpisodeRow | null> {
  const [row] = await tx
    .select()
    .from(cinEpisode)
    .where(and(eq(cinEpisode.caseId, caseId), isNull(cinEpisode.closureDate), eq(cinEpisode.referralNfa, false)))
    .limit(1)
  return row ?? null
}

/** Another referral of the child within the 12 months before `referralDate`. */
async function isRereferral(tx: Db, caseId: string, referralDate: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: cinEpisode.id })
    .from(cinEpisode)
    .where(
      and(
        eq(cinEpisode.caseId, caseId),
        gte(cinEpisode.referralDate, addMonths(referralDate, -12)),
        sql`${cinEpisode.referralDate} <= ${referralDate}`,
      ),
    )
    .limit(1)
  return row !== undefined
}

/**
 * Opens the child-in-need episode of a referral and starts its assessment clock (and, from the day
 * the decision was made, the strategy discussion's).
 */
async function openEpisode(ctx: ServiceContext, tx: Db, open: OpenCase, row: ContactRow, decision: string, decidedOn: string): Promise<EpisodeRow> {
  const referralDate = receivedOn(row)
  // The child's first episode gives them an LA child ID (the census and the DfE feed need one).
  await giveLaChildId(ctx, tx, open.c.personId)
  const episode = await createRecord<EpisodeRow>(ctx, tx, open, 'cin-episode', cinEpisode, {
    contactId: row.id,
    referralDate,
    referralSource: row.source,
    rereferral: await isRereferral(tx, open.c.id, referralDate),
  })
  const singleAssessment = (editionInForce(referralDate)?.year ?? 0) >= 2013
  await startClock(ctx, tx, open, {
    rule: singleAssessment ? 'assessment' : 'initial-assessment',
    start: referralDate,
    subjectType: 'cin-episode',
    subjectId: episode.id,
    task: singleAssessment ? 'Complete the assessment' : 'Complete the initial assessment',
  })
  if (decision === 'strategy-discussion' || decision === 'immediate-protection') {
    await startClock(ctx, tx, open, {
      rule: 'strategy-discussion',
      start: decidedOn,
      subjectType: 'cin-episode',
      subjectId: episode.id,
      task: 'Hold the strategy discussion',
    })
  }
  await setCaseStage(ctx, tx, open, 'assessment', referralDate)
  return episode
}

/** What the decision means for one child's case. */
async function applyDecision(ctx: ServiceContext, tx: Db, open: OpenCase, row: ContactRow, decision: string, decidedOn: string) {
  if (REFERRAL_DECISIONS.includes(decision)) {
    await openEpisode(ctx, tx, open, row, decision, decidedOn)
    return
  }
  // Open work (an episode, plan, looked-after period or another contact) keeps the stage it set.
  await closeCaseIfNothingOpen(ctx, tx, open, decidedOn, {
    except: { contactId: row.id },
    stage: decision === 'early-help' ? 'early-help' : 'closed',
  })
}

/** What the worker holding a case is asked to do with a contact added to it. */
export const ADDED_CONTACT_TASK = 'Read the contact added to the case and decide what it means for the work with the child'

/**
 * Adds a decided contact to the child's open case: a task for the allocated worker (or the case's
 * team when unallocated), due the working day after they are told (`today`), and a notification to them. The contact is
 * already on the case's record and chronology (contact_child, and its revisions on the case).
 */
async function addToOpenCase(ctx: ServiceContext, tx: Db, open: OpenCase, row: ContactRow, today: string): Promise<void> {
  const worker = open.c.allocatedWorkerId
  const created = await createRecord<typeof task.$inferSelect>(ctx, tx, open, 'task', task, {
    title: ADDED_CONTACT_TASK,
    dueOn: defaultBankHolidayCalendar().addWorkingDays(today, 1),
    assigneeUserId: worker,
    assigneeTeamId: worker ? null : open.c.teamId,
    createdBy: ctx.actor.userId,
  })
  const recipients = worker ? [worker] : open.c.teamId ? await activeUsers(tx, { teamId: open.c.teamId }) : []
  await notifyUsers(ctx, tx, recipients, {
    kind: 'contact-added-to-case',
    title: `A contact about ${open.c.givenName} ${open.c.familyName} has been added to their case`,
    link: `/contacts/${row.id}`,
    caseId: open.c.id,
  })
  await audit(ctx, tx, {
    action: 'contact.add-to-case',
    recordType: 'contact',
    recordId: row.id,
    subjectPersonId: open.c.personId,
    ground: open.ground,
    detail: { caseId: open.c.id, taskId: created.id, assignedTo: worker ? 'allocated-worker' : 'team', notified: recipients.length },
  })
}

const childName = (open: OpenCase) => `${open.c.givenName} ${open.c.familyName}`

/**
 * Each child's decision: 'open-case' for the children added to their open case (all of them when
 * that is the contact's decision, else those named in `openCase`), the contact's decision for the
 * rest. Refuses a child who has no open case to add the contact to, or a referral that would
 * overlap a child's open child in need episode.
 */
async function childDecisions(tx: Db, cases: readonly OpenCase[], input: DecisionInput): Promise<Map<OpenCase, string>> {
  const addAll = input.decision === OPEN_CASE_DECISION
  const named = new Set(input.openCase ?? [])
  for (const personId of named) {
    if (!cases.some((o) => o.c.personId === personId)) throw new ValidationFailed({ openCase: 'Select children this contact is about' })
  }
  const decisions = new Map<OpenCase, string>()
  for (const open of cases) {
    const added = addAll || named.has(open.c.personId)
    if (added && !hasOpenWork(open.c.status)) {
      throw new ValidationFailed({
        [addAll ? 'decision' : 'openCase']: `${childName(open)} has no open case with children's social care to add this contact to. Choose another decision for them.`,
      })
    }
    if (!added && REFERRAL_DECISIONS.includes(input.decision)) {
      const episode = await openEpisodeOf(tx, open.c.id)
      if (episode) {
        throw new ValidationFailed({
          decision:
            `${childName(open)} already has an open child in need episode (referral of ${longDate(episode.referralDate)}). ` +
            `Add this contact to their open case instead, or close that episode first.`,
        })
      }
    }
    decisions.set(open, added ? OPEN_CASE_DECISION : input.decision)
  }
  return decisions
}

/**
 * When a contact's decision was made (today unless given), checked: not in the future, not before
 * the contact was received, and with the reason when it is after the decision was due.
 */
async function decisionDate(
  ctx: ServiceContext,
  tx: Db,
  row: ContactRow,
  input: DecisionInput,
): Promise<{ decidedOn: string; delayReason: string | null; delayReasonCode: string | null }> {
  const today = londonDate(ctx.now())
  const decidedOn = input.decidedOn ?? today
  assertEventDate(row, 'decidedOn', decidedOn, today)
  const { decisionDueOn } = await decisionTimingOf(tx, row.id)
  const late = decisionDueOn !== null && decidedOn > decisionDueOn
  if (late && !input.delayReason && !input.delayReasonCode) {
    throw new ValidationFailed({
      delayReason: `Enter the reason the decision was late: it was due by ${longDate(decisionDueOn)} and made on ${longDate(decidedOn)}`,
    })
  }
  return { decidedOn, delayReason: late ? (input.delayReason ?? null) : null, delayReasonCode: late ? (input.delayReasonCode ?? null) : null }
}

/**
 * Decides a contact (once), with a decision per child, made on the date given (today by default).
 * Completes the referral-decision clocks on that date, with the reason when it is late. A child added to their open case keeps the case as it is, and its
 * worker (or team) is told and given a task. For the other children: a referral opens an episode
 * per child (and, when a receiving team is named, transfers each child's case to it); on a case
 * with nothing else open, early help moves it to early help and no further action or information
 * and advice closes it.
 */
export function decideContact(ctx: ServiceContext, contactId: string, input: DecisionInput): Promise<ContactRow> {
  return withContactForUpdate(ctx, contactId, async (tx, row, cases) => {
    if (row.decision) throw new ValidationFailed({ decision: 'This contact has already been decided' })
    const { decidedOn, delayReason, delayReasonCode } = await decisionDate(ctx, tx, row, input)
    const decisions = await childDecisions(tx, cases, input)
    // Every child added to their open case: that is the contact's decision, whatever else was chosen.
    const contactDecision = [...decisions.values()].every((d) => d === OPEN_CASE_DECISION) ? OPEN_CASE_DECISION : input.decision
    if (input.teamId && !REFERRAL_DECISIONS.includes(contactDecision)) {
      throw new ValidationFailed({ teamId: 'Only a referral is passed to another team here: leave the team empty for this decision' })
    }
    for (const [open, decision] of decisions) {
      await tx
        .update(contactChild)
        .set({ decision })
        .where(and(eq(contactChild.contactId, contactId), eq(contactChild.caseId, open.c.id)))
    }
    // The clocks first, so the contact's revision holds the decision's date and any reason for delay.
    await completeClocks(ctx, tx, { subjectId: contactId, rule: 'referral-decision', completedOn: decidedOn, delayReason, delayReasonCode })
    const decided = await updateContact(
      ctx, tx, cases, contactId, input.version,
      { decision: contactDecision, decisionReason: input.reason, decidedAt: ctx.now(), decidedBy: ctx.actor.userId },
      'contact.decide',
    )
    for (const [open, decision] of decisions) {
      if (decision === OPEN_CASE_DECISION) {
        await addToOpenCase(ctx, tx, open, decided, londonDate(ctx.now()))
        continue
      }
      await applyDecision(ctx, tx, open, decided, decision, decidedOn)
      if (input.teamId && open.c.teamId !== input.teamId) {
        await moveCaseToTeam(ctx, tx, open, { teamId: input.teamId, reason: `Front door decision: ${labelOf(CONTACT_DECISION, decision)}` })
      }
    }
    await notifyReferrer(ctx, tx, contactId, 'referral-decided')
    return decided
  })
}

// ---- the queue

export interface QueueEntry {
  id: string
  receivedAt: Date
  urgency: string
  source: string
  referrerName: string
  decision: string | null
  decidedAt: Date | null
  /** When the decision was made (the day its clock completed), which may be before it was recorded. */
  decidedOn: string | null
  /** Children's names; a restricted child is shown only as such. */
  children: string[]
  clock: ClockView | null
}

export interface FrontDoorQueue {
  undecided: Page<QueueEntry>
  /** Decided in the last 7 days (by the date the decision was made), newest first. */
  recentlyDecided: Page<QueueEntry>
}

/** The queue's two lists, each paged on its own. */
export const QUEUE_LISTS = ['undecided', 'recentlyDecided'] as const
export type QueueList = (typeof QUEUE_LISTS)[number]

/**
 * The queue shows a contact decided in the last 7 days, counted from the date the decision was
 * made, and never after the team that decided it can no longer read it (7 days from recording it).
 */
const RECENT_DAYS = DECIDED_CONTACT_DAYS

/** Children's names of each contact; restricted children are named only as restricted records. */
async function childNamesOf(tx: Db, contactIds: string[]): Promise<Map<string, string[]>> {
  const names = new Map<string, string[]>()
  if (contactIds.length === 0) return names
  const rows = await tx
    .select({
      contactId: contactChild.contactId,
      givenName: person.givenName,
      familyName: person.familyName,
      restricted: sql<boolean>`(${person.restricted} or ${childCase.restricted})`,
    })
    .from(contactChild)
    .innerJoin(person, eq(person.id, contactChild.personId))
    .innerJoin(childCase, eq(childCase.id, contactChild.caseId))
    .where(inArray(contactChild.contactId, contactIds))
    .orderBy(asc(person.familyName), asc(person.givenName))
  for (const r of rows) {
    const list = names.get(r.contactId) ?? []
    list.push(r.restricted ? 'A restricted record' : `${r.givenName} ${r.familyName}`)
    names.set(r.contactId, list)
  }
  return names
}

async function decisionClocksOf(tx: Db, contactIds: string[], today: string): Promise<Map<string, ClockView>> {
  const clocks = new Map<string, ClockView>()
  if (contactIds.length === 0) return clocks
  const rows = await tx
    .select()
    .from(clock)
    .where(and(inArray(clock.subjectId, contactIds), eq(clock.rule, 'referral-decision')))
    .orderBy(asc(clock.createdAt))
  for (const r of rows) if (!clocks.has(r.subjectId)) clocks.set(r.subjectId, viewClock(r, today))
  return clocks
}

/** The date a contact's decision was made: when its referral-decision clock completed. */
const decidedOnOf = sql<string | null>`(select min(${clock.completedOn}) from ${clock} where ${clock.subjectId} = ${contact.id} and ${clock.rule} = 'referral-decision')`

const queueColumns = {
  id: contact.id,
  receivedAt: contact.receivedAt,
  urgency: contact.urgency,
  source: contact.source,
  referrerName: contact.referrerName,
  decision: contact.decision,
  decidedAt: contact.decidedAt,
}

/**
 * The user's team's front door queue: contacts awaiting a decision, the most urgent first, then by
 * decision due date and time received; and those decided in the last week; each list a page at a
 * time with how many there are. The listing is audited.
 */
export async function frontDoorQueue(ctx: ServiceContext, pages: Partial<Record<QueueList, PageRequest>> = {}): Promise<FrontDoorQueue> {
  requireGeneral(ctx, 'front-door:queue', 'The front door queue is for front door practitioners and team managers.')
  const teamId = ctx.actor.teamId
  const pageOfList = (list: QueueList) => pages[list] ?? FIRST_PAGE
  if (!teamId) return { undecided: { ...pageOfList('undecided'), items: [], total: 0 }, recentlyDecided: { ...pageOfList('recentlyDecided'), items: [], total: 0 } }
  const mine = and(eq(contact.partnershipId, ctx.actor.partnershipId), eq(contact.teamId, teamId))
  const dueOn = sql`(select min(${clock.dueOn}) from ${clock} where ${clock.subjectId} = ${contact.id} and ${clock.rule} = 'referral-decision')`
  const undecided = await pageCounted(pageOfList('undecided'), (at) =>
    ctx.db
      .select({ ...queueColumns, total: totalOver() })
      .from(contact)
      .where(and(mine, isNull(contact.decidedAt)))
      .orderBy(asc(URGENCY_RANK), asc(dueOn), asc(contact.receivedAt), asc(contact.id))
      .limit(at.limit)
      .offset(at.offset),
  )
  const since = new Date(ctx.now().getTime() - RECENT_DAYS * 24 * 3600_000)
  const decidedSince = addDays(londonDate(ctx.now()), -RECENT_DAYS)
  const decided = await pageCounted(pageOfList('recentlyDecided'), (at) =>
    ctx.db
      .select({ ...queueColumns, total: totalOver() })
      .from(contact)
      .where(and(mine, isNotNull(contact.decidedAt), gte(contact.decidedAt, since), sql`coalesce(${decidedOnOf}, ${decidedSince}) >= ${decidedSince}`))
      .orderBy(sql`${decidedOnOf} desc nulls last`, desc(contact.decidedAt), desc(contact.id))
      .limit(at.limit)
      .offset(at.offset),
  )
  const ids = [...undecided.items, ...decided.items].map((r) => r.id)
  const names = await childNamesOf(ctx.db, ids)
  const clocks = await decisionClocksOf(ctx.db, ids, londonDate(ctx.now()))
  const entry = (r: (typeof undecided.items)[number]): QueueEntry => {
    const clock = clocks.get(r.id) ?? null
    return { ...r, decidedOn: r.decidedAt ? (clock?.completedOn ?? null) : null, children: names.get(r.id) ?? [], clock }
  }
  if (ids.length > 0) await audit(ctx, ctx.db, { action: 'contact.queue', detail: { contactIds: ids } })
  return { undecided: { ...undecided, items: undecided.items.map(entry) }, recentlyDecided: { ...decided, items: decided.items.map(entry) } }
}

// ---- the contact form's draft

export const CONTACT_DRAFT_KEY = 'contact-new'

/** What the contact form keeps between steps: the children chosen and the details typed. */
export interface ContactDraft {
  personIds: string[]
  details: Record<string, unknown> | null
}

export async function loadContactDraft(ctx: ServiceContext): Promise<ContactDraft> {
  const [row] = await ctx.db
    .select({ data: draft.data })
    .from(draft)
    .where(and(eq(draft.userId, ctx.actor.userId), eq(draft.key, CONTACT_DRAFT_KEY)))
  const data = (row?.data ?? {}) as Partial<ContactDraft>
  return { personIds: Array.isArray(data.personIds) ? data.personIds : [], details: data.details ?? null }
}

export async function saveContactDraft(ctx: ServiceContext, data: ContactDraft): Promise<void> {
  await ctx.db
    .insert(draft)
    .values({ partnershipId: ctx.actor.partnershipId, userId: ctx.actor.userId, key: CONTACT_DRAFT_KEY, data, updatedAt: ctx.now() })
    .onConflictDoUpdate({ target: [draft.userId, draft.key], set: { data, updatedAt: ctx.now() } })
}

export async function discardContactDraft(ctx: ServiceContext): Promise<void> {
  await ctx.db.delete(draft).where(and(eq(draft.userId, ctx.actor.userId), eq(draft.key, CONTACT_DRAFT_KEY)))
}
