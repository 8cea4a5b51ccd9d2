/** Rules about the whole return: the header, identifiers unique across children, and LA-level counts. */
import { censusDate } from '../dates.ts'
import type { CensusChild } from '../model.ts'
import type { CensusContext, HeaderRule, ReturnRule, ReturnRuleRun } from '../rule.ts'

function inYear(value: string | undefined, ctx: CensusContext): boolean {
  const d = censusDate(value)
  return d !== undefined && d >= ctx.start && d <= ctx.end
}

export const HEADER_RULES: HeaderRule[] = [
  {
    code: '100', type: 'error', table: 'Header', field: 'ReferenceDate',
    message: 'Reference date is missing or is not 31 March of the census year',
    check(header, ctx) {
      return header?.referenceDate !== `${ctx.year}-03-31` || (header.year !== undefined && header.year !== String(ctx.year))
    },
  },
]

/** Reports every child whose value (e.g. LAchildID) is shared with another child. */
function uniqueAcrossChildren(value: (child: CensusChild) => string | undefined) {
  return (): ReturnRuleRun => {
    const counts = new Map<string, number>()
    const owners: (string | undefined)[] = []
    return {
      observe(child) {
        const v = value(child)
        if (v === undefined) return
        counts.set(v, (counts.get(v) ?? 0) + 1)
        owners.push(v, child.laChildId)
      },
      finish(_ctx, emit) {
        for (let i = 0; i < owners.length; i += 2) {
          if ((counts.get(owners[i]!) ?? 0) > 1) emit({ child: owners[i + 1] ?? null })
        }
      },
    }
  }
}

export const RETURN_RULES: ReturnRule[] = [
  {
    code: '8510', type: 'error', table: 'ChildIdentifiers', field: 'LAchildID',
    message: 'More than one child record has the same LA child ID',
    start: uniqueAcrossChildren((c) => c.laChildId),
  },
  {
    code: '1520', type: 'error', table: 'ChildIdentifiers', field: 'UPN',
    message: 'More than one child record has the same UPN',
    start: uniqueAcrossChildren((c) => c.upn),
  },
  {
    code: '2883', type: 'error', table: 'ChildProtectionPlans', field: 'CPPstartDate',
    message: 'More child protection plans start in the year than initial conferences are held',
    start() {
      let plans = 0
      let conferences = 0
      return {
        observe(child, ctx) {
          for (const e of child.episodes) {
            if (inYear(e.dateOfInitialCpc, ctx)) conferences++
            for (const s of e.section47s) if (inYear(s.dateOfInitialCpc, ctx)) conferences++
            for (const p of e.childProtectionPlans) if (inYear(p.startDate, ctx)) plans++
          }
        },
        finish(_ctx, emit) {
          if (plans > conferences) emit({ child: null, message: `${plans} child protection plans start in the year but ${conferences} initial conferences are held` })
        },
      }
    },
  },
  {
    code: '2886Q', type: 'query', table: 'ChildIdentifiers', field: 'Sex',
    message: 'Please check: more than 2% of born children have no sex recorded',
    start() {
      let children = 0
      let unrecorded = 0
      return {
        observe(child, ctx) {
          children++
          if (child.expectedPersonBirthDate !== undefined) return
          const missing = ctx.year >= 2025 ? child.sex === undefined || child.sex === 'U' : child.genderCurrent === undefined || child.genderCurrent === '0'
          if (missing) unrecorded++
        },
        finish(ctx, emit) {
          if (children > 0 && unrecorded / children > 0.02) {
            emit({ child: null, field: ctx.year >= 2025 ? 'Sex' : 'GenderCurrent', message: `Please check: ${unrecorded} of ${children} children (more than 2%, excluding unborn children) have no sex recorded` })
          }
        },
      }
    },
  },
  {
    code: '2887Q', type: 'query', table: 'Disabilities', field: 'Disability',
    message: 'Please check: fewer than 8 different disability codes are used in the return',
    start() {
      const used = new Set<string>()
      return {
        observe(child) {
          for (const d of child.disabilities ?? []) if (d !== 'NONE') used.add(d)
        },
        finish(_ctx, emit) {
          if (used.size <= 7) emit({ child: null })
        },
      }
    },
  },
  {
    code: '2888Q', type: 'query', table: 'Disabilities', field: 'Disability',
    message: 'Please check: every disabled child has only one disability code; record several where they apply',
    start() {
      let disabled = 0
      let several = 0
      return {
        observe(child) {
          const codes = (child.disabilities ?? []).filter((d) => d !== 'NONE')
          if (codes.length > 0) disabled++
          if (codes.length > 1) several++
        },
        finish(_ctx, emit) {
          if (disabled > 0 && several === 0) emit({ child: null })
        },
      }
    },
  },
  {
    code: '8995Q', type: 'query', table: 'PreProceedings', field: 'PreProceedingsandFGDM', years: [2027],
    message: 'Please check: no child has a pre-proceedings module',
    start() {
      let any = false
      return {
        observe(child) {
          if (!any) any = child.episodes.some((e) => e.preProceedings.length > 0)
        },
        finish(_ctx, emit) {
          if (!any) emit({ child: null })
        },
      }
    },
  },
]
