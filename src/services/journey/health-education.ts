/**
 * A looked-after child's health and education records (issue 19 §4). Each record is an event on a
 * day, and the clocks of its chain follow from it: a health assessment completes the initial or the
 * running review health assessment clock and starts the next (6 months for a child under 5 on the
 * day, else 12); a questionnaire starts the next a year on while the child will still be 16 or
 * under; a personal education plan or review starts the next review (each term). The initial health
 * assessment and plan clocks start when the child becomes looked after (startCareStartClocks), and
 * what still runs stops when the child leaves care (endCareClocks). A
 * record that completes a clock after its due date asks for the coded reason, as every late clock
 * does. The next clocks start only while the child is looked after.
 */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { clock, healthEducationRecord, lookedAfterPeriod } from '../../db/schema/index.ts'
import { ageOn } from '../../domain/returns/annex-a/codes.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import type { RuleId } from '../../domain/timescales/index.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { caseFrame, type CaseFrame } from './case-notes.ts'
import { createRecord, withCase, type OpenCase } from './case-records.ts'
import { requireLateReason } from './clock-delays.ts'
import { clocksOfCase, completeClocks, startClockIfInForce, type ClockView } from './clocks.ts'
import type { HealthEducationInput } from './health-education-input.ts'

export type HealthEducationRow = typeof healthEducationRecord.$inferSelect

const ENTITY = 'health-education'
const SECTION = 'health-education'

/** Each kind's chain: the clocks a record of it completes, and the clock it starts next. */
const CHAINS: Record<string, { completes: RuleId[]; next?: (age: number | null) => RuleId | null }> = {
  'initial-health-assessment': { completes: ['initial-health-assessment', 'review-health-assessment-under-5', 'review-health-assessment'], next: reviewHealthAssessment },
  'review-health-assessment': { completes: ['initial-health-assessment', 'review-health-assessment-under-5', 'review-health-assessment'], next: reviewHealthAssessment },
  sdq: { completes: ['sdq'], next: (age) => (age !== null && age + 1 <= 16 ? 'sdq' : null) },
  pep: { completes: ['pep', 'pep-review'], next: () => 'pep-review' },
  'pep-review': { completes: ['pep', 'pep-review'], next: () => 'pep-review' },
}

const TASK: Partial<Record<RuleId, string>> = {
  'initial-health-assessment': 'Arrange the initial health assessment',
  'review-health-assessment-under-5': 'Arrange the review health assessment',
  'review-health-assessment': 'Arrange the review health assessment',
  sdq: 'Ask the carer to complete the strengths and difficulties questionnaire',
  pep: 'Hold the personal education plan meeting',
  'pep-review': 'Review the personal education plan',
}

const HEALTH_EDUCATION_RULES = Object.keys(TASK) as RuleId[]

function reviewHealthAssessment(age: number | null): RuleId {
  return age !== null && age < 5 ? 'review-health-assessment-under-5' : 'review-health-assessment'
}

export interface HealthEducationPage {
  c: CaseFrame
  /** Newest first. */
  records: HealthEducationRow[]
  /** The health and education clocks of the case, running first. */
  clocks: ClockView[]
  /** The latest day of each kind (Annex A list 8: last health assessment, last dental check). */
  latest: Partial<Record<string, string>>
}

/** A case's health and education records and clocks (audited read). */
export function healthEducationOfCase(ctx: ServiceContext, caseId: string): Promise<HealthEducationPage> {
  return withCase(ctx, caseId, 'case:read', async (tx, open) => {
    const records = await tx
      .select()
      .from(healthEducationRecord)
      .where(eq(healthEducationRecord.caseId, open.c.id))
      .orderBy(desc(healthEducationRecord.doneOn), desc(healthEducationRecord.createdAt))
    const clocks = (await clocksOfCase(tx, open.c.id, londonDate(ctx.now())))
      .filter((k) => HEALTH_EDUCATION_RULES.includes(k.rule as RuleId))
      .sort((a, b) => Number(a.completedOn !== null) - Number(b.completedOn !== null) || b.startOn.localeCompare(a.startOn))
    const latest: Partial<Record<string, string>> = {}
    for (const r of records) latest[r.kind] ??= r.doneOn
    return { c: await caseFrame(ctx, tx, open), records, clocks, latest }
  }, SECTION)
}

