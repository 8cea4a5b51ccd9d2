/**
 * Chasing information requests (run by the jobs sweep): an open request past its deadline
 * reminds the agency's practitioners once; one still open as long again after its deadline is
 * escalated once, to the requester and the managers of their team, with a task for the requester.
 * Each row is claimed with a conditional update, so nothing is sent twice.
 */
import { and, eq, isNull, lte, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { agency, appUser, childCase, informationRequest, task } from '../../db/schema/index.ts'
import { appendAudit } from '../access/audit.ts'
import { activeUsers, notifyUsers } from './notifications.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export interface SweepResult {
  reminded: number
  escalated: number
}

export async function sweepInformationRequests(tx: Db, now: Date): Promise<SweepResult> {
  const open = eq(informationRequest.status, 'open')
  const reminded = await tx
    .update(informationRequest)
    .set({ remindedAt: now })
    .where(and(open, isNull(informationRequest.remindedAt), lte(informationRequest.dueAt, now)))
    .returning()
  for (const r of reminded) {
    const by = { actor: { partnershipId: r.partnershipId }, now: () => now }
    await notifyUsers(by, tx, await activeUsers(tx, { agencyId: r.toAgencyId }, ['partner-practitioner']), {
      kind: 'information-request-reminder',
      title: 'Reminder: an information request to your agency is past its deadline',
      link: `/information-requests/${r.id}`,
    })
    await appendAudit(tx, { partnershipId: r.partnershipId, actorUserId: null, action: 'information-request.remind', recordType: 'information-request', recordId: r.id, occurredAt: now, detail: {} })
  }
  const escalated = await tx
    .update(informationRequest)
    .set({ escalatedAt: now })
    .where(and(open, isNull(informationRequest.escalatedAt), sql`${informationRequest.dueAt} + (${informationRequest.dueAt} - ${informationRequest.sentAt}) <= ${now}`))
    .returning()
  for (const r of escalated) {
    const by = { actor: { partnershipId: r.partnershipId }, now: () => now }
    const [who] = await tx
      .select({ teamId: appUser.teamId, agencyName: agency.name, personId: childCase.personId })
      .from(appUser)
      .innerJoin(agency, eq(agency.id, r.toAgencyId))
      .innerJoin(childCase, eq(childCase.id, r.caseId))
      .where(eq(appUser.id, r.recordedBy))
    const managers = who?.teamId ? await activeUsers(tx, { teamId: who.teamId }, ['team-manager']) : []
    await notifyUsers(by, tx, [r.recordedBy, ...managers], {
      kind: 'information-request-escalated',
      title: `Escalated: ${who?.agencyName ?? 'an agency'} has not answered an information request, long past its deadline`,
      link: `/cases/${r.caseId}/information-requests`,
      caseId: r.caseId,
    })
    await tx.insert(task).values({
      partnershipId: r.partnershipId,
      caseId: r.caseId,
      title: `Chase ${who?.agencyName ?? 'the agency'}: information request overdue`,
      dueOn: londonDate(now),
      assigneeUserId: r.recordedBy,
      createdBy: null,
    })
    await appendAudit(tx, {
      partnershipId: r.partnershipId,
      actorUserId: null,
      action: 'information-request.escalate',
      recordType: 'information-request',
      recordId: r.id,
      subjectPersonId: who?.personId ?? null,
      occurredAt: now,
      detail: { toAgencyId: r.toAgencyId },
    })
  }
  return { reminded: reminded.length, escalated: escalated.length }
}
