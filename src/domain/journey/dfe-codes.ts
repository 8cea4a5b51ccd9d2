/**
 * DfE code sets of the Children in Need census (2025-26 schema), generated from
 * ../shared/reference/cin/cin_codesets_from_xsd.json. Codes are stored exactly as DfE writes them;
 * labels are for people. Retired codes are marked so forms stop offering them.
 */

export interface Code<C extends string = string> {
  code: C
  label: string
  retired?: boolean
}

export const ETHNICITY = [
  { code: 'WBRI', label: 'White British' },
  { code: 'WIRI', label: 'White Irish' },
  { code: 'WIRT', label: 'Traveller of Irish heritage' },
  { code: 'WOTH', label: 'Any other White background' },
  { code: 'WROM', label: 'Gypsy/Roma' },
  { code: 'MWBC', label: 'White and Black Caribbean' },
  { code: 'MWBA', label: 'White and Black African' },
  { code: 'MWAS', label: 'White and Asian' },
  { code: 'MOTH', label: 'Any other mixed background' },
  { code: 'AIND', label: 'Indian' },
  { code: 'APKN', label: 'Pakistani' },
  { code: 'ABAN', label: 'Bangladeshi' },
  { code: 'AOTH', label: 'Any other Asian background' },
  { code: 'BCRB', label: 'Caribbean' },
  { code: 'BAFR', label: 'African' },
  { code: 'BOTH', label: 'Any other black background' },
  { code: 'CHNE', label: 'Chinese' },
  { code: 'OOTH', label: 'Any other ethnic group' },
  { code: 'REFU', label: 'Refused' },
  { code: 'NOBT', label: 'Information not yet obtained' },
] as const satisfies readonly Code[]

export const DISABILITY = [
  { code: 'NONE', label: 'No disability' },
  { code: 'MOB', label: 'Mobility' },
  { code: 'HAND', label: 'Hand function' },
  { code: 'PC', label: 'Personal care' },
  { code: 'INC', label: 'Incontinence' },
  { code: 'COMM', label: 'Communication' },
  { code: 'LD', label: 'Learning' },
  { code: 'HEAR', label: 'Hearing' },
  { code: 'VIS', label: 'Vision' },
  { code: 'BEH', label: 'Behaviour' },
  { code: 'CON', label: 'Consciousness' },
  { code: 'AUT', label: 'Autism' },
  { code: 'DDA', label: 'Other' },
] as const satisfies readonly Code[]

export const REFERRAL_SOURCE = [
  { code: '1A', label: 'INDIVIDUAL – family member, relative or carer' },
  { code: '1B', label: 'INDIVIDUAL – acquaintance (including neighbours and child minders)' },
  { code: '1C', label: 'INDIVIDUAL – self' },
  { code: '1D', label: 'INDIVIDUAL – other (including strangers)' },
  { code: '2A', label: 'SCHOOLS' },
  { code: '2B', label: 'EDUCATION SERVICES' },
  { code: '3A', label: 'HEALTH SERVICES – general practitioner (GP)' },
  { code: '3B', label: 'HEALTH SERVICES – health visitor' },
  { code: '3C', label: 'HEALTH SERVICES – school nurse' },
  { code: '3D', label: 'HEALTH SERVICES – other primary health services' },
  { code: '3E', label: 'HEALTH SERVICES – A&E (accident and emergency department)' },
  { code: '3F', label: 'HEALTH SERVICES – other (for example hospice)' },
  { code: '4', label: 'HOUSING - local authority housing or housing association' },
  { code: '5A', label: 'LA SERVICES – social care for example adults social care services' },
  { code: '5B', label: 'LA SERVICES – other internal (department other than social care in local authorities, for example, youth offending (excluding housing))' },
  { code: '5C', label: 'LA SERVICES – external, for example, from another local authority’s adults social care services' },
  { code: '5D', label: '(LA SERVICES – early help' },
  { code: '6', label: 'POLICE' },
  { code: '7', label: 'OTHER LEGAL AGENCY – including courts, probation, immigration, CAFCASS (Children and Family Court Advisory and Support Service) or prison' },
  { code: '8', label: 'OTHER – including children’s centres, independent agency providers or voluntary organisations' },
  { code: '9', label: 'ANONYMOUS' },
  { code: '10', label: 'UNKNOWN' },
] as const satisfies readonly Code[]

export const CATEGORY_OF_ABUSE = [
  { code: 'NEG', label: 'Neglect' },
  { code: 'PHY', label: 'Physical abuse' },
  { code: 'SAB', label: 'Sexual abuse' },
  { code: 'EMO', label: 'Emotional abuse' },
  { code: 'MUL', label: 'Multiple (not recommended)' },
] as const satisfies readonly Code[]

