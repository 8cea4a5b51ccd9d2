/**
 * The fictional demo partnership: one agency of each kind, a few teams, one user per role and a
 * handful of obviously fictional children (NHS numbers from the 999 test range), so that every
 * home page and the access policy can be tried straight after `npm start`.
 */
import { sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { accessGrant, agency, caseInvolvement, caseRestriction, childCase, cinEpisode, conference, partnership, person, plan, planItem, team } from '../../db/schema/index.ts'
import { loadActor } from '../access/accounts.ts'
import { inviteToConference } from '../multi-agency/participation.ts'
import type { AgencyType } from '../../domain/organisation/agency-types.ts'
import type { Role } from '../../domain/access/roles.ts'
import { appendAudit } from '../access/audit.ts'
import { setLaCode } from '../returns/la-code.ts'
import { insertUser } from '../organisation/organisation.ts'
import { seedDemoJourneys, type DemoIds } from './demo-journeys.ts'
import { seedDemoSection11 } from './section11.ts'
import { seedDemoLadoAndDar } from './lado.ts'
import { seedDemoExamples } from './demo-examples.ts'
import { DEMO_IN_CARE_BIRTH, demoCareLeaverBirth, demoUpn, seedDemoCare, type DemoCareIds } from './demo-care.ts'
import { addDays } from '../../domain/timescales/calendar/iso-date.ts'

export const DEMO_EMAIL_DOMAIN = 'demo.together.invalid'

export interface DemoUser {
  email: string
  displayName: string
  role: Role
}

const AGENCIES: [key: string, name: string, type: AgencyType][] = [
  ['council', "Demoshire Council Children's Services", 'la-childrens-social-care'],
  ['police', 'Demoshire Police', 'police'],
  ['icb', 'Demoshire Integrated Care Board', 'health-icb'],
  ['trust', 'Demoshire Community Health NHS Trust', 'health-trust'],
  ['gp', 'Elm Street Surgery (demo)', 'health-gp-practice'],
  ['school', 'Oakfield Primary School (demo)', 'education'],
  ['probation', 'Demoshire Probation Delivery Unit', 'probation'],
  ['housing', 'Demoshire Housing', 'housing'],
  ['voluntary', 'Demoshire Family Support Charity', 'voluntary-sector'],
]

const TEAMS: [key: string, agencyKey: string, name: string][] = [
  ['front-door', 'council', 'Front door (MASH)'],
  ['assessment', 'council', 'Assessment team'],
  ['chairs', 'council', 'Child protection chairs'],
  ['business-unit', 'council', 'Partnership business unit'],
  ['performance', 'council', 'Performance and intelligence'],
  ['lado', 'council', 'Designated officer (LADO) team'],
  ['safeguarding-school', 'school', 'Safeguarding'],
  ['health-visiting', 'trust', 'Health visiting'],
  ['emergency-department', 'trust', 'Emergency department'],
  ['police-safeguarding', 'police', 'Multi-agency safeguarding hub (police)'],
]

const USERS: [role: Role, localPart: string, name: string, agencyKey: string, teamKey: string | null][] = [
  ['front-door-practitioner', 'front.door', 'Fran Door (demo)', 'council', 'front-door'],
  ['social-worker', 'social.worker', 'Sam Worker (demo)', 'council', 'assessment'],
  ['team-manager', 'team.manager', 'Tam Manager (demo)', 'council', 'assessment'],
  // The front door's own manager (oversight of the contacts waiting for a decision).
  ['team-manager', 'front.door.manager', 'Mo Manager (demo)', 'council', 'front-door'],
  ['conference-chair', 'conference.chair', 'Chris Chair (demo)', 'council', 'chairs'],
  ['independent-reviewing-officer', 'iro', 'Iris Reviewer (demo)', 'council', 'chairs'],
  ['partner-practitioner', 'partner', 'Pat Partner (demo)', 'school', 'safeguarding-school'],
  ['business-unit', 'business.unit', 'Bea Unit (demo)', 'council', 'business-unit'],
  ['designated-officer', 'lado', 'Lee Ado (demo)', 'council', 'lado'],
  ['performance-analyst', 'analyst', 'Ana Lyst (demo)', 'council', 'performance'],
  ['auditor', 'auditor', 'Aud Itor (demo)', 'council', null],
  ['administrator', 'admin', 'Addy Min (demo)', 'council', null],
  // Partners of the multi-agency journeys (the school's designated safeguarding lead is Pat Partner).
  ['partner-practitioner', 'health.visitor', 'Hana Visitor (demo)', 'trust', 'health-visiting'],
  ['partner-practitioner', 'police.officer', 'Paul Officer (demo)', 'police', 'police-safeguarding'],
  ['unscheduled-care', 'ae.clinician', 'Ali Emergency (demo)', 'trust', 'emergency-department'],
]

export const DEMO_USERS: DemoUser[] = USERS.map(([role, localPart, displayName]) => ({
  role,
  displayName,
  email: `${localPart}@${DEMO_EMAIL_DOMAIN}`,
}))

/** True when the database has no partnership yet (a fresh install). */
export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(partnership)
  return (row?.n ?? 0) === 0
}

