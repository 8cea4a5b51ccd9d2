/**
 * The access matrix's world: one partnership with a case for every relationship kind the policy
 * knows, a restricted case, a case whose person is restricted, and a case of another partnership.
 * Each scenario says which relationships the fixture gave the user to the case, so the expected
 * answer is the policy's own decision on exactly those relationships.
 */
import { temporaryMoveInput } from '../../src/services/care/care-input.ts'
import { startTemporaryMove } from '../../src/services/care/placements.ts'
import { becomeLookedAfter } from '../../src/services/journey/looked-after.ts'
import { CARE_START } from '../support/care.ts'
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import type { Db } from '../../src/db/connection.ts'
import { accessGrant, auditEvent, contact, contactChild, person } from '../../src/db/schema/index.ts'
import type { PartnershipRecord, Relationship } from '../../src/domain/access/policy.ts'
import { roleIds, type Role } from '../../src/domain/access/roles.ts'
import type { Actor } from '../../src/services/common/context.ts'
import { addNote } from '../../src/services/journey/case-notes.ts'
import { breakGlass, BREAK_GLASS_HOURS } from '../../src/services/journey/cases.ts'
import { addIncidentMember, recordIncident, recordNotification, recordRapidReviewDecision } from '../../src/services/partnership/incidents.ts'
import { startReview } from '../../src/services/partnership/practice-reviews.ts'
import { addLadoChild, recordLadoReferral } from '../../src/services/partnership/lado/cases.ts'
import { addPlanItem, startPlan } from '../../src/services/journey/plans.ts'
import { uploadDocuments } from '../../src/services/records/documents.ts'
import { recordBodyMap } from '../../src/services/records/body-maps.ts'
import { letterTemplates } from '../../src/services/records/letter-templates.ts'
import { produceLetter } from '../../src/services/records/letters.ts'
import { inviteToStrategyDiscussion } from '../../src/services/multi-agency/participation.ts'
import type supertest from 'supertest'
import { createApiToken } from '../../src/services/access/api-tokens.ts'
import { FIXED_NOW, PASSWORD, World } from '../support/fixtures.ts'
import type { TestDatabase } from '../support/database.ts'
import { openTestApp, signIn, type TestApp } from '../support/web.ts'

export type User = Actor & { email: string; key: string }

export interface MatrixCase {
  key: string
  caseId: string
  personId: string
  familyName: string
  partnershipId: string
  restricted: boolean
  /** Ids of records hanging off the case, by route parameter name. */
  records: Record<string, string>
}

export interface Scenario {
  user: User
  c: MatrixCase
  /** The relationships the fixture gave this user to this case (what the policy is asked with). */
  relationships: Relationship[]
  /** What the pair stands for, in failure messages. */
  label: string
}

export interface MatrixWorld {
  world: World
  /** Another partnership, whose records do not exist for the matrix's users. */
  other: World
  users: User[]
  cases: MatrixCase[]
  scenarios: Scenario[]
}

const FAR_PAST_END = new Date('2026-11-01T00:00:00Z')

/** The application at the matrix's fixed time, on a fresh database holding the matrix's world. */
export async function openMatrixApp(): Promise<{ database: TestDatabase; app: TestApp; m: MatrixWorld }> {
  const opened = await openTestApp(FIXED_NOW)
  return { database: opened.database, app: opened.app, m: await buildMatrixWorld(opened.world) }
}

