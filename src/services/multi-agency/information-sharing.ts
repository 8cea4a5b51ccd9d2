/**
 * Information sharing records: every share of personal information out of Together and every
 * decision not to share, with its lawful basis and consent (information-sharing-input.ts). Each is
 * a journey record of the child's case (so it is in the chronology); reports list them per child
 * and, for team managers and data protection officers (auditors), per receiving agency.
 */
import { and, count, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { agency, appUser, informationShare } from '../../db/schema/index.ts'
import { audit } from '../access/audit.ts'
import { createRecord, getRecord, updateRecord, withCase } from '../journey/case-records.ts'
import type { Db } from '../../db/connection.ts'
import { NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { FIRST_PAGE, pageFrom, type PageRequest } from '../common/paging.ts'
import type { ARTICLE_6_BASIS, ARTICLE_9_CONDITION, ShareBasisInput, ShareDecisionInput } from './information-sharing-input.ts'
import { decideCaseAction } from '../journey/case-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export type ShareRow = typeof informationShare.$inferSelect
const decider = alias(appUser, 'decider')

const sharesQuery = (ctx: ServiceContext) =>
  ctx.db
    .select({ share: informationShare, decidedByName: decider.displayName, recipientAgencyName: agency.name })
    .from(informationShare)
    .leftJoin(decider, eq(decider.id, informationShare.recordedBy))
    .leftJoin(agency, eq(agency.id, informationShare.recipientAgencyId))
    .$dynamic()

const flat = (r: { share: ShareRow; decidedByName: string | null; recipientAgencyName: string | null }) => ({
  ...r.share,
  decidedByName: r.decidedByName,
  recipientAgencyName: r.recipientAgencyName,
  basisOutstanding: basisOutstanding(r.share),
})

/** "Basis to be recorded": a share (urgent, so recorded first) still without its Article 6 basis, or its Article 9 condition for special category data. */
export const basisOutstanding = (s: Pick<ShareRow, 'decision' | 'article6Basis' | 'specialCategory' | 'article9Condition'>) =>
  s.decision === 'shared' && (s.article6Basis === null || (s.specialCategory && s.article9Condition === null))

const outstandingWhere: SQL = and(
  eq(informationShare.decision, 'shared'),
  or(isNull(informationShare.article6Basis), and(eq(informationShare.specialCategory, true), isNull(informationShare.article9Condition))),
)!

/** How many of a case's shares still wait for their lawful basis (the case overview shows it). */
export async function outstandingBasesOfCase(db: Db, caseId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(informationShare).where(and(eq(informationShare.caseId, caseId), outstandingWhere))
  return row?.n ?? 0
}

/**
 * Completes the lawful basis of a share recorded without it (an urgent share), at the version
 * read: a stale version is a conflict, a share whose basis is complete is refused. Audited as
 * `information-share.basis`, and a revision in the chronology.
 */
export async function completeShareBasis(ctx: ServiceContext, caseId: string, shareId: string, input: ShareBasisInput): Promise<ShareRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const current = await getRecord<ShareRow>(tx, open, informationShare, shareId)
    if (!basisOutstanding(current)) {
      throw new ValidationFailed({ article6Basis: current.decision === 'shared' ? 'The lawful basis of this share has already been recorded' : 'Nothing was shared, so there is no lawful basis to record' })
    }
    return updateRecord<ShareRow>(
      ctx,
      tx,
      open,
      'information-share',
      informationShare,
      shareId,
      input.version,
      {
        article6Basis: input.article6Basis,
        specialCategory: input.specialCategory,
        article9Condition: input.specialCategory ? (input.article9Condition ?? null) : null,
      },
      'information-share.basis',
    )
  })
}

/** One share of a case, with the case, for the page that completes its basis (an audited read). */
export async function shareOfCase(ctx: ServiceContext, caseId: string, shareId: string) {
  const page = await sharesOfCase(ctx, caseId)
  const share = page.shares.find((s) => s.id === shareId)
  if (!share) throw new NotFound('No such sharing decision on this case')
  return { ...page, share }
}

