/**
 * The one access policy: "may this user do this action to this record, and under which ground?"
 * Every route and service asks here. Roles give capabilities; relationships to a record give
 * access to that record; restricted records need explicit permission; break-glass is reasoned
 * and flagged. Pure: the caller supplies the user's relationships to the record.
 */
import type { Role } from './roles.ts'

export type RecordAction = 'case:read' | 'case:update' | 'case:authorise'
export type GeneralAction =
  | 'organisation:manage'
  | 'audit:read'
  | 'rules:read'
  | 'contact:record'
  | 'person:search'
  | 'team:oversee'
  | 'front-door:queue'
export type Action = RecordAction | GeneralAction

/** How a user is connected to a particular case. Computed from the database by the caller. */
export type Relationship =
  | 'allocated-worker'
  | 'team'
  /** The user's team holds a contact about the child that is undecided or awaiting feedback. */
  | 'front-door-contact'
  | 'agency-involvement'
  | 'invitation'
  | 'addressed-request'
  | 'explicit-permission'
  | 'break-glass'

/** Relationships in the order they are preferred as the recorded ground. */
export const RELATIONSHIPS: readonly Relationship[] = [
  'allocated-worker',
  'team',
  'front-door-contact',
  'agency-involvement',
  'invitation',
  'addressed-request',
  'explicit-permission',
  'break-glass',
]

export interface Subject {
  userId: string
  partnershipId: string
  roles: readonly Role[]
  active: boolean
}

export interface CaseRecord {
  partnershipId: string
  restricted: boolean
  /** This subject's relationships to the record. */
  relationships: readonly Relationship[]
}

export type Ground = `role:${Role}` | Relationship

export type Decision =
  | { allowed: true; ground: Ground; breakGlass: boolean }
  | { allowed: false; reason: string; breakGlassAvailable: boolean }

const CASE_PRACTITIONER_RELATIONSHIPS: readonly Relationship[] = [
  'allocated-worker',
  'team',
  'invitation',
  'addressed-request',
  'explicit-permission',
]

/** Which relationships let each role do each action to a case. Absent means never. */
const RECORD_RULES: Record<RecordAction, Partial<Record<Role, readonly Relationship[]>>> = {
  'case:read': {
    'front-door-practitioner': [...CASE_PRACTITIONER_RELATIONSHIPS, 'front-door-contact'],
    'social-worker': CASE_PRACTITIONER_RELATIONSHIPS,
    'team-manager': [...CASE_PRACTITIONER_RELATIONSHIPS, 'front-door-contact'],
    'conference-chair': CASE_PRACTITIONER_RELATIONSHIPS,
    'partner-practitioner': ['agency-involvement', 'invitation', 'addressed-request', 'explicit-permission'],
  },
  'case:update': {
    'front-door-practitioner': ['team', 'front-door-contact'],
    'social-worker': ['allocated-worker'],
    'team-manager': ['team', 'front-door-contact'],
    'conference-chair': ['invitation', 'team'],
  },
  /** Manager decisions: authorising assessments, allocation, front-door decisions. */
  'case:authorise': {
    'team-manager': ['team'],
  },
}

/** Roles that may open a case they have no relationship with, by giving a reason (break-glass). */
const BREAK_GLASS_ROLES: readonly Role[] = [
  'front-door-practitioner',
  'social-worker',
  'team-manager',
  'conference-chair',
]

const GENERAL_RULES: Record<GeneralAction, readonly Role[] | 'everyone'> = {
  'organisation:manage': ['administrator'],
  'audit:read': ['auditor'],
  'rules:read': 'everyone',
  'contact:record': ['front-door-practitioner', 'social-worker', 'team-manager'],
  'person:search': ['front-door-practitioner', 'social-worker', 'team-manager', 'conference-chair'],
  'team:oversee': ['team-manager'],
  'front-door:queue': ['front-door-practitioner', 'team-manager'],
}

const deny = (reason: string, breakGlassAvailable = false): Decision => ({
  allowed: false,
  reason,
  breakGlassAvailable,
})

export function isRecordAction(action: Action): action is RecordAction {
  return Object.hasOwn(RECORD_RULES, action)
}

/** Decides an action that is not about one record (managing organisations, reading the audit log). */
export function decideGeneral(subject: Subject, action: GeneralAction): Decision {
  if (!subject.active) return deny('Your account is not active.')
  const allowedRoles = GENERAL_RULES[action]
  if (allowedRoles === 'everyone') {
    const role = subject.roles[0]
    return role ? { allowed: true, ground: `role:${role}`, breakGlass: false } : deny('You have no role.')
  }
  const role = subject.roles.find((r) => allowedRoles.includes(r))
  return role ? { allowed: true, ground: `role:${role}`, breakGlass: false } : deny('Your role does not allow this.')
}

/** Decides an action on one case. */
export function decideOnCase(subject: Subject, action: RecordAction, record: CaseRecord): Decision {
  if (!subject.active) return deny('Your account is not active.')
  if (record.partnershipId !== subject.partnershipId) return deny('This record belongs to another partnership.')

  const rules = RECORD_RULES[action]
  const rels = record.relationships
  const has = (r: Relationship) => rels.includes(r)

  for (const ground of RELATIONSHIPS) {
    if (!has(ground) || ground === 'break-glass') continue
    const permittedBy = subject.roles.some((role) => rules[role]?.includes(ground))
    if (!permittedBy) continue
    if (record.restricted && !has('explicit-permission')) continue
    // On a restricted record the explicit permission is what opens it, so that is the ground.
    return { allowed: true, ground: record.restricted ? 'explicit-permission' : ground, breakGlass: false }
  }

  const mayBreakGlass =
    action === 'case:read' && !record.restricted && subject.roles.some((r) => BREAK_GLASS_ROLES.includes(r))
  if (mayBreakGlass && has('break-glass')) return { allowed: true, ground: 'break-glass', breakGlass: true }

  if (record.restricted) {
    return deny('This is a restricted record. You need explicit permission from a team manager to see it.')
  }
  return deny('You are not allocated to, invited to or otherwise involved with this case.', mayBreakGlass)
}

export function decide(subject: Subject, action: Action, record?: CaseRecord): Decision {
  if (isRecordAction(action)) {
    if (!record) throw new Error(`${action} needs a record`)
    return decideOnCase(subject, action, record)
  }
  return decideGeneral(subject, action)
}