export async function buildMatrixWorld(world: World): Promise<MatrixWorld> {
  const db = world.db
  for (const key of ['health', 'youth', 'housing', 'probation', 'nobody']) await world.agency(key, 'health-trust')
  await world.team('other', 'council')

  const users: User[] = []
  const user = async (key: string, roles: Role[], options: { agency?: string; team?: string | null } = {}) => {
    const u = { ...(await world.user(roles, options)), key }
    users.push(u)
    return u
  }
  const swAlloc = await user('social worker, allocated', ['social-worker'], { team: 'other' })
  const swTeam = await user('social worker, case team', ['social-worker'], { team: 'assessment' })
  const tmTeam = await user('team manager, case team', ['team-manager'], { team: 'assessment' })
  const fdpTeam = await user('front door, case team', ['front-door-practitioner'], { team: 'assessment' })
  const fdpContact = await user('front door, open contact', ['front-door-practitioner'], { team: 'front-door' })
  const chairInvited = await user('conference chair, invited', ['conference-chair'], { team: 'other' })
  const swExplicit = await user('social worker, explicit permission', ['social-worker'], { team: 'other' })
  const swExpired = await user('social worker, expired permission', ['social-worker'], { team: 'other' })
  const partnerInvolved = await user('partner, agency involved', ['partner-practitioner'], { agency: 'school', team: null })
  const partnerEnded = await user('partner, involvement ended', ['partner-practitioner'], { agency: 'police', team: null })
  const partnerFuture = await user('partner, involvement not yet started', ['partner-practitioner'], { agency: 'health', team: null })
  const partnerInvited = await user('partner, invited', ['partner-practitioner'], { agency: 'youth', team: null })
  const partnerOwner = await user('partner, owns a plan action', ['partner-practitioner'], { agency: 'housing', team: null })
  const partnerAddressed = await user('partner, request addressed', ['partner-practitioner'], { agency: 'probation', team: null })
  const swBreakGlass = await user('social worker, broke the glass', ['social-worker'], { team: 'other' })
  const swGlassExpired = await user('social worker, break-glass expired', ['social-worker'], { team: 'other' })
  const unrelated: User[] = []
  for (const role of roleIds) {
    const partner = role === 'partner-practitioner' || role === 'unscheduled-care'
    unrelated.push(await user(`${role}, no relationship`, [role], partner ? { agency: 'nobody', team: null } : { team: 'other' }))
  }
  // Someone outside the matrix who writes the records that hang off each case.
  const keeper = await world.user(['team-manager'], { team: 'assessment' })

  const makeCase = async (key: string, options: { restricted?: boolean; personRestricted?: boolean; in?: World } = {}) => {
    const w = options.in ?? world
    const familyName = `Matrix${key.replace(/\W/g, '')}${Math.random().toString(36).slice(2, 8)}`
    const made = await w.childCase({ worker: w === world ? swAlloc.userId : null, restricted: options.restricted, familyName })
    if (options.personRestricted) await db.update(person).set({ restricted: true }).where(eq(person.id, made.personId))
    return { key, ...made, familyName, partnershipId: w.partnershipId, restricted: !!options.restricted || !!options.personRestricted, records: {} } as MatrixCase
  }
  const caseA = await makeCase('open case')
  const caseR = await makeCase('restricted case', { restricted: true })
  const caseP = await makeCase('restricted person', { personRestricted: true })
  const other = await World.create(db)
  const caseX = await makeCase('another partnership', { in: other })

  // Relationships to the open case.
  await world.involve(caseA.caseId, 'school')
  await world.involve(caseA.caseId, 'police', '2026-01-01', '2026-10-15')
  await world.involve(caseA.caseId, 'health', '2027-01-01')
  await world.grant(caseA.caseId, chairInvited.userId, 'invitation')
  await world.grant(caseA.caseId, partnerInvited.userId, 'invitation')
  await world.grant(caseA.caseId, partnerAddressed.userId, 'addressed-request')
  await world.grant(caseA.caseId, swExplicit.userId, 'explicit-permission')
  await world.grant(caseA.caseId, swExpired.userId, 'explicit-permission', FAR_PAST_END)
  await insertContact(world, caseA, keeper.userId)

  // Records hanging off each case of the partnership (the restricted ones through explicit permission).
  for (const mc of [caseA, caseR, caseP]) {
    if (mc.restricted) await world.grant(mc.caseId, keeper.userId, 'explicit-permission')
    const ctx = world.ctx(keeper, FIXED_NOW)
    const note = await addNote(ctx, mc.caseId, { kind: 'note', occurredOn: '2026-11-10', title: 'A note', body: `About ${mc.familyName}`, childSeen: null, childSeenAlone: null } as never)
    const plan = await startPlan(ctx, mc.caseId, { kind: 'early-help', startedOn: '2026-11-01', summary: 'A plan' })
    const item = await addPlanItem(ctx, mc.caseId, plan.id, {
      kind: 'action',
      description: 'An action',
      ownerAgencyId: world.agencies[mc === caseA ? 'housing' : 'council']!,
    })
    mc.records = { noteId: note.id, planId: plan.id, itemId: item.id, itemOwnerAgencyId: item.ownerAgencyId! }
    const pdf = join(tmpdir(), `matrix-document-${mc.caseId}.pdf`)
    writeFileSync(pdf, `%PDF-1.7\n% About ${mc.familyName}\n%%EOF\n`)
    const [doc] = await uploadDocuments(ctx, mc.caseId, { title: 'A report', kind: 'report-from-partner', datedOn: null, receivedFrom: null }, [{ name: 'report.pdf', path: pdf }])
    rmSync(pdf, { force: true })
    Object.assign(mc.records, { documentId: doc!.id, versionId: doc!.versions[0]!.id })
    const template = (await letterTemplates(ctx)).find((t) => t.kind === 'letter-before-proceedings')!
    const letter = await produceLetter(ctx, mc.caseId, { templateId: template.id, aboutId: null, recipient: 'other', title: 'A letter', body: `About ${mc.familyName}`, address: 'A Parent\n1 Street\nZZ1 1ZZ' })
    mc.records.letterId = letter.id
    mc.records.bodyMapId = (await recordBodyMap(ctx, mc.caseId, { seenOn: '2026-11-10', seenBy: 'School nurse' })).id
    // A period of care with a temporary move still running (its pages: the period's forms, the move's return and correction).
    const period = await becomeLookedAfter(ctx, mc.caseId, { startedOn: '2026-11-01', legalStatus: 'C2', ...CARE_START })
    mc.records.periodId = period.id
    mc.records.placementId = (await startTemporaryMove(ctx, mc.caseId, period.id, temporaryMoveInput.parse({ placeType: 'T1', startedOn: '2026-11-10', placementPostcode: 'ZQ3 6HS' }))).id
  }
  // A real invitation of the invited partner to a strategy discussion on the open case (its page is theirs alone).
  const strategyInvitation = await inviteToStrategyDiscussion(world.ctx(keeper, FIXED_NOW), caseA.caseId, {
    userId: partnerInvited.userId,
    meetingOn: '2026-11-25',
    meetingTime: '10:00',
    purpose: 'Bruising the school reported',
  })
  caseA.records.invitationId = strategyInvitation.id
  caseA.records.invitationUserId = partnerInvited.userId
  for (const mc of [caseR, caseP]) {
    await world.involve(mc.caseId, 'school')
    await world.grant(mc.caseId, swExplicit.userId, 'explicit-permission')
  }

  // Break-glass, through the service the route uses: in force now, and one that ended an hour ago.
  const reason = 'Urgent safeguarding concern out of hours'
  await breakGlass(world.ctx(swBreakGlass, FIXED_NOW), caseA.caseId, reason)
  await breakGlass(world.ctx(swGlassExpired, new Date(FIXED_NOW.getTime() - (BREAK_GLASS_HOURS + 1) * 3600_000)), caseA.caseId, reason)
  // A break-glass grant on a restricted case (e.g. made before the case was restricted; the service
  // refuses a new one): the policy never opens a restricted case through it.
  await db.insert(accessGrant).values({
    partnershipId: world.partnershipId,
    caseId: caseR.caseId,
    userId: swBreakGlass.userId,
    kind: 'break-glass',
    reason,
    grantedBy: swBreakGlass.userId,
    startsAt: new Date(FIXED_NOW.getTime() - 3600_000),
    endsAt: new Date(FIXED_NOW.getTime() + 3600_000),
  })

  const scenarios: Scenario[] = []
  const add = (u: User, mc: MatrixCase, relationships: Relationship[]) =>
    scenarios.push({ user: u, c: mc, relationships, label: `${u.key} → ${mc.key}` })
  add(swAlloc, caseA, ['allocated-worker'])
  add(swTeam, caseA, ['team'])
  add(tmTeam, caseA, ['team'])
  add(fdpTeam, caseA, ['team'])
  add(fdpContact, caseA, ['front-door-contact'])
  add(chairInvited, caseA, ['invitation'])
  add(swExplicit, caseA, ['explicit-permission'])
  add(swExpired, caseA, [])
  add(partnerInvolved, caseA, ['agency-involvement'])
  add(partnerEnded, caseA, [])
  add(partnerFuture, caseA, [])
  add(partnerInvited, caseA, ['invitation'])
  add(partnerOwner, caseA, ['plan-action-owner'])
  add(partnerAddressed, caseA, [])
  scenarios[scenarios.length - 1]!.relationships = ['addressed-request']
  add(swBreakGlass, caseA, ['break-glass'])
  add(swGlassExpired, caseA, [])
  add(swBreakGlass, caseR, ['break-glass'])
  for (const u of unrelated) add(u, caseA, [])
  for (const mc of [caseR, caseP]) {
    add(swAlloc, mc, ['allocated-worker'])
    add(tmTeam, mc, ['team'])
    add(swExplicit, mc, ['explicit-permission'])
    add(partnerInvolved, mc, ['agency-involvement'])
    add(unrelated[0]!, mc, [])
  }
  for (const u of [swAlloc, tmTeam, swExplicit, partnerInvolved]) add(u, caseX, [])

  return { world, other, users, cases: [caseA, caseR, caseP, caseX], scenarios }
}

