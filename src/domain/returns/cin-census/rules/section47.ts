/** Rules on <Section47> enquiries and initial child protection conferences. */
import { censusDate, censusFlag, isBefore, isCensusWeekend } from '../dates.ts'
import type { CensusSection47 } from '../model.ts'
import { at, itemsOf, reportEach, type ChildRule } from '../rule.ts'

const S47 = 'Section47'

const section47s = itemsOf(S47, (e) => e.section47s)

/** No ICPC yet, and one is still required. */
const awaitingIcpc = (s: CensusSection47) => s.dateOfInitialCpc === undefined && censusFlag(s.icpcNotRequired) === false

export const SECTION47_RULES: ChildRule[] = [
  {
    code: '2889', type: 'error', table: S47, field: 'S47ActualStartDate',
    message: 'Section 47 enquiry start date is before the referral date',
    check: reportEach(section47s, (s, e) => isBefore(s.startDate, e.referralDate)),
  },
  {
    code: '1104', type: 'error', table: S47, field: 'DateOfInitialCPC',
    message: 'The ICPC date is before the referral date',
    check: reportEach(section47s, (s, e) => isBefore(s.dateOfInitialCpc, e.referralDate)),
  },
  {
    code: '8615', type: 'error', table: S47, field: 'S47ActualStartDate',
    message: 'Section 47 enquiry start date is missing or after the ICPC date',
    check: reportEach(section47s, (s) => {
      const start = censusDate(s.startDate)
      const icpc = censusDate(s.dateOfInitialCpc)
      return start === undefined || (icpc !== undefined && start > icpc)
    }),
  },
  {
    code: '8715', type: 'error', table: S47, field: 'DateOfInitialCPC',
    message: 'The ICPC date is not within the census year',
    check(child, ctx, out) {
      const outside = (v: string | undefined) => {
        if (v === undefined) return false
        const d = censusDate(v)
        return d === undefined || d < ctx.start || d > ctx.end
      }
      child.episodes.forEach((e, i) => {
        if (outside(e.dateOfInitialCpc)) out.report(at(i), 'DateOfInitialCPC')
        e.section47s.forEach((s, k) => {
          if (outside(s.dateOfInitialCpc)) out.report(at(i, S47, k))
        })
      })
    },
  },
  {
    code: '8875', type: 'error', table: S47, field: 'DateOfInitialCPC',
    message: 'The ICPC date is a Saturday or Sunday',
    check(child, _ctx, out) {
      const weekend = (v: string | undefined) => {
        const d = censusDate(v)
        return d !== undefined && isCensusWeekend(d)
      }
      child.episodes.forEach((e, i) => {
        if (weekend(e.dateOfInitialCpc)) out.report(at(i), 'DateOfInitialCPC')
        e.section47s.forEach((s, k) => {
          if (weekend(s.dateOfInitialCpc)) out.report(at(i, S47, k))
        })
      })
    },
  },
  {
    code: '8870Q', type: 'query', table: S47, field: 'InitialCPCtarget',
    message: 'Please check: the ICPC target date is a Saturday or Sunday',
    check: reportEach(section47s, (s) => {
      const target = censusDate(s.initialCpcTarget)
      return target !== undefined && isCensusWeekend(target)
    }),
  },
  {
    code: '8740', type: 'error', table: S47, field: 'S47ActualStartDate',
    message: 'A section 47 enquiry with no ICPC yet (and one required) must have started within the census year',
    check: reportEach(section47s, (s, _e, ctx) => {
      if (!awaitingIcpc(s)) return false
      const start = censusDate(s.startDate)
      return start === undefined || start < ctx.start || start > ctx.end
    }),
  },
  {
    code: '8675Q', type: 'query', table: S47, field: 'S47ActualStartDate',
    message: 'Please check: a section 47 enquiry started more than 15 working days before the reference date and has no ICPC date',
    check: reportEach(section47s, (s, _e, ctx) => {
      const start = censusDate(s.startDate)
      return awaitingIcpc(s) && start !== undefined && start < ctx.endMinus15WorkingDays
    }),
  },
  {
    code: '8839', type: 'error', table: S47, field: 'DateOfInitialCPC',
    message: 'More than one section 47 enquiry in the episode is awaiting an ICPC',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        const open = e.section47s.flatMap((s, k) => (awaitingIcpc(s) ? [k] : []))
        if (open.length > 1) for (const k of open) out.report(at(i, S47, k))
      })
    },
  },
  {
    code: '8890', type: 'error', table: S47, field: 'S47ActualStartDate',
    message: 'A section 47 enquiry starts while another in the episode is still open',
    check(child, ctx, out) {
      child.episodes.forEach((e, i) => {
        const list = e.section47s
        if (list.length < 2) return
        list.forEach((a, k) => {
          const start = censusDate(a.startDate)
          if (start === undefined) return
          const clash = list.some((b, m) => {
            const bStart = censusDate(b.startDate)
            if (m === k || bStart === undefined || start < bStart) return false
            // An enquiry is open until its ICPC; one needing no ICPC is taken to end the day it started.
            const bEnd = censusDate(b.dateOfInitialCpc) ?? (awaitingIcpc(b) ? ctx.end : bStart)
            return start <= bEnd
          })
          if (clash) out.report(at(i, S47, k))
        })
      })
    },
  },
  {
    code: '2884', type: 'error', table: S47, field: 'DateOfInitialCPC',
    message: 'An ICPC is recorded both on a section 47 enquiry and on the episode',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.dateOfInitialCpc !== undefined && e.section47s.some((s) => s.dateOfInitialCpc !== undefined)) out.report(at(i))
      })
    },
  },
]
