/**
 * What becoming looked after needs beyond the date and legal status (services/care/care-input.ts),
 * for tests that start a period of care: a child from ZQ4 7RD placed with a new foster household at
 * ZQ1 2NT (postcodes of the synthetic lookup), with no previous permanence order (903 PrevPerm Z1).
 */
export const CARE_START = {
  categoryOfNeed: 'N1',
  uasc: false,
  homePostcode: 'ZQ4 7RD',
  placeType: 'U6',
  provider: 'PR1',
  carerId: null,
  newCarerName: 'Oak household',
  newCarerKind: 'foster',
  newCarerUrn: null,
  placementPostcode: 'ZQ1 2NT',
  urn: null,
  prevPerm: 'Z1',
  laPerm: null,
  datePerm: null,
} as const

/** The same as form fields (strings, as a page posts them). */
export const CARE_START_FORM = {
  categoryOfNeed: 'N1',
  uasc: 'no',
  homePostcode: 'ZQ4 7RD',
  placeType: 'U6',
  provider: 'PR1',
  carerId: '',
  newCarerName: 'Oak household',
  newCarerKind: 'foster',
  newCarerUrn: '',
  placementPostcode: 'ZQ1 2NT',
  urn: '',
  prevPerm: 'Z1',
  laPerm: '',
  datePerm: '',
} as const
