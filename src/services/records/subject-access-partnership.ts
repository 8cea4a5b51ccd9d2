/**
 * The partnership's own records in a subject access bundle (issue 18 §3; docs/data-protection.md):
 * allegations against people who work with children (LADO cases) naming the data subject as a child
 * concerned (lado_child, linked to one of their cases) or, by name, as the person the allegation is
 * about; serious incidents and practice reviews of the data subject's cases; and the documents of
 * LADO cases and practice reviews, each version listed as a case's documents are. Each record is
 * read through the one policy (decideOnSubjectAccessPartnershipRecord, under the `subject-access`
 * ground) and audited against the person as a view of that record (section `subject-access`, with
 * the request's id). Every item is flagged for the reviewer: these records are mostly about other
 * people (the person accused, the other children, the agencies' staff).
 */
import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { document, documentVersion, ladoCase, ladoChild, ladoMeeting, person, practiceReview, reviewDraft, reviewRecommendation, seriousIncident } from '../../db/schema/index.ts'
import { decideOnSubjectAccessPartnershipRecord, type Decision } from '../../domain/access/policy.ts'
import { INCIDENT_KIND, LADO_CATEGORY, LADO_MEETING_KIND, LADO_OUTCOME, PRACTICE_REVIEW_KIND, RAPID_REVIEW_DECISION, labelOf } from '../../domain/partnership/codes.ts'
import { documentKindLabel, type DocumentKindEntry } from '../../domain/records/documents.ts'
import type { SarReviewFlag } from '../../domain/records/subject-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { auditGrouped } from '../access/audit.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { documentKindsOf } from './document-kinds.ts'

/** One item of a bundle as compiled (subject_access_item without its request, order and decision). */
export interface CompiledItem {
  source: string
  sourceRef: string | null
  personId: string
  caseId: string | null
  datedOn: string | null
  title: string
  text: string
  reviewFlag?: SarReviewFlag | null
}

export const line = (label: string, value: string | null | undefined) => (value ? [`${label}: ${value}`] : [])

/**
 * The documents `where` selects, one item each listing every version (file name, type, size,
 * SHA-256), oldest first: the files are listed in the bundle, a copy provided with it.
 */
export async function documentItems(
  db: Db,
  where: SQL | undefined,
  at: Pick<CompiledItem, 'personId' | 'caseId' | 'reviewFlag'>,
  documentKinds: readonly DocumentKindEntry[],
  titlePrefix = '',
): Promise<CompiledItem[]> {
  const docs = await db
    .select({ d: document, v: documentVersion })
    .from(document)
    .innerJoin(documentVersion, eq(documentVersion.documentId, document.id))
    .where(where)
    .orderBy(asc(document.createdAt), asc(document.id), asc(documentVersion.number))
  const byDoc = new Map<string, { d: typeof document.$inferSelect; versions: (typeof documentVersion.$inferSelect)[] }>()
  for (const { d, v } of docs) {
    const entry = byDoc.get(d.id) ?? { d, versions: [] }
    entry.versions.push(v)
    byDoc.set(d.id, entry)
  }
  return [...byDoc.values()].map(({ d, versions }) => ({
    ...at,
    source: 'Document',
    sourceRef: `document:${d.id}`,
    datedOn: d.datedOn ?? londonDate(d.createdAt),
    title: titlePrefix + d.title,
    text: [
      ...line('Kind', documentKindLabel(documentKinds, d.kind)),
      ...line('From', d.receivedFrom),
      ...versions.map((v) => `Version ${v.number}: ${v.fileName} (${v.mediaType}, ${v.sizeBytes} bytes, SHA-256 ${v.sha256})`),
      'The file is listed here; a copy is provided with this bundle.',
    ].join('\n'),
  }))
}

type Person = typeof person.$inferSelect

