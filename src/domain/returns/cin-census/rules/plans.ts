/** Rules on <CINPlanDates> and <ChildProtectionPlans>, alone and against each other. */
import { CATEGORY_OF_ABUSE, codesOf } from '../../../journey/dfe-codes.ts'
import { censusDate, isBefore } from '../dates.ts'
import type { CensusChild, CensusChildProtectionPlan, CensusCinPlan, CensusEpisode } from '../model.ts'
import { at, reportEach, whereOf, type CensusContext, type ChildRule, type Located } from '../rule.ts'

const CIN_PLANS = 'CINplanDates'
const CPP = 'ChildProtectionPlans'
const CATEGORIES = new Set<string>(codesOf(CATEGORY_OF_ABUSE))

type Dated = { startDate?: string; endDate?: string }

const startMissingOrLate = (p: Dated, _e: CensusEpisode, ctx: CensusContext) => {
  const start = censusDate(p.startDate)
  return start === undefined || start > ctx.end
}
const endsBeforeStart = (p: Dated) => isBefore(p.endDate, p.startDate)
const endsOnStartDay = (p: Dated) => {
  const start = censusDate(p.startDate)
  return start !== undefined && start === censusDate(p.endDate)
}
const endOutsideYear = (p: Dated, _e: CensusEpisode, ctx: CensusContext) => {
  if (p.endDate === undefined) return false
  const end = censusDate(p.endDate)
  return end === undefined || end < ctx.start || end > ctx.end
}
const startsBeforeReferral = (p: Dated, e: CensusEpisode) => isBefore(p.startDate, e.referralDate)
const startsAfterDeath = (p: Dated, _e: CensusEpisode, _ctx: CensusContext, child: CensusChild) => isBefore(child.personDeathDate, p.startDate)
const endsAfterDeath = (p: Dated, _e: CensusEpisode, _ctx: CensusContext, child: CensusChild) => isBefore(child.personDeathDate, p.endDate)

// Many rules walk the same child's plans one after another, so the lists of the last child are kept.
let listed: { child: CensusChild; cinPlans: Located<CensusCinPlan>[]; cpps: Located<CensusChildProtectionPlan>[] } | undefined

function plansOf(child: CensusChild) {
  if (listed?.child !== child) {
    const cinPlans: Located<CensusCinPlan>[] = []
    const cpps: Located<CensusChildProtectionPlan>[] = []
    child.episodes.forEach((episode, i) => {
      episode.cinPlans.forEach((item, k) => cinPlans.push({ item, episode, i, k, module: CIN_PLANS }))
      episode.childProtectionPlans.forEach((item, k) => cpps.push({ item, episode, i, k, module: CPP }))
    })
    listed = { child, cinPlans, cpps }
  }
  return listed
}

const cinPlansOf = (child: CensusChild) => plansOf(child).cinPlans
const cppsOf = (child: CensusChild) => plansOf(child).cpps

/** Whether `day` falls in a period from `start` to `end` (end excluded: the next may start that day), open periods running to the reference date. */
function during(day: string, start: string, end: string | undefined, referenceDate: string): boolean {
  return day >= start && (end === undefined ? day <= referenceDate : day < end)
}

/** Reports each plan that starts inside another plan of the same list. */
function overlapping<T extends { startDate?: string; endDate?: string }>(plans: Located<T>[], referenceDate: string): string[] {
  if (plans.length < 2) return []
  return plans.flatMap((a, k) => {
    const start = censusDate(a.item.startDate)
    if (start === undefined) return []
    const clash = plans.some((b, m) => {
      const bStart = censusDate(b.item.startDate)
      if (m === k || bStart === undefined) return false
      return start === bStart || during(start, bStart, censusDate(b.item.endDate), referenceDate)
    })
    return clash ? [whereOf(a)] : []
  })
}

