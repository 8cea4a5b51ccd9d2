/**
 * Transferring a case to another team of the local authority (a referral leaving the front door
 * for an assessment team, say). A manager decision of the case's current team, or part of a front
 * door referral decision. The case's team changes as a versioned update, its allocation is cleared
 * (the receiving team allocates), open clock tasks held by the old team or worker move to the new
 * team, and a case_transfer record keeps the reason for the chronology. Access follows the team:
 * the policy's `team` relationship is the case's team_id.
 */
import { and, asc, eq, isNotNull, ne, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { agency, caseTransfer, childCase, task, team } from '../../db/schema/index.ts'
import { createRecord, showCase, updateCase, withCase, type OpenCase } from './case-records.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import type { TransferInput } from './case-transfer-input.ts'
import { type CaseSummary } from './case-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export type CaseTransferRow = typeof caseTransfer.$inferSelect

export interface TeamChoice {
  id: string
  name: string
}

/** The local authority's active teams (children's social care agencies) a case can move to. */
export async function transferTeams(db: Db, partnershipId: string, exceptTeamId: string | null = null): Promise<TeamChoice[]> {
  return db
    .select({ id: team.id, name: team.name })
    .from(team)
    .innerJoin(agency, eq(agency.id, team.agencyId))
    .where(
      and(
        eq(team.partnershipId, partnershipId),
        eq(team.active, true),
        eq(agency.type, 'la-childrens-social-care'),
        eq(agency.active, true),
        exceptTeamId ? ne(team.id, exceptTeamId) : undefined,
      ),
    )
    .orderBy(asc(team.name))
}

export interface Transfer {
  caseId: string
  teamId: string
  teamName: string
  /** The case's version after the transfer. */
  version: number
  /** Open clock tasks moved to the receiving team. */
  tasksMoved: number
  transfer: CaseTransferRow
}

/**
 * Moves an open case to another team inside the caller's transaction (access already decided):
 * at `expectedVersion` when the user named one (a stale one is an EditConflict).
 */
export async function moveCaseToTeam(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  input: { teamId: string; reason: string; expectedVersion?: number },
): Promise<Transfer> {
  if (open.c.status === 'closed') throw new ValidationFailed({ teamId: 'This case is closed: a closed case stays with the team that closed it' })
  if (open.c.teamId === input.teamId) throw new ValidationFailed({ teamId: 'The case is already with this team' })
  const [to] = (await transferTeams(tx, ctx.actor.partnershipId)).filter((t) => t.id === input.teamId)
  if (!to) throw new ValidationFailed({ teamId: 'Choose a team of the local authority from the list' })
  const from = { id: open.c.teamId, name: open.c.teamName, worker: open.c.allocatedWorkerId }

  const row = await updateCase(
    ctx,
    tx,
    open,
    { teamId: to.id, allocatedWorkerId: null },
    { ...(input.expectedVersion === undefined ? {} : { expectedVersion: input.expectedVersion }), action: 'case.transfer' },
  )
  open.c.teamName = to.name
  open.c.allocatedWorkerName = null
  const heldBefore = [
    ...(from.id ? [eq(task.assigneeTeamId, from.id)] : []),
    ...(from.worker ? [eq(task.assigneeUserId, from.worker)] : []),
  ]
  const moved =
    heldBefore.length === 0
      ? []
      : await tx
          .update(task)
          .set({ assigneeTeamId: to.id, assigneeUserId: null, updatedAt: ctx.now(), version: sql`${task.version} + 1` })
          .where(and(eq(task.caseId, open.c.id), eq(task.status, 'open'), isNotNull(task.clockId), or(...heldBefore)))
          .returning({ id: task.id })
  const transfer = await createRecord<CaseTransferRow>(ctx, tx, open, 'case-transfer', caseTransfer, {
    fromTeamId: from.id,
    fromTeamName: from.name,
    toTeamId: to.id,
    toTeamName: to.name,
    transferredOn: londonDate(ctx.now()),
    reason: input.reason,
  })
  return { caseId: open.c.id, teamId: to.id, teamName: to.name, version: row.version, tasksMoved: moved.length, transfer }
}

export interface TransferForm {
  case: CaseSummary & { breakGlass: boolean }
  /** The case's version now: a transfer must name it. */
  version: number
  teams: TeamChoice[]
}

/** What the transfer form needs; only those who may transfer the case (its team's managers) see it. */
export function transferForm(ctx: ServiceContext, caseId: string): Promise<TransferForm> {
  return showCase(
    ctx,
    caseId,
    'case:authorise',
    async (tx, open) => {
      const [row] = await tx.select({ version: childCase.version }).from(childCase).where(eq(childCase.id, caseId))
      return {
        case: { ...open.c, breakGlass: open.breakGlass },
        version: row!.version,
        teams: await transferTeams(tx, ctx.actor.partnershipId, open.c.teamId),
      }
    },
    'transfer',
  )
}

/** Transfers a case to another team, if it is still at the version the manager read. */
export function transferCase(ctx: ServiceContext, caseId: string, input: TransferInput): Promise<Transfer> {
  return withCase(
    ctx,
    caseId,
    'case:authorise',
    (tx, open) => moveCaseToTeam(ctx, tx, open, { teamId: input.teamId, reason: input.reason, expectedVersion: input.version }),
    'transfer',
  )
}