/** Opens one record for the bundle through the policy, audited against the person; a refusal is audited and stops compiling. */
async function openForBundle(ctx: ServiceContext, via: Decision, requestId: string, p: Person, recordType: string, record: { id: string; partnershipId: string }, what: string) {
  const decision = decideOnSubjectAccessPartnershipRecord(ctx.actor, via, record)
  const base = { recordType, recordId: record.id, subjectPersonId: p.id, detail: { section: 'subject-access', request: requestId } }
  if (!decision.allowed) {
    await auditGrouped(ctx, { ...base, action: `${recordType}.read.refused`, reason: decision.reason })
    throw new ValidationFailed({ version: `${what} about ${p.givenName} ${p.familyName} cannot be read. ${decision.reason}` })
  }
  await auditGrouped(ctx, { ...base, action: `${recordType}.view`, ground: decision.ground, breakGlass: false })
}

/** A name as compared: lower case, single spaces. */
const normalisedName = (s: SQL | string) => sql`lower(regexp_replace(trim(${s}), '\\s+', ' ', 'g'))`

/**
 * The items of the partnership's records about one person of the request, whose cases the policy
 * has opened (`caseIds`): LADO cases (with their meetings and documents), serious incidents, and
 * practice reviews (with their drafts, recommendations and documents).
 */
