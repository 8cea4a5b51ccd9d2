/**
 * The one access policy: "may this user do this action to this record, and under which ground?"
 * Every route and service asks here. Roles give capabilities; relationships to a record give
 * access to that record; restricted records need explicit permission; break-glass is reasoned
 * and flagged. Pure: the caller supplies the user's relationships to the record.
 */
import type { Role } from './roles.ts'

/**
 * case:contribute is a partner's share of the work: their agency's plan actions and conference reports.
 * case:participate is a partner's scoped view of a case they take part in (docs/multi-agency.md,
 * "Partner participation"): the child's identifying details, the meetings they are invited to,
 * their agency's reports and their agency's plan actions — not the case record.
 */
/**
 * case:manage-access is deciding who may see a case: recording agencies' involvement, marking it
 * restricted, giving and withdrawing explicit permission. It shows who can see the case and the
 * child's name, not the record, so a restriction does not stop the case team's manager doing it.
 */
export type RecordAction = 'case:read' | 'case:update' | 'case:authorise' | 'case:contribute' | 'case:participate' | 'case:manage-access'
export type GeneralAction =
  | 'organisation:manage'
  | 'audit:read'
  | 'rules:read'
  | 'contact:record'
  | 'person:search'
  | 'person:review'
  | 'conference:chair'
  | 'team:oversee'
  | 'front-door:queue'
  | 'returns:run'
  | 'returns:import'
  | 'referral:submit'
  | 'cp-status:check'
  | 'information-request:send'
  | 'information-request:answer'
  | 'information-request:dashboard'
  | 'information-share:report'
  | 'review:start'
  | 'lado:refer'
  | 'lado:report'
  | 'section11:manage'
  | 'scorecard:read'
  | 'subject-access:manage'
  | 'retention:manage'
  | 'erasure:approve'
  | 'carer:record'
  | 'carer:manage'
export type Action = RecordAction | GeneralAction

/** How a user is connected to a particular case. Computed from the database by the caller. */
export type Relationship =
  | 'allocated-worker'
  | 'team'
  /** The user's team holds a contact about the child that is undecided or awaiting feedback. */
  | 'front-door-contact'
  | 'agency-involvement'
  | 'invitation'
  /**
   * The user is the independent reviewing officer allocated now on the case's open period of care
   * (iro_allocation): it opens the case to the independent-reviewing-officer role only.
   */
  | 'iro'
  /** The user's agency owns an action (not dropped) of an open plan of the case. */
  | 'plan-action-owner'
  /** A grant for an information request addressed to the user's agency: the participation view, not the record. */
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
  'iro',
  'plan-action-owner',
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

/** Grounds on the partnership's own records (reviews, allegations), decided by decideOnPartnershipRecord. */
export type PartnershipGround = 'review-member' | 'designated-officer-team' | 'employer-contact' | 'own-agency'
/** The team that decided a contact, reading that contact (not the case) for a while afterwards: decideOnDecidedContact. */
export type ContactGround = 'deciding-team'
/** Reading a child's case to compile a subject access request's bundle: decideOnSubjectAccessCase. */
export type SubjectAccessGround = 'subject-access'
export type Ground = `role:${Role}` | Relationship | PartnershipGround | ContactGround | SubjectAccessGround

export type Decision =
  | { allowed: true; ground: Ground; breakGlass: boolean }
  | {
      allowed: false
      reason: string
      breakGlassAvailable: boolean
      /**
       * Answer as if the record did not exist: a restricted record refused to someone with no
       * relationship to it (they must not learn that it exists, nor that it is restricted).
       */
      conceal?: boolean
    }

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
    // The IRO reads the cases of the children they review now, a conference they are invited to, or by permission.
    'independent-reviewing-officer': ['iro', 'invitation', 'explicit-permission'],
    // A partner's invitation, or a request addressed to their agency, opens only the participation
    // view (case:participate) and the request itself, not the record.
    'partner-practitioner': ['agency-involvement', 'explicit-permission'],
  },
  'case:update': {
    'front-door-practitioner': ['team', 'front-door-contact'],
    'social-worker': ['allocated-worker'],
    'team-manager': ['team', 'front-door-contact'],
    'conference-chair': ['invitation', 'team'],
    // The IRO records the reviews they chair and their escalations.
    'independent-reviewing-officer': ['iro'],
  },
  /** Manager decisions: authorising assessments, allocation, front-door decisions. */
  'case:authorise': {
    'team-manager': ['team'],
  },
  /** Updating their agency's plan actions and sending its conference report: partners, while involved, invited or owning an action. */
  'case:contribute': {
    'partner-practitioner': ['agency-involvement', 'invitation', 'plan-action-owner'],
  },
  /** The partner's participation view of a case (what a meeting or a plan action needs, not the record). */
  'case:participate': {
    'partner-practitioner': ['agency-involvement', 'invitation', 'plan-action-owner', 'addressed-request', 'explicit-permission'],
  },
  /** Who may see the case: agencies' involvement, restriction, explicit permission. The case team's manager, restricted or not. */
  'case:manage-access': {
    'team-manager': ['team'],
  },
}

