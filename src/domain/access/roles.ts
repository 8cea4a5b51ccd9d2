/** The roles a user of Together can hold. A user may hold several. */
export const ROLES = {
  'front-door-practitioner': 'Front door practitioner',
  'social-worker': 'Social worker',
  'team-manager': 'Team manager',
  'conference-chair': 'Conference chair',
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

export const roleIds = Object.keys(ROLES) as [Role, ...Role[]]

export function roleLabel(role: string): string {
  return (ROLES as Record<string, string>)[role] ?? role
}

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value)
}
