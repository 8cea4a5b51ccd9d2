/** Adoption (AD1) and decisions to place for adoption (PlacedAdoption) (42). */
import { LS_ADOPTR, REASON_PLACED_CEASED, SEX_ADOPTR } from '../codesets.ts'
import { blankOrDate, day } from '../dates.ts'
import type { Ad1Row, ChildRecord, Episode, PlacedRow } from '../model.ts'
import type { ChildRule, Context } from '../rule.ts'
import { ADOPTION_PLACEMENTS, dobOf, endsCare, isShortBreak, lastEpisode } from './helpers.ts'

const AD1_ITEMS = ['DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR'] as const
const ADOPTED = new Set(['E11', 'E12'])
const ad1Filled = (r: Ad1Row) => AD1_ITEMS.some((f) => r[f] !== '')
const ad1Complete = (r: Ad1Row) => AD1_ITEMS.every((f) => r[f] !== '')

/** The episode that ended in adoption this year, if any. */
const adoptionEpisode = (child: ChildRecord, ctx: Context): Episode | undefined =>
  child.episodes.find((e) => ADOPTED.has(e.REC) && e.dec >= ctx.start && e.dec <= ctx.end)

/** Decisions in DATE_PLACED order (unreadable dates last). */
const decisions = (child: ChildRecord): PlacedRow[] =>
  [...child.placed].sort((a, b) => (Number.isNaN(day(a.DATE_PLACED)) ? Infinity : day(a.DATE_PLACED)) - (Number.isNaN(day(b.DATE_PLACED)) ? Infinity : day(b.DATE_PLACED)) || a.index - b.index)
const latestDecision = (child: ChildRecord): PlacedRow | undefined => decisions(child).at(-1)

/** The day the chain of adoption placements leading to `e` began. */
function adoptionPlacementStart(child: ChildRecord, e: Episode): number {
  const list = child.episodes
  let i = list.indexOf(e)
  while (i > 0 && ADOPTION_PLACEMENTS.has(list[i - 1]!.PLACE) && list[i - 1]!.REC === 'X1' && list[i - 1]!.dec === list[i]!.decom) i--
  return list[i]!.decom
}

type RowRule<R> = Omit<ChildRule, 'table' | 'needs' | 'check'> & { needs?: ChildRule['needs']; fails: (row: R, child: ChildRecord, ctx: Context) => boolean }

const ad1Rule = (r: RowRule<Ad1Row>): ChildRule => ({
  code: r.code, type: r.type, table: 'AD1', field: r.field, message: r.message, needs: r.needs ?? ['AD1'], rows: 'ad1',
  check(child, ctx, report) {
    for (const row of child.ad1) if (r.fails(row, child, ctx)) report()
  },
})
const placedRule = (r: RowRule<PlacedRow>): ChildRule => ({
  code: r.code, type: r.type, table: 'PlacedAdoption', field: r.field, message: r.message, needs: r.needs ?? ['PlacedAdoption'], rows: 'placed',
  check(child, ctx, report) {
    for (const row of child.placed) if (r.fails(row, child, ctx)) report()
  },
})
const adopterSexRule = (code: string, status: string, sexes: readonly string[], message: string) =>
  ad1Rule({ code, type: 'error', field: 'SEX_ADOPTR', message, fails: (r) => r.LS_ADOPTR === status && r.SEX_ADOPTR !== '' && !sexes.includes(r.SEX_ADOPTR) })
const invalidDate = (v: string) => !blankOrDate(v)
const WITH_EPISODES_AD1 = ['AD1', 'Episodes'] as const
const WITH_EPISODES_PLACED = ['PlacedAdoption', 'Episodes'] as const