export const PLAN_RULES: ChildRule[] = [
  {
    code: '4010', type: 'error', table: CIN_PLANS, field: 'CINPlanStartDate',
    message: 'CIN plan start date is missing or after the reference date',
    check: reportEach(cinPlansOf, startMissingOrLate),
  },
  {
    code: '4011', type: 'error', table: CIN_PLANS, field: 'CINPlanEndDate',
    message: 'CIN plan end date is before its start date',
    check: reportEach(cinPlansOf, endsBeforeStart),
  },
  {
    code: '4012Q', type: 'query', table: CIN_PLANS, field: 'CINPlanEndDate',
    message: 'Please check: the CIN plan starts and ends on the same day',
    check: reportEach(cinPlansOf, endsOnStartDay),
  },
  {
    code: '4013', type: 'error', table: CIN_PLANS, field: 'CINPlanEndDate',
    message: 'CIN plan end date is not within the census year',
    check: reportEach(cinPlansOf, endOutsideYear),
  },
  {
    code: '4014', type: 'error', table: CIN_PLANS, field: 'CINPlanStartDate',
    message: "The child's CIN plans overlap",
    check(child, ctx, out) {
      for (const where of overlapping(cinPlansOf(child), ctx.end)) out.report(where)
    },
  },
  {
    code: '4015', type: 'error', table: CIN_PLANS, field: 'CINPlanStartDate',
    message: 'CIN plan start date is before the referral date',
    check: reportEach(cinPlansOf, startsBeforeReferral),
  },
  {
    code: '4004', type: 'error', table: CIN_PLANS, field: 'CINPlanEndDate',
    message: 'The child has more than one CIN plan with no end date',
    check(child, _ctx, out) {
      const open = cinPlansOf(child).filter((p) => p.item.endDate === undefined)
      if (open.length > 1) for (const p of open) out.report(whereOf(p))
    },
  },
  {
    code: '4001', type: 'error', table: CIN_PLANS, field: 'CINPlanEndDate',
    message: 'An open CIN plan and an open child protection plan cannot run at once in one episode',
    check(child, _ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.childProtectionPlans.some((p) => p.endDate === undefined)) {
          e.cinPlans.forEach((p, k) => {
            if (p.endDate === undefined) out.report(at(i, CIN_PLANS, k))
          })
        }
      })
    },
  },
  {
    code: '4016', type: 'error', table: CIN_PLANS, field: 'CINPlanStartDate',
    message: 'A CIN plan starts while a child protection plan is running',
    check(child, ctx, out) {
      const cpps = cppsOf(child)
      if (cpps.length === 0) return
      for (const located of cinPlansOf(child)) {
        const { item } = located
        const start = censusDate(item.startDate)
        if (start === undefined) continue
        const clash = cpps.some(({ item: cpp }) => {
          const cppStart = censusDate(cpp.startDate)
          return cppStart !== undefined && during(start, cppStart, censusDate(cpp.endDate), ctx.end)
        })
        if (clash) out.report(whereOf(located))
      }
    },
  },
  {
    code: '4017', type: 'error', table: CIN_PLANS, field: 'CPPstartDate',
    message: 'A child protection plan starts while a CIN plan is running',
    check(child, ctx, out) {
      const cinPlans = cinPlansOf(child)
      if (cinPlans.length === 0) return
      for (const located of cppsOf(child)) {
        const { item } = located
        const start = censusDate(item.startDate)
        if (start === undefined) continue
        const clash = cinPlans.some(({ item: plan }) => {
          const planStart = censusDate(plan.startDate)
          return planStart !== undefined && during(start, planStart, censusDate(plan.endDate), ctx.end)
        })
        if (clash) out.report(whereOf(located))
      }
    },
  },
  {
    code: '4003', type: 'error', table: 'Reviews', field: 'CPPreviewDate',
    message: 'A child protection review date falls while a CIN plan in the episode is open',
    check(child, ctx, out) {
      child.episodes.forEach((e, i) => {
        if (e.cinPlans.length === 0) return
        e.childProtectionPlans.forEach((p, k) => {
          const end = censusDate(p.endDate)
          for (const review of p.reviews ?? []) {
            const r = censusDate(review)
            if (r === undefined || r === end) continue
            const clash = e.cinPlans.some((plan) => {
              const start = censusDate(plan.startDate)
              return start !== undefined && during(r, start, censusDate(plan.endDate), ctx.end)
            })
            if (clash) out.report(at(i, CPP, k))
          }
        })
      })
    },
  },
  {
    code: '4008', type: 'error', table: CIN_PLANS, field: 'CINPlanStartDate',
    message: "CIN plan starts after the child's date of death",
    check: reportEach(cinPlansOf, startsAfterDeath),
  },
  {
    code: '4009Q', type: 'query', table: CIN_PLANS, field: 'CINPlanEndDate',
    message: "Please check: CIN plan ends after the child's date of death",
    check: reportEach(cinPlansOf, endsAfterDeath),
  },
  {
    code: '1105', type: 'error', table: CPP, field: 'CPPstartDate',
    message: 'Child protection plan start date is before the referral date',
    check: reportEach(cppsOf, startsBeforeReferral),
  },
  {
    code: '8720', type: 'error', table: CPP, field: 'CPPstartDate',
    message: 'Child protection plan start date is missing or after the reference date',
    check: reportEach(cppsOf, startMissingOrLate),
  },
  {
    code: '8730', type: 'error', table: CPP, field: 'NumberOfPreviousCPP',
    message: 'Number of previous child protection plans is missing',
    check(child, _ctx, out) {
      for (const located of cppsOf(child)) {
        const { item } = located
        if (item.numberOfPreviousCpp === undefined || !/^\d+$/.test(item.numberOfPreviousCpp)) out.report(whereOf(located))
      }
    },
  },
  {
    code: '8905', type: 'error', table: CPP, field: 'InitialCategoryOfAbuse',
    message: 'Initial category of abuse is missing or not a valid code',
    check(child, _ctx, out) {
      for (const located of cppsOf(child)) {
        const { item } = located
        if (item.initialCategory === undefined || !CATEGORIES.has(item.initialCategory)) out.report(whereOf(located))
      }
    },
  },
  {
    code: '8910', type: 'error', table: CPP, field: 'LatestCategoryOfAbuse',
    message: 'Latest category of abuse is missing or not a valid code',
    check(child, _ctx, out) {
      for (const located of cppsOf(child)) {
        const { item } = located
        if (item.latestCategory === undefined || !CATEGORIES.has(item.latestCategory)) out.report(whereOf(located))
      }
    },
  },
  {
    code: '8925', type: 'error', table: CPP, field: 'CPPendDate',
    message: 'Child protection plan end date is before its start date',
    check: reportEach(cppsOf, endsBeforeStart),
  },
  {
    code: '8840', type: 'error', table: CPP, field: 'CPPendDate',
    message: 'A child protection plan cannot start and end on the same day',
    check: reportEach(cppsOf, endsOnStartDay),
  },
  {
    code: '8930', type: 'error', table: CPP, field: 'CPPendDate',
    message: 'Child protection plan end date is not within the census year',
    check: reportEach(cppsOf, endOutsideYear),
  },
  {
    code: '8935', type: 'error', table: CPP, field: 'CPPendDate',
    message: 'The child has more than one open child protection plan',
    check(child, _ctx, out) {
      const open = cppsOf(child).filter((p) => p.item.endDate === undefined)
      if (open.length > 1) for (const p of open) out.report(whereOf(p))
    },
  },
  {
    code: '8940', type: 'error', table: CPP, field: 'CPPstartDate',
    message: "The child's child protection plans overlap",
    check(child, ctx, out) {
      for (const where of overlapping(cppsOf(child), ctx.end)) out.report(where)
    },
  },
  {
    code: '8915', type: 'error', table: CPP, field: 'CPPstartDate',
    message: "Child protection plan starts after the child's date of death",
    check: reportEach(cppsOf, startsAfterDeath),
  },
  {
    code: '8920', type: 'error', table: CPP, field: 'CPPendDate',
    message: "Child protection plan ends after the child's date of death",
    check: reportEach(cppsOf, endsAfterDeath),
  },
  {
    code: '8841', type: 'error', table: 'Reviews', field: 'CPPreviewDate',
    message: 'A child protection review date is not after the plan start date',
    check(child, _ctx, out) {
      for (const located of cppsOf(child)) {
        const { item } = located
        const start = censusDate(item.startDate)
        if (start === undefined) continue
        item.reviews?.forEach((review, r) => {
          const d = censusDate(review)
          if (d !== undefined && d <= start) out.report(`${whereOf(located)}, review ${r + 1}`)
        })
      }
    },
  },
  {
    code: '8842Q', type: 'query', table: 'Reviews', field: 'CPPreviewDate',
    message: 'Please check: a Reviews group has no review date',
    check(child, _ctx, out) {
      for (const located of cppsOf(child)) {
        const { item } = located
        if (item.reviews !== undefined && item.reviews.length === 0) out.report(whereOf(located))
      }
    },
  },
  {
    code: '2885', type: 'error', table: CPP, field: 'CPPstartDate',
    message: 'Child protection plan starts on a different day from the initial child protection conference',
    check(child, ctx, out) {
      child.episodes.forEach((e, i) => {
        e.childProtectionPlans.forEach((p, k) => {
          const start = censusDate(p.startDate)
          if (start === undefined || start < ctx.start || start > ctx.end) return
          const icpcs = [e.dateOfInitialCpc, ...e.section47s.map((s) => s.dateOfInitialCpc)].map(censusDate)
          if (!icpcs.includes(start)) out.report(at(i, CPP, k))
        })
      })
    },
  },
]