/** Actions a restriction does not close to those whose relationship allows them (they do not open the record). */
const NOT_RESTRICTED: readonly RecordAction[] = ['case:manage-access']

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
  /** The person index's review queue: deciding whether two records are one person. */
  'person:review': ['front-door-practitioner', 'team-manager'],
  'team:oversee': ['team-manager'],
  /** A chair's list of the conferences they chair and their tasks. */
  'conference:chair': ['conference-chair'],
  'front-door:queue': ['front-door-practitioner', 'team-manager'],
  /** Statutory returns (CIN census): validate and export the partnership's own data, check a file. */
  'returns:run': ['performance-analyst'],
  /** Loading a census file from another system into the records (migration): an administrator's job. */
  'returns:import': ['administrator'],
  /** A partner practitioner's referral to the front door (the professional referral form). */
  'referral:submit': ['partner-practitioner'],
  /** Whether a child has a child protection plan or is looked after, by NHS number (CP-IS style). */
  'cp-status:check': ['unscheduled-care'],
  'information-request:send': ['front-door-practitioner', 'social-worker', 'team-manager'],
  /** Answering the requests addressed to the user's agency. */
  'information-request:answer': ['partner-practitioner'],
  'information-request:dashboard': ['front-door-practitioner', 'team-manager'],
  /** The per-agency report of sharing decisions (data protection officers are auditors). */
  'information-share:report': ['team-manager', 'auditor'],
  /** Record a serious incident or a domestic abuse related death review (and so work on it). */
  'review:start': ['business-unit'],
  /** Record an allegation against a person who works with children. */
  'lado:refer': ['designated-officer'],
  /** The resolution-against-targets report: counts and percentages only, no allegation's details. */
  'lado:report': ['designated-officer', 'business-unit'],
  /** Section 11 templates and cycles, challenges and agreed actions. */
  'section11:manage': ['business-unit'],
  /** The multi-agency scorecard: aggregate figures only, no child's details. */
  'scorecard:read': ['business-unit', 'performance-analyst', 'team-manager'],
  /**
   * Subject access requests and their bundles (docs/data-protection.md): the data protection
   * officer (the auditor role) records and works them; a team manager may review or approve one
   * (the second person), so two people always see a release.
   */
  'subject-access:manage': ['auditor', 'team-manager'],
  /**
   * Retention schedules, per-record retention dates, legal holds, the review list and proposing an
   * erasure (issue 18 §4): the data protection officer (an auditor) or an administrator.
   */
  'retention:manage': ['auditor', 'administrator'],
  /** Approving an erasure someone else proposed: the data protection officer (an auditor). */
  'erasure:approve': ['auditor'],
  /**
   * The partnership's carers (issue 19): see the list (counts of children only) and add one — those
   * who record placements, and the managers who correct the list.
   */
  'carer:record': ['social-worker', 'team-manager', 'administrator'],
  /** Correcting a carer's name, kind or Ofsted URN: a team manager or an administrator. */
  'carer:manage': ['team-manager', 'administrator'],
}

const deny = (reason: string, breakGlassAvailable = false): Decision => ({
  allowed: false,
  reason,
  breakGlassAvailable,
})

/** A refusal that answers as if the record did not exist. */
const concealed = (reason: string): Decision => ({ allowed: false, reason, breakGlassAvailable: false, conceal: true })

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
    const restricts = record.restricted && !NOT_RESTRICTED.includes(action)
    if (restricts && !has('explicit-permission')) continue
    // On a restricted record the explicit permission is what opens it, so that is the ground.
    return { allowed: true, ground: restricts ? 'explicit-permission' : ground, breakGlass: false }
  }

  const mayBreakGlass =
    action === 'case:read' && !record.restricted && subject.roles.some((r) => BREAK_GLASS_ROLES.includes(r))
  if (mayBreakGlass && has('break-glass')) return { allowed: true, ground: 'break-glass', breakGlass: true }

  if (record.restricted) {
    // Only someone the record would be open to, were it not restricted, learns that it is restricted
    // (and so to ask for permission); to anyone else it does not exist.
    if (isRelatedToCase(subject, record)) {
      return deny(RESTRICTED_ASK)
    }
    return concealed(UNRELATED)
  }
  return deny(UNRELATED, mayBreakGlass)
}

