/** The roles a user of Together can hold. A user may hold several. */
export const ROLES = {
  'front-door-practitioner': 'Front door practitioner',
  'social-worker': 'Social worker',
  'team-manager': 'Team manager',
  'conference-chair': 'Conference chair',
  /** Reviews the care plans of children in care (the IRO): only a holder can be allocated as a child's IRO. */
  'independent-reviewing-officer': 'Independent reviewing officer',
  'partner-practitioner': 'Partner practitioner',
  /** A clinician in an emergency department, walk-in centre or out-of-hours service (CP-IS style checks). */
  'unscheduled-care': 'Unscheduled care clinician',
  'business-unit': 'Partnership business unit',
  'designated-officer': 'Designated officer (LADO)',
  'performance-analyst': 'Performance analyst',
  auditor: 'Auditor',
  administrator: 'Administrator',
} as const

export type Role = keyof typeof ROLES

/** The role an IRO allocation needs (policy: the 'iro' relationship opens the case to it). */
export const IRO_ROLE: Role = 'independent-reviewing-officer'

export const roleIds = Object.keys(ROLES) as [Role, ...Role[]]

export function roleLabel(role: string): string {
  return (ROLES as Record<string, string>)[role] ?? role
}

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value)
}
