/** reviews.csv: each looked-after review held in the year, with the child's participation. */
import { childColumns, ddmmyyyy, type TableBuilder } from './model.ts'
import { participationOf } from './review-participation.ts'

export const reviews: TableBuilder = (child) =>
  child.reviews.map((on) => ({ ...childColumns(child), REVIEW: ddmmyyyy(on), REVIEW_CODE: participationOf(child.dateOfBirth, on, child.permanence?.find((p) => p.participation[on])?.participation[on]) }))
