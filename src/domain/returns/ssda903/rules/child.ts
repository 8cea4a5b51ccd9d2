/** Child details (Header): sex, date of birth, ethnicity, UPN, mother. */
import { ETHNIC, SEX, UPN_UNKNOWN } from '../codesets.ts'
import { addYears, blankOrDate, day, dayOf } from '../dates.ts'
import type { ChildRecord, HeaderRow } from '../model.ts'
import type { ChildRule, Context, ReturnRule } from '../rule.ts'
import { ageAt, endsCare, hasCare, isShortBreak, lastEpisode } from './helpers.ts'

const H = 'Header' as const
type HeaderCheck = Omit<ChildRule, 'table' | 'needs' | 'check'> & {
  needs?: ChildRule['needs']
  fails: (row: HeaderRow, child: ChildRecord, ctx: Context) => boolean
}

/** A rule reporting each Header row of the child for which `fails` holds. */
const headerRule = (r: HeaderCheck): ChildRule => ({
  code: r.code, type: r.type, table: H, field: r.field, message: r.message, needs: r.needs ?? [H], rows: 'header',
  check(child, ctx, report) {
    for (const row of child.header) if (r.fails(row, child, ctx)) report()
  },
})

/** A real UPN: a check letter (not I, O or S), 11 digits, then a digit or (temporary UPN) a letter. */
const UPN_SHAPE = /^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$/

