/**
 * Care leavers (issue 19 §7): the young person's category, personal adviser, staying put and support
 * to 25; the pathway plan and its reviews (each starts the next review clock, 6 months; a late
 * review asks the coded reason); and each contact, in the SSDA903's OC3 codes. The page shows the
 * latest contact (Annex A list 9) and, for each 17th to 21st birthday passed, the contact the 903's
 * OC3 would report: the latest from 3 months before the birthday to 1 month after it (our reading
 * of the 903 guide's window, to confirm).
 *
 * A young person who leaves care entitled to leaving care support (domain/care/leaving-care.ts)
 * gets their care leaver details recorded as they leave, if none were, and the case moves to the
 * 'care-leaver' stage instead of closing; recording the end of support (at 21, or 25, or when they
 * no longer want it) moves it on to what else is open, or closes it.
 *
 * While support is open, a clock gives 3 months' notice of the birthday on which support is to be
 * reviewed: at 21, or at 25 when support to 25 is recorded (domain/timescales/leaving-care-support.ts).
 * Recording support to 25 meets the clock at 21 and starts the one at 25; recording the end of
 * support meets whichever runs.
 */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { careLeaver, careLeaverRecord, clock, lookedAfterPeriod } from '../../db/schema/index.ts'
import { careLeaverCategoryOnLeaving, NEVER_CARE_LEAVER_EXIT } from '../../domain/care/leaving-care.ts'
import { SUPPORT_ENDED } from '../../domain/journey/codes.ts'
import { addMonths } from '../../domain/timescales/calendar/iso-date.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { LEAVING_CARE_SUPPORT_RULES, leavingCareSupportDue, leavingCareSupportMetOn, type LeavingCareSupportRule } from '../../domain/timescales/index.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { caseFrame, type CaseFrame } from './case-notes.ts'
import { createRecord, setCaseStage, updateRecord, withCase, type OpenCase } from './case-records.ts'
import { careLeaverSupportOpen, leaveStage } from './episodes.ts'
import { requireLateReason } from './clock-delays.ts'
import { clocksOfCase, completeClocks, startClock, startClockIfInForce, withdrawClock, type ClockView } from './clocks.ts'
import type { CareLeaverDetails, CareLeaverRecordInput } from './care-leavers-input.ts'

export type CareLeaverRow = typeof careLeaver.$inferSelect
export type CareLeaverRecordRow = typeof careLeaverRecord.$inferSelect

const SECTION = 'care-leaver'
const RULE = 'pathway-plan-review'
/** The clocks the care leaver page shows. */
const PAGE_RULES: ReadonlySet<string> = new Set([RULE, ...LEAVING_CARE_SUPPORT_RULES])

export interface BirthdayContact {
  age: number
  birthday: string
  /** The contact the 903's OC3 would report for this birthday, or null when there is none in the window. */
  contact: CareLeaverRecordRow | null
}

export interface CareLeaverPage {
  c: CaseFrame
  details: CareLeaverRow | null
  /** Newest first. */
  records: CareLeaverRecordRow[]
  clocks: ClockView[]
  latestContact: CareLeaverRecordRow | null
  birthdays: BirthdayContact[]
}

/** The 17th to 21st birthdays on or before today, each with the contact in its window. */
export function birthdayContacts(dateOfBirth: string | null, today: string, records: CareLeaverRecordRow[]): BirthdayContact[] {
  if (!dateOfBirth) return []
  const contacts = records.filter((r) => r.kind === 'contact')
  const out: BirthdayContact[] = []
  for (let age = 17; age <= 21; age++) {
    const birthday = addMonths(dateOfBirth, age * 12)
    if (birthday > today) break
    const from = addMonths(birthday, -3)
    const to = addMonths(birthday, 1)
    const inWindow = contacts.filter((r) => r.on >= from && r.on <= to).sort((a, b) => b.on.localeCompare(a.on))
    out.push({ age, birthday, contact: inWindow[0] ?? null })
  }
  return out
}

/** A case's care leaver details, records and clocks (audited read). */
export function careLeaverOfCase(ctx: ServiceContext, caseId: string): Promise<CareLeaverPage> {
  return withCase(ctx, caseId, 'case:read', async (tx, open) => {
    const [details] = await tx.select().from(careLeaver).where(eq(careLeaver.caseId, open.c.id))
    const records = await tx
      .select()
      .from(careLeaverRecord)
      .where(eq(careLeaverRecord.caseId, open.c.id))
      .orderBy(desc(careLeaverRecord.on), desc(careLeaverRecord.createdAt))
    const today = londonDate(ctx.now())
    const clocks = (await clocksOfCase(tx, open.c.id, today)).filter((k) => PAGE_RULES.has(k.rule))
    return {
      c: await caseFrame(ctx, tx, open),
      details: details ?? null,
      records,
      clocks,
      latestContact: records.find((r) => r.kind === 'contact') ?? null,
      birthdays: birthdayContacts(open.c.dateOfBirth, today, records),
    }
  }, SECTION)
}

