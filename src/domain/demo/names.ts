/**
 * Fixed lists of obviously fictional names for synthetic people, so no record can be mistaken for
 * a real child or member of staff.
 */
export const GIVEN_NAMES_F = [
  'Bea', 'Dee', 'Fay', 'Ivy', 'Nell', 'Tess', 'Uma', 'Wren', 'Yas', 'Mae', 'Lyra', 'Cleo', 'Hattie',
  'Isla', 'Juno', 'Kaya', 'Lotte', 'Mira', 'Nola', 'Orla', 'Pia', 'Rhea', 'Sage', 'Tilly',
] as const

export const GIVEN_NAMES_M = [
  'Ash', 'Cody', 'Eli', 'Gus', 'Hal', 'Jem', 'Max', 'Oz', 'Ray', 'Sol', 'Vic', 'Zed', 'Alfie', 'Bram',
  'Cal', 'Dex', 'Ezra', 'Finn', 'Ike', 'Jago', 'Kit', 'Lenny', 'Milo', 'Otto',
] as const

export const FAMILY_NAMES = [
  'Testcase', 'Madeup', 'Fictional', 'Notreal', 'Sampleton', 'Synthetica', 'Placeholder', 'Examplar',
  'Mockford', 'Dummett', 'Inventedson', 'Pretendly', 'Imaginary', 'Seedling', 'Generato', 'Randomley',
  'Nonesuch', 'Unreal', 'Specimen', 'Fabricant', 'Makebelieve', 'Fauxley', 'Simulacra', 'Testwell',
  'Trialby', 'Dryrun', 'Mockington', 'Stubbs-Fake', 'Fixtureson', 'Loremipsum',
] as const

export const STAFF_GIVEN_NAMES = [
  'Sam', 'Alex', 'Jo', 'Chris', 'Pat', 'Robin', 'Jamie', 'Lee', 'Morgan', 'Taylor', 'Casey', 'Drew',
  'Frankie', 'Jordan', 'Kerry', 'Leslie', 'Nicky', 'Quinn', 'Reese', 'Shay',
] as const
