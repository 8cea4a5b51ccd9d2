/**
 * Input schemas of a period of care's events: the 903 context given when the period starts, legal
 * status changes, placements and temporary moves. Codes are the 903 code sets (domain/care/codes.ts);
 * users never give RNE or X1. Pages post strings ('' for empty); the API posts JSON.
 */
import { z } from 'zod'
import {
  CARE_LEGAL_STATUS,
  CARER_KIND,
  CATEGORY_OF_NEED,
  codesOf,
  PLACE_PROVIDER,
  PLACE_TYPE,
  PLACE_YEARS,
  REASON_CEASED,
  REASON_PLACE_CHANGE,
  TEMPORARY_PLACE_TYPE,
} from '../../domain/care/codes.ts'
import { optionalDate, optionalText, requiredDate, requiredText, version, yesNo } from '../common/fields-input.ts'

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v)
const optionalCode = (codes: [string, ...string[]], error: string) => z.preprocess(blankToNull, z.enum(codes, { error }).nullable())
const requiredCode = (codes: [string, ...string[]], error: string) => z.preprocess((v) => (v === '' ? undefined : v), z.enum(codes, { error }))

/** Every placement type of the list, and the retired ones (valid only for placements that started in their years). */
const ALL_PLACE_TYPES = [...codesOf(PLACE_TYPE), ...Object.keys(PLACE_YEARS).filter((c) => !PLACE_TYPE.some((p) => p.code === c))] as [string, ...string[]]

export const careLegalStatus = requiredCode(codesOf(CARE_LEGAL_STATUS), 'Select the legal status')

/** A postcode: letters, digits and one optional space (checked against the postcode lookup by the service). */
const postcode = (what: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string({ error: `Enter ${what}` }).min(1, `Enter ${what}`).max(10, `${what.charAt(0).toUpperCase() + what.slice(1)} must be a postcode, like ZQ1 2NT`),
  )
const optionalPostcode = (what: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? null : v.trim()) : (v ?? null)),
    z.string().max(10, `${what.charAt(0).toUpperCase() + what.slice(1)} must be a postcode, like ZQ1 2NT`).nullable(),
  )

const urn = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? null : v.trim().toUpperCase()) : (v ?? null)),
  z.string().regex(/^[A-Z0-9]{6,8}$/, 'An Ofsted URN is 6 to 8 letters and digits, like SC123456 (XXXXXXX when not known)').nullable(),
)

/** Who the child is placed with: a carer already recorded, or a new one (name and kind; URN optional). */
const carerFields = {
  carerId: z.preprocess(blankToNull, z.uuid({ error: 'Select the carer' }).nullable()),
  newCarerName: optionalText('the name of the household or setting', 200).default(null),
  newCarerKind: optionalCode(codesOf(CARER_KIND), 'Select what kind of carer or setting it is'),
  newCarerUrn: urn,
}

/** A placement (not a temporary move). */
const placementFields = {
  placeType: requiredCode(ALL_PLACE_TYPES, 'Select the placement type'),
  provider: optionalCode(codesOf(PLACE_PROVIDER), 'Select who provides the placement'),
  ...carerFields,
  placementPostcode: postcode('the placement’s postcode'),
  urn,
}

export const periodStartFields = {
  categoryOfNeed: requiredCode(codesOf(CATEGORY_OF_NEED), 'Select the category of need'),
  uasc: yesNo('is the child an unaccompanied asylum-seeking child?'),
  homePostcode: optionalPostcode('the child’s home postcode'),
  ...placementFields,
}

export const reasonCeased = requiredCode(codesOf(REASON_CEASED), 'Select why the child stopped being looked after')

export const legalStatusChangeInput = z.object({
  legalStatus: careLegalStatus,
  fromOn: requiredDate('the date the legal status started'),
})

/** The child's new home postcode during the period, from a day after its start (903 HOME_POST of the episodes from then). */
export const homePostcodeInput = z.object({
  homePostcode: postcode('the child’s new home postcode'),
  fromOn: requiredDate('the date the child’s home moved'),
})

/** A move to a new placement: the current one ends the day the new one starts, with its reason. */
export const placementMoveInput = z.object({
  startedOn: requiredDate('the date the child moved'),
  endReason: requiredCode(codesOf(REASON_PLACE_CHANGE), 'Select why the previous placement ended'),
  ...placementFields,
})

/** A temporary move (T0-T4) away from the current placement; the child goes back to it. */
export const temporaryMoveInput = z.object({
  placeType: requiredCode(codesOf(TEMPORARY_PLACE_TYPE), 'Select the kind of temporary move'),
  startedOn: requiredDate('the date the temporary move started'),
  endedOn: optionalDate('the date the child went back').default(null),
  placementPostcode: postcode('the postcode where the child is staying'),
  ...carerFields,
})

/** The child went back to the placement a temporary move interrupted. */
export const temporaryReturnInput = z.object({
  version,
  endedOn: requiredDate('the date the child went back'),
})

/** Corrections to a placement's details; fields left out keep their values. */
export const placementUpdate = z
  .object({
    provider: placementFields.provider,
    carerId: carerFields.carerId,
    placementPostcode: placementFields.placementPostcode,
    urn,
    endReason: optionalCode(codesOf(REASON_PLACE_CHANGE), 'Select why the placement ended'),
  })
  .partial()
  .extend({ version })

export const carerInput = z.object({
  name: requiredText('the name of the household or setting'),
  kind: requiredCode(codesOf(CARER_KIND), 'Select what kind of carer or setting it is'),
  urn,
})

export type CarerChoice = { carerId: string | null; newCarerName: string | null; newCarerKind: string | null; newCarerUrn: string | null }
export type PlacementFields = CarerChoice & { placeType: string; provider: string | null; placementPostcode: string; urn: string | null }
export type LegalStatusChangeInput = z.infer<typeof legalStatusChangeInput>
export type HomePostcodeInput = z.infer<typeof homePostcodeInput>
export type PlacementMoveInput = z.infer<typeof placementMoveInput>
export type TemporaryMoveInput = z.infer<typeof temporaryMoveInput>
export type TemporaryReturnInput = z.infer<typeof temporaryReturnInput>
export type PlacementUpdate = z.infer<typeof placementUpdate>
export type CarerInput = z.infer<typeof carerInput>