export const ADOPTION_RULES: ChildRule[] = [
  ad1Rule({ code: '112', type: 'error', field: 'DATE_INT', message: 'Date of decision that the child should be placed for adoption is not a valid date.', fails: (r) => invalidDate(r.DATE_INT) }),
  ad1Rule({ code: '113', type: 'error', field: 'DATE_MATCH', message: 'Date of matching with adopters is not a valid date.', fails: (r) => invalidDate(r.DATE_MATCH) }),
  ad1Rule({ code: '114', type: 'error', field: 'FOSTER_CARE', message: 'Adopted by foster carers must be 0 or 1.', fails: (r) => r.FOSTER_CARE !== '' && r.FOSTER_CARE !== '0' && r.FOSTER_CARE !== '1' }),
  placedRule({ code: '115', type: 'error', field: 'DATE_PLACED', message: 'Date of decision to place for adoption is not a valid date.', fails: (r) => invalidDate(r.DATE_PLACED) }),
  placedRule({ code: '116', type: 'error', field: 'DATE_PLACED_CEASED', message: 'Date the decision to place for adoption ceased is not a valid date.', fails: (r) => invalidDate(r.DATE_PLACED_CEASED) }),
  placedRule({
    code: '117', type: 'error', field: 'DATE_PLACED_CEASED', needs: WITH_EPISODES_PLACED,
    message: 'Decision dates cannot be after the end of the year or after the child left care.',
    fails: (r, c, ctx) => {
      const dates = [day(r.DATE_PLACED), day(r.DATE_PLACED_CEASED)]
      const last = lastEpisode(c)
      const left = last !== undefined && endsCare(last) ? last.dec : Infinity
      return dates.some((d) => d > ctx.end || d > left)
    },
  }),
  placedRule({
    code: '118', type: 'error', field: 'DATE_PLACED_CEASED', needs: WITH_EPISODES_PLACED,
    message: 'The decision cannot have ceased before the year or before the child started to be looked after.',
    fails: (r, c, ctx) => {
      const ceased = day(r.DATE_PLACED_CEASED)
      const first = c.episodes.find((e) => !isShortBreak(e) && !Number.isNaN(e.decom))
      return ceased < ctx.start || (first !== undefined && ceased < first.decom)
    },
  }),
  placedRule({ code: '119', type: 'error', field: 'REASON_PLACED_CEASED', message: 'The date and the reason the decision ceased must both be given or both be blank.', fails: (r) => (r.DATE_PLACED_CEASED === '') !== (r.REASON_PLACED_CEASED === '') }),
  placedRule({ code: '120', type: 'error', field: 'REASON_PLACED_CEASED', message: 'Reason the decision ceased must be RD1-RD4.', fails: (r) => r.REASON_PLACED_CEASED !== '' && !REASON_PLACED_CEASED.has(r.REASON_PLACED_CEASED) }),
  ad1Rule({ code: '151', type: 'error', field: 'DATE_INT', message: 'All six adoption items must be given, or none.', fails: (r) => ad1Filled(r) && !ad1Complete(r) }),
  ad1Rule({ code: '175', type: 'error', field: 'NB_ADOPTR', message: 'Number of adopters must be 1 or 2.', fails: (r) => r.NB_ADOPTR !== '' && r.NB_ADOPTR !== '1' && r.NB_ADOPTR !== '2' }),
  ad1Rule({ code: '176', type: 'error', field: 'SEX_ADOPTR', message: 'Sex of adopters must be M1, F1, MM, FF or MF.', fails: (r) => r.SEX_ADOPTR !== '' && !SEX_ADOPTR.has(r.SEX_ADOPTR) }),
  ad1Rule({ code: '177', type: 'error', field: 'LS_ADOPTR', message: 'Legal status of adopters must be L0, L11, L12, L2, L3 or L4.', fails: (r) => r.LS_ADOPTR !== '' && !LS_ADOPTR.has(r.LS_ADOPTR) }),
  placedRule({ code: '184', type: 'error', field: 'DATE_PLACED', needs: ['PlacedAdoption', 'Header'], message: 'The decision to place for adoption cannot be before the child was born.', fails: (r, c) => day(r.DATE_PLACED) < dobOf(c) }),
  ad1Rule({
    code: '331', type: 'error', field: 'DATE_MATCH', needs: WITH_EPISODES_AD1,
    message: 'The date of matching cannot be after the adoption placement that ended in adoption began.',
    fails: (r, c, ctx) => {
      const e = adoptionEpisode(c, ctx)
      return e !== undefined && day(r.DATE_MATCH) > adoptionPlacementStart(c, e)
    },
  }),
  ad1Rule({
    code: '333', type: 'error', field: 'DATE_INT',
    message: 'The decision to place for adoption is needed with the date of matching, and cannot be after it.',
    fails: (r) => r.DATE_MATCH !== '' && (r.DATE_INT === '' || day(r.DATE_INT) > day(r.DATE_MATCH)),
  }),
  ad1Rule({
    code: '334', type: 'error', field: 'DATE_INT', needs: WITH_EPISODES_AD1,
    message: 'The decision to place for adoption cannot be before the latest period of care began.',
    // Defect 3: the public validator crashes when a start episode's DECOM is unreadable; we skip that episode.
    fails: (r, c) => {
      const starts = c.episodes.filter((e) => e.RNE === 'S' && !Number.isNaN(e.decom))
      const latest = starts.at(-1)
      return latest !== undefined && day(r.DATE_INT) < latest.decom
    },
  }),
  ad1Rule({
    code: '335', type: 'error', field: 'FOSTER_CARE', needs: WITH_EPISODES_AD1,
    message: 'Adopted by foster carers must agree with the adoption placement: 1 for A3/A5, 0 for A4/A6.',
    // Defect 9: the public validator still tests retired codes; only the A3-A6 cases are real.
    fails: (r, c, ctx) => {
      const e = adoptionEpisode(c, ctx)
      if (e === undefined) return false
      if (e.PLACE === 'A3' || e.PLACE === 'A5') return r.FOSTER_CARE === '0'
      if (e.PLACE === 'A4' || e.PLACE === 'A6') return r.FOSTER_CARE === '1'
      return false
    },
  }),
  ad1Rule({ code: '511', type: 'error', field: 'SEX_ADOPTR', message: 'Two adopters cannot have a single-adopter code (M1/F1).', fails: (r) => r.NB_ADOPTR === '2' && (r.SEX_ADOPTR === 'M1' || r.SEX_ADOPTR === 'F1') }),
  adopterSexRule('514', 'L0', ['M1', 'F1'], 'A single adopter (L0) needs sex of adopter M1 or F1.'),
  adopterSexRule('517', 'L3', ['MF'], 'Adopters of legal status L3 need sex of adopters MF.'),
  adopterSexRule('518', 'L4', ['MM', 'FF'], 'Adopters of legal status L4 need sex of adopters MM or FF.'),
  adopterSexRule('519', 'L2', ['MM', 'FF', 'MF'], 'Civil partners (L2) need a couple code: MM, FF or MF.'),
  adopterSexRule('520', 'L11', ['MF'], 'Adopters of legal status L11 need sex of adopters MF.'),
  ad1Rule({
    code: '521', type: 'error', field: 'DATE_INT', needs: WITH_EPISODES_AD1,
    message: 'The decision to place for adoption must be on or before the start of any adoption placement (A3-A6).',
    fails: (r, c) => c.episodes.some((e) => ADOPTION_PLACEMENTS.has(e.PLACE) && day(r.DATE_INT) > e.decom),
  }),
  placedRule({ code: '522', type: 'error', field: 'DATE_PLACED_CEASED', message: 'The decision cannot cease before it was made.', fails: (r) => day(r.DATE_PLACED_CEASED) < day(r.DATE_PLACED) }),
  {
    code: '523', type: 'error', table: 'PlacedAdoption', field: 'DATE_PLACED', needs: ['PlacedAdoption', 'AD1'],
    message: 'The date of the decision to place for adoption must be the same in PlacedAdoption and AD1.',
    check(child, _ctx, report) {
      const latest = latestDecision(child)
      if (latest === undefined) return
      for (const a of child.ad1) if (a.DATE_INT !== '' && latest.DATE_PLACED !== '' && day(a.DATE_INT) !== day(latest.DATE_PLACED)) report()
    },
  },
  adopterSexRule('524', 'L12', ['MM', 'FF'], 'Adopters of legal status L12 need sex of adopters MM or FF.'),
  {
    code: '525', type: 'error', table: 'PlacedAdoption', field: 'DATE_PLACED_CEASED', needs: ['PlacedAdoption', 'AD1'],
    message: 'A decision to place for adoption that has ceased rules out adoption (AD1) data.',
    check(child, _ctx, report) {
      const latest = latestDecision(child)
      if (latest !== undefined && latest.DATE_PLACED_CEASED !== '' && child.ad1.some(ad1Filled)) report()
    },
  },
  {
    code: '551', type: 'error', table: 'Episodes', field: 'PLACE', needs: WITH_EPISODES_PLACED,
    message: 'A placement for adoption (A3-A6) needs a decision to place for adoption.',
    check(child, _ctx, report) {
      if (child.placed.some((r) => r.DATE_PLACED !== '')) return
      for (const e of child.episodes) if (ADOPTION_PLACEMENTS.has(e.PLACE)) report()
    },
  },
  {
    code: '552', type: 'error', table: 'PlacedAdoption', field: 'DATE_PLACED', needs: WITH_EPISODES_PLACED,
    message: 'The latest decision to place for adoption must be on or before the first adoption placement after it.',
    check(child, _ctx, report) {
      const list = decisions(child)
      const latest = list.at(-1)
      if (latest === undefined) return
      const since = list.length > 1 ? day(list[list.length - 2]!.DATE_PLACED_CEASED) : -Infinity
      const first = child.episodes.find((e) => ADOPTION_PLACEMENTS.has(e.PLACE) && !(e.decom < since))
      if (first !== undefined && day(latest.DATE_PLACED) > first.decom) report()
    },
  },
  {
    code: '553', type: 'error', table: 'PlacedAdoption', field: 'DATE_PLACED', needs: WITH_EPISODES_PLACED,
    message: 'A placement order (E1) needs a decision to place for adoption, and one still open cannot have a ceased decision.',
    check(child, _ctx, report) {
      const e1 = child.episodes.filter((e) => e.LS === 'E1')
      if (e1.length === 0) return
      const latest = latestDecision(child)
      if (latest === undefined) report('CHILD', 'Episodes')
      else if (e1.some((e) => e.DEC === '') && latest.DATE_PLACED_CEASED !== '') report('DATE_PLACED_CEASED')
    },
  },
  {
    code: '554', type: 'query', table: 'PlacedAdoption', field: 'DATE_PLACED', needs: WITH_EPISODES_PLACED,
    message: 'The decision to place for adoption should be on or before the placement order (E1) began.',
    check(child, _ctx, report) {
      const latest = latestDecision(child)
      const firstE1 = child.episodes.find((e) => e.LS === 'E1' && !Number.isNaN(e.decom))
      if (latest !== undefined && firstE1 !== undefined && day(latest.DATE_PLACED) > firstE1.decom) report()
    },
  },
  {
    code: '557', type: 'error', table: 'PlacedAdoption', field: 'DATE_PLACED_CEASED', needs: WITH_EPISODES_PLACED,
    message: 'A child placed for adoption or under a placement order who left care not adopted needs the decision ceased with a reason.',
    check(child, _ctx, report) {
      const last = lastEpisode(child)
      if (last === undefined || !endsCare(last) || ADOPTED.has(last.REC)) return
      if (!ADOPTION_PLACEMENTS.has(last.PLACE) && last.LS !== 'E1') return
      const latest = latestDecision(child)
      if (latest === undefined || latest.DATE_PLACED_CEASED === '' || latest.REASON_PLACED_CEASED === '') report()
    },
  },
  {
    code: '558', type: 'error', table: 'PlacedAdoption', field: 'DATE_PLACED_CEASED', needs: WITH_EPISODES_PLACED,
    message: 'An adopted child\'s decision to place for adoption cannot have ceased.',
    // The public validator's logic fires only with two or more ceased decisions; the rule is about the decision that led to the adoption.
    check(child, ctx, report) {
      if (adoptionEpisode(child, ctx) === undefined) return
      const latest = latestDecision(child)
      if (latest !== undefined && (latest.DATE_PLACED_CEASED !== '' || latest.REASON_PLACED_CEASED !== '')) report()
    },
  },
  placedRule({ code: '563', type: 'error', field: 'DATE_PLACED', message: 'A ceased decision needs the date the decision was made.', fails: (r) => r.DATE_PLACED === '' && (r.DATE_PLACED_CEASED !== '' || r.REASON_PLACED_CEASED !== '') }),
  {
    code: '579', type: 'error', table: 'PlacedAdoption', field: 'DATE_PLACED', needs: ['PlacedAdoption'],
    message: 'A new decision to place for adoption cannot be made while the previous one is open or before it ceased.',
    check(child, _ctx, report) {
      const list = decisions(child)
      for (let i = 1; i < list.length; i++) {
        const ceased = day(list[i - 1]!.DATE_PLACED_CEASED)
        if (list[i - 1]!.DATE_PLACED_CEASED === '' || day(list[i]!.DATE_PLACED) < ceased) report()
      }
    },
  },
  {
    code: '582', type: 'query', table: 'AD1', field: 'DATE_MATCH', needs: WITH_EPISODES_AD1,
    message: 'The date of adoption is the same as the date of matching.',
    check(child, ctx, report) {
      const e = adoptionEpisode(child, ctx)
      if (e !== undefined) for (const r of child.ad1) if (day(r.DATE_MATCH) === e.dec) report()
    },
  },
  {
    code: '583', type: 'error', table: 'PlacedAdoption', field: 'DATE_PLACED_CEASED', needs: ['PlacedAdoption'],
    message: 'Only the latest decision to place for adoption may be open; earlier ones need the date they ceased.',
    check(child, _ctx, report) {
      for (const r of decisions(child).slice(0, -1)) if (r.DATE_PLACED_CEASED === '') report()
    },
  },
  {
    code: '601', type: 'error', table: 'AD1', field: 'DATE_INT', needs: WITH_EPISODES_AD1,
    message: 'A child adopted in the year needs all the adoption (AD1) items.',
    check(child, ctx, report) {
      if (adoptionEpisode(child, ctx) === undefined) return
      if (!child.ad1.some(ad1Complete)) report(child.ad1.length === 0 ? 'CHILD' : 'DATE_INT', child.ad1.length === 0 ? 'Episodes' : 'AD1')
    },
  },
  ad1Rule({ code: '602', type: 'error', field: 'CHILD', needs: WITH_EPISODES_AD1, message: 'Adoption (AD1) data for a child not adopted in the year.', fails: (r, c, ctx) => ad1Filled(r) && adoptionEpisode(c, ctx) === undefined }),
  placedRule({
    code: '1003', type: 'error', field: 'DATE_PLACED', needs: WITH_EPISODES_PLACED,
    message: 'The decision to place for adoption cannot be before the child first started to be looked after.',
    // Defect 3: the public validator crashes on an unreadable start DECOM. We use the earliest episode in
    // either year, and only when it is a start (RNE S): otherwise care began before what the files show.
    fails: (r, c) => {
      const all = [...(c.last?.episodes ?? []), ...c.episodes].filter((e) => !Number.isNaN(e.decom))
      let first: Episode | undefined
      for (const e of all) if (first === undefined || e.decom < first.decom) first = e
      return first !== undefined && first.RNE === 'S' && day(r.DATE_PLACED) < first.decom
    },
  }),
]
