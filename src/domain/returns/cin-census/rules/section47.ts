/** Rules on <Section47> enquiries and initial child protection conferences. */
import { censusDate, censusFlag, isBefore, isCensusWeekend } from '../dates.ts'
import type { CensusChild, CensusEpisode, CensusSection47 } from '../model.ts'
import { at, type ChildRule } from '../rule.ts'

const S47 = 'Section47'

function eachS47(child: CensusChild, fn: (s: CensusSection47, e: CensusEpisode, where: string) => void): void {
  child.episodes.forEach((e, i) => e.section47s.forEach((s, k) => fn(s, e, at(i, S47, k))))
}

/** No ICPC yet, and one is still required. */
const awaitingIcpc = (s: CensusSection47) => s.dateOfInitialCpc === undefined && censusFlag(s.icpcNotRequired) === false

export const SECTION47_RULES: ChildRule[] = [
  {
    code: '2889', type: 'error', table: S47, field: 'S47ActualStartDate',
    message: 'Section 47 enquiry start date is before the referral date',
    check(child, _ctx, out) {
      eachS47(child, (s, e, where) => {
        if (isBefore(s.startDate, e.referralDate)) out.report(where)
      })
    },
  },
  {
    code: '1104', type: 'error', table: S47, field: 'DateOfInitialCPC',
    message: 'The ICPC date is before the referral date',
    check(child, _ctx, out) {
      eachS47(child, (s, e, where) => {
        if (isBefore(s.dateOfInitialCpc, e.referralDate)) out.report(where)
      })
    },
  },
  {
    code: '8615', type: 'error', table: S47, field: 'S47ActualStartDate',
    message: 'Section 47 enquiry start date is missing or after the ICPC date',
    check(child, _ctx, out) {
      eachS47(child, (s, _e, where) => {
        const start = censusDate(s.startDate)
        const icpc = censusDate(s.dateOfInitialCpc)
        if (start === undefined || (icpc !== undefined && start > icpc)) out.report(where)
      })
    },
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
    check(child, _ctx, out) {
      eachS47(child, (s, _e, where) => {
        const target = censusDate(s.initialCpcTarget)
        if (target !== undefined && isCensusWeekend(target)) out.report(where)
      })
    },
  },
  {
    code: '8740', type: 'error', table: S47, field: 'S47ActualStartDate',
    message: 'A section 47 enquiry with no ICPC yet (and one required) must have started within the census year',
    check(child, ctx, out) {
      eachS47(child, (s, _e, where) => {
        if (!awaitingIcpc(s)) return
        const start = censusDate(s.startDate)
        if (start === undefined || start < ctx.start || start > ctx.end) out.report(where)
      })
    },
  },
  {
    code: '8675Q', type: 'query', table: S47, field: 'S47ActualStartDate',
    message: 'Please check: a section 47 enquiry started more than 15 working days before the reference date and has no ICPC date',
    check(child, ctx, out) {
      eachS47(child, (s, _e, where) => {
        const start = censusDate(s.startDate)
        if (awaitingIcpc(s) && start !== undefined && start < ctx.endMinus15WorkingDays) out.report(where)
      })
    },
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
