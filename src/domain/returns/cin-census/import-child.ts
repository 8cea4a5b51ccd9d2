/**
 * What a census child becomes in Together's records, before any database is involved: the reasons
 * a child cannot be imported at all, and the census values turned into the journey's types
 * (booleans for 0/1, the DfE sex code for GenderCurrent, ordinal keys for sub-modules, which the
 * XML identifies only by position).
 */
import { isIsoDate } from '../../timescales/calendar/iso-date.ts'
import type { CensusChild, CensusEpisode } from './model.ts'

/** GenderCurrent (to 2023-24) as the DfE Sex code Together keeps; 9 (indeterminate) has no Sex code. */
const SEX_OF_GENDER_CURRENT: Record<string, string> = { '1': 'M', '2': 'F', '0': 'U', '9': 'U' }

export function sexOf(child: CensusChild): string | null {
  if (child.sex !== undefined) return child.sex
  if (child.genderCurrent !== undefined) return SEX_OF_GENDER_CURRENT[child.genderCurrent] ?? null
  return null
}

/** The census's yes/no: 0/1, and true/false which DfE also accepts. */
export function yes(value: string | undefined): boolean {
  return value === '1' || value?.toLowerCase() === 'true'
}

const DATE_ITEMS = (child: CensusChild): [string, string | undefined][] => [
  ['PersonBirthDate', child.personBirthDate],
  ['ExpectedPersonBirthDate', child.expectedPersonBirthDate],
  ['PersonDeathDate', child.personDeathDate],
  ...child.episodes.flatMap((e, i): [string, string | undefined][] => {
    const at = `CINdetails ${i + 1}`
    return [
      [`${at} CINreferralDate`, e.referralDate],
      [`${at} CINclosureDate`, e.closureDate],
      [`${at} DateOfInitialCPC`, e.dateOfInitialCpc],
      ...e.assessments.flatMap((a): [string, string | undefined][] => [
        [`${at} AssessmentActualStartDate`, a.startDate],
        [`${at} AssessmentAuthorisationDate`, a.authorisationDate],
      ]),
      ...e.cinPlans.flatMap((p): [string, string | undefined][] => [
        [`${at} CINPlanStartDate`, p.startDate],
        [`${at} CINPlanEndDate`, p.endDate],
      ]),
      ...e.section47s.flatMap((s): [string, string | undefined][] => [
        [`${at} S47ActualStartDate`, s.startDate],
        [`${at} InitialCPCtarget`, s.initialCpcTarget],
        [`${at} DateOfInitialCPC`, s.dateOfInitialCpc],
      ]),
      ...e.childProtectionPlans.flatMap((p): [string, string | undefined][] => [
        [`${at} CPPstartDate`, p.startDate],
        [`${at} CPPendDate`, p.endDate],
        ...(p.reviews ?? []).map((r): [string, string] => [`${at} CPPreviewDate`, r]),
      ]),
    ]
  }),
]

/** Items without which a record cannot be stored (the journey's not-null columns). */
function missingItems(episode: CensusEpisode, at: string): string[] {
  const missing: string[] = []
  if (episode.referralDate === undefined) missing.push(`${at} has no CINreferralDate`)
  if (episode.referralSource === undefined) missing.push(`${at} has no ReferralSource`)
  episode.assessments.forEach((a, i) => a.startDate === undefined && missing.push(`${at} Assessments ${i + 1} has no AssessmentActualStartDate`))
  episode.cinPlans.forEach((p, i) => p.startDate === undefined && missing.push(`${at} CINPlanDates ${i + 1} has no CINPlanStartDate`))
  episode.section47s.forEach((s, i) => s.startDate === undefined && missing.push(`${at} Section47 ${i + 1} has no S47ActualStartDate`))
  episode.childProtectionPlans.forEach((p, i) => {
    if (p.startDate === undefined) missing.push(`${at} ChildProtectionPlans ${i + 1} has no CPPstartDate`)
    if (p.initialCategory === undefined) missing.push(`${at} ChildProtectionPlans ${i + 1} has no InitialCategoryOfAbuse`)
  })
  return missing
}

/**
 * Why a child cannot be imported, or null. Only what makes the record impossible to store or to
 * identify rejects a child; data errors DfE's rules would report are imported as they are (the
 * validator reports them, on the file and on our data after import).
 */
export function importProblem(child: CensusChild, idsSeen: ReadonlySet<string>): string | null {
  if (child.laChildId === undefined) return 'no LAchildID'
  if (idsSeen.has(child.laChildId)) return `LAchildID ${child.laChildId} appears more than once in the file; only its first child was imported`
  if (child.episodes.length === 0) return 'no CINdetails'
  for (const [item, value] of DATE_ITEMS(child)) {
    if (value !== undefined && !isIsoDate(value)) return `${item} is not a date (YYYY-MM-DD): ${value}`
  }
  const missing = child.episodes.flatMap((e, i) => missingItems(e, `CINdetails ${i + 1}`))
  return missing.length > 0 ? missing.join('; ') : null
}

/**
 * Keys that identify a sub-record without ids: its date and how many before it in the same parent
 * had that date (`2024-05-01#0`). The same file gives the same keys, so importing it twice matches
 * every record the first import made.
 */
export function ordinalKeys<T>(items: readonly T[], dateOf: (item: T) => string): string[] {
  const seen = new Map<string, number>()
  return items.map((item) => {
    const date = dateOf(item)
    const n = seen.get(date) ?? 0
    seen.set(date, n + 1)
    return `${date}#${n}`
  })
}
