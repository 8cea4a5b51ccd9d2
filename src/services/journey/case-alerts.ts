/**
 * A case's alerts (issue 16, item 13): risks to workers who visit, and the child's or family's
 * language or communication needs, shown at the top of the case overview beside the restricted
 * flag. Changing them is a change of the case (case:update): versioned, with a revision and an
 * audit entry (`case.alerts`), and never a silent overwrite of someone else's change.
 */
import { eq } from 'drizzle-orm'
import { childCase } from '../../db/schema/index.ts'
import { showCase, updateCase, withCase } from './case-records.ts'
import type { CaseSummary } from './case-access.ts'
import type { ServiceContext } from '../common/context.ts'
import type { CaseAlertsInput } from './case-alerts-input.ts'

export interface CaseAlertsForm {
  case: CaseSummary & { breakGlass: boolean }
  workerSafety: string | null
  communicationNeeds: string | null
  /** The case's version now: a change must name it. */
  version: number
}

/** What the alerts form shows, to those who may change the case. */
export function caseAlertsForm(ctx: ServiceContext, caseId: string): Promise<CaseAlertsForm> {
  return showCase(
    ctx,
    caseId,
    'case:update',
    async (db, open) => {
      const [row] = await db
        .select({ workerSafety: childCase.workerSafety, communicationNeeds: childCase.communicationNeeds, version: childCase.version })
        .from(childCase)
        .where(eq(childCase.id, open.c.id))
      return { case: { ...open.c, breakGlass: open.breakGlass }, ...row! }
    },
    'alerts',
  )
}

/** Sets the case's alerts, if the case is still at the version the user read. */
export function setCaseAlerts(ctx: ServiceContext, caseId: string, input: CaseAlertsInput): Promise<{ workerSafety: string | null; communicationNeeds: string | null; version: number }> {
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const row = await updateCase(
        ctx,
        tx,
        open,
        { workerSafety: input.workerSafety, communicationNeeds: input.communicationNeeds },
        { expectedVersion: input.version, action: 'case.alerts' },
      )
      return { workerSafety: row.workerSafety, communicationNeeds: row.communicationNeeds, version: row.version }
    },
    'alerts',
  )
}