export const PRIMARY_NEED = [
  { code: 'N1', label: 'Abuse, neglect and exploitation' },
  { code: 'N2', label: "Child's disability" },
  { code: 'N3', label: 'Parental disability or illness' },
  { code: 'N4', label: 'Family in acute stress' },
  { code: 'N5', label: 'Family dysfunction' },
  { code: 'N6', label: 'Socially unacceptable behaviour' },
  { code: 'N7', label: 'Low income' },
  { code: 'N8', label: 'Absent parenting' },
  { code: 'N9', label: 'Cases other than children in need' },
  { code: 'N0', label: 'Not stated' },
] as const satisfies readonly Code[]

export const REASON_FOR_CLOSURE = [
  { code: 'RC1', label: 'Adopted' },
  { code: 'RC2', label: 'Died' },
  { code: 'RC3', label: 'Child arrangements order' },
  { code: 'RC4', label: 'Special guardianship order' },
  { code: 'RC5', label: 'Transferred to another local authority' },
  { code: 'RC6', label: 'Transferred to adult social care' },
  { code: 'RC7', label: 'Services ceased for any other reason, including no longer in need' },
  { code: 'RC8', label: 'Case closed after assessment, no further action' },
  { code: 'RC9', label: 'Case closed after assessment, referred to early help' },
] as const satisfies readonly Code[]

export const ASSESSMENT_FACTOR = [
  { code: '1A', label: 'Alcohol misuse: concerns about alcohol misuse by the child' },
  { code: '1B', label: 'Alcohol misuse: concerns about alcohol misuse by the parent(s)/carer(s)' },
  { code: '1C', label: 'Alcohol misuse: concerns about alcohol misuse by another person living in the household' },
  { code: '2A', label: 'Drug misuse: concerns about drug misuse by the child' },
  { code: '2B', label: 'Drug misuse: concerns about drug misuse by the parent(s)/carer(s)' },
  { code: '2C', label: 'Drug misuse: concerns about drug misuse by another person living in the household' },
  { code: '3A', label: 'Domestic violence: concerns about the child being the subject of domestic violence' },
  { code: '3B', label: 'Domestic violence: concerns about the child’s parent(s)/carer(s) being the subject of domestic violence' },
  { code: '3C', label: 'Domestic violence: concerns about another person living in the household being the subject of domestic violence' },
  { code: '4A', label: 'Mental health: concerns about the mental health of the child' },
  { code: '4B', label: 'Mental health: concerns about the mental health of the parent(s)/carer(s)' },
  { code: '4C', label: 'Mental health: concerns about the mental health of another person in the family/household' },
  { code: '5A', label: 'Learning disability: concerns about the child’s learning disability' },
  { code: '5B', label: 'Learning disability: concerns about the parent(s)/carer(s) learning disability' },
  { code: '5C', label: 'Learning disability: concerns about another person in the family/household’s learning disability' },
  { code: '6A', label: 'Physical disability or illness: concerns about a physical disability or illness of the child' },
  { code: '6B', label: 'Physical disability or illness: concerns about a physical disability or illness of the parent(s)/carer(s)' },
  { code: '6C', label: 'Physical disability or illness: concerns about a physical disability or illness of another person in the family/household' },
  { code: '7A', label: 'Young carer: concerns that services may be required or the child’s health or development may be impaired due to their caring responsibilities' },
  { code: '8B', label: 'Privately fostered: concerns that services may be required or the child may be at risk as a privately fostered child - overseas children who intend to return' },
  { code: '8C', label: 'Privately fostered: concerns that services may be required or the child may be at risk as a privately fostered child - overseas children who intend to stay' },
  { code: '8D', label: 'Privately fostered: concerns that services may be required or the child may be at risk as a privately fostered child - UK children in educational placements' },
  { code: '8E', label: 'Privately fostered: concerns that services may be required or the child may be at risk as a privately fostered child - UK children making alternative family arrangements' },
  { code: '8F', label: 'Privately fostered: concerns that services may be required or the child may be at risk as a privately fostered child - other' },
  { code: '9A', label: 'UASC: concerns that services may be required or the child may be at risk of harm as an unaccompanied asylum-seeking child' },
  { code: '10A', label: 'Missing: concerns that services may be required or the child may be at risk of harm due to going/being missing' },
  { code: '11A', label: 'Child sexual exploitation: concerns that services may be required or the child may be at risk of harm due to child sexual exploitation' },
  { code: '12A', label: 'Trafficking: concerns that services may be required or the child may be at risk of harm due to trafficking' },
  { code: '13A', label: 'Gangs: concerns that services may be required or the child may be at risk of harm because of involvement in/with gangs' },
  { code: '14A', label: 'Socially unacceptable behaviour: concerns that services may be required or the child may be at risk due to their socially unacceptable behaviour' },
  { code: '15A', label: 'Self-harm: concerns that services may be required or due to suspected/actual self-harming child may be at risk of harm' },
  { code: '16A', label: 'Abuse or neglect – ‘NEGLECT’: concerns that services may be required or the child may be suffering or likely to suffer significant harm due to abuse or neglect' },
  { code: '17A', label: 'Abuse or neglect – ‘EMOTIONAL ABUSE’: concerns that services may be required or the child may be suffering or likely to suffer significant harm due to abuse or neglect' },
  { code: '18A', label: 'Abuse or neglect – ‘PHYSICAL ABUSE’: concerns that services may be required or the child may be suffering or likely to suffer significant harm due to abuse or neglect.', retired: true },
  { code: '18B', label: 'Abuse or neglect – ‘PHYSICAL ABUSE’ (child on child): concerns that services may be required or the child may be suffering or likely to suffer significant harm due to abuse or neglect by another child' },
  { code: '18C', label: 'Abuse or neglect – ‘PHYSICAL ABUSE’ (adult on child): concerns that services may be required or the child may be suffering or likely to suffer significant harm due to abuse or neglect by an adult' },
  { code: '19A', label: 'Abuse or neglect – ‘SEXUAL ABUSE’: concerns that services may be required or the child may be suffering or likely to suffer significant harm due to abuse or neglect.', retired: true },
  { code: '19B', label: 'Abuse or neglect – ‘SEXUAL ABUSE’ (child on child): concerns that services may be required or the child may be suffering or likely to suffer significant harm due to abuse or neglect by another child' },
  { code: '19C', label: 'Abuse or neglect – ‘SEXUAL ABUSE’ (adult on child): concerns that services may be required or the child may be suffering or likely to suffer significant harm due to abuse or neglect by an adult' },
  { code: '20', label: 'Other' },
  { code: '21', label: 'No factors identified - only use this if there is no evidence of any of the factors above and no further action is being taken' },
  { code: '22A', label: 'Female genital mutilation (FGM) - concerns that services may be required or the child may be at risk due to female genital mutilation' },
  { code: '23A', label: 'Abuse linked to faith or belief - concerns that services may be required or the child may be at risk due to abuse linked to faith or belief' },
  { code: '24A', label: 'Child criminal exploitation: concerns that services may be required or the child may be at risk of harm due to child criminal exploitation' },
] as const satisfies readonly Code[]

