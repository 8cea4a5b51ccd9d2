/** Rules on <CINdetails>: referral, need, closure, NFA, and the episodes of one child together. */
import { PRIMARY_NEED, REASON_FOR_CLOSURE, REFERRAL_SOURCE, codesOf } from '../../../journey/dfe-codes.ts'
import { censusDate, censusDayNumber, censusFlag } from '../dates.ts'
import type { CensusEpisode } from '../model.ts'
import { at, type ChildRule } from '../rule.ts'

const REFERRAL_SOURCES = new Set<string>(codesOf(REFERRAL_SOURCE))
const PRIMARY_NEEDS = new Set<string>(codesOf(PRIMARY_NEED))
const CLOSURE_REASONS = new Set<string>(codesOf(REASON_FOR_CLOSURE))
const CLOSED_AFTER_ASSESSMENT = new Set(['RC8', 'RC9'])

const CIN = 'CINdetails'

const nfa = (e: CensusEpisode) => censusFlag(e.referralNfa)
/** Open (no closure date) and not a referral with no further action. */
const openCase = (e: CensusEpisode) => e.closureDate === undefined && nfa(e) === false

export const EPISODE_RULES: ChildRule[] = [
  {
    code: '8590', type: 'error', table: 'ChildIdentifiers', field: 'LAchildID',
    message: 'Child has no CIN details (every child needs at least one episode)',
    check(child, _ctx, out) {
      if (child.episodes.length === 0) out.report()
    },
  },
  {
    code: '8600', type: 'error', table: CIN, field: 'CINreferralDate',
    message: 'Referral date is missing or after the reference date',
    check(child, ctx, out) {
      child.episodes.forEach((e, i) => {
        const referral = censusDate(e.referralDate)
        if (referral === undefined || referral > ctx.end) out.report(at(i))
      })
    },
  },
  {
    code: '8866', type: 'error', table: CIN, field: 'ReferralSource',
    message: 'Source of referral is missing or not a valid code',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.referralSource === undefined || !REFERRAL_SOURCES.has(e.referralSource)) out.report(at(i))
      })
    },
  },
  {
    code: '8568', type: 'error', table: CIN, field: 'ReferralNFA',
    message: 'Referral NFA is missing or not a valid value (0 or 1)',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (nfa(e) === undefined) out.report(at(i))
      })
    },
  },
  {
    code: '8569Q', type: 'query', table: CIN, field: 'ReferralNFA',
    message: 'Please check: a referral made before the census year (less one working day) should not be flagged as no further action',
    check(child, ctx, out) {
      child.episodes.forEach((e, i) => {
        const referral = censusDate(e.referralDate)
        if (referral !== undefined && referral < ctx.startMinusOneWorkingDay && nfa(e) === true) out.report(at(i))
      })
    },
  },
  {
    code: '8610', type: 'error', table: CIN, field: 'PrimaryNeedCode',
    message: 'Primary need code is missing for a referral that is not NFA',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (nfa(e) === false && e.primaryNeedCode === undefined) out.report(at(i))
      })
    },
  },
  {
    code: '8650', type: 'error', table: CIN, field: 'PrimaryNeedCode',
    message: 'Primary need code is not a valid code',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.primaryNeedCode !== undefined && !PRIMARY_NEEDS.has(e.primaryNeedCode)) out.report(at(i))
      })
    },
  },
  {
    code: '8620', type: 'error', table: CIN, field: 'CINclosureDate',
    message: 'CIN closure date is not within the census year',
    check(child, ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.closureDate === undefined) return
        const closure = censusDate(e.closureDate)
        if (closure === undefined || closure < ctx.start || closure > ctx.end) out.report(at(i))
      })
    },
  },
  {
    code: '8630', type: 'error', table: CIN, field: 'CINclosureDate',
    message: 'CIN closure date is before the referral date',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        const closure = censusDate(e.closureDate)
        const referral = censusDate(e.referralDate)
        if (closure !== undefined && referral !== undefined && closure < referral) out.report(at(i))
      })
    },
  },
  {
    code: '8640', type: 'error', table: CIN, field: 'ReasonForClosure',
    message: 'Reason for closure is not a valid code',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.reasonForClosure !== undefined && !CLOSURE_REASONS.has(e.reasonForClosure)) out.report(at(i))
      })
    },
  },
  {
    code: '8805', type: 'error', table: CIN, field: 'ReasonForClosure',
    message: 'A CIN closure date is given without a reason for closure',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.closureDate !== undefined && e.reasonForClosure === undefined) out.report(at(i))
      })
    },
  },
  {
    code: '8810', type: 'error', table: CIN, field: 'CINclosureDate',
    message: 'A reason for closure is given without a CIN closure date',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.reasonForClosure !== undefined && e.closureDate === undefined) out.report(at(i))
      })
    },
  },
  {
    code: '2990', type: 'error', table: CIN, field: 'ReasonForClosure',
    message: 'An episode closed after assessment (RC8 or RC9) cannot have a section 47 enquiry, ICPC, child protection plan or CIN plan',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.reasonForClosure === undefined || !CLOSED_AFTER_ASSESSMENT.has(e.reasonForClosure)) return
        if (e.section47s.length > 0 || e.childProtectionPlans.length > 0 || e.cinPlans.length > 0 || e.dateOfInitialCpc !== undefined) {
          out.report(at(i))
        }
      })
    },
  },
  {
    code: '8825Q', type: 'query', table: CIN, field: 'ReasonForClosure',
    message: 'Please check: closed after assessment (RC8 or RC9) but the episode has no assessment',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.reasonForClosure !== undefined && CLOSED_AFTER_ASSESSMENT.has(e.reasonForClosure) && e.assessments.length === 0) {
          out.report(at(i))
        }
      })
    },
  },
  {
    code: '2991Q', type: 'query', table: CIN, field: 'CINdetails',
    message: 'Please check: a section 47 enquiry is recorded but the episode has no assessment',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.section47s.length > 0 && e.assessments.length === 0) out.report(at(i))
      })
    },
  },
  {
    code: '8585Q', type: 'query', table: CIN, field: 'ReasonForClosure',
    message: 'Please check: closed because the child died (RC2) but no date of death is recorded',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.reasonForClosure === 'RC2' && child.personDeathDate === undefined) out.report(at(i))
      })
    },
  },
  {
    code: '8555Q', type: 'query', table: CIN, field: 'CINreferralDate',
    message: "Please check: referral date is after the child's date of death",
    check(child, _ctx, out) {
      const death = censusDate(child.personDeathDate)
      if (death === undefined) return
      child.episodes.forEach((e, i) => {
        const referral = censusDate(e.referralDate)
        if (referral !== undefined && referral > death) out.report(at(i))
      })
    },
  },
  {
    code: '8606', type: 'error', table: CIN, field: 'CINreferralDate',
    message: 'Referral date is more than 40 weeks before the date of birth or expected date of birth',
    check(child, _ctx, out) {
      let earliest = Infinity
      for (const birth of [censusDate(child.personBirthDate), censusDate(child.expectedPersonBirthDate)]) {
        if (birth !== undefined) earliest = Math.min(earliest, censusDayNumber(birth) - 280)
      }
      if (earliest === Infinity) return
      child.episodes.forEach((e, i) => {
        const referral = censusDate(e.referralDate)
        if (referral !== undefined && censusDayNumber(referral) < earliest) out.report(at(i))
      })
    },
  },
  {
    code: '8815', type: 'error', table: CIN, field: 'CINclosureDate',
    message: 'More than one open episode (no closure date, not NFA) for the child',
    check(child, _ctx, out) {
      const open = child.episodes.flatMap((e, i) => (openCase(e) ? [i] : []))
      if (open.length > 1) for (const i of open) out.report(at(i))
    },
  },
  {
    code: '8816', type: 'error', table: CIN, field: 'CINreferralDate',
    message: "An open episode that is not NFA is not the child's latest episode",
    check(child, _ctx, out) {
      let latest: string | undefined
      for (const e of child.episodes) {
        const referral = censusDate(e.referralDate)
        if (referral !== undefined && (latest === undefined || referral > latest)) latest = referral
      }
      child.episodes.forEach((e, i) => {
        const referral = censusDate(e.referralDate)
        if (openCase(e) && referral !== undefined && referral !== latest) out.report(at(i))
      })
    },
  },
  {
    code: '8820', type: 'error', table: CIN, field: 'CINreferralDate',
    message: "The dates of the child's CIN episodes overlap",
    check(child, ctx, out) {
      const episodes = child.episodes
      if (episodes.length < 2) return
      episodes.forEach((a, i) => {
        const start = censusDate(a.referralDate)
        if (start === undefined) return
        const overlaps = episodes.some((b, j) => {
          const bStart = censusDate(b.referralDate)
          if (j === i || bStart === undefined || start < bStart) return false
          const bEnd = censusDate(b.closureDate)
          // One episode may close on the day the next is referred.
          if (bEnd !== undefined) return start < bEnd || start === bStart
          return nfa(b) === false && start <= ctx.end
        })
        if (overlaps) out.report(at(i))
      })
    },
  },
  {
    code: '8831', type: 'error', table: CIN, field: 'ReferralNFA',
    message: 'A referral with no further action cannot have an assessment, section 47 enquiry or ICPC',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (nfa(e) !== true) return
        if (e.assessments.length > 0 || e.section47s.length > 0 || e.dateOfInitialCpc !== undefined) out.report(at(i))
      })
    },
  },
  {
    code: '8832', type: 'error', table: 'ChildProtectionPlans', field: 'ReferralNFA',
    message: 'A referral with no further action cannot have a child protection plan',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (nfa(e) === true && e.childProtectionPlans.length > 0) out.report(at(i))
      })
    },
  },
  {
    code: '4000', type: 'error', table: 'CINplanDates', field: 'ReferralNFA',
    message: 'A referral with no further action cannot have CIN plan dates',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (nfa(e) === true && e.cinPlans.length > 0) out.report(at(i))
      })
    },
  },
  {
    code: '8565', type: 'error', table: CIN, field: 'CINclosureDate',
    message: 'Activity is recorded after the episode was closed',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        const closure = censusDate(e.closureDate)
        if (closure === undefined) return
        const after = (d: string | undefined) => {
          const v = censusDate(d)
          return v !== undefined && v > closure
        }
        const late =
          after(e.dateOfInitialCpc) ||
          e.assessments.some((a) => after(a.startDate) || after(a.authorisationDate)) ||
          e.section47s.some((s) => after(s.startDate) || after(s.dateOfInitialCpc)) ||
          e.childProtectionPlans.some((p) => after(p.endDate)) ||
          e.cinPlans.some((p) => after(p.startDate) || after(p.endDate))
        if (late) out.report(at(i))
      })
    },
  },
  {
    code: '8867', type: 'error', table: CIN, field: 'AssessmentAuthorisationDate',
    message: 'The episode is closed but an assessment has no authorisation date',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.closureDate === undefined) return
        e.assessments.forEach((a, k) => {
          if (a.authorisationDate === undefined) out.report(at(i, 'Assessments', k))
        })
      })
    },
  },
  {
    code: '8868', type: 'error', table: CIN, field: 'ICPCnotRequired',
    message: 'The episode is closed but a section 47 enquiry has neither an ICPC date nor ICPC not required',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.closureDate === undefined) return
        e.section47s.forEach((s, k) => {
          if (s.dateOfInitialCpc === undefined && censusFlag(s.icpcNotRequired) !== true) out.report(at(i, 'Section47', k))
        })
      })
    },
  },
]
