/** Care leavers (OC3): in touch, activity, accommodation (18). */
import { ACCOM, ACTIV, IN_TOUCH } from '../codesets.ts'
import type { ChildRecord, Episode, Oc3Row } from '../model.ts'
import type { ChildRule, Context } from '../rule.ts'
import { ageAt, birthday, isShortBreak } from './helpers.ts'

const filled = (r: Oc3Row) => r.IN_TOUCH !== '' || r.ACTIV !== '' || r.ACCOM !== ''
const invalid = (set: ReadonlySet<string>) => (v: string) => v !== '' && !set.has(v)

const oc3Rule = (r: Omit<ChildRule, 'table' | 'needs' | 'check'> & { needs?: ChildRule['needs']; fails: (row: Oc3Row, child: ChildRecord, ctx: Context) => boolean }): ChildRule => ({
  code: r.code, type: r.type, table: 'OC3', field: r.field, message: r.message, needs: r.needs ?? ['OC3'], rows: 'oc3',
  check(child, ctx, report) {
    for (const row of child.oc3) if (r.fails(row, child, ctx)) report()
  },
})

const WITH_EPISODES = ['OC3', 'Episodes', 'Header'] as const

/** The 17th or 18th birthday falling in the year, for a young person 17 or 18 on 31 March. */
function birthdayInYear(child: ChildRecord, ctx: Context): number | undefined {
  const age = ageAt(child, ctx.end)
  return age === 17 || age === 18 ? birthday(child, age) : undefined
}

/** Days looked after (not on short breaks) from `from`, in both years' episodes, and whether any care followed `from`. */
function careSince(episodes: readonly Episode[], from: number, ctx: Context): number {
  let days = 0
  for (const e of episodes) {
    if (isShortBreak(e) || Number.isNaN(e.decom)) continue
    const end = e.DEC === '' ? ctx.end : e.dec
    const start = Math.max(e.decom, from)
    if (end > start) days += end - start
  }
  return days
}

const bothYears = (child: ChildRecord) => {
  const seen = new Set<string>()
  const all: Episode[] = []
  for (const e of [...(child.last?.episodes ?? []), ...child.episodes]) {
    const key = `${e.DECOM}|${e.PLACE}|${e.LS}`
    if (!seen.has(key)) all.push(e)
    seen.add(key)
  }
  return all
}

