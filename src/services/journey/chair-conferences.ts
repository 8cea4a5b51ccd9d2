/**
 * A conference chair's list (issue 16, item 8): the conferences they chair that are still to be
 * held or recorded, soonest first, with when and where each meets, and their open tasks. The
 * child is named, and their case linked, only where the policy lets the chair read the case now
 * (the invitation scheduling gave them, usually); otherwise the row says the record cannot be
 * opened, without naming the child. The listing is audited (which children it named), as the
 * home page's case lists are.
 */
import { and, asc, count, eq, isNull } from 'drizzle-orm'
import { childCase, conference, person } from '../../db/schema/index.ts'
import { decideGeneral } from '../../domain/access/policy.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { auditGrouped } from '../access/audit.ts'
import { AccessDenied, type ServiceContext } from '../common/context.ts'
import { FIRST_PAGE, type Page, type PageRequest } from '../common/paging.ts'
import { decideCaseAction, loadCase } from './case-access.ts'
import { listMyTasks, type MyTasks } from './tasks.ts'

export interface ChairConference {
  id: string
  kind: string
  scheduledFor: string
  /** 'HH:MM', London time (none on conferences scheduled before it was asked). */
  scheduledTime: string | null
  venue: string | null
  /** Its day has come or passed and its outcome is not recorded yet: the chair's to record. */
  outcomeDue: boolean
  /** Whether the chair may open the child's case now; when not, nothing below names the child. */
  mayOpenCase: boolean
  caseId: string | null
  childName: string | null
  dateOfBirth: string | null
}

export interface ChairList {
  conferences: Page<ChairConference>
  /** The chair's own open tasks (as on their task list). */
  tasks: MyTasks
}

/** The signed-in chair's conferences still to be held (a page of them) and their open tasks. */
export async function chairList(ctx: ServiceContext, page: PageRequest = FIRST_PAGE): Promise<ChairList> {
  return { conferences: await chairConferences(ctx, page), tasks: await listMyTasks(ctx) }
}

/** The conferences the signed-in user chairs whose outcome is not yet recorded, by date and time. */
export async function chairConferences(ctx: ServiceContext, page: PageRequest = FIRST_PAGE): Promise<Page<ChairConference>> {
  const { actor } = ctx
  const decision = decideGeneral(actor, 'conference:chair')
  if (!decision.allowed) throw new AccessDenied(decision.reason)
  const today = londonDate(ctx.now())
  const mine = and(eq(conference.partnershipId, actor.partnershipId), eq(conference.chairId, actor.userId), isNull(conference.heldOn))
  const [[total], rows] = await Promise.all([
    ctx.db.select({ n: count() }).from(conference).where(mine),
    ctx.db
      .select({
        k: {
          id: conference.id,
          caseId: conference.caseId,
          kind: conference.kind,
          scheduledFor: conference.scheduledFor,
          scheduledTime: conference.scheduledTime,
          venue: conference.venue,
        },
        givenName: person.givenName,
        familyName: person.familyName,
        dateOfBirth: person.dateOfBirth,
      })
      .from(conference)
      .innerJoin(childCase, eq(childCase.id, conference.caseId))
      .innerJoin(person, eq(person.id, childCase.personId))
      .where(mine)
      .orderBy(asc(conference.scheduledFor), asc(conference.scheduledTime), asc(conference.id))
      .offset(page.offset)
      .limit(page.limit),
  ])
  const readable = new Set<string>()
  for (const caseId of new Set(rows.map((r) => r.k.caseId))) {
    const read = await decideCaseAction(ctx.db, ctx, await loadCase(ctx.db, actor, caseId), 'case:read')
    if (read.allowed && !read.breakGlass) readable.add(caseId)
  }
  const items = rows.map(({ k, givenName, familyName, dateOfBirth }): ChairConference => {
    const shown = readable.has(k.caseId)
    return {
      id: k.id,
      kind: k.kind,
      scheduledFor: k.scheduledFor,
      scheduledTime: k.scheduledTime,
      venue: k.venue,
      outcomeDue: k.scheduledFor <= today,
      mayOpenCase: shown,
      caseId: shown ? k.caseId : null,
      childName: shown ? `${givenName} ${familyName}` : null,
      dateOfBirth: shown ? dateOfBirth : null,
    }
  })
  const named = [...readable]
  if (named.length > 0) await auditGrouped(ctx, { action: 'case.list', ground: decision.ground, detail: { list: 'chair-conferences', caseIds: named } })
  return { items, total: total?.n ?? 0, offset: page.offset, limit: page.limit }
}
