/** Rules on <ChildIdentifiers> and <ChildCharacteristics>. */
import { DISABILITY, ETHNICITY, UPN_UNKNOWN, codesOf } from '../../../journey/dfe-codes.ts'
import { censusDate, censusFlag } from '../dates.ts'
import { at, type ChildRule } from '../rule.ts'
import { UPN_CHECK_LETTERS, UPN_LA_CODES, UPN_SHAPE, upnCheckLetter } from '../upn.ts'

const ETHNICITY_CODES = new Set<string>(codesOf(ETHNICITY))
const DISABILITY_CODES = new Set<string>(codesOf(DISABILITY))
const UPN_UNKNOWN_CODES = new Set<string>(codesOf(UPN_UNKNOWN))
const SEX_CODES = new Set(['M', 'F', 'U'])
const GENDER_CURRENT_CODES = new Set(['1', '2', '0', '9'])
const FROM_2025 = [2025, 2026, 2027] as const
const TO_2024 = [2024] as const

const IDS = 'ChildIdentifiers'
const CHARACTERISTICS = 'ChildCharacteristics'
const DISABILITIES = 'Disabilities'

const born = (child: { personBirthDate?: string }) => censusDate(child.personBirthDate)
const anyNotNfa = (child: { episodes: { referralNfa?: string }[] }) =>
  child.episodes.some((e) => censusFlag(e.referralNfa) === false)

