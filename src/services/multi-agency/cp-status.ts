/**
 * The child protection status check for unscheduled care (as NHS CP-IS does): a clinician enters a
 * child's NHS number and learns only whether the child has a current child protection plan, is
 * looked after (both when both hold), or (a mother's NHS number) whether her unborn child has a
 * plan; the date each started, and how to reach the responsible authority (its day-time duty line
 * and its out-of-hours service). When the child has a status, the answer repeats who was
 * found (NHS number, name, date of birth) so the clinician can confirm it is the child in front of
 * them; nothing else about the child is returned, and nothing at all when there is no status. Every check is audited and kept; when the child has a status, their
 * social worker (or the case's team) is notified and given a task to follow it up.
 */
import { and, asc, eq, isNotNull, isNull, lte } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { agency, agencyContactDetails, appUser, childCase, cpStatusCheck, lookedAfterPeriod, person, personRelationship, plan, task, team } from '../../db/schema/index.ts'
import { audit } from '../access/audit.ts'
import { type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import type { CpStatusCheckInput } from './cp-status-input.ts'
import { activeUsers, notifyUsers } from './notifications.ts'
import { recordAutomaticShare, sharedBy } from './information-sharing.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

/**
 * 'unborn-child-protection-plan': the NHS number is a mother's, and her unborn child has a child
 * protection plan (as CP-IS records an unborn child's plan against the mother's NHS number).
 */
export type CpStatus = 'child-protection-plan' | 'looked-after' | 'unborn-child-protection-plan' | 'none'

export interface CpStatusAnswer {
  /** The first of `statuses` (a plan before being looked after), or 'none'. */
  status: CpStatus
  /** When that plan (or the period of being looked after) started. */
  startedOn: string | null
  /** Every current status, each with its start: a child on a plan and looked after has both. */
  statuses: { status: Exclude<CpStatus, 'none'>; startedOn: string }[]
  /** The unborn child's plan, when the NHS number is the mother's: its start and the expected date of birth. */
  unbornChildPlan: { startedOn: string; expectedDateOfBirth: string | null } | null
  /** Who was found, to confirm the match (the mother, for an unborn child's plan). Null when there is no status here. */
  child: { nhsNumber: string; givenName: string; familyName: string; dateOfBirth: string | null } | null
  /**
   * The responsible authority: who to call. `phone`, `email` and `hours` are the day-time duty
   * line; `outOfHoursPhone` and `outOfHoursEmail` the out-of-hours service. Null when the child has no status here.
   */
  authority: {
    name: string
    team: string | null
    phone: string | null
    email: string | null
    hours: string | null
    outOfHoursPhone: string | null
    outOfHoursEmail: string | null
    socialWorker: string | null
  } | null
  checkedAt: Date
}

interface Found {
  personId: string
  child: NonNullable<CpStatusAnswer['child']>
  caseId: string
  teamId: string | null
  workerId: string | null
  status: Exclude<CpStatus, 'none'>
  startedOn: string
  expectedDateOfBirth?: string | null
}

type CaseRow = typeof childCase.$inferSelect

async function currentPlanStart(tx: Db, caseId: string, today: string): Promise<string | null> {
  const [cp] = await tx
    .select({ startedOn: plan.startedOn })
    .from(plan)
    .where(and(eq(plan.caseId, caseId), eq(plan.kind, 'child-protection'), isNull(plan.endedOn), lte(plan.startedOn, today)))
    .orderBy(asc(plan.startedOn))
    .limit(1)
  return cp?.startedOn ?? null
}

/**
 * Every current status of the person with this NHS number: a child protection plan and being
 * looked after (both, when both hold), and a plan of the unborn child of a mother with it.
 */
async function statusesOf(tx: Db, partnershipId: string, nhs: string, today: string): Promise<Found[]> {
  const people = await tx
    .select({ id: person.id, givenName: person.givenName, familyName: person.familyName, dateOfBirth: person.dateOfBirth, sex: person.sex })
    .from(person)
    .where(and(eq(person.partnershipId, partnershipId), eq(person.nhsNumber, nhs)))
  const found: Found[] = []
  for (const p of people) {
    const child = { nhsNumber: nhs, givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth }
    const base = (c: CaseRow) => ({ personId: p.id, child, caseId: c.id, teamId: c.teamId, workerId: c.allocatedWorkerId })
    for (const c of await tx.select().from(childCase).where(eq(childCase.personId, p.id))) {
      const planStart = await currentPlanStart(tx, c.id, today)
      if (planStart) found.push({ ...base(c), status: 'child-protection-plan', startedOn: planStart })
      const [la] = await tx
        .select({ startedOn: lookedAfterPeriod.startedOn })
        .from(lookedAfterPeriod)
        .where(and(eq(lookedAfterPeriod.caseId, c.id), isNull(lookedAfterPeriod.endedOn), lte(lookedAfterPeriod.startedOn, today)))
        .limit(1)
      if (la) found.push({ ...base(c), status: 'looked-after', startedOn: la.startedOn })
    }
    // Her unborn children: a parent (not recorded as male) of a child not yet born.
    if (p.sex === 'M') continue
    const unborn = await tx
      .select({ c: childCase, expectedDateOfBirth: person.expectedDateOfBirth })
      .from(personRelationship)
      .innerJoin(person, eq(person.id, personRelationship.personId))
      .innerJoin(childCase, eq(childCase.personId, person.id))
      .where(and(
        eq(personRelationship.relatedPersonId, p.id),
        eq(personRelationship.kind, 'parent'),
        isNull(personRelationship.endedOn),
        isNull(person.dateOfBirth),
        isNotNull(person.expectedDateOfBirth),
      ))
    for (const u of unborn) {
      const planStart = await currentPlanStart(tx, u.c.id, today)
      if (planStart) found.push({ ...base(u.c), personId: u.c.personId, status: 'unborn-child-protection-plan', startedOn: planStart, expectedDateOfBirth: u.expectedDateOfBirth })
    }
  }
  const order: Found['status'][] = ['child-protection-plan', 'looked-after', 'unborn-child-protection-plan']
  return found.sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status))
}