export const CHILD_RULES: (ChildRule | ReturnRule)[] = [
  headerRule({ code: '101', type: 'error', field: 'SEX', message: 'Sex must be M, F or U.', fails: (h) => !SEX.has(h.SEX) }),
  headerRule({ code: '102', type: 'error', field: 'DOB', message: 'Date of birth is not a valid date.', fails: (h) => Number.isNaN(day(h.DOB)) }),
  headerRule({ code: '103', type: 'error', field: 'ETHNIC', message: 'Ethnicity is not a valid code.', fails: (h) => !ETHNIC.has(h.ETHNIC) }),
  headerRule({
    code: '165', type: 'error', field: 'MOTHER',
    message: 'MOTHER must be 0 or 1, and blank for a boy.',
    // Defect 7: the public validator still compares SEX with the old codes 1/2, so only its
    // "0 or 1" branch works; we also report a boy (M) recorded with MOTHER.
    fails: (h) => (h.MOTHER !== '' && h.MOTHER !== '0' && h.MOTHER !== '1') || (h.SEX === 'M' && h.MOTHER !== ''),
  }),
  headerRule({
    code: '168', type: 'error', field: 'UPN',
    message: 'UPN must be 13 characters (a check letter, 11 digits and a digit or letter) or UN1-UN5.',
    fails: (h) => !UPN_UNKNOWN.has(h.UPN) && h.UPN !== '' && !UPN_SHAPE.test(h.UPN),
  }),
  headerRule({ code: '171', type: 'error', field: 'MC_DOB', message: "Mother's child's date of birth is not a valid date.", fails: (h) => !blankOrDate(h.MC_DOB) }),
  headerRule({ code: '174', type: 'error', field: 'MC_DOB', message: "A boy cannot have a mother's child's date of birth.", fails: (h) => h.SEX === 'M' && h.MC_DOB !== '' }),
  headerRule({
    code: '209', type: 'error', field: 'UPN',
    message: 'A child of school age cannot have UPN UN1 (not of school age).',
    // 4 or more on 31 August before the collection year started.
    fails: (h, _c, ctx) => h.UPN === 'UN1' && addYears(day(h.DOB), 4) <= dayOf(ctx.year - 2, 8, 31),
  }),
  headerRule({
    code: '210', type: 'error', field: 'UPN', needs: [H, 'Episodes'],
    message: 'UPN UN4 (newly looked after) is only for a child whose episode started in the last week of March.',
    fails: (h, c, ctx) => h.UPN === 'UN4' && !c.episodes.some((e) => e.decom >= ctx.end - 6 && e.decom <= ctx.end),
  }),
  headerRule({
    code: '231', type: 'query', field: 'DOB', needs: [H, 'UASC'],
    message: 'An unaccompanied asylum-seeking child under 11 at the end of the year is unusual.',
    // Defect 1: the public validator reads a column no loader creates and crashes on every file.
    fails: (_h, c, ctx) => c.uasc.length > 0 && ageAt(c, ctx.end) < 11,
  }),
  headerRule({ code: '232', type: 'query', field: 'SEX', message: 'Sex is recorded as U (unknown).', fails: (h) => h.SEX === 'U' }),
  headerRule({ code: '301', type: 'error', field: 'DOB', message: 'Date of birth is after the end of the collection year.', fails: (h, _c, ctx) => day(h.DOB) > ctx.end }),
  headerRule({
    code: '351', type: 'error', field: 'DOB', message: 'The child is over 25 at the start of the collection year.',
    fails: (h, _c, ctx) => addYears(day(h.DOB), 25) < ctx.start,
  }),
  headerRule({
    code: '393', type: 'error', field: 'MOTHER', needs: [H, 'Episodes'],
    message: 'A girl looked after must have MOTHER completed.',
    fails: (h, c) => h.SEX === 'F' && h.MOTHER === '' && hasCare(c),
  }),
  headerRule({
    code: '442', type: 'error', field: 'UPN', needs: [H, 'Episodes'],
    message: 'A child looked after (not only on short breaks) must have a UPN or a UN code.',
    fails: (h, c) => h.UPN === '' && hasCare(c),
  }),
  {
    code: '444', type: 'error', table: H, field: 'UPN', needs: [H],
    message: 'The same UPN is recorded on more than one Header row (another child, or this child twice).',
    start() {
      // The child with each UPN; a list only once a UPN is met again (most UPNs are met once, and
      // a list each would be 100,000 arrays kept to the end on a large return).
      const byUpn = new Map<string, string | string[]>()
      return {
        observe(child) {
          for (const h of child.header) {
            if (h.UPN === '' || UPN_UNKNOWN.has(h.UPN)) continue
            const seen = byUpn.get(h.UPN)
            if (seen === undefined) byUpn.set(h.UPN, child.id)
            else if (typeof seen === 'string') byUpn.set(h.UPN, [seen, child.id])
            else seen.push(child.id)
          }
        },
        finish(emit) {
          for (const ids of byUpn.values()) if (typeof ids !== 'string') for (const id of new Set(ids)) emit(id)
        },
      }
    },
  },
  headerRule({
    code: '607', type: 'error', field: 'MOTHER', needs: [H, 'Episodes'],
    message: 'A girl who ceased to be looked after in the year must have MOTHER completed.',
    fails: (h, c, ctx) =>
      h.SEX === 'F' && h.MOTHER === '' &&
      c.episodes.some((e) => !isShortBreak(e) && endsCare(e) && e.dec >= ctx.start && e.dec <= ctx.end),
  }),
  headerRule({ code: '611', type: 'error', field: 'MC_DOB', message: "MOTHER is 1 but the date of birth of the mother's child is missing.", fails: (h) => h.MOTHER === '1' && h.MC_DOB === '' }),
  headerRule({
    code: '612', type: 'error', field: 'MOTHER',
    message: "A date of birth of the mother's child is given but MOTHER is not 1.",
    fails: (h) => h.SEX === 'F' && h.MC_DOB !== '' && h.MOTHER !== '1',
  }),
  headerRule({ code: '620', type: 'query', field: 'MOTHER', message: 'Recorded as a mother but under 11 at the start of the year.', fails: (h, c, ctx) => h.MOTHER === '1' && ageAt(c, ctx.start) < 11 }),
  headerRule({ code: '621', type: 'error', field: 'MC_DOB', message: "The mother's child cannot be born before the mother.", fails: (h) => day(h.MC_DOB) < day(h.DOB) }),
  headerRule({
    code: '625', type: 'error', field: 'MC_DOB', needs: [H, 'Episodes'],
    message: "The mother's child's date of birth cannot be after the end of the year or after the child last left care.",
    fails: (h, c, ctx) => {
      const born = day(h.MC_DOB)
      if (born > ctx.end) return true
      const last = lastEpisode(c)
      return last !== undefined && endsCare(last) && born > last.dec
    },
  }),
  headerRule({
    code: '628', type: 'error', field: 'MOTHER', needs: [H, 'Episodes', 'OC3'],
    message: 'A care leaver with no episode this year must have MOTHER blank.',
    fails: (h, c) => c.episodes.length === 0 && c.oc3.length > 0 && h.MOTHER !== '',
  }),
]