export async function partnershipRecordItems(ctx: ServiceContext, via: Decision, requestId: string, p: Person, caseIds: readonly string[]): Promise<CompiledItem[]> {
  const partnershipId = ctx.actor.partnershipId
  const db = ctx.db
  const flagged = { personId: p.id, reviewFlag: 'third-party-likely' as const }
  const items: CompiledItem[] = []
  let documentKinds: readonly DocumentKindEntry[] | null = null
  const kinds = async () => (documentKinds ??= await documentKindsOf(db, partnershipId))

  // Allegations: a child concerned linked to one of the person's cases, or the person the allegation is about, by name.
  const childLinks = caseIds.length
    ? await db
        .select({ ladoCaseId: ladoChild.ladoCaseId, caseId: ladoChild.caseId })
        .from(ladoChild)
        .where(and(eq(ladoChild.partnershipId, partnershipId), inArray(ladoChild.caseId, [...caseIds])))
    : []
  const linkedCase = new Map(childLinks.map((l) => [l.ladoCaseId, l.caseId]))
  const lados = await db
    .select()
    .from(ladoCase)
    .where(
      and(
        eq(ladoCase.partnershipId, partnershipId),
        or(
          linkedCase.size ? inArray(ladoCase.id, [...linkedCase.keys()]) : sql`false`,
          eq(normalisedName(sql`${ladoCase.subjectName}`), normalisedName(`${p.givenName} ${p.familyName}`)),
        ),
      ),
    )
    .orderBy(asc(ladoCase.referredOn), asc(ladoCase.id))
  for (const l of lados) {
    const asChild = linkedCase.has(l.id)
    await openForBundle(ctx, via, requestId, p, 'lado-case', l, `The allegation ${l.reference}`)
    const at = { ...flagged, caseId: linkedCase.get(l.id) ?? null, reviewFlag: asChild ? ('third-party-likely' as const) : ('name-match' as const) }
    const children = await db.select({ caseId: ladoChild.caseId }).from(ladoChild).where(eq(ladoChild.ladoCaseId, l.id))
    items.push({
      ...at,
      source: 'Allegation (LADO)',
      sourceRef: `lado-case:${l.id}`,
      datedOn: l.referredOn,
      title: `Allegation ${l.reference} against ${l.subjectRole.toLowerCase()} at ${l.employerName}`,
      text: [
        asChild ? 'This person is a child the allegation concerns.' : 'This person is named as the person the allegation is about.',
        ...line('Allegation about', `${l.subjectName} (${l.subjectRole})`),
        ...line('Employer', l.employerName),
        ...line('Harm test', l.categories.map((c) => labelOf(LADO_CATEGORY, c)).join('; ')),
        ...line('Allegation', l.allegation),
        ...line('Referred by', l.referrer),
        ...line('Came to the employer’s attention', l.knownOn),
        ...line('Referred to the designated officer', l.referredOn),
        ...line('Children concerned', String(children.length)),
        ...line('Outcome', l.outcome ? `${labelOf(LADO_OUTCOME, l.outcome)}, ${l.outcomeOn ?? 'date not recorded'}` : 'not yet reached'),
        ...line('Outcome notes', l.outcomeNotes),
      ].join('\n'),
    })
    const meetings = await db.select().from(ladoMeeting).where(eq(ladoMeeting.ladoCaseId, l.id)).orderBy(asc(ladoMeeting.heldOn), asc(ladoMeeting.createdAt))
    for (const m of meetings) {
      items.push({
        ...at,
        source: 'Allegation (LADO)',
        sourceRef: `lado-meeting:${m.id}`,
        datedOn: m.heldOn,
        title: `${labelOf(LADO_MEETING_KIND, m.kind)} on allegation ${l.reference}`,
        text: [...line('Attended by', m.attendees), ...line('Decisions', m.decisions)].join('\n'),
      })
    }
    items.push(...(await documentItems(db, and(eq(document.ownerKind, 'lado-case'), eq(document.ownerId, l.id)), at, await kinds(), `Allegation ${l.reference}: `)))
  }
  if (caseIds.length === 0) return items

  // Serious incidents (with their rapid review) and practice reviews of the person's cases.
  const incidents = await db
    .select()
    .from(seriousIncident)
    .where(and(eq(seriousIncident.partnershipId, partnershipId), inArray(seriousIncident.caseId, [...caseIds])))
    .orderBy(asc(seriousIncident.awareOn), asc(seriousIncident.id))
  for (const i of incidents) {
    await openForBundle(ctx, via, requestId, p, 'serious-incident', i, `A serious incident of ${i.incidentOn}`)
    items.push({
      ...flagged,
      caseId: i.caseId,
      source: 'Serious incident',
      sourceRef: `serious-incident:${i.id}`,
      datedOn: i.incidentOn,
      title: `Serious incident of ${i.incidentOn}`,
      text: [
        ...line('Kind', labelOf(INCIDENT_KIND, i.kind)),
        ...line('The local authority became aware', i.awareOn),
        ...line('Summary', i.summary),
        ...line('Notified', i.notifiedOn),
        ...line('Rapid review decision', i.rapidReviewDecision ? `${labelOf(RAPID_REVIEW_DECISION, i.rapidReviewDecision)}, ${i.rapidReviewDecidedOn ?? ''}` : null),
        ...line('Reasons', i.rapidReviewReasons),
        ...line('Sent to the national panel', i.submittedToPanelOn),
      ].join('\n'),
    })
  }
  const reviews = await db
    .select()
    .from(practiceReview)
    .where(and(eq(practiceReview.partnershipId, partnershipId), inArray(practiceReview.caseId, [...caseIds])))
    .orderBy(asc(practiceReview.decidedOn), asc(practiceReview.id))
  for (const r of reviews) {
    await openForBundle(ctx, via, requestId, p, 'practice-review', r, `The practice review “${r.title}”`)
    const at = { ...flagged, caseId: r.caseId }
    const drafts = await db.select().from(reviewDraft).where(eq(reviewDraft.reviewId, r.id)).orderBy(asc(reviewDraft.receivedOn))
    const recommendations = await db.select().from(reviewRecommendation).where(eq(reviewRecommendation.reviewId, r.id)).orderBy(asc(reviewRecommendation.number))
    items.push({
      ...at,
      source: 'Practice review',
      sourceRef: `practice-review:${r.id}`,
      datedOn: r.decidedOn,
      title: `${labelOf(PRACTICE_REVIEW_KIND, r.kind)}: ${r.title}`,
      text: [
        ...line('Decided', r.decidedOn),
        ...line('Reviewer', r.reviewer),
        ...line('Terms of reference', r.termsOfReference),
        ...drafts.map((d) => `Draft received ${d.receivedOn}: ${d.summary}`),
        ...recommendations.map((x) => `Recommendation ${x.number}: ${x.text}`),
        ...line('Completed', r.completedOn),
        ...line('Published', r.publishedOn),
        ...line('Publication', r.publicationNote),
      ].join('\n'),
    })
    items.push(...(await documentItems(db, and(eq(document.ownerKind, 'practice-review'), eq(document.ownerId, r.id)), at, await kinds(), `${r.title}: `)))
  }
  return items
}
