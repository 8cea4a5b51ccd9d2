/** Reviews and participation (4); unaccompanied asylum-seeking children (5, less two that need the XML's UASC flag). */
import { REVIEW_CODE } from '../codesets.ts'
import { addYears, ageOn, day } from '../dates.ts'
import type { ChildRecord, ReviewRow, UascRow } from '../model.ts'
import type { ChildRule, Context } from '../rule.ts'
import { dobOf } from './helpers.ts'

const reviewRule = (r: Omit<ChildRule, 'table' | 'needs' | 'check'> & { fails: (row: ReviewRow) => boolean }): ChildRule => ({
  code: r.code, type: r.type, table: 'Reviews', field: r.field, message: r.message, needs: ['Reviews'], rows: 'reviews',
  check(child, _ctx, report) {
    for (const row of child.reviews) if (r.fails(row)) report()
  },
})

const uascRule = (r: Omit<ChildRule, 'table' | 'check'> & { fails: (row: UascRow, child: ChildRecord, ctx: Context) => boolean }): ChildRule => ({
  code: r.code, type: r.type, table: 'UASC', field: r.field, message: r.message, needs: r.needs, rows: 'uasc',
  check(child, ctx, report) {
    for (const row of child.uasc) if (r.fails(row, child, ctx)) report()
  },
})

const ageAtReview = (row: ReviewRow) => ageOn(day(row.DOB), day(row.REVIEW))

export const REVIEW_RULES: ChildRule[] = [
  reviewRule({ code: '166', type: 'error', field: 'REVIEW', message: 'Review date is not a valid date.', fails: (r) => Number.isNaN(day(r.REVIEW)) }),
  reviewRule({ code: '167', type: 'error', field: 'REVIEW_CODE', message: 'Participation code must be PN0-PN7 when there is a review date.', fails: (r) => r.REVIEW !== '' && !REVIEW_CODE.has(r.REVIEW_CODE) }),
  reviewRule({ code: '440', type: 'error', field: 'REVIEW_CODE', message: 'PN0 (child under 4) used for a child aged 4 or more at the review.', fails: (r) => r.REVIEW_CODE === 'PN0' && ageAtReview(r) >= 4 }),
  reviewRule({
    code: '441', type: 'error', field: 'REVIEW_CODE', message: 'PN1-PN7 used for a child under 4 at the review (PN0 is for under-4s).',
    fails: (r) => REVIEW_CODE.has(r.REVIEW_CODE) && r.REVIEW_CODE !== 'PN0' && ageAtReview(r) < 4,
  }),
]

export const UASC_RULES: ChildRule[] = [
  uascRule({
    code: '104', type: 'error', field: 'DUC', needs: ['UASC'],
    message: 'Date UASC status ceased must be a valid date, not before the collection year.',
    fails: (u, _c, ctx) => u.DUC !== '' && !(day(u.DUC) >= ctx.start),
  }),
  uascRule({
    code: '304', type: 'error', field: 'DUC', needs: ['UASC', 'Header'],
    message: 'Date UASC status ceased cannot be after the 18th birthday.',
    fails: (u, child) => day(u.DUC) > addYears(dobOf(child), 18),
  }),
  uascRule({
    code: '1014', type: 'error', field: 'DUC', needs: ['UASC', 'Episodes', 'OC3'],
    message: 'A care leaver with no episode this year must not be in the UASC table.',
    fails: (_u, child) => child.episodes.length === 0 && child.oc3.length > 0,
  }),
]
