/** The notification of a child's death to the child death review partners (page and API). */
import { z } from 'zod'
import { requiredDate } from '../common/fields-input.ts'
import { lateReasonInputs } from './clock-delays-input.ts'

export const childDeathNotificationInput = z.object({
  notifiedOn: requiredDate('the date the child death review partners were notified'),
  ...lateReasonInputs,
})

export type ChildDeathNotificationInput = z.infer<typeof childDeathNotificationInput>
