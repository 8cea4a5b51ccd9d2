/** Input schemas for care leavers: their details, and the pathway plan, reviews and contacts (pages and the JSON API). */
import { z } from 'zod'
import { CARE_LEAVER_ACCOMMODATION, CARE_LEAVER_ACTIVITY, CARE_LEAVER_CATEGORY, CARE_LEAVER_IN_TOUCH, CARE_LEAVER_RECORD_KIND, codesOf, SUPPORT_ENDED } from '../../domain/journey/codes.ts'
import { optionalDate, optionalText, requiredDate, yesNo } from '../common/fields-input.ts'
import { lateReasonInputs } from './clock-delays-input.ts'

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v)
const optionalCode = (codes: [string, ...string[]], message: string) => z.preprocess(blankToNull, z.enum(codes, { error: message }).nullable()).default(null)

export const careLeaverDetails = z
  .object({
    /** The version read; absent the first time the details are saved. */
    version: z.preprocess(blankToNull, z.coerce.number({ error: 'The form is out of date: reload the page' }).int().min(1).nullable()).default(null),
    category: z.enum(codesOf(CARE_LEAVER_CATEGORY), { error: 'Select the young person’s category' }),
    personalAdviser: optionalText('the personal adviser', 200).default(null),
    personalAdviserFrom: optionalDate('the date the personal adviser started').default(null),
    stayingPut: yesNo('is the young person staying put with former foster carers?'),
    stayingPutFrom: optionalDate('the date staying put began').default(null),
    supportTo25: yesNo('has the young person asked for support to 25?'),
  })
  .superRefine((v, ctx) => {
    if (v.stayingPut && !v.stayingPutFrom) ctx.addIssue({ code: 'custom', path: ['stayingPutFrom'], message: 'Enter the date staying put began' })
    if (v.personalAdviserFrom && !v.personalAdviser) ctx.addIssue({ code: 'custom', path: ['personalAdviser'], message: 'Enter the personal adviser' })
  })
  .transform((v) => ({ ...v, stayingPutFrom: v.stayingPut ? v.stayingPutFrom : null }))

export const careLeaverRecordInput = z
  .object({
    kind: z.enum(codesOf(CARE_LEAVER_RECORD_KIND), { error: 'Select what is being recorded' }),
    on: requiredDate('the date'),
    inTouch: optionalCode(codesOf(CARE_LEAVER_IN_TOUCH), 'Select whether you are in touch'),
    activity: optionalCode(codesOf(CARE_LEAVER_ACTIVITY), 'Select the young person’s main activity'),
    accommodation: optionalCode(codesOf(CARE_LEAVER_ACCOMMODATION), 'Select the accommodation'),
    notes: optionalText('the notes', 4000).default(null),
    /** The coded reason when a plan review was late (DELAY_REASON), with the words. */
    ...lateReasonInputs,
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (v.kind === SUPPORT_ENDED && !v.notes) issue('notes', 'Say why leaving care support ended (for example, the young person reached 21)')
    if (v.kind !== 'contact') return
    if (!v.inTouch) issue('inTouch', 'Select whether you are in touch')
    if (v.inTouch === 'YES' && !v.activity) issue('activity', 'Select the young person’s main activity')
    if (v.inTouch === 'YES' && !v.accommodation) issue('accommodation', 'Select the accommodation')
  })
  // A plan or review has no contact codes; a contact not in touch has no activity or accommodation to give.
  .transform((v) => {
    const inTouch = v.kind === 'contact' ? v.inTouch : null
    const described = inTouch === 'YES'
    return { ...v, inTouch, activity: described ? v.activity : null, accommodation: described ? v.accommodation : null }
  })

export type CareLeaverDetails = z.infer<typeof careLeaverDetails>
export type CareLeaverRecordInput = z.infer<typeof careLeaverRecordInput>