async function authorityOf(tx: Db, found: Found): Promise<CpStatusAnswer['authority']> {
  if (!found.teamId) return null
  const [row] = await tx
    .select({
      name: agency.name,
      team: team.name,
      phone: agencyContactDetails.phone,
      email: agencyContactDetails.email,
      hours: agencyContactDetails.hours,
      outOfHoursPhone: agencyContactDetails.outOfHoursPhone,
      outOfHoursEmail: agencyContactDetails.outOfHoursEmail,
    })
    .from(team)
    .innerJoin(agency, eq(agency.id, team.agencyId))
    .leftJoin(agencyContactDetails, eq(agencyContactDetails.agencyId, agency.id))
    .where(eq(team.id, found.teamId))
  if (!row) return null
  const [worker] = found.workerId ? await tx.select({ name: appUser.displayName }).from(appUser).where(eq(appUser.id, found.workerId)) : []
  return { ...row, socialWorker: worker?.name ?? null }
}

export async function checkChildProtectionStatus(ctx: ServiceContext, input: CpStatusCheckInput): Promise<CpStatusAnswer> {
  const ground = requireGeneral(ctx, 'cp-status:check', 'The child protection status check is for clinicians in unscheduled care.')
  const now = ctx.now()
  const today = londonDate(now)
  return ctx.db.transaction(async (tx) => {
    const all = await statusesOf(tx, ctx.actor.partnershipId, input.nhsNumber, today)
    const found = all[0]
    const status: CpStatus = found?.status ?? 'none'
    const [check] = await tx
      .insert(cpStatusCheck)
      .values({
        partnershipId: ctx.actor.partnershipId,
        checkedBy: ctx.actor.userId,
        checkedAt: now,
        personId: found?.personId ?? null,
        caseId: found?.caseId ?? null,
        status,
        setting: input.setting ?? null,
      })
      .returning({ id: cpStatusCheck.id })
    // One entry for each child whose status was given (the mother's unborn child is a child of its own).
    const subjects = [...new Set(all.map((f) => f.personId))]
    for (const subjectPersonId of subjects.length > 0 ? subjects : [null]) {
      await audit(ctx, tx, {
        action: 'cp-status.check',
        recordType: 'cp-status-check',
        recordId: check!.id,
        subjectPersonId,
        ground: ground,
        detail: { status, statuses: all.filter((f) => f.personId === subjectPersonId).map((f) => f.status), setting: input.setting ?? null },
      })
    }
    const none = { status, startedOn: null, statuses: [], unbornChildPlan: null, child: null, authority: null, checkedAt: now }
    if (!found) return none
    // The status given is shared with the clinician: on each child's sharing ledger with its basis.
    await recordAutomaticShare(tx, { ...sharedBy(ctx), kind: 'cp-status-answer', sourceId: check!.id, recipientUserId: ctx.actor.userId, caseIds: all.map((f) => f.caseId) })
    const where = input.setting ? `at ${input.setting}` : 'in unscheduled care'
    for (const f of all.filter((f, i) => all.findIndex((g) => g.caseId === f.caseId) === i)) {
      const unborn = f.status === 'unborn-child-protection-plan'
      const title = unborn
        ? `The mother of an unborn child on your caseload was seen ${where}: ${ctx.actor.displayName} checked the child protection status`
        : `A child on your caseload was seen ${where}: ${ctx.actor.displayName} checked their child protection status`
      const recipients = f.workerId ? [f.workerId] : f.teamId ? await activeUsers(tx, { teamId: f.teamId }) : []
      await notifyUsers(ctx, tx, recipients, { kind: 'cp-status-checked', title, link: `/cases/${f.caseId}`, caseId: f.caseId })
      await tx.insert(task).values({
        partnershipId: ctx.actor.partnershipId,
        caseId: f.caseId,
        title: unborn ? `Follow up: the mother was seen ${where} and the status was checked` : `Follow up: the child was seen ${where} and their status was checked`,
        dueOn: today,
        assigneeUserId: f.workerId,
        assigneeTeamId: f.workerId ? null : f.teamId,
        createdBy: ctx.actor.userId,
      })
    }
    const unborn = all.find((f) => f.status === 'unborn-child-protection-plan')
    return {
      status,
      startedOn: found.startedOn,
      statuses: all.map((f) => ({ status: f.status, startedOn: f.startedOn })),
      unbornChildPlan: unborn ? { startedOn: unborn.startedOn, expectedDateOfBirth: unborn.expectedDateOfBirth ?? null } : null,
      child: found.child,
      authority: await authorityOf(tx, found),
      checkedAt: now,
    }
  })
}
