/** Rules on <Assessments> and the factors identified at their end. */
import { censusDate, isBefore } from '../dates.ts'
import { at, itemsOf, reportEach, type ChildRule } from '../rule.ts'

const ASSESSMENTS = 'Assessments'
const FROM_2025 = [2025, 2026, 2027] as const

const assessments = itemsOf(ASSESSMENTS, (e) => e.assessments)

const retiredFactor = (code: string) => reportEach(assessments, (a) => a.factors?.includes(code) === true)

export const ASSESSMENT_RULES: ChildRule[] = [
  {
    code: '1103', type: 'error', table: ASSESSMENTS, field: 'AssessmentActualStartDate',
    message: 'Assessment start date is before the referral date',
    check: reportEach(assessments, (a, e) => isBefore(a.startDate, e.referralDate)),
  },
  {
    code: '8608', type: 'error', table: ASSESSMENTS, field: 'AssessmentActualStartDate',
    message: 'Assessment start date is after its authorisation date',
    check: reportEach(assessments, (a) => isBefore(a.authorisationDate, a.startDate)),
  },
  {
    code: '8614', type: 'error', table: ASSESSMENTS, field: 'AssessmentFactors',
    message: 'Assessment factors are recorded for an assessment that is not authorised',
    check: reportEach(assessments, (a) => (a.factors?.length ?? 0) > 0 && a.authorisationDate === undefined),
  },
  {
    code: '8670Q', type: 'query', table: ASSESSMENTS, field: 'AssessmentActualStartDate',
    message: 'Please check: an assessment started more than 45 working days before the reference date and has no authorisation date',
    check: reportEach(assessments, (a, _e, ctx) => {
      const start = censusDate(a.startDate)
      return a.authorisationDate === undefined && start !== undefined && start < ctx.endMinus45WorkingDays
    }),
  },
  {
    code: '8696', type: 'error', table: ASSESSMENTS, field: 'AssessmentAuthorisationDate',
    message: 'Assessment authorisation date is not within the census year',
    check: reportEach(assessments, (a, _e, ctx) => {
      if (a.authorisationDate === undefined) return false
      const authorised = censusDate(a.authorisationDate)
      return authorised === undefined || authorised < ctx.start || authorised > ctx.end
    }),
  },
  {
    code: '8736', type: 'error', table: ASSESSMENTS, field: 'AssessmentActualStartDate',
    message: 'An assessment with no authorisation date must have started within the census year',
    check: reportEach(assessments, (a, _e, ctx) => {
      if (a.authorisationDate !== undefined) return false
      const start = censusDate(a.startDate)
      return start === undefined || start < ctx.start || start > ctx.end
    }),
  },
  {
    code: '8863Q', type: 'query', table: ASSESSMENTS, field: 'AssessmentActualStartDate',
    message: 'Please check: an assessment starts while another assessment in the episode is still open',
    check(child, ctx, out) {
      child.episodes.forEach((e, i) => {
        const list = e.assessments
        if (list.length < 2) return
        list.forEach((a, k) => {
          const start = censusDate(a.startDate)
          if (start === undefined) return
          const clash = list.some((b, m) => {
            const bStart = censusDate(b.startDate)
            if (m === k || bStart === undefined || start < bStart) return false
            return start <= (censusDate(b.authorisationDate) ?? ctx.end)
          })
          if (clash) out.report(at(i, ASSESSMENTS, k))
        })
      })
    },
  },
  {
    code: '8869', type: 'error', table: ASSESSMENTS, field: 'AssessmentFactors',
    message: 'Factor 21 (no factors identified) cannot be recorded with other factors',
    check: reportEach(assessments, (a) => {
      const factors = a.factors
      return factors !== undefined && factors.includes('21') && factors.some((f) => f !== '21')
    }),
  },
  {
    code: '8873Q', type: 'query', table: ASSESSMENTS, field: 'AssessmentFactors',
    message: 'Please check: the episode\'s only assessment found no factors (21), so the reason for closure should be RC8 or RC9',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        const only = e.assessments.length === 1 ? e.assessments[0] : undefined
        if (only?.factors?.includes('21') && e.reasonForClosure !== 'RC8' && e.reasonForClosure !== 'RC9') {
          out.report(at(i, ASSESSMENTS, 0))
        }
      })
    },
  },
  {
    code: '8896', type: 'error', table: ASSESSMENTS, field: 'AssessmentAuthorisationDate',
    message: 'More than one assessment in the episode has no authorisation date',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        const open = e.assessments.flatMap((a, k) => (a.authorisationDate === undefined ? [k] : []))
        if (open.length > 1) for (const k of open) out.report(at(i, ASSESSMENTS, k))
      })
    },
  },
  {
    code: '8897Q', type: 'query', table: ASSESSMENTS, field: 'AssessmentFactors',
    message: 'Please check: an authorised assessment has no factors recorded',
    check: reportEach(assessments, (a) => a.authorisationDate !== undefined && (a.factors?.length ?? 0) === 0),
  },
  {
    code: '8898', type: 'error', table: ASSESSMENTS, field: 'AssessmentFactors',
    message: 'The same factor is recorded more than once on an assessment',
    check: reportEach(assessments, (a) => a.factors !== undefined && new Set(a.factors).size !== a.factors.length),
  },
  {
    code: '8945Q', type: 'query', table: ASSESSMENTS, field: 'AssessmentFactors', years: FROM_2025,
    message: 'Please check: factor 18A is retired; use 18B (by another child) or 18C (by an adult)',
    check: retiredFactor('18A'),
  },
  {
    code: '8950Q', type: 'query', table: ASSESSMENTS, field: 'AssessmentFactors', years: FROM_2025,
    message: 'Please check: factor 19A is retired; use 19B (by another child) or 19C (by an adult)',
    check: retiredFactor('19A'),
  },
]
