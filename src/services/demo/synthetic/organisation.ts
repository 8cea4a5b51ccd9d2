/**
 * The synthetic partnership: an obviously fictional name, one or more agencies of every type, the
 * council's teams (front door, k assessment teams, k child protection teams, early help, chairs,
 * business unit, performance) and users for every role, none with a password. Built from the seed
 * alone, so the same seed gives the same ids.
 */
import type { Role } from '../../../domain/access/roles.ts'
import type { AgencyType } from '../../../domain/organisation/agency-types.ts'
import { FAMILY_NAMES, STAFF_GIVEN_NAMES } from '../../../domain/demo/names.ts'
import { Prng } from '../../../domain/demo/prng.ts'
import { emptyBatch, newRow, type RowBatch } from './rows.ts'

export const SYNTHETIC_EMAIL_DOMAIN = 'synthetic.together.invalid'

export function syntheticPartnershipName(seed: number): string {
  return `Synthetic partnership (seed ${seed})`
}

export interface CaseTeam {
  id: string
  name: string
  managerId: string
  workerIds: string[]
}

export interface SyntheticOrganisation {
  partnershipId: string
  batch: RowBatch
  /** Agency ids by kind; several schools and GP practices. */
  agencies: {
    council: string
    police: string
    icb: string
    trust: string
    probation: string
    housing: string
    voluntary: string
    schools: string[]
    gps: string[]
  }
  agencyType: Map<string, AgencyType>
  agencyName: Map<string, string>
  frontDoor: CaseTeam
  assessmentTeams: CaseTeam[]
  protectionTeams: CaseTeam[]
  earlyHelp: CaseTeam
  chairIds: string[]
  userName: Map<string, string>
}

/** How many assessment (and child protection) teams a data set of this many children gets. */
export function teamCountFor(children: number): number {
  return Math.min(60, Math.max(2, Math.ceil(children / 10_000)))
}

