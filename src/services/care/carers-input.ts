/**
 * Input of the carers page: a carer as the placement form takes it (care-input.ts's carerInput:
 * name, kind and the Ofsted URN in the 903's form, XXXXXXX when not known), and a correction of
 * one, from the version read.
 */
import { z } from 'zod'
import { version } from '../common/fields-input.ts'
import { carerInput } from './care-input.ts'

export { carerInput }
export const carerUpdate = carerInput.extend({ version })

export type CarerUpdate = z.infer<typeof carerUpdate>