/**
 * Loads the demo partnership in one transaction (the services it calls run in savepoints of it):
 * a crash part-way leaves no partnership, so the next start finds the database empty and loads
 * it whole, never a half-loaded demo.
 */
export async function seedDemo(db: Db, password: string, today: string, now = new Date()): Promise<{ partnershipId: string }> {
  return db.transaction((tx) => seedDemoIn(tx as unknown as Db, password, today, now))
}

async function seedDemoIn(db: Db, password: string, today: string, now: Date): Promise<{ partnershipId: string }> {
  const { partnershipId, ids, care, eve } = await db.transaction(async (tx) => {
    const [p] = await tx
      .insert(partnership)
      .values({ name: 'Demoshire Safeguarding Children Partnership (fictional)', isDemo: true })
      .returning({ id: partnership.id })
    const partnershipId = p!.id
    const agencyIds: Record<string, string> = {}
    for (const [key, name, type] of AGENCIES) {
      const [a] = await tx.insert(agency).values({ partnershipId, name, type }).returning({ id: agency.id })
      agencyIds[key] = a!.id
    }
    const teamIds: Record<string, string> = {}
    for (const [key, agencyKey, name] of TEAMS) {
      const [t] = await tx
        .insert(team)
        .values({ partnershipId, agencyId: agencyIds[agencyKey]!, name })
        .returning({ id: team.id })
      teamIds[key] = t!.id
    }
    const userIds: Partial<Record<Role, string>> = {}
    const userIdsByEmail: Record<string, string> = {}
    for (const [role, localPart, displayName, agencyKey, teamKey] of USERS) {
      const u = await insertUser(tx, partnershipId, {
        displayName,
        email: `${localPart}@${DEMO_EMAIL_DOMAIN}`,
        agencyId: agencyIds[agencyKey]!,
        teamId: teamKey ? teamIds[teamKey]! : null,
        roles: [role],
        active: true,
        password,
      })
      userIds[role] ??= u.id
      userIdsByEmail[localPart] = u.id
    }

    const child = async (
      givenName: string,
      familyName: string,
      dateOfBirth: string,
      sex: string,
      nhsNumber: string,
      c: { team: string; worker?: Role; status: string; openedOn: string; restricted?: boolean },
      census: { laChildId: string; ethnicity: string; disabilities: string[]; upn?: string },
    ) => {
      const [pp] = await tx
        .insert(person)
        .values({ partnershipId, givenName, familyName, dateOfBirth, sex, nhsNumber, restricted: c.restricted ?? false, ...census })
        .returning({ id: person.id })
      const [cc] = await tx
        .insert(childCase)
        .values({
          partnershipId,
          personId: pp!.id,
          teamId: teamIds[c.team]!,
          allocatedWorkerId: c.worker ? userIds[c.worker]! : null,
          status: c.status,
          openedOn: c.openedOn,
          restricted: c.restricted ?? false,
        })
        .returning({ id: childCase.id })
      return { caseId: cc!.id, personId: pp!.id }
    }

    const ash = await child('Ash', 'Testcase', '2015-03-14', 'M', '9990000018', {
      team: 'assessment',
      worker: 'social-worker',
      status: 'front-door',
      openedOn: addDays(today, -21),
    }, { laChildId: 'DEMO0001', ethnicity: 'WBRI', disabilities: ['NONE'] })
    const bea = await child('Bea', 'Fictional', '2019-07-02', 'F', '9990000026', {
      team: 'assessment',
      worker: 'social-worker',
      status: 'front-door',
      openedOn: addDays(today, -9),
    }, { laChildId: 'DEMO0002', ethnicity: 'MWBC', disabilities: ['NONE'] })
    const cody = await child('Cody', 'Madeup', '2012-11-30', 'M', '9990000034', {
      team: 'front-door',
      status: 'front-door',
      openedOn: addDays(today, -1),
    }, { laChildId: 'DEMO0003', ethnicity: 'NOBT', disabilities: ['NONE'] })
    const restricted = await child('Dee', 'Notreal', '2017-01-09', 'F', '9990000042', {
      team: 'assessment',
      status: 'front-door',
      openedOn: addDays(today, -60),
      restricted: true,
    }, { laChildId: 'DEMO0004', ethnicity: 'WIRI', disabilities: ['COMM'] })
    // Eve: on a child protection plan with a review conference due; the health visitor is invited
    // to it and the community health trust owns an action of the plan (partner participation).
    const eve = await child('Eve', 'Pretendson', '2024-02-11', 'F', '9990000050', {
      team: 'assessment',
      worker: 'social-worker',
      status: 'child-protection',
      openedOn: addDays(today, -120),
    }, { laChildId: 'DEMO0005', ethnicity: 'WBRI', disabilities: ['NONE'] })
    // Fern is in care and Gil a care leaver (demo-care.ts records their care through the services).
    const fern = await child('Fern', 'Storyland', DEMO_IN_CARE_BIRTH, 'F', '9990000069', {
      team: 'assessment',
      worker: 'social-worker',
      status: 'assessment',
      openedOn: addDays(today, -410),
    }, { laChildId: 'DEMO0006', ethnicity: 'WBRI', disabilities: ['NONE'], upn: demoUpn('999000000006') })
    const gilBirth = demoCareLeaverBirth(today)
    const gil = await child('Gil', 'Inventedson', gilBirth, 'M', '9990000077', {
      team: 'assessment',
      worker: 'social-worker',
      status: 'assessment',
      openedOn: addDays(gilBirth, 15 * 365),
    }, { laChildId: 'DEMO0007', ethnicity: 'MWBA', disabilities: ['NONE'], upn: demoUpn('999000000007') })
    const [eveEpisode] = await tx
      .insert(cinEpisode)
      .values({ partnershipId, caseId: eve.caseId, referralDate: addDays(today, -120), referralSource: '5A', primaryNeed: 'N1', recordedBy: userIds['social-worker']! })
      .returning({ id: cinEpisode.id })
    const [evePlan] = await tx
      .insert(plan)
      .values({
        partnershipId,
        caseId: eve.caseId,
        episodeId: eveEpisode!.id,
        kind: 'child-protection',
        startedOn: addDays(today, -80),
        leadUserId: userIds['social-worker']!,
        summary: 'Keep Eve safe from neglect: regular health visiting, nursery place, parenting support (fictional).',
        initialCategory: 'NEG',
        latestCategory: 'NEG',
        nextReviewOn: addDays(today, 10),
        recordedBy: userIds['social-worker']!,
      })
      .returning({ id: plan.id })
    // The initial conference that made the plan (held the day it started), then the review to come.
    await tx.insert(conference).values({
      partnershipId,
      caseId: eve.caseId,
      episodeId: eveEpisode!.id,
      planId: evePlan!.id,
      kind: 'initial',
      scheduledFor: addDays(today, -80),
      scheduledTime: '10:00',
      venue: 'Room 2, Demoshire Civic Centre (demo)',
      heldOn: addDays(today, -80),
      chairId: userIds['conference-chair']!,
      decision: 'plan',
      categories: ['NEG'],
      outlinePlan: 'Regular health visiting, a nursery place and parenting support (fictional).',
      recordedBy: userIds['conference-chair']!,
    })
    const [eveConference] = await tx
      .insert(conference)
      .values({
        partnershipId,
        caseId: eve.caseId,
        episodeId: eveEpisode!.id,
        planId: evePlan!.id,
        kind: 'review',
        scheduledFor: addDays(today, 10),
        scheduledTime: '14:00',
        venue: 'Room 2, Demoshire Civic Centre (demo)',
        chairId: userIds['conference-chair']!,
        participants: [{ party: 'agency', name: 'Hana Visitor (demo)', agencyId: agencyIds.trust!, attendance: 'invited', reportReceivedOn: null }],
        recordedBy: userIds['social-worker']!,
      })
      .returning({ id: conference.id })
    await tx.insert(planItem).values([
      {
        partnershipId,
        caseId: eve.caseId,
        planId: evePlan!.id,
        kind: 'action',
        description: 'Health visitor to visit Eve at home every two weeks and check her weight and development',
        ownerAgencyId: agencyIds.trust!,
        ownerUserId: userIdsByEmail['health.visitor']!,
        dueOn: addDays(today, 30),
        recordedBy: userIds['social-worker']!,
      },
      {
        partnershipId,
        caseId: eve.caseId,
        planId: evePlan!.id,
        kind: 'action',
        description: 'Social worker to arrange a nursery place',
        ownerAgencyId: agencyIds.council!,
        ownerUserId: userIds['social-worker']!,
        dueOn: addDays(today, 14),
        recordedBy: userIds['social-worker']!,
      },
    ])
    await tx.insert(caseInvolvement).values({
      partnershipId,
      caseId: ash.caseId,
      agencyId: agencyIds.school!,
      role: 'School (designated safeguarding lead)',
      startedOn: '2026-10-05',
    })
    await tx.insert(accessGrant).values([
      {
        partnershipId,
        caseId: eve.caseId,
        userId: userIds['conference-chair']!,
        kind: 'invitation',
        startsAt: now,
        reason: 'Chair of review conference',
        grantedBy: userIds['social-worker']!,
      },
      // The manager who restricted Dee's record keeps permission to work on it; they give the
      // social worker theirs when allocating it (the allocation form offers it in the same step).
      {
        partnershipId,
        caseId: restricted.caseId,
        userId: userIds['team-manager']!,
        kind: 'explicit-permission',
        startsAt: now,
        reason: 'Manager of the assessment team, overseeing the restricted record (demo)',
        grantedBy: null,
      },
    ])
    await tx.insert(caseRestriction).values({
      partnershipId,
      caseId: restricted.caseId,
      restricted: true,
      reason: 'A relative of the family works in the council’s children’s services (fictional).',
      recordedBy: userIds['team-manager']!,
      recordedAt: now,
    })
    // A fictional DfE code (no English LA has 999) for the census header.
    await setLaCode(tx, partnershipId, '999')
    await appendAudit(tx, {
      partnershipId,
      actorUserId: null,
      action: 'demo.seed',
      detail: { users: USERS.length, children: 7, today },
      occurredAt: now,
    })
    const ids: DemoIds = {
      users: { frontDoor: userIds['front-door-practitioner']!, socialWorker: userIds['social-worker']!, manager: userIds['team-manager']! },
      agencies: {
        school: agencyIds.school!,
        police: agencyIds.police!,
        trust: agencyIds.trust!,
        council: agencyIds.council!,
        gp: agencyIds.gp!,
      },
      people: { ash: ash.personId, bea: bea.personId, cody: cody.personId, dee: restricted.personId },
    }
    const care: DemoCareIds = { worker: userIds['social-worker']!, iro: userIds['independent-reviewing-officer']!, inCareCaseId: fern.caseId, leaverCaseId: gil.caseId }
    return { partnershipId, ids, care, eve: { caseId: eve.caseId, conferenceId: eveConference!.id, visitor: userIdsByEmail['health.visitor']! } }
  })
  await seedDemoJourneys(db, ids, today, now)
  // The health visitor's invitation goes through the service, so it carries its grant, audit and notification.
  const worker = await loadActor(db, ids.users.socialWorker)
  await inviteToConference({ db, actor: worker!, now: () => now, requestId: 'demo-seed' }, eve.caseId, eve.conferenceId, eve.visitor)
  await seedDemoSection11(db, partnershipId, DEMO_EMAIL_DOMAIN, today, now)
  await seedDemoLadoAndDar(db, partnershipId, DEMO_EMAIL_DOMAIN, today, now)
  await seedDemoExamples(db, partnershipId, DEMO_EMAIL_DOMAIN, today, now)
  await seedDemoCare(db, care, today)
  return { partnershipId }
}