export function buildOrganisation(input: { seed: number; children: number; createdAt: string }): SyntheticOrganisation {
  const { seed, createdAt } = input
  const rng = new Prng(seed, 0, 0x0a11ce)
  const batch = emptyBatch()
  const stamp = { createdAt, updatedAt: createdAt, version: 1 }
  const partnershipId = rng.uuid()
  batch.partnership.push(newRow('partnership', { id: partnershipId, name: syntheticPartnershipName(seed), isDemo: false, localRules: {}, ...stamp }))

  const agencyType = new Map<string, AgencyType>()
  const agencyName = new Map<string, string>()
  const addAgency = (name: string, type: AgencyType) => {
    const id = rng.uuid()
    batch.agency.push(newRow('agency', { id, partnershipId, name, type, active: true, ...stamp }))
    agencyType.set(id, type)
    agencyName.set(id, name)
    return id
  }
  const agencies = {
    council: addAgency("Synthshire Council Children's Services (synthetic)", 'la-childrens-social-care'),
    police: addAgency('Synthshire Police (synthetic)', 'police'),
    icb: addAgency('Synthshire Integrated Care Board (synthetic)', 'health-icb'),
    trust: addAgency('Synthshire Community Health NHS Trust (synthetic)', 'health-trust'),
    probation: addAgency('Synthshire Probation Delivery Unit (synthetic)', 'probation'),
    housing: addAgency('Synthshire Housing (synthetic)', 'housing'),
    voluntary: addAgency('Synthshire Family Support Charity (synthetic)', 'voluntary-sector'),
    schools: ['Madeup Primary School', 'Notreal Academy', 'Fictional High School'].map((n) => addAgency(`${n} (synthetic)`, 'education')),
    gps: ['Testcase Lane Surgery', 'Sampleton Medical Centre'].map((n) => addAgency(`${n} (synthetic)`, 'health-gp-practice')),
  }

  const addTeam = (agencyId: string, name: string) => {
    const id = rng.uuid()
    batch.team.push(newRow('team', { id, partnershipId, agencyId, name, active: true, ...stamp }))
    return id
  }

  const userName = new Map<string, string>()
  let staffNumber = 0
  const addUser = (localPart: string, roles: Role[], agencyId: string, teamId: string | null) => {
    const id = rng.uuid()
    const given = STAFF_GIVEN_NAMES[staffNumber % STAFF_GIVEN_NAMES.length]!
    const family = FAMILY_NAMES[Math.floor(staffNumber / STAFF_GIVEN_NAMES.length) % FAMILY_NAMES.length]!
    staffNumber++
    const displayName = `${given} ${family} (synthetic)`
    batch.appUser.push(
      newRow('appUser', {
        id,
        partnershipId,
        agencyId,
        teamId,
        email: `${localPart}.s${seed}@${SYNTHETIC_EMAIL_DOMAIN}`,
        displayName,
        roles,
        passwordHash: null,
        active: true,
        failedSignIns: 0,
        ...stamp,
      }),
    )
    userName.set(id, displayName)
    return id
  }

  const caseTeam = (name: string, key: string, workers: number, workerRole: Role): CaseTeam => {
    const id = addTeam(agencies.council, name)
    const managerId = addUser(`${key}.manager`, ['team-manager'], agencies.council, id)
    const workerIds = Array.from({ length: workers }, (_, i) => addUser(`${key}.worker${i + 1}`, [workerRole], agencies.council, id))
    return { id, name, managerId, workerIds }
  }

  const k = teamCountFor(input.children)
  const frontDoor = caseTeam('Front door (MASH)', 'frontdoor', Math.max(4, 2 * k), 'front-door-practitioner')
  const assessmentTeams = Array.from({ length: k }, (_, i) => caseTeam(`Assessment team ${i + 1}`, `assessment${i + 1}`, 6, 'social-worker'))
  const protectionTeams = Array.from({ length: k }, (_, i) =>
    caseTeam(`Child protection team ${i + 1}`, `protection${i + 1}`, 6, 'social-worker'),
  )
  const earlyHelp = caseTeam('Early help team', 'earlyhelp', Math.max(4, 2 * k), 'social-worker')

  const chairsTeam = addTeam(agencies.council, 'Child protection chairs')
  const chairIds = Array.from({ length: Math.max(2, k) }, (_, i) => addUser(`chair${i + 1}`, ['conference-chair'], agencies.council, chairsTeam))
  addUser('business.unit', ['business-unit'], agencies.council, addTeam(agencies.council, 'Partnership business unit'))
  addUser('analyst', ['performance-analyst'], agencies.council, addTeam(agencies.council, 'Performance and intelligence'))
  addUser('auditor', ['auditor'], agencies.council, null)
  addUser('admin', ['administrator'], agencies.council, null)

  const partnerTeams: [string, string, string][] = [
    [agencies.police, 'Public protection unit', 'police'],
    [agencies.trust, 'Safeguarding children team', 'health'],
    [agencies.icb, 'Designated professionals', 'icb'],
    [agencies.probation, 'Public protection', 'probation'],
    [agencies.housing, 'Tenancy support', 'housing'],
    [agencies.voluntary, 'Family support', 'voluntary'],
    ...agencies.schools.map((id, i): [string, string, string] => [id, 'Safeguarding', `school${i + 1}`]),
    ...agencies.gps.map((id, i): [string, string, string] => [id, 'Safeguarding lead', `gp${i + 1}`]),
  ]
  for (const [agencyId, teamName, key] of partnerTeams) {
    addUser(`partner.${key}`, ['partner-practitioner'], agencyId, addTeam(agencyId, teamName))
  }

  return {
    partnershipId,
    batch,
    agencies,
    agencyType,
    agencyName,
    frontDoor,
    assessmentTeams,
    protectionTeams,
    earlyHelp,
    chairIds,
    userName,
  }
}
