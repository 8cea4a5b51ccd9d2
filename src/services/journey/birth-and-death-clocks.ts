/**
 * Two clocks that start from a child's own details (issue 17 §3): the pre-birth child protection
 * conference of an unborn child (by the partnership's weeks of gestation, 28 by default, counted
 * from the expected date of delivery less 40 weeks), started with the section 47 enquiry and met
 * by the initial conference; and the notification of a child's death to the child death review
 * partners (the CDOP), started when a date of death is recorded and met when the notification is
 * recorded here, asking for the coded reason when it was late.
 */
import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { clock, person } from '../../db/schema/index.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { pregnancyStart, TimescaleError } from '../../domain/timescales/index.ts'
import { audit } from '../access/audit.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { caseFrame, type CaseFrame } from './case-notes.ts'
import { withCase, type OpenCase } from './case-records.ts'
import { requireLateReason } from './clock-delays.ts'
import { completeClocks, restartClock, startClockIfInForce, viewClock, withdrawClock, type ClockView } from './clocks.ts'
import type { ChildDeathNotificationInput } from './birth-and-death-clocks-input.ts'

const DEATH_SUBJECT = 'person'

/**
 * An enquiry about an unborn child (an expected date of birth, no date of birth) also starts the
 * pre-birth conference clock from the start of the pregnancy, on the enquiry (the initial
 * conference completes it, as it does the 'icpc' clock).
 */
export async function startPrebirthClock(ctx: ServiceContext, tx: Db, open: OpenCase, section47Id: string): Promise<void> {
  const [child] = await tx.select({ expected: person.expectedDateOfBirth, born: person.dateOfBirth }).from(person).where(eq(person.id, open.c.personId))
  if (!child?.expected || child.born) return
  await startClockIfInForce(ctx, tx, open, {
    rule: 'prebirth-conference',
    start: pregnancyStart(child.expected),
    subjectType: 'section47',
    subjectId: section47Id,
    task: 'Hold the pre-birth child protection conference',
  })
}

/**
 * Keeps the child death notification clock in step with the child's date of death on this case:
 * recorded, the clock starts (48 hours, from April 2019); corrected, it starts again from the new
 * date; removed (recorded in error), an unmet clock and its task go.
 */
export async function syncChildDeathClock(ctx: ServiceContext, tx: Db, open: OpenCase, dateOfDeath: string | null): Promise<void> {
  const subject = and(eq(clock.caseId, open.c.id), eq(clock.subjectId, open.c.personId), eq(clock.rule, 'cdop-notification'))
  const [existing] = await tx.select().from(clock).where(subject)
  if (dateOfDeath === null) {
    if (existing && !existing.completedOn) await withdrawClock(tx, existing.id)
    return
  }
  if (existing) {
    try {
      await restartClock(ctx, tx, { subjectId: open.c.personId, rule: 'cdop-notification', start: dateOfDeath })
    } catch (err) {
      if (!(err instanceof TimescaleError)) throw err
    }
    return
  }
  await startClockIfInForce(ctx, tx, open, {
    rule: 'cdop-notification',
    start: dateOfDeath,
    subjectType: DEATH_SUBJECT,
    subjectId: open.c.personId,
    task: 'Notify the child death review partners (CDOP) of the child’s death',
  })
}

export interface ChildDeathNotification {
  c: CaseFrame
  /** The notification clock, or null when no date of death is recorded (or it is from before April 2019). */
  clock: ClockView | null
}

async function deathClockOf(tx: Db, open: OpenCase) {
  const [row] = await tx
    .select()
    .from(clock)
    .where(and(eq(clock.caseId, open.c.id), eq(clock.subjectId, open.c.personId), eq(clock.rule, 'cdop-notification')))
  return row ?? null
}

/** The case's child death notification clock (audited read). */
export function childDeathNotification(ctx: ServiceContext, caseId: string): Promise<ChildDeathNotification> {
  return withCase(ctx, caseId, 'case:read', async (tx, open) => {
    const row = await deathClockOf(tx, open)
    return { c: await caseFrame(ctx, tx, open), clock: row ? viewClock(row, londonDate(ctx.now())) : null }
  }, 'overview')
}

/**
 * Records the day the child death review partners were notified: completes the clock; after its
 * due date the coded reason is required (the reason can be changed later on the clock's reason page).
 */
export async function recordChildDeathNotification(ctx: ServiceContext, caseId: string, input: ChildDeathNotificationInput): Promise<ClockView> {
  const errors = futureDateErrors(londonDate(ctx.now()), { notifiedOn: [input.notifiedOn, 'the date of the notification'] })
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const row = await deathClockOf(tx, open)
    if (!row) throw new ValidationFailed({ notifiedOn: 'Record the child’s date of death first: the notification timescale starts from it' })
    if (row.completedOn) throw new ValidationFailed({ notifiedOn: `The notification was recorded as made on ${row.completedOn}` })
    if (input.notifiedOn < row.startOn) throw new ValidationFailed({ notifiedOn: `The notification cannot be before the death, ${row.startOn}` })
    requireLateReason('lateReasonCode', 'the notification', row.dueOn, input.notifiedOn, input.lateReasonCode)
    const late = input.notifiedOn > row.dueOn
    const [done] = await completeClocks(ctx, tx, {
      subjectId: open.c.personId,
      rule: 'cdop-notification',
      completedOn: input.notifiedOn,
      delayReason: late ? input.lateReason : null,
      delayReasonCode: late ? input.lateReasonCode : null,
    })
    await audit(ctx, tx, {
      action: 'child-death.notification',
      recordType: 'clock',
      recordId: row.id,
      subjectPersonId: open.c.personId,
      ground: open.ground,
      detail: { notifiedOn: input.notifiedOn, late, reasonCode: late ? input.lateReasonCode : null },
    })
    return viewClock(done!, londonDate(ctx.now()))
  }, 'overview')
}