async function lookedAfterOn(tx: Db, caseId: string): Promise<boolean> {
  const open = await tx.select({ id: lookedAfterPeriod.id }).from(lookedAfterPeriod).where(and(eq(lookedAfterPeriod.caseId, caseId), isNull(lookedAfterPeriod.endedOn)))
  return open.length > 0
}

/** Records a health or education event, completing the clocks of its chain and starting the next. */
export async function recordHealthEducation(ctx: ServiceContext, caseId: string, input: HealthEducationInput): Promise<HealthEducationRow> {
  const future = futureDateErrors(londonDate(ctx.now()), { doneOn: [input.doneOn, 'the date it was done'] })
  if (Object.keys(future).length > 0) throw new ValidationFailed(future)
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const chain = CHAINS[input.kind]
    const running = chain
      ? await tx.select().from(clock).where(and(eq(clock.caseId, open.c.id), inArray(clock.rule, chain.completes), isNull(clock.completedOn)))
      : []
    const overdue = running.filter((k) => input.doneOn > k.dueOn).sort((a, b) => a.dueOn.localeCompare(b.dueOn))[0]
    if (overdue) requireLateReason('lateReasonCode', 'it', overdue.dueOn, input.doneOn, input.lateReasonCode)
    const row = await createRecord<HealthEducationRow>(ctx, tx, open, ENTITY, healthEducationRecord, {
      kind: input.kind,
      doneOn: input.doneOn,
      upToDate: input.upToDate,
      sdqScore: input.sdqScore,
      sdqReason: input.sdqReason,
      doneBy: input.doneBy,
      notes: input.notes,
    })
    for (const k of running) {
      const late = input.doneOn > k.dueOn
      await completeClocks(ctx, tx, {
        subjectId: k.subjectId,
        rule: k.rule as RuleId,
        completedOn: input.doneOn,
        delayReason: late ? input.lateReason : null,
        delayReasonCode: late ? input.lateReasonCode : null,
      })
    }
    const next = chain?.next?.(ageOn(open.c.dateOfBirth, input.doneOn))
    if (next && (await lookedAfterOn(tx, open.c.id))) {
      await startClockIfInForce(ctx, tx, open, { rule: next, start: input.doneOn, subjectType: ENTITY, subjectId: row.id, task: TASK[next]! })
    }
    return row
  }, SECTION)
}

/** When the child stops being looked after: the health and education clocks still running stop with the period. */
export async function endCareClocks(ctx: ServiceContext, tx: Db, caseId: string, endedOn: string): Promise<void> {
  const running = await tx.select().from(clock).where(and(eq(clock.caseId, caseId), inArray(clock.rule, HEALTH_EDUCATION_RULES), isNull(clock.completedOn)))
  for (const k of running) await completeClocks(ctx, tx, { subjectId: k.subjectId, rule: k.rule as RuleId, completedOn: endedOn })
}

/**
 * When a child becomes looked after: the initial health assessment's clock and, for a child of 3 or
 * over, the personal education plan's. Called by the looked-after service in its transaction.
 */
export async function startCareStartClocks(ctx: ServiceContext, tx: Db, open: OpenCase, periodId: string, startedOn: string): Promise<void> {
  const age = ageOn(open.c.dateOfBirth, startedOn)
  const rules: RuleId[] = ['initial-health-assessment', ...(age !== null && age >= 3 && age < 18 ? (['pep'] as const) : [])]
  for (const rule of rules) {
    await startClockIfInForce(ctx, tx, open, { rule, start: startedOn, subjectType: 'looked-after', subjectId: periodId, task: TASK[rule]! })
  }
}

