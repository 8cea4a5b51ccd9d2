/**
 * Reading children's cases through the access policy. Every read — allowed, refused or by
 * break-glass — is audited with the ground the policy gave.
 */
import { and, asc, count, eq, inArray, ne, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { preparedOn } from '../../db/prepared.ts'
import { accessGrant, agency, caseInvolvement, childCase, person } from '../../db/schema/index.ts'
import { decideOnCase, type Relationship } from '../../domain/access/policy.ts'
import { audit } from '../access/audit.ts'
import { withCase } from './case-records.ts'
import { caseSummaryQuery, decideCaseAction, grantInForce, involvementCurrent, loadCase, keepShown, shownByPolicy, stillShownOnPrimary, type CaseSummary } from './case-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { AccessDenied, NotFound, readDbOf, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { FIRST_PAGE, pageFrom, type Page, type PageRequest } from '../common/paging.ts'
import { breakGlassInput } from './break-glass-input.ts'

/** How long break-glass access lasts before the user must give a reason again. */
export const BREAK_GLASS_HOURS = 4

export interface CaseView extends CaseSummary {
  involvements: { agencyName: string; role: string; startedOn: string; endedOn: string | null }[]
  ground: string
  breakGlass: boolean
}

/** Opens a child's case for reading, or refuses; either way the attempt is audited. */
export async function viewCase(ctx: ServiceContext, caseId: string): Promise<CaseView> {
  return withCase(ctx, caseId, 'case:read', async (tx, open) => {
    const involvements = await preparedOn(tx, prepareInvolvements).execute({ caseId: open.c.id })
    return { ...open.c, involvements, ground: open.ground, breakGlass: open.breakGlass }
  })
}

/** The agencies involved with a case, earliest first: on every case overview, so prepared once for each database handle (db/prepared.ts). */
const prepareInvolvements = (db: Db) =>
  db
    .select({
      agencyName: agency.name,
      role: caseInvolvement.role,
      startedOn: caseInvolvement.startedOn,
      endedOn: caseInvolvement.endedOn,
    })
    .from(caseInvolvement)
    .innerJoin(agency, eq(agency.id, caseInvolvement.agencyId))
    .where(eq(caseInvolvement.caseId, sql.placeholder('caseId')))
    .orderBy(asc(caseInvolvement.startedOn))
    .prepare('together_case_involvements')

/** A break-glass grant made: the case, the reason given and when the access ends. */
export interface BreakGlassGrant {
  caseId: string
  reason: string
  endsAt: Date
}

/**
 * Break-glass: the user gives a reason and gets read access to a case they have no relationship
 * with, for a few hours. Every read under it is flagged to auditors. Answers the grant, or null
 * when the user may already read the case (no grant is made).
 */
export async function breakGlass(ctx: ServiceContext, caseId: string, reason: string): Promise<BreakGlassGrant | null> {
  const parsed = breakGlassInput.safeParse({ reason })
  if (!parsed.success) throw new ValidationFailed({ reason: parsed.error.issues[0]!.message })
  const trimmed = parsed.data.reason
  const result = await ctx.db.transaction(async (tx): Promise<{ refusal: string } | BreakGlassGrant | null> => {
    const c = await loadCase(tx, ctx.actor, caseId)
    const decision = await decideCaseAction(tx, ctx, c, 'case:read', ['break-glass'])
    if (!decision.allowed || !decision.breakGlass) {
      // A restricted record refused to someone unrelated to it does not exist for them.
      if (!decision.allowed && decision.conceal) throw new NotFound('No case with that id')
      return decision.allowed ? null : { refusal: decision.reason }
    }
    const now = ctx.now()
    const endsAt = new Date(now.getTime() + BREAK_GLASS_HOURS * 3600_000)
    await tx.insert(accessGrant).values({
      partnershipId: ctx.actor.partnershipId,
      caseId: c.id,
      userId: ctx.actor.userId,
      kind: 'break-glass',
      reason: trimmed,
      grantedBy: ctx.actor.userId,
      startsAt: now,
      endsAt,
    })
    await audit(ctx, tx, {
      action: 'case.break-glass',
      recordType: 'case',
      recordId: c.id,
      subjectPersonId: c.personId,
      ground: 'break-glass',
      reason: trimmed,
      breakGlass: true,
    })
    return { caseId: c.id, reason: trimmed, endsAt }
  })
  if (result && 'refusal' in result) throw new AccessDenied(result.refusal)
  return result
}

export type CaseListKind = 'allocated' | 'team' | 'agency' | 'invited'

export const CASE_LIST_KINDS: readonly CaseListKind[] = ['allocated', 'team', 'agency', 'invited']

export type ListedCase = CaseSummary & { participationOnly?: boolean }

/**
 * The cases a user works on, for their home page: allocated to them, their team's, those their
 * agency is involved in, or those they are invited to; a page at a time (by name, then the case
 * id), with how many there are. Restricted cases appear only with explicit permission. Whom the
 * policy shows each case to is asked in SQL, so the count is of the cases shown. The listing is
 * audited (which cases were shown, not their content).
 */
export async function listMyCases(ctx: ServiceContext, kind: CaseListKind, page: PageRequest = FIRST_PAGE): Promise<Page<ListedCase>> {
  const { actor } = ctx
  const now = ctx.now()
  const today = londonDate(now)
  const activeGrant = (kinds: string[]) =>
    ctx.db
      .select({ caseId: accessGrant.caseId })
      .from(accessGrant)
      .where(
        and(eq(accessGrant.userId, actor.userId), inArray(accessGrant.kind, kinds), grantInForce(now)),
      )
  // The relationships that put a case on the list, each with its SQL: one, or for invitations
  // each kind of grant (a partner's invitation opens only the participation view).
  const ways: { relationships: Relationship[]; where: SQL }[] =
    kind === 'invited'
      ? (['invitation', 'addressed-request'] as const).map((k) => ({ relationships: [k], where: inArray(childCase.id, activeGrant([k])) }))
      : [
          {
            relationships: [LIST_RELATIONSHIP[kind]],
            where: {
              allocated: eq(childCase.allocatedWorkerId, actor.userId),
              team: actor.teamId ? eq(childCase.teamId, actor.teamId) : sql`false`,
              agency: inArray(
                childCase.id,
                ctx.db
                  .select({ id: caseInvolvement.caseId })
                  .from(caseInvolvement)
                  .where(and(eq(caseInvolvement.agencyId, actor.agencyId), involvementCurrent(today))),
              ),
            }[kind],
          },
        ]
  // The policy asked once per relationship and restriction (the list's own condition is the
  // relationship), and its answer put into the query: the cases it shows, read or participation.
  const shown = shownByPolicy(ctx.db, actor, now, ways, (record) => {
    const read = decideOnCase(actor, 'case:read', record)
    return (read.allowed && !read.breakGlass) || decideOnCase(actor, 'case:participate', record).allowed
  })
  const where = and(eq(childCase.partnershipId, actor.partnershipId), ne(childCase.status, 'closed'), shown)!
  // The rows, and their count, from a replica when one qualifies; the primary then confirms that
  // each case on the page is still shown (a case allocated away or restricted seconds ago is not).
  const db = readDbOf(ctx)
  const read = await pageFrom(
    page,
    db.select({ n: count() }).from(childCase).innerJoin(person, eq(person.id, childCase.personId)).where(where),
    caseSummaryQuery(db)
      .where(where)
      .orderBy(asc(person.familyName), asc(person.givenName), asc(childCase.id))
      .limit(page.limit)
      .offset(page.offset),
  )
  const confirmed = await stillShownOnPrimary(ctx, where, read.items.map((r) => r.id))
  // (Whether a case is restricted is the primary's answer too.)
  const listed = keepShown(read, confirmed, (r) => r.id)
  if (confirmed) listed.items = listed.items.map((r) => ({ ...r, ...confirmed.get(r.id) }))
  // Invited lists ask which grants each case has: a partner's invitation opens only the
  // participation view, which the row then links to. (The query kept only the cases shown; a row
  // the policy would not show is still never listed.)
  const granted = kind === 'invited' ? await grantKindsOf(ctx, listed.items.map((r) => r.id)) : null
  const visible: ListedCase[] = []
  for (const row of listed.items) {
    const restricted = row.restricted || row.personRestricted
    const base: Relationship[] = granted ? (granted.get(row.id) ?? []) : [LIST_RELATIONSHIP[kind]]
    const record = { partnershipId: row.partnershipId, restricted, relationships: restricted ? [...base, 'explicit-permission' as const] : base }
    const read = decideOnCase(actor, 'case:read', record)
    if (read.allowed && !read.breakGlass) visible.push(row)
    else if (decideOnCase(actor, 'case:participate', record).allowed) visible.push({ ...row, participationOnly: true })
  }
  if (visible.length > 0) {
    await audit(ctx, ctx.db, { action: 'case.list', detail: { list: kind, caseIds: visible.map((r) => r.id) } })
  }
  return { ...listed, items: visible }
}

const LIST_RELATIONSHIP: Record<CaseListKind, Relationship> = {
  allocated: 'allocated-worker',
  team: 'team',
  agency: 'agency-involvement',
  invited: 'invitation',
}

/** The kinds of grant in force the actor holds on each of the cases. */
async function grantKindsOf(ctx: ServiceContext, caseIds: string[]): Promise<Map<string, Relationship[]>> {
  const kinds = new Map<string, Relationship[]>()
  if (caseIds.length === 0) return kinds
  const rows = await ctx.db
    .selectDistinct({ caseId: accessGrant.caseId, kind: accessGrant.kind })
    .from(accessGrant)
    .where(and(eq(accessGrant.userId, ctx.actor.userId), inArray(accessGrant.caseId, caseIds), grantInForce(ctx.now())))
  for (const r of rows) kinds.set(r.caseId, [...(kinds.get(r.caseId) ?? []), r.kind as Relationship])
  return kinds
}