/**
 * A child's case reached through one of the partnership's own records (a serious incident and its
 * rapid review, an allegation): the user, the record's pages, how the user stands to the record
 * (what decideOnPartnershipRecord is asked with) and the relationships they hold to the case.
 */
export interface LinkedScenario {
  user: User
  c: MatrixCase
  recordId: string
  record: PartnershipRecord
  relationships: Relationship[]
  /** The record's family of pages (id-routes.ts): the matrix requests every page of it. */
  family: 'incident' | 'practiceReview' | 'lado'
  label: string
}

/**
 * Serious incidents naming the open case, the restricted case, the case with a restricted person
 * (and one in another partnership), with review members who hold different relationships to the
 * child, each with the local practice review its rapid review decided on (the same members); allegations (LADO) linking those children, with the designated officer's team and the
 * employer's named contacts.
 */
export async function buildLinkedWorld(m: MatrixWorld): Promise<LinkedScenario[]> {
  const { world } = m
  const [caseA, caseR, caseP, caseX] = m.cases as [MatrixCase, MatrixCase, MatrixCase, MatrixCase]
  const find = (key: string) => m.users.find((u) => u.key === key)!
  const swAlloc = find('social worker, allocated')
  const swExplicit = find('social worker, explicit permission')
  const partnerInvolved = find('partner, agency involved')
  const partnerUnrelated = find('partner-practitioner, no relationship')
  const buUnrelated = find('business-unit, no relationship')
  const doUnrelated = find('designated-officer, no relationship')
  await world.team('lado', 'council')
  const user = async (key: string, roles: Role[], options: { team?: string | null } = {}): Promise<User> => ({ ...(await world.user(roles, options)), key })
  const lead = await user('business unit, leads the reviews', ['business-unit'], { team: null })
  const officer = await user('designated officer, recorded the allegations', ['designated-officer'], { team: 'lado' })
  const colleague = await user('designated officer, same team', ['designated-officer'], { team: 'lado' })
  // Linking a restricted child needs explicit permission (the policy's linked-case rule).
  for (const mc of [caseR, caseP]) for (const u of [lead, officer]) await world.grant(mc.caseId, u.userId, 'explicit-permission')

  const rels = new Map<string, Relationship[]>([
    [`${swAlloc.userId} ${caseA.caseId}`, ['allocated-worker']],
    [`${swAlloc.userId} ${caseR.caseId}`, ['allocated-worker']],
    [`${swAlloc.userId} ${caseP.caseId}`, ['allocated-worker']],
    ...[caseA, caseR, caseP].map((mc) => [`${partnerInvolved.userId} ${mc.caseId}`, ['agency-involvement']] as [string, Relationship[]]),
    ...[caseA, caseR, caseP].map((mc) => [`${swExplicit.userId} ${mc.caseId}`, ['explicit-permission']] as [string, Relationship[]]),
    ...[caseR, caseP].flatMap((mc) => [lead, officer].map((u) => [`${u.userId} ${mc.caseId}`, ['explicit-permission']] as [string, Relationship[]])),
  ])
  const relationshipsOf = (u: User, mc: MatrixCase) => rels.get(`${u.userId} ${mc.caseId}`) ?? []

  const scenarios: LinkedScenario[] = []
  const incident = (mc: MatrixCase) => ({ child: mc.caseId, kind: 'serious-harm-abuse-neglect' as const, incidentOn: '2026-11-20', awareOn: '2026-11-20', summary: 'Fictional incident' })
  const members = [swExplicit, partnerInvolved, partnerUnrelated]
  // Notified on time (no late reason, coded or written).
  const notification = { notifiedOn: '2026-11-20', lateReasonCode: null, lateReason: null, version: 1 }
  for (const mc of [caseA, caseR, caseP]) {
    const ctx = world.ctx(lead, FIXED_NOW)
    const row = await recordIncident(ctx, incident(mc))
    for (const u of members) await addIncidentMember(ctx, row.id, u.userId)
    // The rapid review decides on a local practice review, which the incident's members work on too.
    await recordNotification(ctx, row.id, notification)
    await recordRapidReviewDecision(ctx, row.id, { decision: 'local-review', reasons: 'Fictional learning', decidedOn: '2026-11-20', version: 2 })
    const review = await startReview(ctx, { incidentId: row.id, title: 'Fictional practice review', decidedOn: '2026-11-20', notifiedOn: null })
    for (const [family, recordId] of [['incident', row.id], ['practiceReview', review.id]] as const) {
      for (const u of [lead, ...members, swAlloc, buUnrelated]) {
        const member = u === lead || members.includes(u)
        scenarios.push({
          user: u, c: mc, recordId, family, relationships: relationshipsOf(u, mc),
          record: { kind: 'review', partnershipId: world.partnershipId, member },
          label: `${u.key} (${member ? 'member' : 'not a member'} of the review) → ${family === 'incident' ? 'incident' : 'practice review'} about ${mc.key}`,
        })
      }
    }
  }
  const otherLead = await m.other.user(['business-unit'], { team: null })
  const rowX = await recordIncident(m.other.ctx(otherLead, FIXED_NOW), incident(caseX))
  scenarios.push({
    user: lead, c: caseX, recordId: rowX.id, relationships: [], family: 'incident',
    record: { kind: 'review', partnershipId: caseX.partnershipId, member: false }, label: `${lead.key} → incident of another partnership`,
  })

  const referral = (mc: MatrixCase, contact: User) => ({
    knownOn: '2026-11-19', referredOn: '2026-11-19', referralLateReason: null, referrer: null, subjectName: 'Fictional Employee', subjectRole: 'Teacher',
    employerAgencyId: world.agencies.school!, employerName: null, employerContactUserId: contact.userId, employerContactName: null,
    categories: ['harm' as const], allegation: 'Fictional allegation', childNhsNumber: mc.caseId, childDescription: 'A pupil',
  })
  const ladoA = await recordLadoReferral(world.ctx(officer, FIXED_NOW), referral(caseA, partnerInvolved))
  const ladoR = await recordLadoReferral(world.ctx(officer, FIXED_NOW), referral(caseR, partnerUnrelated))
  await addLadoChild(world.ctx(officer, FIXED_NOW), ladoR.id, { childNhsNumber: caseP.caseId, childDescription: 'Another pupil' })
  for (const [row, children, contact] of [[ladoA, [caseA], partnerInvolved], [ladoR, [caseR, caseP], partnerUnrelated]] as const) {
    for (const mc of children) {
      for (const u of [officer, colleague, contact, swAlloc, doUnrelated]) {
        const record: PartnershipRecord = {
          kind: 'lado', partnershipId: world.partnershipId,
          inDesignatedTeam: u.teamId !== null && u.teamId === world.teams.lado, employerContact: u === contact,
        }
        scenarios.push({
          user: u, c: mc, recordId: row.id, record, relationships: relationshipsOf(u, mc), family: 'lado',
          label: `${u.key}${u === contact ? " (the employer's named contact)" : ''} → allegation linking ${mc.key}`,
        })
      }
    }
  }
  return scenarios
}

