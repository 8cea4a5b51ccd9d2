/**
 * What a placement must satisfy when it is recorded, so that the 903 episodes derived from it pass
 * the return's rules: the type valid for the collection year it starts in, the provider the type
 * allows (rules 178, 213, 526-531, 550), the ages some types need (371-374), the legal status some
 * need (378, 408), and where it is (postcode in the lookup: 392c; derived distance and location).
 * Each check answers a message for the field it is about.
 */
import type { Postcode, PostcodeLookup } from '../returns/ssda903/postcodes.ts'
import { postcodeKey } from '../returns/ssda903/postcodes.ts'
import { ADOPTION_PLACE, careLabel, collectionYearOf, NO_PROVIDER_PLACE, PLACE_TYPE, placeTypeValidOn, yearName } from './codes.ts'
import { ageOn } from '../returns/annex-a/codes.ts'

export interface PlacementDraft {
  placeType: string
  provider: string | null
  startedOn: string
}

/** Provider rules: none for temporary and Z placements, otherwise one the type allows. */
export function providerError(placeType: string, provider: string | null): string | null {
  if (NO_PROVIDER_PLACE.has(placeType)) return provider ? 'Temporary moves and other (Z11-Z14) placements have no provider: leave it empty' : null
  if (!provider) return 'Select who provides the placement'
  if (placeType === 'P1' && provider !== 'PR0') return 'A placement with parents (P1) is provided by the parents (PR0)'
  if (provider === 'PR0' && placeType !== 'P1') return 'Only a placement with parents (P1) is provided by the parents (PR0)'
  if ((provider === 'PR1' || provider === 'PR2') && ['R2', 'R5'].includes(placeType)) {
    return 'A health setting (R2) or a young offender institution (R5) is not provided by a local authority'
  }
  if (provider === 'PR3' && (ADOPTION_PLACE.has(placeType) || ['K1', 'K2', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6'].includes(placeType))) {
    return 'Foster, adoption and children’s home placements are not provided by another public body (PR3)'
  }
  return null
}

/** The type must be one the 903 accepts in the collection year the placement starts in. */
export function placeTypeError(placeType: string, startedOn: string): string | null {
  if (placeTypeValidOn(placeType, startedOn)) return null
  return `${placeType} (${careLabel(PLACE_TYPE, placeType) || 'retired'}) is not a placement type of the 903 for ${yearName(collectionYearOf(startedOn))}`
}

const MIN_AGE: Record<string, [number, string]> = {
  K3: [16, 'Supported accommodation (K3) is for young people of 16 or over'],
  R5: [10, 'A young offender institution (R5) is for children of 10 or over'],
  S1: [4, 'A residential school (S1) is for children of 4 or over'],
  P3: [14, 'Residential employment (P3) is for young people of 14 or over'],
}

export function ageError(placeType: string, startedOn: string, dateOfBirth: string | null): string | null {
  const rule = MIN_AGE[placeType]
  if (!rule || !dateOfBirth) return null
  const age = ageOn(dateOfBirth, startedOn)
  // Not yet born on the day (null) is under any minimum age.
  return age === null || age < rule[0] ? rule[1] : null
}

/** Placement types that need (or cannot have) a legal status (rules 378, 408). */
export function legalStatusError(placeType: string, legalStatus: string): string | null {
  if (placeType === 'P1' && legalStatus === 'V2') return 'A child accommodated under section 20 (V2) cannot be placed with parents (P1)'
  if ((placeType === 'A5' || placeType === 'A6') && legalStatus !== 'E1') return 'Placement for adoption under a placement order (A5/A6) needs the legal status E1'
  return null
}

/** A postcode as the lookup writes it (upper case, one space before the last three characters), or null. */
export function normalisePostcode(value: string): string {
  const compact = postcodeKey(value)
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact
}

/** Where a placement is: its LA (or WAL/SCO/NIR), IN or OUT of the authority, miles from home. */
export interface PlacementLocation {
  la: string
  location: 'IN' | 'OUT'
  /** Straight line, one decimal; null without a home postcode (UASC) or when it did not resolve. */
  miles: number | null
}

const COUNTRY_BY_LETTER: Record<string, string> = { W: 'WAL', S: 'SCO', N: 'NIR' }

/** Derived as the 903 validator derives PL_LA, PL_LOCATION and PL_DISTANCE (ONS postcode directory). */
export function locationOf(lookup: PostcodeLookup, authority: string, placePostcode: string, homePostcode: string | null): PlacementLocation | null {
  const place: Postcode | undefined = lookup.get(postcodeKey(placePostcode))
  if (!place) return null
  const country = COUNTRY_BY_LETTER[place.laua[0] ?? '']
  const la = country ?? place.utla
  const home = homePostcode ? lookup.get(postcodeKey(homePostcode)) : undefined
  const miles = home ? Math.round((Math.hypot(home.east - place.east, home.north - place.north) / 1000 / 1.6093) * 10) / 10 : null
  return { la, location: country === undefined && la === authority ? 'IN' : 'OUT', miles }
}