const UNRELATED = 'You are not allocated to, invited to or otherwise involved with this case.'
/** What someone related to a restricted record is told: who can give them permission (the case team's manager, case:manage-access). */
const RESTRICTED_ASK = 'This is a restricted record. Ask a manager of the case’s team to give you explicit permission to see it.'

/**
 * Whether the user is related to a case: some relationship of theirs (not break-glass) would let
 * them act on it if it were not restricted, or they hold explicit permission. Only related users
 * are told that a restricted record exists (a refusal saying so, a search's count of restricted
 * matches), so that they know to ask for permission; to anyone else it does not exist.
 */
export function isRelatedToCase(subject: Subject, record: CaseRecord): boolean {
  if (!subject.active || record.partnershipId !== subject.partnershipId) return false
  if (record.relationships.includes('explicit-permission')) return true
  const open = { ...record, restricted: false, relationships: record.relationships.filter((r) => r !== 'break-glass') }
  return (Object.keys(RECORD_RULES) as RecordAction[]).some((action) => decideOnCase(subject, action, open).allowed)
}

/**
 * A child's case named by one of the partnership's own records: a serious incident and its
 * reviews, or an allegation (LADO). `via` is the decision that opened that record (or allowed
 * making it), whose ground is how the user comes to the child: `review-member`,
 * `designated-officer-team`, `employer-contact`, or the role that records incidents or allegations
 * when linking one. Through it the user sees who the child is, and a review member the child's
 * record as known at the incident date (the rapid review's chronology). A restricted case or
 * person is never reached this way without explicit permission (an access grant): refused, and
 * concealed from anyone unrelated to it, so linking by NHS number or case id cannot reveal it.
 */
export function decideOnLinkedCase(subject: Subject, via: Decision, record: CaseRecord): Decision {
  if (!via.allowed) return via
  if (!subject.active) return deny('Your account is not active.')
  if (record.partnershipId !== subject.partnershipId) return concealed('This record belongs to another partnership.')
  if (!record.restricted) return { allowed: true, ground: via.ground, breakGlass: false }
  if (record.relationships.includes('explicit-permission')) return { allowed: true, ground: 'explicit-permission', breakGlass: false }
  if (isRelatedToCase(subject, record)) {
    return deny(RESTRICTED_ASK)
  }
  return concealed(UNRELATED)
}

/**
 * A child's case read to compile a subject access request's bundle about the person it is about:
 * `via` is the decision that lets the user work the request (subject-access:manage). Allowed, the
 * ground is `subject-access`, so every read is on the child's access history under it. A
 * restricted case or person needs explicit permission as every other read does: the refusal says
 * so (the request names this person, so the officer learns that a restricted record is held and
 * asks the case team's manager), never concealed.
 */
export function decideOnSubjectAccessCase(subject: Subject, via: Decision, record: CaseRecord): Decision {
  if (!via.allowed) return via
  if (!subject.active) return deny('Your account is not active.')
  if (record.partnershipId !== subject.partnershipId) return concealed('This record belongs to another partnership.')
  if (!record.restricted) return { allowed: true, ground: 'subject-access', breakGlass: false }
  if (record.relationships.includes('explicit-permission')) return { allowed: true, ground: 'explicit-permission', breakGlass: false }
  return deny(RESTRICTED_ASK)
}

/**
 * One of the partnership's own records (an allegation against a person who works with children, a
 * serious incident, a practice review) read to compile a subject access request's bundle because it
 * is about the person the request is about: `via` is subject-access:manage. Nobody's role opens
 * these records otherwise; the request does, for this purpose only, under the `subject-access`
 * ground (every read audited against the person). What it holds about others is for the reviewer
 * to withhold or redact.
 */
export function decideOnSubjectAccessPartnershipRecord(subject: Subject, via: Decision, record: { partnershipId: string }): Decision {
  if (!via.allowed) return via
  if (!subject.active) return deny('Your account is not active.')
  if (record.partnershipId !== subject.partnershipId) return concealed('This record belongs to another partnership.')
  return { allowed: true, ground: 'subject-access', breakGlass: false }
}

export function decide(subject: Subject, action: Action, record?: CaseRecord): Decision {
  if (isRecordAction(action)) {
    if (!record) throw new Error(`${action} needs a record`)
    return decideOnCase(subject, action, record)
  }
  return decideGeneral(subject, action)
}

/** Days the team that decided a contact keeps reading it: the front door queue shows it as decided for as long. */
export const DECIDED_CONTACT_DAYS = 7

