/**
 * Two fully populated partnerships in one deployment (issue 20 item 4): each built the same way —
 * the access matrix's world (a user of every role, administrator, business unit, auditor, analyst
 * and partner agency staff among them; cases with notes, plans, documents, letters, body maps,
 * periods of care; a contact; break-glass and explicit permissions), the linked world's serious
 * incidents, practice reviews and LADO cases, and the records of the partnership's own work: a
 * subject access request, an information request, a partner's referral, a shared document,
 * documents of a LADO case and of a practice review, a section 11 template and cycle, a domestic
 * abuse related death review, a legal hold, an API token. What each side holds is kept by the id
 * a route takes, so the other side's users can be sent every id route filled with it.
 */
import { randomInt } from 'node:crypto'
import { writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import type { Db } from '../../src/db/connection.ts'
import { agency, appUser, contact, contactChild, person, team } from '../../src/db/schema/index.ts'
import { SEX } from '../../src/domain/journey/dfe-codes.ts'
import { DEFAULT_SECTION11_STANDARDS } from '../../src/domain/partnership/section11.ts'
import { createApiToken } from '../../src/services/access/api-tokens.ts'
import { sendInformationRequest } from '../../src/services/multi-agency/information-requests.ts'
import { submitReferral } from '../../src/services/multi-agency/referrals.ts'
import { referralInput } from '../../src/services/multi-agency/referrals-input.ts'
import { recordDarReview } from '../../src/services/partnership/dar-reviews.ts'
import { uploadOwnerDocuments } from '../../src/services/partnership/documents.ts'
import { getCycle, issueCycle } from '../../src/services/partnership/section11/cycles.ts'
import { createTemplate } from '../../src/services/partnership/section11/templates.ts'
import { shareDocument } from '../../src/services/records/document-sharing.ts'
import { documentDetails } from '../../src/services/records/documents-input.ts'
import { letterTemplates } from '../../src/services/records/letter-templates.ts'
import { placeLegalHold } from '../../src/services/records/retention.ts'
import { legalHoldInput } from '../../src/services/records/retention-input.ts'
import { subjectAccessNew } from '../../src/services/records/subject-access-input.ts'
import { recordSubjectAccessRequest } from '../../src/services/records/subject-access.ts'
import { FIXED_NOW, World } from '../support/fixtures.ts'
import { buildLinkedWorld, buildMatrixWorld, type LinkedScenario, type MatrixCase, type MatrixWorld, type User } from './world.ts'

export interface Side {
  name: 'A' | 'B'
  m: MatrixWorld
  /** Every user of the partnership the fixture made, by key (the matrix's, the linked world's, and the extra records' makers). */
  users: User[]
  /** The partnership's open case, every record of it the matrix world hangs off it. */
  open: MatrixCase
  /** Ids of the partnership's records by what a route calls them (see `fillFor`). */
  ids: Record<string, string>
  /** Words that name the partnership's children, users, teams and agencies: none may reach the other side. */
  markers: string[]
  /** The children's family names and NHS numbers, for searches. */
  children: { familyName: string; nhsNumber: string; personId: string }[]
}

/** A valid NHS number of the 999 test range (modulus 11 check digit), the nth. */
export function syntheticNhsNumber(n: number): string {
  for (let k = n; ; k++) {
    const digits = `999${String(k).padStart(6, '0')}`
    const sum = [...digits].reduce((a, d, i) => a + Number(d) * (10 - i), 0)
    const check = 11 - (sum % 11)
    if (check === 10) continue
    return `${digits}${check === 11 ? 0 : check}`
  }
}

/**
 * A family name no child's of the other partnership is like: each side's names have their own
 * first letter and consonants of their own sounds (no shared prefix, trigram or sound), so that a
 * search for one finds that child alone, never one of the searcher's own.
 */
export function unlikeAnyOther(name: 'A' | 'B'): string {
  const [first, letters] = name === 'A' ? ['Q', 'bdfptv'] : ['Z', 'lmnr']
  return first + Array.from({ length: 11 }, (_, i) => (i % 2 ? 'aeiou'[randomInt(5)] : letters[randomInt(letters.length)])).join('')
}

export async function buildSide(db: Db, name: 'A' | 'B', nhsFrom: number): Promise<Side> {
  const world = await World.create(db, `Partnership ${name} ${Math.random().toString(36).slice(2, 8)}`)
  const m = await buildMatrixWorld(world)
  const linked: LinkedScenario[] = await buildLinkedWorld(m)
  const users = new Map<string, User>()
  for (const u of m.users) users.set(u.userId, u)
  for (const s of linked) users.set(s.user.userId, s.user)
  const extra = async (key: string, ...args: Parameters<World['user']>): Promise<User> => {
    const u = { ...(await world.user(...args)), key }
    users.set(u.userId, u)
    return u
  }
  const ours = m.cases.filter((c) => c.partnershipId === world.partnershipId)
  const open = ours.find((c) => !c.restricted)!
  const find = (key: string) => [...users.values()].find((u) => u.key === key)!
  const ctx = (u: User) => world.ctx(u, FIXED_NOW)

  // Distinct names and NHS numbers, so that a search for one finds one child of one partnership.
  const children: Side['children'] = []
  for (const [i, c] of ours.entries()) {
    const nhsNumber = syntheticNhsNumber(nhsFrom + i)
    c.familyName = unlikeAnyOther(name)
    await db.update(person).set({ nhsNumber, familyName: c.familyName }).where(eq(person.id, c.personId))
    children.push({ familyName: c.familyName, nhsNumber, personId: c.personId })
  }

  const ids: Record<string, string> = {}
  const manager = await extra(`${name}: team manager, explicit permission to the open case`, ['team-manager'], { team: 'assessment' })
  await world.grant(open.caseId, manager.userId, 'explicit-permission')
  const dpo = await extra(`${name}: auditor (data protection officer)`, ['auditor'], { team: null })
  ids.requestId = (await recordSubjectAccessRequest(ctx(dpo), subjectAccessNew.parse({ requesterName: 'A fictional parent', requesterKind: 'parent', requesterRelationship: 'Mother', receivedOn: '2026-11-01', personIds: [open.personId] }))).id
  ids.informationRequestId = (await sendInformationRequest(ctx(manager), open.caseId, { toAgencyId: world.agencies.probation!, personIds: [open.personId], question: 'What do you know?', urgency: 'green' })).id
  const referrer = find('partner, agency involved')
  const referredName = unlikeAnyOther(name)
  const referral = await submitReferral(ctx(referrer), referralInput.parse({
    child: { givenName: 'Fictional', familyName: referredName, dateOfBirth: '2018-03-04', sex: SEX[2].code },
    family: { familyDetails: 'Lives with a fictional parent' },
    concern: { concern: 'A fictional concern', urgency: 'standard' },
    consent: { familyTold: 'Told', consent: 'given' },
  }))
  ids.referralId = referral.id
  const [referred] = await db.select({ personId: contactChild.personId }).from(contactChild).where(eq(contactChild.contactId, referral.contactId))
  const referredNhs = syntheticNhsNumber(nhsFrom + 50)
  await db.update(person).set({ nhsNumber: referredNhs }).where(eq(person.id, referred!.personId))
  children.push({ familyName: referredName, nhsNumber: referredNhs, personId: referred!.personId })
  const [openContact] = await db
    .select({ id: contact.id })
    .from(contact)
    .innerJoin(contactChild, eq(contactChild.contactId, contact.id))
    .where(and(eq(contact.partnershipId, world.partnershipId), eq(contactChild.caseId, open.caseId)))
  ids.contactId = openContact!.id
  ids.shareId = (await shareDocument(ctx(manager), open.caseId, open.records.documentId!, {
    versionId: open.records.versionId!, agencyId: world.agencies.health!, purpose: 'For the health assessment', article6Basis: 'public-task',
    specialCategory: true, article9Condition: 'safeguarding-children', consent: 'not-sought', consentReason: 'Safeguarding',
  })).id

  // The linked world's records about the open case, and a document of its LADO case and practice review.
  const about = (family: LinkedScenario['family']) => linked.find((s) => s.family === family && s.c.caseId === open.caseId)!
  ids.incidentId = about('incident').recordId
  ids.practiceReviewId = about('practiceReview').recordId
  ids.ladoId = about('lado').recordId
  const file = join(tmpdir(), `partnerships-${world.partnershipId}.txt`)
  writeFileSync(file, 'A fictional report.\n')
  const details = documentDetails.parse({ title: 'Fictional report', kind: 'report-from-partner' })
  const [ladoDoc] = await uploadOwnerDocuments(ctx(find('designated officer, recorded the allegations')), { kind: 'lado-case', id: ids.ladoId }, details, [{ name: 'report.txt', path: file }])
  const [reviewDoc] = await uploadOwnerDocuments(ctx(find('business unit, leads the reviews')), { kind: 'practice-review', id: ids.practiceReviewId }, details, [{ name: 'report.txt', path: file }])
  rmSync(file, { force: true })
  Object.assign(ids, { ladoDocumentId: ladoDoc!.id, ladoVersionId: ladoDoc!.versions[0]!.id, reviewDocumentId: reviewDoc!.id, reviewVersionId: reviewDoc!.versions[0]!.id })

  // The business unit's section 11 audit and a domestic abuse related death review.
  const unit = find('business unit, leads the reviews')
  const template = await createTemplate(ctx(unit), { name: `Section 11 standards ${name}`, standards: [...DEFAULT_SECTION11_STANDARDS] })
  ids.section11TemplateId = template.id
  const cycle = await issueCycle(ctx(unit), { templateId: template.id, name: `Section 11 audit ${name}`, issuedOn: '2026-11-01', answersDueOn: '2026-12-31', contactUserIds: [referrer.userId] })
  ids.section11CycleId = cycle.id
  ids.section11ReturnId = (await getCycle(ctx(unit), cycle.id)).returns[0]!.id
  ids.darReviewId = (await recordDarReview(ctx(unit), {
    cspName: 'A fictional community safety partnership', deceased: 'Adult A', deceasedAge: 38, deathOn: '2026-09-01', notifiedOn: '2026-09-05',
    suicide: false, circumstances: 'Fictional circumstances',
  } as never)).id

  // Retention: a legal hold on the open case (the auditor manages retention).
  ids.holdId = await placeLegalHold(ctx(dpo), legalHoldInput.parse({ on: 'case', caseId: open.caseId, reason: 'A fictional inquiry' }))
  const admin = find('administrator, no relationship')
  ids.templateId = (await letterTemplates(ctx(admin)))[0]!.id
  ids.adminUserId = admin.userId
  ids.userId = find('social worker, allocated').userId
  ids.teamId = world.teams.assessment!
  ids.agencyId = world.agencies.school!
  ids.tokenOwner = admin.userId
  await createApiToken(db, { email: admin.email, name: `matrix token ${name}`, now: new Date() })

  const markers = new Set<string>()
  for (const c of children) markers.add(c.familyName).add(c.nhsNumber)
  for (const u of users.values()) markers.add(u.email).add(u.displayName)
  for (const t of await db.select({ name: team.name }).from(team).where(eq(team.partnershipId, world.partnershipId))) markers.add(t.name)
  for (const a of await db.select({ name: agency.name }).from(agency).where(eq(agency.partnershipId, world.partnershipId))) markers.add(a.name)
  for (const u of await db.select({ email: appUser.email }).from(appUser).where(eq(appUser.partnershipId, world.partnershipId))) markers.add(u.email)
  markers.delete('')
  return { name, m, users: [...users.values()], open, ids, markers: [...markers], children }
}

/** Routes whose parameter is not a record's id (a form page's slug, a draft's key of the user's own, a kind's code): nothing of the other partnership to fill them with. */
export const NOT_A_RECORD = new Set([
  'api /drafts/{key}',
  'page /referrals/new/:slug',
  'page /retention/schedules/:kind',
  'page /admin/document-kinds/:code',
])

/**
 * The value of a route parameter from a side's records: what `:id` is depends on the route's
 * family; a case's records hang off its open case. Answers undefined when the side holds no such
 * record (the route is then filled with an id that exists nowhere).
 */
export function fillFor(side: Side, kind: 'page' | 'api', path: string, param: string): string | undefined {
  const { ids, open } = side
  const p = kind === 'page' ? path : path.replace(/\{(\w+)\}/g, ':$1')
  if (/^\/cases\//.test(p)) {
    if (param === 'id' || param === 'caseId') return open.caseId
    // Core groups and visits hang off a child protection plan, which the world does not build.
    if (param === 'planId' && /\/(core-groups|visits)\//.test(p)) return undefined
    return open.records[param]
  }
  const rules: [RegExp, Record<string, string | undefined>][] = [
    [/^\/(admin\/)?agencies\//, { id: ids.agencyId, agencyId: ids.agencyId }],
    [/^\/(admin\/)?teams\//, { id: ids.teamId }],
    [/^\/(admin\/)?users\//, { id: ids.userId }],
    [/^\/authority-contacts\//, { agencyId: ids.agencyId }],
    [/^\/audit\/people\//, { id: open.personId, personId: open.personId }],
    [/^\/contacts\//, { id: ids.contactId }],
    [/^\/shared-documents\//, { shareId: ids.shareId }],
    [/^\/subject-access(-requests)?\//, { requestId: ids.requestId }],
    [/^\/retention\/records\//, { recordType: 'case', recordId: open.caseId }],
    [/^\/retention\/holds\//, { holdId: ids.holdId }],
    [/^\/(admin\/)?letter-templates\//, { templateId: ids.templateId }],
    [/^\/referrals\//, { id: ids.referralId }],
    [/^\/information-requests\//, { id: ids.informationRequestId }],
    [/^\/(partnership\/incidents|serious-incidents)\//, { id: ids.incidentId }],
    [/^\/(partnership\/lado|lado-cases)\//, { id: ids.ladoId, documentId: ids.ladoDocumentId, versionId: ids.ladoVersionId }],
    [/^\/(partnership\/reviews|practice-reviews)\//, { id: ids.practiceReviewId, documentId: ids.reviewDocumentId, versionId: ids.reviewVersionId }],
    [/^\/(partnership\/)?dar-reviews\//, { id: ids.darReviewId }],
    [/^\/(partnership\/)?section-11\/templates\//, { id: ids.section11TemplateId }],
    [/^\/(partnership\/)?section-11\/cycles\//, { id: ids.section11CycleId }],
    [/^\/(partnership\/)?section-11\/returns\//, { id: ids.section11ReturnId }],
  ]
  for (const [pattern, values] of rules) if (pattern.test(p)) return values[param]
  return undefined
}

/** Both partnerships in one database. */
export async function buildTwoPartnerships(db: Db): Promise<{ a: Side; b: Side }> {
  const a = await buildSide(db, 'A', 100)
  const b = await buildSide(db, 'B', 300)
  return { a, b }
}
