/**
 * Allegations against people who work with children (LADO, working-together.md §7). The
 * designated officer records the referral (due within 1 working day of the allegation coming to
 * the employer's attention, T48), the allegation, the person it is about, the employer and its
 * named contact, the children concerned, strategy and evaluation meetings, and the outcome.
 * Only the designated officer's team and the employer's named contact for the case (read only)
 * open one; every read and refusal is audited (services/partnership/access.ts).
 */
import { and, asc, count, desc, eq, gte, isNotNull, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../../db/connection.ts'
import { agency, appUser, childCase, ladoCase, ladoChild, ladoMeeting } from '../../../db/schema/index.ts'
import { resolutionTargets, type TargetResult } from '../../../domain/partnership/lado-targets.ts'
import { editionInForce } from '../../../domain/timescales/index.ts'
import { audit } from '../../access/audit.ts'
import { ValidationFailed, type ServiceContext } from '../../common/context.ts'
import { pageCounted, totalOver, type Page, type PageRequest } from '../../common/paging.ts'
import { futureDateErrors } from '../../common/fields-input.ts'
import { openPartnershipRecord, partnershipTransaction, requireGeneral } from '../access.ts'
import { findChildCase } from '../child-link.ts'
import { assertActiveUser } from '../incidents.ts'
import { getOwnRecord, recordClock, updateVersioned, type RecordClock } from '../records.ts'
import type { LadoChildInput, LadoDelayInput, LadoMeetingInput, LadoOutcomeInput, LadoReferralInput } from './input.ts'
import { requireCompletedLate, requireLateReason } from '../../journey/clock-delays.ts'
import type { CaseSummary } from '../../journey/case-access.ts'
import { showLinkedCase } from '../../journey/case-records.ts'
import { decideGeneral, type Decision } from '../../../domain/access/policy.ts'
import { londonDate } from '../../../domain/timescales/calendar/london-time.ts'

export type LadoRow = typeof ladoCase.$inferSelect
export type LadoMeetingRow = typeof ladoMeeting.$inferSelect

export interface LadoChildView {
  id: string
  caseId: string | null
  /** The child's name when linked to their record, else null. */
  name: string | null
  description: string | null
}

export interface LadoSummary {
  id: string
  reference: string
  subjectName: string
  subjectRole: string
  employerName: string
  referredOn: string
  referralOnTime: boolean | null
  outcome: string | null
  outcomeOn: string | null
}

export interface LadoView {
  lado: LadoRow
  employerContact: string | null
  children: LadoChildView[]
  meetings: LadoMeetingRow[]
  /** The 1-working-day referral clock and the resolution clocks. */
  clocks: RecordClock[]
  referralOnTime: boolean | null
  /** The designated officer's team changes the case; the employer's named contact only reads it. */
  mayUpdate: boolean
  ground: string
}

function refuseFuture(ctx: ServiceContext, dates: Record<string, [string | null | undefined, string]>) {
  const errors = futureDateErrors(londonDate(ctx.now()), dates)
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

const onTime = (row: Pick<LadoRow, 'referredOn' | 'referralDueOn'>): boolean | null =>
  row.referralDueOn === null ? null : row.referredOn <= row.referralDueOn

/** The clocks shown on a case: the referral (T48) and the three resolution targets (T49). */
export function ladoClocks(row: LadoRow, today: string): RecordClock[] {
  const edition = row.edition
  return [
    recordClock('lado-referral', row.knownOn, row.referredOn, today, { edition, delayReason: row.referralLateReason }),
    recordClock('lado-resolution-month', row.referredOn, row.outcomeOn, today, { edition }),
    recordClock('lado-resolution-quarter', row.referredOn, row.outcomeOn, today, { edition }),
    recordClock('lado-resolution-year', row.referredOn, row.outcomeOn, today, { edition, delayReason: row.exceptionalReason }),
  ].filter((c): c is RecordClock => c !== null)
}

async function nextReference(tx: Db, ctx: ServiceContext, year: string): Promise<string> {
  const [row] = await tx
    .select({ n: count() })
    .from(ladoCase)
    .where(and(eq(ladoCase.partnershipId, ctx.actor.partnershipId), gte(ladoCase.referredOn, `${year}-01-01`), lte(ladoCase.referredOn, `${year}-12-31`)))
  return `LADO-${year}-${String((row?.n ?? 0) + 1).padStart(3, '0')}`
}

/**
 * The child's record an allegation is linked to, by NHS number, before the change's transaction:
 * the policy decides the link (a restricted child only with explicit permission, and never
 * revealed to anyone else), as for the designated officer's role.
 */
function childToLink(ctx: ServiceContext, input: LadoChildInput): Promise<CaseSummary | null> {
  if (!input.childNhsNumber) return Promise.resolve(null)
  return findChildCase(ctx, input.childNhsNumber, decideGeneral(ctx.actor, 'lado:refer'), 'childNhsNumber')
}

async function insertChild(ctx: ServiceContext, tx: Db, ladoCaseId: string, input: LadoChildInput, child: CaseSummary | null): Promise<string | null> {
  await tx.insert(ladoChild).values({
    partnershipId: ctx.actor.partnershipId,
    ladoCaseId,
    caseId: child?.id ?? null,
    description: input.childDescription,
    recordedBy: ctx.actor.userId,
  })
  return child?.personId ?? null
}

/** The designated officer records a referral; their team handles the case. */
export async function recordLadoReferral(ctx: ServiceContext, input: LadoReferralInput): Promise<LadoRow> {
  const ground = requireGeneral(ctx, 'lado:refer')
  refuseFuture(ctx, {
    knownOn: [input.knownOn, 'the date the allegation came to the employer’s attention'],
    referredOn: [input.referredOn, 'the date of the referral'],
  })
  const teamId = ctx.actor.teamId
  if (!teamId) throw new ValidationFailed({ subjectName: 'You need to be in the designated officer’s team to record an allegation' })
  const edition = editionInForce(input.knownOn)
  if (!edition) throw new ValidationFailed({ knownOn: 'Together records allegations from April 2006 (Working Together 2006) onward' })
  const child = await childToLink(ctx, input)
  return partnershipTransaction(ctx, async (tx) => {
    let employerName = input.employerName
    if (input.employerAgencyId) {
      const [a] = await tx
        .select({ name: agency.name })
        .from(agency)
        .where(and(eq(agency.id, input.employerAgencyId), eq(agency.partnershipId, ctx.actor.partnershipId)))
      if (!a) throw new ValidationFailed({ employerAgencyId: 'Select an agency of the partnership' })
      employerName ??= a.name
    }
    if (input.employerContactUserId) await assertActiveUser(tx, ctx, input.employerContactUserId, 'employerContactUserId')
    const referral = recordClock('lado-referral', input.knownOn, input.referredOn, input.referredOn)
    requireLateReason('referralLateReasonCode', 'the referral', referral?.dueOn ?? null, input.referredOn, input.referralLateReasonCode ?? null)
    const [row] = await tx
      .insert(ladoCase)
      .values({
        partnershipId: ctx.actor.partnershipId,
        reference: await nextReference(tx, ctx, input.referredOn.slice(0, 4)),
        designatedTeamId: teamId,
        employerName: employerName!,
        employerAgencyId: input.employerAgencyId,
        employerContactUserId: input.employerContactUserId,
        employerContactName: input.employerContactName,
        referrer: input.referrer,
        subjectName: input.subjectName,
        subjectRole: input.subjectRole,
        category: input.categories[0]!,
        categories: input.categories,
        allegation: input.allegation,
        knownOn: input.knownOn,
        referredOn: input.referredOn,
        edition: edition.year,
        referralDueOn: referral?.dueOn ?? null,
        referralLateReason: input.referralLateReason,
        referralLateReasonCode: input.referralLateReasonCode ?? null,
        recordedBy: ctx.actor.userId,
      })
      .returning()
    const personId = await insertChild(ctx, tx, row!.id, input, child)
    await audit(ctx, tx, {
      action: 'lado-case.create',
      recordType: 'lado-case',
      recordId: row!.id,
      subjectPersonId: personId,
      ground,
      detail: { edition: edition.year, categories: input.categories, referralOnTime: onTime(row!) },
    })
    return row!
  })
}

async function firstChildPerson(db: Db, ladoCaseId: string): Promise<string | null> {
  const [row] = await db
    .select({ personId: childCase.personId })
    .from(ladoChild)
    .innerJoin(childCase, eq(childCase.id, ladoChild.caseId))
    .where(eq(ladoChild.ladoCaseId, ladoCaseId))
    .orderBy(asc(ladoChild.createdAt))
    .limit(1)
  return row?.personId ?? null
}

/** Opens a case for `action`: the designated team reads and changes, the named contact reads. */
async function openLado(ctx: ServiceContext, db: Db, id: string, action: 'read' | 'update', section = 'overview') {
  const lado = await getOwnRecord<LadoRow>(db, ctx, ladoCase, id, 'allegation')
  const opened = await openPartnershipRecord(ctx, action, {
    recordType: 'lado-case',
    recordId: id,
    subjectPersonId: await firstChildPerson(db, id),
    record: {
      kind: 'lado',
      partnershipId: lado.partnershipId,
      inDesignatedTeam: ctx.actor.teamId !== null && ctx.actor.teamId === lado.designatedTeamId,
      employerContact: lado.employerContactUserId === ctx.actor.userId,
    },
    section,
  })
  return { lado, ground: opened.ground, decision: opened.decision }
}

/**
 * Opens a case for its documents (services/partnership/documents.ts), with the same policy and
 * audit as its page: a read is audited as a view of its `documents` section; a refused change is
 * audited by the caller's partnershipTransaction. Answers the ground, whom to audit the document's
 * changes and downloads against (the first linked child), and whether the user may change it.
 */
export async function openLadoDocuments(ctx: ServiceContext, db: Db, id: string, action: 'read' | 'update'): Promise<{ ground: string; personId: string | null; mayUpdate: boolean }> {
  const { ground } = await openLado(ctx, db, id, action, 'documents')
  return { ground, personId: await firstChildPerson(db, id), mayUpdate: ground === 'designated-officer-team' }
}

/**
 * The children concerned. A linked child's name is shown through the case gateway, as the user
 * comes to the allegation (`via`): audited as a read of the child's case, and never a restricted
 * child's without explicit permission (then only the description typed is shown).
 */
async function childrenOf(ctx: ServiceContext, db: Db, id: string, via: Decision): Promise<LadoChildView[]> {
  const rows = await db.select().from(ladoChild).where(eq(ladoChild.ladoCaseId, id)).orderBy(asc(ladoChild.createdAt))
  const out: LadoChildView[] = []
  for (const r of rows) {
    const name = r.caseId ? await showLinkedCase(ctx, r.caseId, via, 'lado-case', async (_db, open) => `${open.c.givenName} ${open.c.familyName}`) : null
    out.push({ id: r.id, caseId: name ? r.caseId : null, name, description: r.description })
  }
  return out
}

export async function getLadoCase(ctx: ServiceContext, id: string): Promise<LadoView> {
  const { lado, ground, decision } = await openLado(ctx, ctx.db, id, 'read')
  const [contact] = lado.employerContactUserId
    ? await ctx.db.select({ name: appUser.displayName }).from(appUser).where(eq(appUser.id, lado.employerContactUserId))
    : []
  return {
    lado,
    employerContact: contact?.name ?? lado.employerContactName,
    children: await childrenOf(ctx, ctx.db, id, decision),
    meetings: await ctx.db.select().from(ladoMeeting).where(eq(ladoMeeting.ladoCaseId, id)).orderBy(asc(ladoMeeting.heldOn), asc(ladoMeeting.createdAt)),
    clocks: ladoClocks(lado, londonDate(ctx.now())),
    referralOnTime: onTime(lado),
    mayUpdate: ground === 'designated-officer-team',
    ground,
  }
}

const summary = (r: LadoRow): LadoSummary => ({
  id: r.id,
  reference: r.reference,
  subjectName: r.subjectName,
  subjectRole: r.subjectRole,
  employerName: r.employerName,
  referredOn: r.referredOn,
  referralOnTime: onTime(r),
  outcome: r.outcome,
  outcomeOn: r.outcomeOn,
})

/** The lists of the allegations page, each paged on its own. */
export const LADO_LISTS = ['open', 'concluded', 'asContact'] as const
export type LadoList = (typeof LADO_LISTS)[number]

/** Cases a page of each list shows. */
export const LADO_LIST_PAGE_SIZE = 20

export interface LadoLists {
  /** The designated officer's team's open cases (empty for anyone else). */
  open: Page<LadoSummary>
  /** Concluded cases of the team, most recently referred first. */
  concluded: Page<LadoSummary>
  /** Cases where the user is the employer's named contact (outside their own team's). */
  asContact: Page<LadoSummary>
}

/** The cases the user may see: their designated team's, and those they are the named contact for. */
/** The allegations of the user's designated officer team (open and concluded) and those they are the employer's contact for, each list a page at a time, most recently referred first. */
export async function listLadoCases(ctx: ServiceContext, pages: Partial<Record<LadoList, PageRequest>> = {}): Promise<LadoLists> {
  const officer = ctx.actor.roles.includes('designated-officer') && ctx.actor.teamId !== null
  const mine = officer ? eq(ladoCase.designatedTeamId, ctx.actor.teamId!) : sql`false`
  const contact = eq(ladoCase.employerContactUserId, ctx.actor.userId)
  const where: Record<LadoList, SQL | undefined> = {
    open: and(mine, isNull(ladoCase.outcome)),
    concluded: and(mine, isNotNull(ladoCase.outcome)),
    asContact: and(contact, officer ? or(isNull(ladoCase.designatedTeamId), ne(ladoCase.designatedTeamId, ctx.actor.teamId!)) : undefined),
  }
  const listOf = async (list: LadoList) => {
    const listed = await pageCounted(pages[list] ?? { offset: 0, limit: LADO_LIST_PAGE_SIZE }, (at) =>
      ctx.db
        .select({ row: ladoCase, total: totalOver() })
        .from(ladoCase)
        .where(and(eq(ladoCase.partnershipId, ctx.actor.partnershipId), where[list]))
        .orderBy(desc(ladoCase.referredOn), desc(ladoCase.id))
        .limit(at.limit)
        .offset(at.offset),
    )
    return { ...listed, items: listed.items.map((r) => summary(r.row)) }
  }
  const lists: LadoLists = { open: await listOf('open'), concluded: await listOf('concluded'), asContact: await listOf('asContact') }
  const shown = [...lists.open.items, ...lists.concluded.items, ...lists.asContact.items].map((r) => r.id)
  if (shown.length > 0) await audit(ctx, ctx.db, { action: 'lado-case.list', detail: { cases: shown } })
  return lists
}

/** Runs a change to a case the user's team handles, audited under their ground. */
async function changeLado<T>(ctx: ServiceContext, id: string, action: string, work: (tx: Db, lado: LadoRow) => Promise<T>, detail: Record<string, unknown> = {}) {
  return partnershipTransaction(ctx, async (tx) => {
    const { lado, ground } = await openLado(ctx, tx, id, 'update')
    const result = await work(tx, lado)
    await audit(ctx, tx, { action, recordType: 'lado-case', recordId: id, subjectPersonId: await firstChildPerson(tx, id), ground, detail })
    return result
  })
}

export async function addLadoMeeting(ctx: ServiceContext, id: string, input: LadoMeetingInput): Promise<LadoMeetingRow> {
  refuseFuture(ctx, { heldOn: [input.heldOn, 'the date of the meeting'] })
  return changeLado(ctx, id, 'lado-meeting.create', async (tx, lado) => {
    if (input.heldOn < lado.knownOn) throw new ValidationFailed({ heldOn: 'The meeting cannot be before the allegation was known' })
    const [row] = await tx
      .insert(ladoMeeting)
      .values({ partnershipId: ctx.actor.partnershipId, ladoCaseId: id, ...input, recordedBy: ctx.actor.userId })
      .returning()
    return row!
  }, { kind: input.kind })
}

export async function addLadoChild(ctx: ServiceContext, id: string, input: LadoChildInput): Promise<void> {
  const child = await childToLink(ctx, input)
  await changeLado(ctx, id, 'lado-case.child-added', async (tx) => {
    await insertChild(ctx, tx, id, input, child)
  })
}

/** The day a case should be concluded by (lado-resolution-year: 12 months from the referral), null before Working Together 2018. */
const resolutionDueOn = (lado: LadoRow): string | null =>
  recordClock('lado-resolution-year', lado.referredOn, null, lado.referredOn, { edition: lado.edition })?.dueOn ?? null

/**
 * The outcome concludes the case (its closure date); a later correction names the version. A case
 * concluded after 12 months (lado-resolution-year) asks for the coded reason, with the words
 * beside it (issue 17 §3); a correction keeps the code already given unless another is.
 */
export async function recordLadoOutcome(ctx: ServiceContext, id: string, input: LadoOutcomeInput): Promise<LadoRow> {
  refuseFuture(ctx, { outcomeOn: [input.outcomeOn, 'the date the case was concluded'] })
  return changeLado(ctx, id, 'lado-case.outcome', async (tx, lado) => {
    if (input.outcomeOn < lado.referredOn) throw new ValidationFailed({ outcomeOn: 'The case cannot be concluded before it was referred' })
    const dueOn = resolutionDueOn(lado)
    const late = dueOn !== null && input.outcomeOn > dueOn
    const code = input.exceptionalReasonCode || lado.exceptionalReasonCode || null
    requireLateReason('exceptionalReasonCode', 'the conclusion of the case', dueOn, input.outcomeOn, code)
    return updateVersioned<LadoRow>(ctx, tx, ladoCase, id, input.version, {
      outcome: input.outcome,
      outcomeOn: input.outcomeOn,
      outcomeNotes: input.outcomeNotes,
      exceptionalReason: input.exceptionalReason,
      exceptionalReasonCode: late ? code : null,
    })
  }, { outcome: input.outcome })
}

/**
 * Gives or changes the reason the referral was late, or the case concluded after 12 months
 * (timescale 'resolution'), afterwards (the designated officer's team; versioned; audited with
 * the code, never the words).
 */
export async function explainLadoDelay(ctx: ServiceContext, id: string, input: LadoDelayInput): Promise<LadoRow> {
  return changeLado(ctx, id, 'lado-case.late-reason', async (tx, lado) => {
    if (input.timescale === 'resolution') {
      requireCompletedLate(resolutionDueOn(lado), lado.outcomeOn)
      return updateVersioned<LadoRow>(ctx, tx, ladoCase, id, input.version, { exceptionalReasonCode: input.reasonCode, exceptionalReason: input.reason })
    }
    if (!lado.referralDueOn || lado.referredOn <= lado.referralDueOn) {
      throw new ValidationFailed({ timescale: 'The referral was not late: there is no delay to explain' })
    }
    return updateVersioned<LadoRow>(ctx, tx, ladoCase, id, input.version, { referralLateReasonCode: input.reasonCode, referralLateReason: input.reason })
  }, { timescale: input.timescale, reasonCode: input.reasonCode })
}

export interface LadoReport {
  from: string
  to: string
  asAt: string
  referred: number
  concluded: number
  open: number
  referralsOnTime: number
  referralsMeasured: number
  outcomes: { code: string; count: number }[]
  targets: TargetResult[]
}

/**
 * Resolution against targets (T49) for the cases referred in a period, judged as at today: the
 * partnership's figures only, no allegation's details (lado:report).
 */
export async function ladoTargetsReport(ctx: ServiceContext, from: string, to: string): Promise<LadoReport> {
  const ground = requireGeneral(ctx, 'lado:report')
  const asAt = londonDate(ctx.now())
  const rows = await ctx.db
    .select({ referredOn: ladoCase.referredOn, referralDueOn: ladoCase.referralDueOn, outcome: ladoCase.outcome, outcomeOn: ladoCase.outcomeOn, exceptionalReason: ladoCase.exceptionalReason })
    .from(ladoCase)
    .where(and(eq(ladoCase.partnershipId, ctx.actor.partnershipId), gte(ladoCase.referredOn, from), lte(ladoCase.referredOn, to)))
  const outcomes = new Map<string, number>()
  for (const r of rows) if (r.outcome) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1)
  const measured = rows.filter((r) => r.referralDueOn !== null)
  await audit(ctx, ctx.db, { action: 'lado.report', ground, detail: { from, to } })
  return {
    from,
    to,
    asAt,
    referred: rows.length,
    concluded: rows.filter((r) => r.outcome !== null).length,
    open: rows.filter((r) => r.outcome === null).length,
    referralsOnTime: measured.filter((r) => onTime(r)).length,
    referralsMeasured: measured.length,
    outcomes: [...outcomes].map(([code, n]) => ({ code, count: n })),
    targets: resolutionTargets(rows, asAt),
  }
}

/** Whether the user is the employer's named contact for any allegation (to offer them the list). */
export async function isLadoContact(ctx: ServiceContext): Promise<boolean> {
  const [row] = await ctx.db
    .select({ id: ladoCase.id })
    .from(ladoCase)
    .where(and(eq(ladoCase.partnershipId, ctx.actor.partnershipId), eq(ladoCase.employerContactUserId, ctx.actor.userId)))
    .limit(1)
  return row !== undefined
}
