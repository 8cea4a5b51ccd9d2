/**
 * The fictional demo partnership: one agency of each kind, a few teams, one user per role and a
 * handful of obviously fictional children (NHS numbers from the 999 test range), so that every
 * home page and the access policy can be tried straight after `npm start`.
 */
import { sql } from 'drizzle-orm'
import type { Db } from '../db/connection.ts'
import { accessGrant, agency, caseInvolvement, childCase, partnership, person, team } from '../db/schema.ts'
import type { AgencyType } from '../domain/organisation/agency-types.ts'
import type { Role } from '../domain/access/roles.ts'
import { appendAudit } from './audit.ts'
import { insertUser } from './organisation.ts'
import { seedDemoJourneys, type DemoIds } from './demo-journeys.ts'
import { addDays } from '../domain/calendar/iso-date.ts'

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
  ['safeguarding-school', 'school', 'Safeguarding'],
]

const USERS: [role: Role, localPart: string, name: string, agencyKey: string, teamKey: string | null][] = [
  ['front-door-practitioner', 'front.door', 'Fran Door (demo)', 'council', 'front-door'],
  ['social-worker', 'social.worker', 'Sam Worker (demo)', 'council', 'assessment'],
  ['team-manager', 'team.manager', 'Tam Manager (demo)', 'council', 'assessment'],
  ['conference-chair', 'conference.chair', 'Chris Chair (demo)', 'council', 'chairs'],
  ['partner-practitioner', 'partner', 'Pat Partner (demo)', 'school', 'safeguarding-school'],
  ['business-unit', 'business.unit', 'Bea Unit (demo)', 'council', 'business-unit'],
  ['performance-analyst', 'analyst', 'Ana Lyst (demo)', 'council', 'performance'],
  ['auditor', 'auditor', 'Aud Itor (demo)', 'council', null],
  ['administrator', 'admin', 'Addy Min (demo)', 'council', null],
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

export async function seedDemo(db: Db, password: string, today: string, now = new Date()): Promise<{ partnershipId: string }> {
  const { partnershipId, ids } = await db.transaction(async (tx) => {
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
      userIds[role] = u.id
    }

    const child = async (
      givenName: string,
      familyName: string,
      dateOfBirth: string,
      sex: string,
      nhsNumber: string,
      c: { team: string; worker?: Role; status: string; openedOn: string; restricted?: boolean },
    ) => {
      const [pp] = await tx
        .insert(person)
        .values({ partnershipId, givenName, familyName, dateOfBirth, sex, nhsNumber, restricted: c.restricted ?? false })
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
    })
    const bea = await child('Bea', 'Fictional', '2019-07-02', 'F', '9990000026', {
      team: 'assessment',
      worker: 'social-worker',
      status: 'front-door',
      openedOn: addDays(today, -9),
    })
    const cody = await child('Cody', 'Madeup', '2012-11-30', 'M', '9990000034', {
      team: 'front-door',
      status: 'front-door',
      openedOn: addDays(today, -1),
    })
    const restricted = await child('Dee', 'Notreal', '2017-01-09', 'F', '9990000042', {
      team: 'assessment',
      status: 'front-door',
      openedOn: addDays(today, -60),
      restricted: true,
    })
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
        caseId: ash.caseId,
        userId: userIds['conference-chair']!,
        kind: 'invitation',
        startsAt: now,
        reason: 'Invited to chair the initial child protection conference',
        grantedBy: userIds['team-manager']!,
      },
      {
        partnershipId,
        caseId: restricted.caseId,
        userId: userIds['team-manager']!,
        kind: 'explicit-permission',
        startsAt: now,
        reason: 'Team manager overseeing a restricted record',
        grantedBy: userIds.administrator!,
      },
    ])
    await appendAudit(tx, {
      partnershipId,
      actorUserId: null,
      action: 'demo.seed',
      detail: { users: USERS.length, children: 4, today },
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
    return { partnershipId, ids }
  })
  await seedDemoJourneys(db, ids, today, now)
  return { partnershipId }
}