/** Roles whose team decides contacts (those of the front door queue). */
const CONTACT_DECIDING_ROLES: readonly Role[] = ['front-door-practitioner', 'team-manager']

/**
 * A decided contact read by the team that decided it, for DECIDED_CONTACT_DAYS after the decision
 * (while the queue lists it), once the case itself is no longer theirs (the referrer has been told
 * the outcome). A narrow ground: the contact and who it is about, never the child's case. A
 * restricted record is not opened this way (its explicit permission opens the case itself).
 */
export function decideOnDecidedContact(
  subject: Subject & { teamId: string | null },
  record: { partnershipId: string; teamId: string | null; decidedAt: Date | null; restricted: boolean },
  now: Date,
): Decision {
  if (!subject.active) return deny('Your account is not active.')
  if (record.partnershipId !== subject.partnershipId) return deny('This record belongs to another partnership.')
  if (record.restricted) return deny(RESTRICTED_ASK)
  const decidingTeam = subject.teamId !== null && subject.teamId === record.teamId && subject.roles.some((r) => CONTACT_DECIDING_ROLES.includes(r))
  const recent = record.decidedAt !== null && now.getTime() - record.decidedAt.getTime() <= DECIDED_CONTACT_DAYS * 24 * 3600_000
  if (decidingTeam && recent) return { allowed: true, ground: 'deciding-team', breakGlass: false }
  return deny(UNRELATED)
}

/**
 * The partnership's own restricted records. Review material (a serious incident with its rapid
 * review, a practice review, a domestic abuse related death review) is open only to the people
 * working on that review; an allegation against a person who works with children (LADO) only to
 * the designated officer's team and the employer's named contact for that case. The caller says
 * how the user is connected; nobody's role alone opens one, and there is no break-glass.
 */
export type PartnershipRecordAction = 'read' | 'update'

export type PartnershipRecord =
  | { kind: 'review'; partnershipId: string; member: boolean }
  | { kind: 'lado'; partnershipId: string; inDesignatedTeam: boolean; employerContact: boolean }

export function decideOnPartnershipRecord(subject: Subject, action: PartnershipRecordAction, record: PartnershipRecord): Decision {
  if (!subject.active) return deny('Your account is not active.')
  if (record.partnershipId !== subject.partnershipId) return deny('This record belongs to another partnership.')
  if (record.kind === 'review') {
    if (!record.member) return deny('Review material is open only to the people working on this review.')
    if (action === 'update' && !subject.roles.includes('business-unit')) {
      return deny('Only the partnership business unit members of this review can change it.')
    }
    return { allowed: true, ground: 'review-member', breakGlass: false }
  }
  if (record.inDesignatedTeam && subject.roles.includes('designated-officer')) {
    return { allowed: true, ground: 'designated-officer-team', breakGlass: false }
  }
  if (record.employerContact && action === 'read') return { allowed: true, ground: 'employer-contact', breakGlass: false }
  return deny("Allegations are open only to the designated officer's team and the employer's named contact for the case.")
}

/**
 * A section 11 self-assessment (one agency's return in a cycle). The partnership business unit
 * reads every agency's and manages them (challenges, agreement, actions); the agency's own
 * partner practitioners and managers read and answer theirs; nobody else sees any of it.
 */
export type Section11ReturnAction = 'read' | 'answer' | 'manage'

/** Who answers for an agency: its practitioners and managers (the user's agency is the return's). */
export const SECTION11_AGENCY_ROLES: readonly Role[] = ['partner-practitioner', 'team-manager']

export function decideOnSection11Return(
  subject: Subject,
  action: Section11ReturnAction,
  record: { partnershipId: string; ownAgency: boolean },
): Decision {
  if (!subject.active) return deny('Your account is not active.')
  if (record.partnershipId !== subject.partnershipId) return deny('This record belongs to another partnership.')
  const businessUnit = subject.roles.includes('business-unit')
  const agencyUser = record.ownAgency && subject.roles.some((r) => SECTION11_AGENCY_ROLES.includes(r))
  const asBusinessUnit: Decision = { allowed: true, ground: 'role:business-unit', breakGlass: false }
  if (action === 'manage') return businessUnit ? asBusinessUnit : deny('Only the partnership business unit manages section 11 audits.')
  if (agencyUser) return { allowed: true, ground: 'own-agency', breakGlass: false }
  if (action === 'read' && businessUnit) return asBusinessUnit
  return deny(
    action === 'answer'
      ? "Only the agency's own practitioners and managers answer its self-assessment."
      : 'A section 11 self-assessment is open only to its agency and the partnership business unit.',
  )
}