export const CHILD_RULES: ChildRule[] = [
  {
    code: '8500', type: 'error', table: IDS, field: 'LAchildID',
    message: 'LA child ID is missing',
    check(child, _ctx, out) {
      if (child.laChildId === undefined) out.report()
    },
  },
  {
    code: '1570', type: 'error', table: IDS, field: 'LAchildID', years: FROM_2025,
    message: 'LA child ID must be 20 characters or fewer',
    check(child, _ctx, out) {
      if (child.laChildId !== undefined && child.laChildId.length > 20) out.report()
    },
  },
  {
    code: '1580', type: 'error', table: IDS, field: 'LAchildID', years: FROM_2025,
    message: 'LA child ID must contain only letters and digits',
    check(child, _ctx, out) {
      if (child.laChildId !== undefined && !/^[A-Za-z0-9]+$/.test(child.laChildId)) out.report()
    },
  },
  {
    code: '1510', type: 'error', table: IDS, field: 'UPN',
    message: 'UPN invalid (wrong check letter at character 1)',
    check(child, _ctx, out) {
      const upn = child.upn
      if (upn === undefined) return
      const expected = upnCheckLetter(upn)
      if (expected !== undefined && upn[0]!.toUpperCase() !== expected) out.report()
    },
  },
  {
    code: '1530', type: 'error', table: IDS, field: 'UPN',
    message: 'UPN invalid (characters 2-4 not a recognised LA code)',
    check(child, _ctx, out) {
      const upn = child.upn
      if (upn !== undefined && upn.length === 13 && !UPN_LA_CODES.has(upn.slice(1, 4))) out.report()
    },
  },
  {
    code: '1540', type: 'error', table: IDS, field: 'UPN',
    message: 'UPN invalid (characters 5-12 not all numeric)',
    check(child, _ctx, out) {
      if (child.upn !== undefined && !/^\d{8}$/.test(child.upn.slice(4, 12))) out.report()
    },
  },
  {
    code: '1550', type: 'error', table: IDS, field: 'UPN',
    message: 'UPN invalid (character 13 not a recognised value)',
    check(child, _ctx, out) {
      const upn = child.upn
      if (upn === undefined) return
      const last = upn[12]
      if (last === undefined || !(/\d/.test(last) || UPN_CHECK_LETTERS.includes(last.toUpperCase()))) out.report()
    },
  },
  {
    code: '1560Q', type: 'query', table: IDS, field: 'FormerUPN',
    message: 'Please check: former UPN is not a valid UPN',
    check(child, _ctx, out) {
      if (child.formerUpn !== undefined && !UPN_SHAPE.test(child.formerUpn)) out.report()
    },
  },
  {
    code: '4180', type: 'error', table: IDS, field: 'Sex', years: FROM_2025,
    message: 'Sex is missing or not a valid code (M, F or U)',
    check(child, _ctx, out) {
      if (child.sex === undefined || !SEX_CODES.has(child.sex)) out.report()
    },
  },
  {
    code: '4180', type: 'error', table: IDS, field: 'GenderCurrent', years: TO_2024,
    message: 'Gender is missing or not a valid code (1, 2, 0 or 9)',
    check(child, _ctx, out) {
      if (child.genderCurrent === undefined || !GENDER_CURRENT_CODES.has(child.genderCurrent)) out.report()
    },
  },
  {
    code: '8520', type: 'error', table: IDS, field: 'PersonBirthDate',
    message: 'Date of birth is after the reference date',
    check(child, ctx, out) {
      const dob = born(child)
      if (dob !== undefined && dob > ctx.end) out.report()
    },
  },
  {
    code: '8525Q', type: 'query', table: IDS, field: 'PersonBirthDate',
    message: 'Please check: either date of birth or expected date of birth should be given, not both and not neither',
    check(child, _ctx, out) {
      if ((child.personBirthDate === undefined) === (child.expectedPersonBirthDate === undefined)) out.report()
    },
  },
  {
    code: '8530Q', type: 'query', table: IDS, field: 'ExpectedPersonBirthDate',
    message: 'Please check: expected date of birth is more than 30 days before or more than 9 months after the reference date',
    check(child, ctx, out) {
      const expected = censusDate(child.expectedPersonBirthDate)
      if (expected !== undefined && (expected < ctx.expectedBirthFrom || expected > ctx.expectedBirthTo)) out.report()
    },
  },
  {
    code: '8535Q', type: 'query', table: IDS, field: 'PersonDeathDate',
    message: 'Please check: date of death is before date of birth',
    check(child, _ctx, out) {
      const death = censusDate(child.personDeathDate)
      const dob = born(child)
      if (death !== undefined && dob !== undefined && death < dob) out.report()
    },
  },
  {
    code: '8545Q', type: 'query', table: IDS, field: 'PersonDeathDate',
    message: 'Please check: date of death is not within the census year',
    check(child, ctx, out) {
      const death = censusDate(child.personDeathDate)
      if (death !== undefined && (death < ctx.start || death > ctx.end)) out.report()
    },
  },
  {
    code: '8750', type: 'error', table: IDS, field: 'Sex', years: FROM_2025,
    message: 'An unborn child (expected date of birth only) must have sex U',
    check(child, _ctx, out) {
      if (child.personBirthDate === undefined && child.expectedPersonBirthDate !== undefined && child.sex !== 'U') out.report()
    },
  },
  {
    code: '8750', type: 'error', table: IDS, field: 'GenderCurrent', years: TO_2024,
    message: 'An unborn child (expected date of birth only) must have gender 0',
    check(child, _ctx, out) {
      if (child.personBirthDate === undefined && child.expectedPersonBirthDate !== undefined && child.genderCurrent !== '0') {
        out.report()
      }
    },
  },
  {
    code: '8770Q', type: 'query', table: IDS, field: 'UPNunknown',
    message: 'Please check: a child of school age has no UPN and no acceptable reason for it (UN1 is not one)',
    check(child, ctx, out) {
      const dob = born(child)
      if (dob === undefined || dob > ctx.schoolAgeBornBy || child.upn !== undefined || !anyNotNfa(child)) return
      const reason = child.upnUnknown?.toUpperCase()
      const acceptable = reason !== undefined && UPN_UNKNOWN_CODES.has(reason) && (ctx.year <= 2024 || reason !== 'UN1')
      if (!acceptable) out.report()
    },
  },
  {
    code: '8772', type: 'error', table: IDS, field: 'UPNunknown',
    message: 'UPN unknown reason UN7 (referral with no further action) is only allowed when every referral is NFA',
    check(child, _ctx, out) {
      if (child.upnUnknown === 'UN7' && anyNotNfa(child)) out.report()
    },
  },
  {
    code: '8775Q', type: 'query', table: IDS, field: 'PersonBirthDate',
    message: 'Please check: child is over 25 years old',
    check(child, ctx, out) {
      const dob = born(child)
      if (dob === undefined || dob >= ctx.over25BornBefore) return
      const turned25 = `${String(Number(dob.slice(0, 4)) + 25).padStart(4, '0')}${dob.slice(4)}`
      child.episodes.forEach((episode, i) => {
        const closure = censusDate(episode.closureDate)
        if (closure === undefined || closure > turned25) out.report(at(i), 'CINclosureDate')
      })
    },
  },
  {
    code: '4220', type: 'error', table: CHARACTERISTICS, field: 'Ethnicity',
    message: 'Ethnicity is missing or not a valid code',
    check(child, _ctx, out) {
      if (child.ethnicity === undefined || !ETHNICITY_CODES.has(child.ethnicity)) out.report()
    },
  },
  {
    code: '8540', type: 'error', table: DISABILITIES, field: 'Disability',
    message: "Child's disability is missing or not a valid code (NONE if the child has none)",
    check(child, _ctx, out) {
      if (born(child) === undefined || !anyNotNfa(child)) return
      const codes = child.disabilities ?? []
      if (codes.length === 0 || codes.some((c) => !DISABILITY_CODES.has(c))) out.report()
    },
  },
  {
    code: '8790', type: 'error', table: DISABILITIES, field: 'Disability',
    message: 'Disability NONE cannot be recorded with any other disability code',
    check(child, _ctx, out) {
      const codes = child.disabilities
      if (codes !== undefined && codes.length > 1 && codes.includes('NONE')) out.report()
    },
  },
  {
    code: '8794', type: 'error', table: DISABILITIES, field: 'Disability',
    message: 'The same disability code is recorded more than once for the child',
    check(child, _ctx, out) {
      const codes = child.disabilities
      if (codes !== undefined && new Set(codes).size !== codes.length) out.report()
    },
  },
]
