/** Input schemas for police protection and emergency protection orders (pages and the JSON API). */
import { z } from 'zod'
import { codesOf, EMERGENCY_PROTECTION_KIND } from '../../domain/journey/codes.ts'
import { optionalText, requiredDate, timeOfDay, version } from '../common/fields-input.ts'
import { lateReasonInputs } from './clock-delays-input.ts'

export const emergencyProtectionStart = z.object({
  kind: z.enum(codesOf(EMERGENCY_PROTECTION_KIND), { error: 'Select police protection or an emergency protection order' }),
  startedOn: requiredDate('the date it started'),
  startedTime: timeOfDay('the time it started'),
  notes: optionalText('the notes', 2000).default(null),
})

export const emergencyProtectionExtension = z.object({
  version,
  extendedOn: requiredDate('the date the court extended the order'),
  extendedTo: requiredDate('the date the extended order ends'),
})

export const emergencyProtectionEnd = z.object({
  version,
  endedOn: requiredDate('the date it ended'),
  /** The coded reason when it ended after its limit (DELAY_REASON), with the words. */
  ...lateReasonInputs,
})

export type EmergencyProtectionStart = z.infer<typeof emergencyProtectionStart>
export type EmergencyProtectionExtension = z.infer<typeof emergencyProtectionExtension>
export type EmergencyProtectionEnd = z.infer<typeof emergencyProtectionEnd>