export const OC3_RULES: ChildRule[] = [
  oc3Rule({ code: '131', type: 'error', field: 'IN_TOUCH', message: 'In touch must be YES, NO, DIED, REFU, NREQ or RHOM.', fails: (r) => invalid(IN_TOUCH)(r.IN_TOUCH) }),
  oc3Rule({ code: '132', type: 'error', field: 'ACTIV', message: 'Activity is not a valid code.', fails: (r) => invalid(ACTIV)(r.ACTIV) }),
  oc3Rule({ code: '133', type: 'error', field: 'ACCOM', message: 'Accommodation is not a valid code (S1 and X1 are not allowed).', fails: (r) => invalid(ACCOM)(r.ACCOM) }),
  oc3Rule({
    code: '134', type: 'error', field: 'IN_TOUCH', needs: ['OC3', 'AD1'],
    message: 'A care leaver cannot also have adoption (AD1) data.',
    fails: (r, c) => filled(r) && c.ad1.some((a) => a.DATE_INT !== '' || a.DATE_MATCH !== '' || a.FOSTER_CARE !== '' || a.NB_ADOPTR !== '' || a.SEX_ADOPTR !== '' || a.LS_ADOPTR !== ''),
  }),
  oc3Rule({ code: '153', type: 'error', field: 'IN_TOUCH', message: 'In touch, activity and accommodation must all be given or all be blank.', fails: (r) => filled(r) && (r.IN_TOUCH === '' || r.ACTIV === '' || r.ACCOM === '') }),
  oc3Rule({ code: '344', type: 'error', field: 'IN_TOUCH', message: 'A young person who died or returned home (DIED, RHOM) has activity and accommodation 0.', fails: (r) => (r.IN_TOUCH === 'DIED' || r.IN_TOUCH === 'RHOM') && (r.ACTIV !== '0' || r.ACCOM !== '0') }),
  oc3Rule({ code: '345', type: 'error', field: 'IN_TOUCH', message: 'A young person in touch (YES) needs an activity and accommodation other than 0.', fails: (r) => r.IN_TOUCH === 'YES' && (r.ACTIV === '' || r.ACTIV === '0' || r.ACCOM === '' || r.ACCOM === '0') }),
  oc3Rule({
    code: '347', type: 'query', field: 'ACCOM', needs: ['OC3', 'Header'],
    message: 'A young person under 18 cannot live in a foyer (T1/T2).',
    // Defect 6: the public validator compares ACCOM with a bare "T" and never fires.
    fails: (r, c, ctx) => (r.ACCOM === 'T1' || r.ACCOM === 'T2') && ageAt(c, ctx.end) < 18,
  }),
  {
    code: '348', type: 'error', table: 'OC3', field: 'IN_TOUCH', needs: ['OC3'], needsLast: ['OC3'],
    message: 'A care leaver reported as died last year must be reported as died (DIED) again.',
    check(child, _ctx, report) {
      if (!child.last?.oc3.some((r) => r.IN_TOUCH === 'DIED')) return
      for (const r of child.oc3) if (r.IN_TOUCH !== 'DIED') report()
    },
  },
  oc3Rule({ code: '391', type: 'error', field: 'IN_TOUCH', needs: ['OC3', 'Header'], message: 'Care leaver data are only for young people 17 or over at the end of the year.', fails: (r, c, ctx) => filled(r) && ageAt(c, ctx.end) < 17 }),
  oc3Rule({ code: '1000', type: 'error', field: 'IN_TOUCH', needs: ['OC3', 'Episodes'], message: 'A child who died in care (E2) cannot have care leaver data.', fails: (r, c) => filled(r) && c.episodes.some((e) => e.REC === 'E2') }),
  {
    code: '1001', type: 'query', table: 'OC3', field: 'IN_TOUCH', needs: ['OC3', 'Episodes', 'Header'], needsLast: ['Episodes'],
    message: 'Care leaver data only for relevant or former relevant young people: 13 weeks looked after since 14, some care after 16, not adopted.',
    // Defects 12 and 13: the public validator loses episodes whose row numbers collide across years
    // and flags every care leaver aged 20 or over. We look only at young people with episodes in the
    // two years loaded (1002 asks about the others), each year's rows kept.
    check(child, ctx, report) {
      if (!child.oc3.some(filled)) return
      const episodes = bothYears(child)
      if (episodes.length === 0) return
      const adopted = episodes.some((e) => e.REC === 'E11' || e.REC === 'E12')
      const relevant = careSince(episodes, birthday(child, 14), ctx) >= 91 && careSince(episodes, birthday(child, 16), ctx) > 0
      if (adopted || !relevant) for (const r of child.oc3) if (filled(r)) report()
    },
  },
  {
    code: '1002', type: 'query', table: 'OC3', field: 'IN_TOUCH', needs: ['OC3', 'Episodes'], needsLast: ['Episodes'],
    message: "A care leaver with no episode in this or last year's return: check the young person was looked after.",
    check(child, _ctx, report) {
      if (child.episodes.length > 0 || (child.last?.episodes.length ?? 0) > 0) return
      for (const r of child.oc3) if (filled(r)) report()
    },
  },
  oc3Rule({
    code: '1007', type: 'error', field: 'IN_TOUCH', needs: WITH_EPISODES,
    message: 'No care leaver data for a 17- or 18-year-old still looked after on that birthday.',
    // Defect 4 and 17: the public validator crashes on unreadable dates and a 29 February birthday,
    // and never sees an open episode; here an open episode counts as still looked after.
    fails: (r, c, ctx) => {
      const b = birthdayInYear(c, ctx)
      return filled(r) && b !== undefined && c.episodes.some((e) => e.decom <= b && (e.DEC === '' || e.dec > b))
    },
  }),
  {
    code: '1010', type: 'error', table: 'OC3', field: 'IN_TOUCH', needs: ['OC3', 'Episodes'], needsLast: ['Episodes'],
    message: 'Care leaver data, but no episode this year although one was open at the end of last year.',
    check(child, _ctx, report) {
      if (child.episodes.length > 0 || !child.last?.episodes.some((e) => e.DEC === '')) return
      for (const r of child.oc3) if (filled(r)) report()
    },
  },
  {
    code: '1011', type: 'error', table: 'OC3', field: 'IN_TOUCH', needs: ['OC3', 'Episodes'],
    message: 'No care leaver data when care was taken over by another authority (E3).',
    check(child, _ctx, report) {
      const last = child.episodes[child.episodes.length - 1]
      if (last?.REC === 'E3') for (const r of child.oc3) if (filled(r)) report()
    },
  },
  oc3Rule({
    code: '1016', type: 'error', field: 'IN_TOUCH', needs: WITH_EPISODES,
    message: 'No care leaver data for a 17- or 18-year-old who left care on or after that birthday.',
    // Defect 14: the public validator measures ages in 365.2425-day years; we use real birthdays.
    fails: (r, c, ctx) => {
      const age = ageAt(c, ctx.end)
      if (!filled(r) || (age !== 17 && age !== 18)) return false
      const seventeenth = birthday(c, 17)
      return c.episodes.some((e) => e.dec >= seventeenth)
    },
  }),
  oc3Rule({
    code: '3001', type: 'error', field: 'ACCOM', needs: ['OC3', 'Header'],
    message: "A young person turning 17 in the year cannot be living with former foster carers (Z1/Z2).",
    // Defect 5: the public validator crashes when a care leaver's CHILD is twice in Header; we use the first row.
    fails: (r, c, ctx) => (r.ACCOM === 'Z1' || r.ACCOM === 'Z2') && birthday(c, 17) >= ctx.start && birthday(c, 17) <= ctx.end,
  }),
]