/** Records a decision to share, or not to share, on a case the user may update. */
export async function recordShareDecision(ctx: ServiceContext, caseId: string, input: ShareDecisionInput): Promise<ShareRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    if (input.decidedOn > londonDate(ctx.now())) throw new ValidationFailed({ decidedOn: 'The date must be today or in the past' })
    if (input.recipientAgencyId) {
      const [a] = await tx.select({ p: agency.partnershipId }).from(agency).where(eq(agency.id, input.recipientAgencyId))
      if (a?.p !== ctx.actor.partnershipId) throw new ValidationFailed({ recipientAgencyId: 'Select an agency of this partnership, or leave it empty and name the recipient' })
    }
    return createRecord<ShareRow>(ctx, tx, open, 'information-share', informationShare, {
      ...input,
      recipientAgencyId: input.recipientAgencyId ?? null,
      article6Basis: input.article6Basis ?? null,
      article9Condition: input.specialCategory ? (input.article9Condition ?? null) : null,
    })
  })
}

/** A child's sharing decisions, newest first. */
export async function sharesOfCase(ctx: ServiceContext, caseId: string) {
  return withCase(ctx, caseId, 'case:read', async (tx, open) => ({
    c: { ...open.c, ground: open.ground, breakGlass: open.breakGlass },
    shares: (await sharesQuery({ ...ctx, db: tx }).where(eq(informationShare.caseId, open.c.id)).orderBy(desc(informationShare.decidedOn), desc(informationShare.createdAt))).map(flat),
    canRecord: (await decideCaseAction(tx, ctx, open.c, 'case:update')).allowed,
    agencies: await tx.select({ id: agency.id, name: agency.name }).from(agency).where(and(eq(agency.partnershipId, ctx.actor.partnershipId), eq(agency.active, true))),
  }), 'information-sharing')
}

/** Refuses anyone but team managers and data protection officers (auditors); the policy's ground otherwise. */
export function requireShareReport(ctx: ServiceContext): string {
  return requireGeneral(ctx, 'information-share:report', 'The sharing report is for team managers and data protection officers.')
}

/**
 * Every sharing decision about a receiving agency (no child's name: the case is linked), newest
 * first, a page at a time with how many there are. Audited. Another partnership's agency does not
 * exist for the user: NotFound, not an empty report.
 */
export async function agencyShareReport(ctx: ServiceContext, agencyId: string, page: PageRequest = FIRST_PAGE) {
  const d = { ground: requireShareReport(ctx) }
  const [own] = await ctx.db
    .select({ id: agency.id })
    .from(agency)
    .where(and(eq(agency.id, agencyId), eq(agency.partnershipId, ctx.actor.partnershipId)))
  if (!own) throw new NotFound('No such agency')
  const about = and(eq(informationShare.partnershipId, ctx.actor.partnershipId), eq(informationShare.recipientAgencyId, agencyId))
  const listed = await pageFrom(
    page,
    ctx.db.select({ n: count() }).from(informationShare).where(about),
    sharesQuery(ctx).where(about).orderBy(desc(informationShare.decidedOn), desc(informationShare.id)).limit(page.limit).offset(page.offset),
  )
  await audit(ctx, ctx.db, { action: 'information-share.report', recordType: 'agency', recordId: agencyId, ground: d.ground, detail: { rows: listed.items.length, offset: page.offset } })
  return { ...listed, items: listed.items.map(flat) }
}

/**
 * Every share of the partnership still waiting for its lawful basis, oldest first, a page at a
 * time (team managers and data protection officers; the rows link to the case, naming no child).
 * Audited.
 */
