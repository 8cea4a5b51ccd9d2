/** The kinds of agency that take part in a safeguarding partnership. */
export const AGENCY_TYPES = {
  'la-childrens-social-care': "Local authority children's social care",
  police: 'Police',
  'health-icb': 'Health: integrated care board',
  'health-trust': 'Health: NHS trust',
  'health-gp-practice': 'Health: GP practice',
  education: 'Education',
  probation: 'Probation',
  housing: 'Housing',
  'voluntary-sector': 'Voluntary sector',
} as const

export type AgencyType = keyof typeof AGENCY_TYPES

export const agencyTypeIds = Object.keys(AGENCY_TYPES) as [AgencyType, ...AgencyType[]]

export function agencyTypeLabel(type: string): string {
  return (AGENCY_TYPES as Record<string, string>)[type] ?? type
}
