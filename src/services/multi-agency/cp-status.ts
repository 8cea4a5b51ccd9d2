/**
 * The child protection status check for unscheduled care (as NHS CP-IS does): a clinician enters a
 * child's NHS number and learns only whether the child has a current child protection plan or is
 * looked after, the date it started, and how to reach the responsible authority (its day-time duty
 * line and its out-of-hours service). When the child has a status, the answer repeats who was
 * found (NHS number, name, date of birth) so the clinician can confirm it is the child in front of
 * them; nothing else about the child is returned, and nothing at all when there is no status. Every check is audited and kept; when the child has a status, their
 * social worker (or the case's team) is notified and given a task to follow it up.
 */
import { and, asc, eq, isNull, lte } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { agency, agencyContactDetails, appUser, childCase, cpStatusCheck, lookedAfterPeriod, person, plan, task, team } from '../../db/schema/index.ts'
import { decideGeneral } from '../../domain/access/policy.ts'
import { audit } from '../access/audit.ts'
import { AccessDenied, type ServiceContext } from '../common/context.ts'
import type { CpStatusCheckInput } from './cp-status-input.ts'
import { activeUsers, notifyUsers } from './notifications.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export type CpStatus = 'child-protection-plan' | 'looked-after' | 'none'

export interface CpStatusAnswer {
  status: CpStatus
  /** When the plan (or the period of being looked after) started. */
  startedOn: string | null
  /** Who was found, to confirm the match. Null when the child has no status here. */
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
  status: CpStatus
  startedOn: string | null
}

/** The child's case with a current child protection plan, or else one where they are looked after. */
async function statusOf(tx: Db, partnershipId: string, nhs: string, today: string): Promise<Found | null> {
  const people = await tx
    .select({ id: person.id, givenName: person.givenName, familyName: person.familyName, dateOfBirth: person.dateOfBirth })
    .from(person)
    .where(and(eq(person.partnershipId, partnershipId), eq(person.nhsNumber, nhs)))
  for (const p of people) {
    const cases = await tx.select().from(childCase).where(eq(childCase.personId, p.id))
    for (const c of cases) {
      const child = { nhsNumber: nhs, givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth }
      const base = { personId: p.id, child, caseId: c.id, teamId: c.teamId, workerId: c.allocatedWorkerId }
      const [cp] = await tx
        .select({ startedOn: plan.startedOn })
        .from(plan)
        .where(and(eq(plan.caseId, c.id), eq(plan.kind, 'child-protection'), isNull(plan.endedOn), lte(plan.startedOn, today)))
        .orderBy(asc(plan.startedOn))
        .limit(1)
      if (cp) return { ...base, status: 'child-protection-plan', startedOn: cp.startedOn }
      const [la] = await tx
        .select({ startedOn: lookedAfterPeriod.startedOn })
        .from(lookedAfterPeriod)
        .where(and(eq(lookedAfterPeriod.caseId, c.id), isNull(lookedAfterPeriod.endedOn), lte(lookedAfterPeriod.startedOn, today)))
        .limit(1)
      if (la) return { ...base, status: 'looked-after', startedOn: la.startedOn }
    }
  }
  return null
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
  const decision = decideGeneral(ctx.actor, 'cp-status:check')
  if (!decision.allowed) throw new AccessDenied('The child protection status check is for clinicians in unscheduled care.')
  const now = ctx.now()
  const today = londonDate(now)
  return ctx.db.transaction(async (tx) => {
    const found = await statusOf(tx, ctx.actor.partnershipId, input.nhsNumber, today)
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
    await audit(ctx, tx, {
      action: 'cp-status.check',
      recordType: 'cp-status-check',
      recordId: check!.id,
      subjectPersonId: found?.personId ?? null,
      ground: decision.ground,
      detail: { status, setting: input.setting ?? null },
    })
    if (!found) return { status, startedOn: null, child: null, authority: null, checkedAt: now }
    const where = input.setting ? `at ${input.setting}` : 'in unscheduled care'
    const title = `A child on your caseload was seen ${where}: ${ctx.actor.displayName} checked their child protection status`
    const recipients = found.workerId ? [found.workerId] : found.teamId ? await activeUsers(tx, { teamId: found.teamId }) : []
    await notifyUsers(ctx, tx, recipients, { kind: 'cp-status-checked', title, link: `/cases/${found.caseId}`, caseId: found.caseId })
    await tx.insert(task).values({
      partnershipId: ctx.actor.partnershipId,
      caseId: found.caseId,
      title: `Follow up: the child was seen ${where} and their status was checked`,
      dueOn: today,
      assigneeUserId: found.workerId,
      assigneeTeamId: found.workerId ? null : found.teamId,
      createdBy: ctx.actor.userId,
    })
    return { status, startedOn: found.startedOn, child: found.child, authority: await authorityOf(tx, found), checkedAt: now }
  })
}