export const SEX = [
  { code: 'M', label: 'Male' },
  { code: 'F', label: 'Female' },
  { code: 'U', label: 'Unknown' },
] as const satisfies readonly Code[]
/**
 * Reasons for having no UPN. The census schema gives no labels: UN1 and UN7 are confirmed by rules
 * 8770Q and 8772; UN2-UN5 are the labels of the 903's UPN_UNKNOWN code set (shared reference
 * codesets_ssda903_2025-26.json, returns/ssda903/codesets.json), which the census shares; UN6 (unborn)
 * is the shared statutory-returns document's reading, not yet checked against DfE's guide.
 */
export const UPN_UNKNOWN = [
  { code: 'UN1', label: 'Child not of school age or not yet given a UPN' },
  { code: 'UN2', label: 'Never attended a maintained school in England (for example some unaccompanied children)' },
  { code: 'UN3', label: 'Educated outside England' },
  { code: 'UN4', label: 'Newly referred or looked after, UPN not yet known' },
  { code: 'UN5', label: 'UPN sources disagree on name or date of birth, no reliable match' },
  { code: 'UN6', label: 'Unborn child' },
  { code: 'UN7', label: 'Referral with no further action' },
] as const satisfies readonly Code[]

export type CodeOf<S extends readonly Code[]> = S[number]['code']

/** The codes of a set as a non-empty tuple, for z.enum. */
export function codesOf<S extends readonly Code[]>(set: S): [CodeOf<S>, ...CodeOf<S>[]] {
  return set.map((c) => c.code) as [CodeOf<S>, ...CodeOf<S>[]]
}

/** The codes still in use (what forms offer). Validation of stored data accepts retired codes too. */
export function currentCodes<S extends readonly Code[]>(set: S): S[number][] {
  return set.filter((c: Code) => !c.retired)
}

const ACRONYMS = new Set(['LA', 'UK', 'GP', 'CAFCASS', 'A&E', 'UASC', 'FGM', 'LADO', 'NHS', 'UPN'])

/**
 * A DfE description as people read it: DfE writes some words in capitals ("SCHOOLS",
 * "HEALTH SERVICES – health visitor", "‘NEGLECT’"); they are said in sentence case, acronyms kept.
 */
export function plainLabel(label: string): string {
  const words = label.replace(/^\(/, '').replace(/[A-Z][A-Z&]+\b/g, (w) => (ACRONYMS.has(w) ? w : w.toLowerCase()))
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** A code's label, or the code itself when it is not in the set. */
export function labelOf(set: readonly Code[], code: string | null | undefined): string {
  if (code == null) return ''
  return set.find((c) => c.code === code)?.label ?? code
}

export type ReferralSourceCode = CodeOf<typeof REFERRAL_SOURCE>
export type PrimaryNeedCode = CodeOf<typeof PRIMARY_NEED>
export type ReasonForClosureCode = CodeOf<typeof REASON_FOR_CLOSURE>
export type CategoryOfAbuseCode = CodeOf<typeof CATEGORY_OF_ABUSE>
export type AssessmentFactorCode = CodeOf<typeof ASSESSMENT_FACTOR>
export type SexCode = CodeOf<typeof SEX>