export async function outstandingBases(ctx: ServiceContext, page: PageRequest = FIRST_PAGE) {
  const ground = requireShareReport(ctx)
  const about = and(eq(informationShare.partnershipId, ctx.actor.partnershipId), outstandingWhere)
  const listed = await pageFrom(
    page,
    ctx.db.select({ n: count() }).from(informationShare).where(about),
    sharesQuery(ctx).where(about).orderBy(informationShare.decidedOn, informationShare.id).limit(page.limit).offset(page.offset),
  )
  await audit(ctx, ctx.db, { action: 'information-share.outstanding', recordType: 'partnership', recordId: ctx.actor.partnershipId, ground, detail: { rows: listed.items.length, offset: page.offset } })
  return { ...listed, items: listed.items.map(flat) }
}

// ---- Shares Together makes itself

interface AutomaticShareKindInfo {
  /** What the ledger says was shared. */
  information: string
  /** Who received it, when the caller does not name them. */
  recipient: string
  purpose: string
  article6Basis: (typeof ARTICLE_6_BASIS)[number]['code']
  specialCategory: boolean
  article9Condition: (typeof ARTICLE_9_CONDITION)[number]['code'] | null
  consentReason: string
  method: string
}

const NO_CONSENT_SAFEGUARDING =
  'Not sought: shared for the child’s safety, where consent is not needed (information sharing advice for safeguarding practitioners, 2024, rule 3)'
const NO_CONSENT_STATUTORY = 'Not sought: a statutory return the local authority must make, which does not rest on consent'

/**
 * The lawful basis of every share Together makes itself, decided once (docs/multi-agency.md,
 * "Shares Together records itself", gives the source of each).
 */
export const AUTOMATIC_SHARES = {
  'information-request-answer': {
    information: 'The agency’s answer to an information request: the information it holds about the child and family',
    recipient: 'The requester',
    purpose: 'To help the local authority decide how to safeguard the child (the request’s reason)',
    article6Basis: 'public-task',
    specialCategory: true,
    article9Condition: 'safeguarding-children',
    consentReason: NO_CONSENT_SAFEGUARDING,
    method: 'Together (answer to an information request)',
  },
  'conference-report': {
    information: 'The agency’s report to a child protection conference',
    recipient: 'The child protection conference (chair and social worker)',
    purpose: 'To inform the conference’s decision whether the child needs a child protection plan',
    article6Basis: 'public-task',
    specialCategory: true,
    article9Condition: 'safeguarding-children',
    consentReason: NO_CONSENT_SAFEGUARDING,
    method: 'Together (agency report to a conference)',
  },
  'cp-status-answer': {
    information: 'Whether the child has a child protection plan or is looked after, with the start, the responsible authority and its contacts',
    recipient: 'A clinician in unscheduled care',
    purpose: 'To let the clinician treating the child take the child’s safety into account and contact the social worker',
    article6Basis: 'public-task',
    specialCategory: false,
    article9Condition: null,
    consentReason: NO_CONSENT_SAFEGUARDING,
    method: 'Together (child protection status check)',
  },
  'cin-census': {
    information: 'The child’s record in the Children in Need census file (identifiers, characteristics, episodes, assessments, plans)',
    recipient: 'Department for Education (Children in Need census)',
    purpose: 'The annual Children in Need census the local authority must return (Children Act 1989 section 83)',
    article6Basis: 'legal-obligation',
    specialCategory: true,
    article9Condition: 'statutory-purposes',
    consentReason: NO_CONSENT_STATUTORY,
    method: 'Census file exported from Together',
  },
  'csc-feed': {
    information: 'The child’s record in the children’s social care daily data feed (identifiers, characteristics, episodes, plans)',
    recipient: 'Department for Education (children’s social care data feed)',
    purpose: 'The Department for Education’s collection of children’s social care data (Children Act 1989 section 83)',
    article6Basis: 'public-task',
    specialCategory: true,
    article9Condition: 'statutory-purposes',
    consentReason: NO_CONSENT_STATUTORY,
    method: 'Together (DfE daily data feed)',
  },
  letter: {
    information: 'A letter about the child from the local authority (its words as sent are kept as a document of the case)',
    recipient: 'The person the letter is addressed to',
    purpose: 'To tell a parent, carer or referrer what they need to know about the local authority’s work to safeguard the child (an invitation, a decision, feedback, a letter before proceedings)',
    article6Basis: 'public-task',
    specialCategory: true,
    article9Condition: 'safeguarding-children',
    consentReason: NO_CONSENT_SAFEGUARDING,
    method: 'Letter (printed, or posted through GOV.UK Notify)',
  },
} as const satisfies Record<string, AutomaticShareKindInfo>