/** Saves the care leaver's details: the first time as a new record, after that as a change of the version read. */
export async function saveCareLeaverDetails(ctx: ServiceContext, caseId: string, input: CareLeaverDetails): Promise<CareLeaverRow> {
  const future = futureDateErrors(londonDate(ctx.now()), {
    personalAdviserFrom: [input.personalAdviserFrom, 'the date the personal adviser started'],
    stayingPutFrom: [input.stayingPutFrom, 'the date staying put began'],
  })
  if (Object.keys(future).length > 0) throw new ValidationFailed(future)
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const [current] = await tx.select().from(careLeaver).where(eq(careLeaver.caseId, open.c.id))
    const { version, ...values } = input
    if (current) {
      const row = await updateRecord<CareLeaverRow>(ctx, tx, open, 'care-leaver', careLeaver, current.id, version ?? 0, values)
      await syncLeavingCareSupportClock(ctx, tx, open)
      return row
    }
    const row = await createRecord<CareLeaverRow>(ctx, tx, open, 'care-leaver', careLeaver, values)
    // A young person whose case closed when they left care (before the care leaver stage) is supported again.
    if (open.c.status === 'closed') await setCaseStage(ctx, tx, open, 'care-leaver', londonDate(ctx.now()))
    await syncLeavingCareSupportClock(ctx, tx, open)
    return row
  }, SECTION)
}

/** Records a pathway plan, a review (each completing the running review clock and starting the next) or a contact. */
export async function recordCareLeaverRecord(ctx: ServiceContext, caseId: string, input: CareLeaverRecordInput): Promise<CareLeaverRecordRow> {
  const future = futureDateErrors(londonDate(ctx.now()), { on: [input.on, 'the date'] })
  if (Object.keys(future).length > 0) throw new ValidationFailed(future)
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const ending = input.kind === SUPPORT_ENDED
    if (ending) await refuseEndOfSupport(tx, open.c.id)
    const plan = input.kind === 'pathway-plan' || input.kind === 'pathway-plan-review'
    const running = plan || ending ? await tx.select().from(clock).where(and(eq(clock.caseId, open.c.id), eq(clock.rule, RULE), isNull(clock.completedOn))) : []
    const overdue = plan && running.find((k) => input.on > k.dueOn)
    if (overdue) requireLateReason('lateReasonCode', 'the pathway plan review', overdue.dueOn, input.on, input.lateReasonCode)
    const row = await createRecord<CareLeaverRecordRow>(ctx, tx, open, 'care-leaver-record', careLeaverRecord, {
      kind: input.kind,
      on: input.on,
      inTouch: input.inTouch,
      activity: input.activity,
      accommodation: input.accommodation,
      notes: input.notes,
    })
    for (const k of running) {
      const late = plan && input.on > k.dueOn
      await completeClocks(ctx, tx, { subjectId: k.subjectId, rule: RULE, completedOn: input.on, delayReason: late ? input.lateReason : null, delayReasonCode: late ? input.lateReasonCode : null })
    }
    if (plan) await startClock(ctx, tx, open, { rule: RULE, start: input.on, subjectType: 'care-leaver-record', subjectId: row.id, task: 'Review the pathway plan' })
    if (ending) await leaveStage(ctx, tx, open, 'care-leaver', input.on)
    if (ending) await syncLeavingCareSupportClock(ctx, tx, open)
    return row
  }, SECTION)
}

/** Support can end only for a care leaver whose details are recorded, whose support has not ended, who is no longer looked after. */
async function refuseEndOfSupport(tx: Db, caseId: string): Promise<void> {
  const [inCare] = await tx.select({ id: lookedAfterPeriod.id }).from(lookedAfterPeriod).where(and(eq(lookedAfterPeriod.caseId, caseId), isNull(lookedAfterPeriod.endedOn)))
  if (inCare) throw new ValidationFailed({ kind: 'The young person is still looked after: record that they left care first' })
  if (!(await careLeaverSupportOpen(tx, caseId))) {
    const [details] = await tx.select({ id: careLeaver.id }).from(careLeaver).where(eq(careLeaver.caseId, caseId))
    throw new ValidationFailed({ kind: details ? 'Leaving care support has already ended' : 'Record the care leaver’s details first' })
  }
}

