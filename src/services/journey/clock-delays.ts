/**
 * Clocks that always ask why: the reason a case's statutory clock was completed late (or is
 * running late), coded (DELAY_REASON) with the worker's own words, given or changed afterwards by
 * anyone who may change the case (the allocated worker, the team's manager): versioned and
 * audited. And the late completions counted by reason, for the team view and the scorecard.
 */
import { and, eq, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/connection.ts'
import { clock } from '../../db/schema/index.ts'
import { DELAY_REASON, labelOf, NO_DELAY_REASON } from '../../domain/journey/codes.ts'
import { audit, auditGrouped } from '../access/audit.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { viewClock, type ClockView } from './clocks.ts'
import { caseFrame, type CaseFrame } from './case-notes.ts'
import { withCase } from './case-records.ts'
import type { DelayReasonInput } from './clock-delays-input.ts'

export interface ClockDelay {
  c: CaseFrame
  clock: ClockView & { delayReasonCode: string | null; version: number; late: boolean }
}

const SECTION = 'overview'

async function clockOfCase(tx: Db, caseId: string, clockId: string) {
  const [row] = await tx.select().from(clock).where(and(eq(clock.id, clockId), eq(clock.caseId, caseId)))
  if (!row) throw new NotFound('No such timescale on this case')
  return row
}

const late = (row: typeof clock.$inferSelect, today: string) => (row.completedOn ?? today) > row.dueOn

/** A case's clock with its reason for delay (coded and in words), for the reason's page and API. */
export function clockDelay(ctx: ServiceContext, caseId: string, clockId: string): Promise<ClockDelay> {
  return withCase(ctx, caseId, 'case:read', async (tx, open) => {
    const row = await clockOfCase(tx, open.c.id, clockId)
    const today = londonDate(ctx.now())
    return {
      c: await caseFrame(ctx, tx, open),
      clock: { ...viewClock(row, today), delayReasonCode: row.delayReasonCode, version: row.version, late: late(row, today) },
    }
  }, SECTION)
}

/**
 * Gives or changes the reason a clock was late (or is running late): only for a clock past its
 * due date; names the clock's version read (a stale one is an EditConflict); audited with the
 * code, never the words.
 */
export function setClockDelay(ctx: ServiceContext, caseId: string, clockId: string, input: DelayReasonInput): Promise<ClockDelay['clock']> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const current = await clockOfCase(tx, open.c.id, clockId)
    const today = londonDate(ctx.now())
    if (!late(current, today)) throw new ValidationFailed({ reasonCode: 'This timescale was not late: there is no delay to explain' })
    const [row] = await tx
      .update(clock)
      .set({ delayReasonCode: input.reasonCode, delayReason: input.reason, version: sql`${clock.version} + 1`, updatedAt: ctx.now() })
      .where(and(eq(clock.id, clockId), eq(clock.version, input.version)))
      .returning()
    if (!row) {
      throw new EditConflict(
        `Someone else changed this timescale (now version ${current.version}) after you opened it (version ${input.version}). Your reason has not been saved.`,
        { reasonCode: current.delayReasonCode, reason: current.delayReason, version: current.version },
      )
    }
    await audit(ctx, tx, {
      action: current.delayReasonCode || current.delayReason ? 'clock.delay-reason.change' : 'clock.delay-reason.give',
      recordType: 'clock',
      recordId: row.id,
      subjectPersonId: open.c.personId,
      ground: open.ground,
      detail: { rule: row.rule, reasonCode: input.reasonCode, previousCode: current.delayReasonCode },
    })
    return { ...viewClock(row, today), delayReasonCode: row.delayReasonCode, version: row.version, late: true }
  }, SECTION)
}

/** Late completions counted by reason: each DELAY_REASON code, then those with no code yet. */
export interface LateByReason {
  from: string
  to: string
  reasons: { reason: string; label: string; count: number }[]
  total: number
}

export function countByReason(rows: { reason: string | null; count: number }[], from: string, to: string): LateByReason {
  const counts = new Map<string, number>()
  for (const r of rows) {
    const key = r.reason && DELAY_REASON.some((d) => d.code === r.reason) ? r.reason : NO_DELAY_REASON
    counts.set(key, (counts.get(key) ?? 0) + Number(r.count))
  }
  const reasons = [...DELAY_REASON.map((d) => d.code as string), NO_DELAY_REASON].map((reason) => ({
    reason,
    label: reason === NO_DELAY_REASON ? 'No coded reason given yet' : labelOf(DELAY_REASON, reason),
    count: counts.get(reason) ?? 0,
  }))
  return { from, to, reasons, total: reasons.reduce((n, r) => n + r.count, 0) }
}

/**
 * The partnership's (or one team's) timescales completed late between `from` and `to`, by coded
 * reason: the case clocks, and (for the whole partnership) serious incident notifications and
 * rapid reviews, referrals to the designated officer and cases concluded after 12 months, and the
 * decision on and completion of practice reviews and domestic abuse related death reviews.
 * Aggregates only: no child is named.
 */