export type AutomaticShareKind = keyof typeof AUTOMATIC_SHARES

export interface AutomaticShare {
  kind: AutomaticShareKind
  partnershipId: string
  /** The user whose action made the share; null for a scheduled job or the command line. */
  recordedBy: string | null
  /** The day of the share (Europe/London), or its instant. */
  sharedOn: string | Date
  /** The record that made it (the request, report, check); null for a file or a feed run. */
  sourceId?: string | null
  recipientAgencyId?: string | null
  /** The user who received it: named as the recipient, their agency as the receiving agency. */
  recipientUserId?: string | null
  /** Who received it, when more is known than the kind's recipient. */
  recipient?: string
  /** The children shared about: their cases, or (one case each, the latest opened) the people. */
  caseIds?: readonly string[]
  personIds?: readonly string[]
}

const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`

/** Who makes a share by their own action, today: spread into an AutomaticShare. */
export const sharedBy = (ctx: ServiceContext) => ({ partnershipId: ctx.actor.partnershipId, recordedBy: ctx.actor.userId, sharedOn: londonDate(ctx.now()) })

/**
 * Puts a share Together made on the ledger, one entry per child, with the kind's lawful basis,
 * in the caller's transaction (so the share and its record commit together). One statement
 * whatever the number of children (a census file is one insert). Returns how many were recorded.
 */
export async function recordAutomaticShare(tx: Db, share: AutomaticShare): Promise<number> {
  const caseIds = [...new Set(share.caseIds ?? [])]
  const personIds = [...new Set(share.personIds ?? [])]
  if (caseIds.length === 0 && personIds.length === 0) return 0
  const k: AutomaticShareKindInfo = AUTOMATIC_SHARES[share.kind]
  const sharedOn = typeof share.sharedOn === 'string' ? share.sharedOn : londonDate(share.sharedOn)
  const cases = sql`select distinct on (c.person_id) c.id from child_case c
    where c.partnership_id = ${share.partnershipId}
      and (c.id = any(${uuidArray(caseIds)}::uuid[]) or c.person_id = any(${uuidArray(personIds)}::uuid[]))
    order by c.person_id, (c.id = any(${uuidArray(caseIds)}::uuid[])) desc, c.opened_on desc, c.created_at desc`
  const result = (await tx.execute(sql`
    insert into information_share (partnership_id, case_id, decision, decided_on, information, recipient_agency_id, recipient, purpose,
      article6_basis, special_category, article9_condition, consent, consent_reason, method, urgent, automatic, source_id, recorded_by)
    select ${share.partnershipId}::uuid, s.id, 'shared', ${sharedOn}::date, ${k.information},
      coalesce(${share.recipientAgencyId ?? null}::uuid, u.agency_id), coalesce(${share.recipient ?? null}::text, u.display_name, ${k.recipient}), ${k.purpose},
      ${k.article6Basis}, ${k.specialCategory}::boolean, ${k.article9Condition}::text, 'not-sought', ${k.consentReason}, ${k.method}, false, ${share.kind}, ${share.sourceId ?? null}::uuid, ${share.recordedBy}::uuid
    from (${cases}) s left join app_user u on u.id = ${share.recipientUserId ?? null}::uuid`)) as unknown as { affectedRows?: number; rowCount?: number }
  return result.affectedRows ?? result.rowCount ?? 0
}
