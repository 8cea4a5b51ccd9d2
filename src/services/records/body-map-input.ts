/**
 * Input schemas for body maps (pages and the JSON API): a body map (when and by whom the marks
 * were seen), then its marks, one at a time, each on a part of the body with an optional point
 * chosen on the picture.
 */
import { z } from 'zod'
import { BODY_REGION_CODES, FIGURE_HEIGHT, FIGURE_WIDTH, MARK_KIND_CODES } from '../../domain/records/body-map.ts'
import { optionalDate, optionalText, requiredDate, requiredText, version } from '../common/fields-input.ts'
import { optionalId } from '../journey/plan-input.ts'

/** A coordinate of the point chosen on the picture: a number in the drawing box, or left out. */
const coordinate = (max: number) =>
  z.preprocess((v) => (v === '' || v === undefined ? null : v), z.coerce.number({ error: 'Choose the place on the picture again' }).min(0).max(max).nullable())

export const bodyMapInput = z.object({
  seenOn: requiredDate('the date the marks were seen'),
  seenBy: requiredText('who saw the marks', 200),
  agencyId: optionalId('Select the agency from the list').optional(),
  account: optionalText('how the marks were seen and what was said', 5000).optional(),
})

export const bodyMarkInput = z.object({
  version,
  region: z.enum(BODY_REGION_CODES, { error: 'Select the part of the body' }),
  kind: z.enum(MARK_KIND_CODES, { error: 'Select what kind of mark it is' }),
  description: requiredText('a description of the mark (colour, shape, anything seen in it)', 2000),
  size: optionalText('the size', 100).optional(),
  /** The day this mark was seen; the body map's day when left out. */
  seenOn: optionalDate('the date the mark was seen').optional(),
  x: coordinate(FIGURE_WIDTH).optional(),
  y: coordinate(FIGURE_HEIGHT).optional(),
})

export type BodyMapInput = z.infer<typeof bodyMapInput>
export type BodyMarkInput = z.infer<typeof bodyMarkInput>