/**
 * When care ends (in the transaction of journey/looked-after.ts's endLookedAfter): a young person
 * entitled to leaving care support gets their care leaver details, in the category the end gives
 * them, unless the worker recorded them already; one who leaves by adoption, death or to another
 * authority has any support recorded as ended.
 */
export async function recordCareLeaverOnLeaving(ctx: ServiceContext, tx: Db, open: OpenCase, end: { endedOn: string; reasonCeased: string }): Promise<void> {
  const [details] = await tx.select({ id: careLeaver.id }).from(careLeaver).where(eq(careLeaver.caseId, open.c.id))
  if (details) {
    if (NEVER_CARE_LEAVER_EXIT.has(end.reasonCeased) && (await careLeaverSupportOpen(tx, open.c.id))) {
      await createRecord<CareLeaverRecordRow>(ctx, tx, open, 'care-leaver-record', careLeaverRecord, {
        kind: SUPPORT_ENDED,
        on: end.endedOn,
        notes: `Left care (${end.reasonCeased}): not a care leaver of this authority`,
      })
      const running = await tx.select({ subjectId: clock.subjectId }).from(clock).where(and(eq(clock.caseId, open.c.id), eq(clock.rule, RULE), isNull(clock.completedOn)))
      for (const k of running) await completeClocks(ctx, tx, { subjectId: k.subjectId, rule: RULE, completedOn: end.endedOn })
      await syncLeavingCareSupportClock(ctx, tx, open)
    }
    return
  }
  const periods = await tx.select({ startedOn: lookedAfterPeriod.startedOn, endedOn: lookedAfterPeriod.endedOn }).from(lookedAfterPeriod).where(eq(lookedAfterPeriod.caseId, open.c.id))
  const category = careLeaverCategoryOnLeaving({ dateOfBirth: open.c.dateOfBirth, periods, endedOn: end.endedOn, reasonCeased: end.reasonCeased })
  if (category) {
    await createRecord<CareLeaverRow>(ctx, tx, open, 'care-leaver', careLeaver, { category })
    await syncLeavingCareSupportClock(ctx, tx, open)
  }
}

/**
 * Keeps the leaving care support clock in step with the record: a running clock is met when
 * support ends, or (the clock at 21) when support to 25 is recorded; while support is open, the
 * clock due (at 21, or 25 with support to 25) starts if it has not yet, on the care leaver's
 * details as its subject. A clock at 25 whose support to 25 is taken off again (recorded in error)
 * goes, with its task. Nothing starts without a date of birth.
 */
export async function syncLeavingCareSupportClock(ctx: ServiceContext, tx: Db, open: OpenCase): Promise<void> {
  const [details] = await tx.select({ id: careLeaver.id, supportTo25: careLeaver.supportTo25 }).from(careLeaver).where(eq(careLeaver.caseId, open.c.id))
  if (!details) return
  const [ended] = await tx
    .select({ on: careLeaverRecord.on })
    .from(careLeaverRecord)
    .where(and(eq(careLeaverRecord.caseId, open.c.id), eq(careLeaverRecord.kind, SUPPORT_ENDED)))
    .orderBy(desc(careLeaverRecord.on))
    .limit(1)
  const today = londonDate(ctx.now())
  const clocks = await tx
    .select()
    .from(clock)
    .where(and(eq(clock.caseId, open.c.id), inArray(clock.rule, [...LEAVING_CARE_SUPPORT_RULES])))
  for (const k of clocks.filter((c) => c.completedOn === null)) {
    const rule = k.rule as LeavingCareSupportRule
    if (rule === 'leaving-care-support-25' && !details.supportTo25 && !ended) {
      await withdrawClock(tx, k.id)
      continue
    }
    const metOn = leavingCareSupportMetOn(rule, { supportEndedOn: ended?.on ?? null, supportTo25: details.supportTo25, today })
    if (metOn) await completeClocks(ctx, tx, { subjectId: k.subjectId, rule, completedOn: metOn })
  }
  if (ended) return
  const due = leavingCareSupportDue(open.c.dateOfBirth, details.supportTo25)
  if (!due || clocks.some((k) => k.rule === due.rule)) return
  await startClockIfInForce(ctx, tx, open, {
    rule: due.rule,
    start: due.start,
    subjectType: 'care-leaver',
    subjectId: details.id,
    task: `Review leaving care support by the ${due.age === 21 ? '21st' : '25th'} birthday`,
    due: () => due.due,
  })
}