export async function lateCompletionsByReason(db: Db, partnershipId: string, period: { from: string; to: string }, teamId: string | null = null): Promise<LateByReason> {
  const inPeriod = (column: string) => sql`${sql.raw(column)} between ${period.from} and ${period.to}`
  const caseClocks = sql`select k.delay_reason_code as reason, count(*)::int as count
      from clock k join child_case cc on cc.id = k.case_id
      where k.partnership_id = ${partnershipId} and k.completed_on > k.due_on and ${inPeriod('k.completed_on')}
      ${teamId ? sql`and cc.team_id = ${teamId}` : sql``}
      group by k.delay_reason_code`
  const partnershipClocks = sql`
      union all
      select i.notification_late_reason_code, count(*)::int from serious_incident i
        where i.partnership_id = ${partnershipId} and i.notified_on > i.notification_due_on and ${inPeriod('i.notified_on')} group by 1
      union all
      select i.rapid_review_late_reason_code, count(*)::int from serious_incident i
        where i.partnership_id = ${partnershipId} and i.submitted_to_panel_on > i.rapid_review_due_on and ${inPeriod('i.submitted_to_panel_on')} group by 1
      union all
      select l.referral_late_reason_code, count(*)::int from lado_case l
        where l.partnership_id = ${partnershipId} and l.referred_on > l.referral_due_on and ${inPeriod('l.referred_on')} group by 1
      union all
      select l.exceptional_reason_code, count(*)::int from lado_case l
        where l.partnership_id = ${partnershipId} and l.edition >= 2018 and l.outcome_on > (l.referred_on + interval '12 months')::date
          and ${inPeriod('l.outcome_on')} group by 1
      union all
      select r.late_reason_code, count(*)::int from practice_review r
        cross join lateral (select case when r.kind = 'lcspr' then r.published_on else r.completed_on end as finished_on) f
        where r.partnership_id = ${partnershipId} and f.finished_on > r.due_on and ${inPeriod('f.finished_on')} group by 1
      union all
      select r.decision_late_reason_code, count(*)::int from practice_review r
        where r.partnership_id = ${partnershipId} and r.decided_on > r.decision_due_on and ${inPeriod('r.decided_on')} group by 1
      union all
      select d.late_reason_code, count(*)::int from dar_review d
        where d.partnership_id = ${partnershipId} and d.home_office_sent_on > d.completion_due_on and ${inPeriod('d.home_office_sent_on')} group by 1
      union all
      select d.decision_late_reason_code, count(*)::int from dar_review d
        where d.partnership_id = ${partnershipId} and d.decided_on > d.decision_due_on and ${inPeriod('d.decided_on')} group by 1`
  const rows = await queryRows<{ reason: string | null; count: number }>(db, teamId ? caseClocks : sql`${caseClocks} ${partnershipClocks}`)
  return countByReason(rows, period.from, period.to)
}

/** A year back from `today`: the period the team view counts. */
export function yearTo(today: string): { from: string; to: string } {
  // The same day a year before (28 February for 29 February), then the day after it.
  const [y, m, day] = today.split('-').map(Number) as [number, number, number]
  const d = new Date(Date.UTC(y - 1, m - 1, Math.min(day, new Date(Date.UTC(y - 1, m, 0)).getUTCDate())))
  d.setUTCDate(d.getUTCDate() + 1)
  return { from: d.toISOString().slice(0, 10), to: today }
}

/** The user's team's late completions of the last 12 months by reason (`team:oversee`; audited once). */
export async function teamLateReasons(ctx: ServiceContext): Promise<LateByReason & { teamId: string }> {
  const ground = requireGeneral(ctx, 'team:oversee')
  if (!ctx.actor.teamId) throw new AccessDenied('You are not a member of a team, so there is no team to oversee.')
  const counted = await lateCompletionsByReason(ctx.db, ctx.actor.partnershipId, yearTo(londonDate(ctx.now())), ctx.actor.teamId)
  await auditGrouped(ctx, { action: 'team.late-reasons', recordType: 'team', recordId: ctx.actor.teamId, ground: ground, detail: { from: counted.from, to: counted.to } })
  return { ...counted, teamId: ctx.actor.teamId }
}

/**
 * A form completing a timescale after its due date must say why (coded): the field error naming
 * the due date and the date given. Nothing when it was on time or the code is there.
 */
export function requireLateReason(field: string, what: string, dueOn: string | null, on: string, code: string | null): void {
  if (dueOn === null || on <= dueOn || code) return
  throw new ValidationFailed({ [field]: `Select the reason ${what} was late: it was due by ${longDay(dueOn)} and done on ${longDay(on)}` })
}

/**
 * A partnership record's timescale explained afterwards must have been completed late: the field
 * error on `timescale` otherwise.
 */
export function requireCompletedLate(dueOn: string | null, doneOn: string | null): void {
  if (!dueOn || !doneOn || doneOn <= dueOn) throw new ValidationFailed({ timescale: 'That timescale was not completed late: there is no delay to explain' })
}

const longDay = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