/**
 * A contact at `world`'s front door about one child, received the day before the matrix's time;
 * decided `decided.daysAgo` days before it, with the referrer told, when given.
 */
export async function insertContact(world: World, c: { caseId: string; personId: string }, recordedBy: string, decided?: { daysAgo: number }): Promise<string> {
  const decidedAt = decided ? new Date(FIXED_NOW.getTime() - decided.daysAgo * 24 * 3600_000) : null
  const [row] = await world.db
    .insert(contact)
    .values({
      partnershipId: world.partnershipId,
      receivedAt: decidedAt ?? new Date('2026-11-19T09:00:00Z'),
      source: '1A',
      referrerName: 'A referrer',
      concern: 'A concern',
      consent: 'given',
      urgency: 'standard',
      teamId: world.teams['front-door']!,
      recordedBy,
      ...(decidedAt ? { decision: 'nfa', decisionReason: 'No concern', decidedAt, decidedBy: recordedBy, feedbackOn: decidedAt.toISOString().slice(0, 10), feedback: 'Told' } : {}),
    })
    .returning({ id: contact.id })
  await world.db.insert(contactChild).values({ partnershipId: world.partnershipId, contactId: row!.id, caseId: c.caseId, personId: c.personId })
  return row!.id
}

/** One signed-in agent and one API token per user, made on first use (signing in costs a password hash). */
export function signedInUsers(app: TestApp, db: Db) {
  const agents = new Map<string, supertest.Agent>()
  const tokens = new Map<string, string>()
  return {
    async agentOf(u: User): Promise<supertest.Agent> {
      let agent = agents.get(u.userId)
      if (!agent) {
        agent = app.agent()
        await signIn(agent, u.email, PASSWORD)
        agents.set(u.userId, agent)
      }
      return agent
    },
    async tokenOf(u: User): Promise<string> {
      let token = tokens.get(u.userId)
      if (!token) {
        token = (await createApiToken(db, { email: u.email, name: 'matrix', now: new Date() })).token
        tokens.set(u.userId, token)
      }
      return token
    },
  }
}

/** The audit entries of a partnership by the request that wrote them (each listing or search is one request). */
export async function auditEntriesByRequest(db: Db, partnershipId: string) {
  const entries = await db
    .select({
      requestId: auditEvent.requestId,
      action: auditEvent.action,
      detail: auditEvent.detail,
      recordId: auditEvent.recordId,
      subjectPersonId: auditEvent.subjectPersonId,
      ground: auditEvent.ground,
      breakGlass: auditEvent.breakGlass,
    })
    .from(auditEvent)
    .where(eq(auditEvent.partnershipId, partnershipId))
  const byRequest = new Map<string, typeof entries>()
  for (const e of entries) if (e.requestId) byRequest.set(e.requestId, [...(byRequest.get(e.requestId) ?? []), e])
  return byRequest
}
