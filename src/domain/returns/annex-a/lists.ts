/**
 * Ofsted's Annex A child-level lists: each list's columns, spelled exactly as in the reference
 * column map (../shared/reference/annex-a/, from liia-tools-pipeline's Annex_A_schema.yml), with
 * the kind of value each holds. The workbook has one sheet per list, 'List 1' to 'List 11'.
 */

export type ColumnKind = 'text' | 'number' | 'date'

export interface AnnexAList {
  list: number
  title: string
  columns: readonly (readonly [name: string, kind: ColumnKind])[]
}

export const sheetName = (list: number) => `List ${list}`

type Column = readonly [name: string, kind: ColumnKind]

/** The columns every child-level list starts with. */
const CHILD_COLUMNS: readonly Column[] = [
  ['Child Unique ID', 'text'],
  ['Gender', 'text'],
  ['Ethnicity', 'text'],
  ['Date of Birth', 'date'],
  ['Age of Child (Years)', 'number'],
]

export const ANNEX_A_LISTS: readonly AnnexAList[] = [
  {
    list: 1,
    title: 'Contacts',
    columns: [
      ...CHILD_COLUMNS,
      ['Date of Contact', 'date'],
      ['Contact Source', 'text'],
    ],
  },
  {
    list: 2,
    title: 'Early help assessments',
    columns: [
      ...CHILD_COLUMNS,
      ['Assessment start date', 'date'],
      ['Assessment completion date', 'date'],
      ['Organisation completing assessment', 'text'],
    ],
  },
  {
    list: 3,
    title: 'Referrals',
    columns: [
      ...CHILD_COLUMNS,
      ['Date of referral', 'date'],
      ['Referral Source', 'text'],
      ['Referral NFA?', 'text'],
      ['Number of Referrals in Last 12 Months', 'number'],
      ['Allocated Team', 'text'],
      ['Allocated Worker', 'text'],
    ],
  },
  {
    list: 4,
    title: 'Assessments (child and family)',
    columns: [
      ...CHILD_COLUMNS,
      ['Does the Child have a Disability', 'text'],
      ['Continuous Assessment Start Date', 'date'],
      ['Child Seen During Continuous Assessment', 'text'],
      ['Continuous Assessment Date of Authorisation', 'date'],
      ["Was the child assessed as requiring LA children's social care support?", 'text'],
      ['Allocated Team', 'text'],
      ['Allocated Worker', 'text'],
    ],
  },
  {
    list: 5,
    title: 'Section 47 enquiries and ICPCs',
    columns: [
      ...CHILD_COLUMNS,
      ['Does the Child have a Disability', 'text'],
      ['Strategy discussion initiating Section 47 Enquiry Start Date', 'date'],
      ['Was an Initial Child Protection Conference deemed unnecessary?', 'text'],
      ['Date of Initial Child Protection Conference', 'date'],
      ['Did the Initial Child Protection Conference Result in a Child Protection Plan', 'text'],
      ['Number of Section 47 Enquiries in the last 12 months', 'number'],
      ['Number of ICPCs in the last 12 months', 'number'],
      ['Allocated Team', 'text'],
      ['Allocated Worker', 'text'],
    ],
  },
  {
    list: 6,
    title: 'Children in need',
    columns: [
      ...CHILD_COLUMNS,
      ['Does the Child have a Disability', 'text'],
      ['CIN Start Date', 'date'],
      ['Primary Need Code', 'text'],
      ['Date Child Was Last Seen', 'date'],
      ['CIN Closure Date', 'date'],
      ['Reason for Closure', 'text'],
      ['Case Status', 'text'],
      ['Allocated Team', 'text'],
      ['Allocated Worker', 'text'],
    ],
  },
  {
    list: 7,
    title: 'Child protection',
    columns: [
      ...CHILD_COLUMNS,
      ['Does the Child have a Disability', 'text'],
      ['Child Protection Plan Start Date', 'date'],
      ['Initial Category of Abuse', 'text'],
      ['Latest Category of Abuse', 'text'],
      ['Date of the Last Statutory Visit', 'date'],
      ['Was the Child Seen Alone?', 'text'],
      ['Date of latest review conference', 'date'],
      ['Child Protection Plan End Date', 'date'],
      ['Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)', 'text'],
      ['Number of Previous Child Protection Plans', 'number'],
      ['Allocated Team', 'text'],
      ['Allocated Worker', 'text'],
    ],
  },
  {
    list: 8,
    title: 'Children in care',
    columns: [
      ...CHILD_COLUMNS,
      ['Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)', 'text'],
      ['Does the Child have a Disability', 'text'],
      ['Date Started to be Looked After', 'date'],
      ["Child's Category of Need", 'text'],
      ['Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)', 'text'],
      ['Start date of current legal status', 'date'],
      ["Child's Legal Status", 'text'],
      ['Date of Latest Statutory Review', 'date'],
      ['Date of Last Social Work Visit', 'date'],
      ['What is the permanence plan for this child?', 'text'],
      ['Date of Last IRO Visit / Contact to the Child', 'date'],
      ['Date of Last Health Assessment', 'date'],
      ['Date of Last Dental Check', 'date'],
      ['Number of Placements in the Last 12 months', 'number'],
      ['Date Ceased to be Looked After', 'date'],
      ['Reason Ceased to be Looked After', 'text'],
      ['Start Date of Most Recent Placement', 'date'],
      ['Placement Type', 'text'],
      ['Placement Provider', 'text'],
      ['Placement postcode', 'text'],
      ['URN of Placement', 'text'],
      ['Placement Location', 'text'],
      ['LA of Placement', 'text'],
      ["Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months", 'number'],
      ["Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months", 'number'],
      ['Was the child offered a Return Interview after their last missing episode (Y/N)?', 'text'],
      ['Did the child accept a Return Interview after their last missing episode (Y/N)?', 'text'],
      ['Allocated Team', 'text'],
      ['Allocated Worker', 'text'],
    ],
  },
  {
    list: 9,
    title: 'Care leavers',
    columns: [
      ...CHILD_COLUMNS,
      ['Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)', 'text'],
      ['Does the Child have a Disability', 'text'],
      ['Allocated Team', 'text'],
      ['Allocated Worker', 'text'],
      ['Allocated Personal Advisor', 'text'],
      ['Eligibility Category', 'text'],
      ['Latest Pathway Plan Review Date', 'date'],
      ['LA in Touch', 'text'],
      ['Latest Date of Contact', 'date'],
      ['Type of Accommodation', 'text'],
      ['Suitability of Accommodation', 'text'],
      ['Activity Status', 'text'],
    ],
  },
  {
    list: 10,
    title: 'Adoption (children)',
    columns: [
      ['Child Unique ID', 'text'],
      ['Family identifier', 'text'],
      ['Gender', 'text'],
      ['Ethnicity', 'text'],
      ['Date of Birth', 'date'],
      ['Age of Child (Years)', 'number'],
      ['Does the Child have a Disability', 'text'],
      ['Date the Child Entered Care', 'date'],
      ['Date of Decision that Child Should be Placed for Adoption', 'date'],
      ['Date of Placement Order', 'date'],
      ['Date of Matching Child and Prospective Adopters', 'date'],
      ['Date Placed for Adoption', 'date'],
      ['Date of Adoption Order', 'date'],
      ['Date of Decision that Child Should No Longer be Placed for Adoption', 'date'],
      ['Reason Why Child No Longer Placed for Adoption', 'text'],
      ['Date the child was placed for fostering in FFA or concurrent planning placement', 'date'],
    ],
  },
  {
    list: 11,
    title: 'Adopters',
    columns: [
      ['Individual adopter identifier', 'text'],
      ['Family identifier', 'text'],
      ['Gender', 'text'],
      ['Ethnicity', 'text'],
      ['Disability', 'text'],
      ['Is the (prospective) adopter fostering for adoption?', 'text'],
      ['Date enquiry received', 'date'],
      ['Date Stage 1 started', 'date'],
      ['Date Stage 1 ended', 'date'],
      ['Date Stage 2 started', 'date'],
      ['Date Stage 2 ended', 'date'],
      ['Date application submitted', 'date'],
      ['Date application approved', 'date'],
      ['Date adopter matched with child(ren)', 'date'],
      ['Date child/children placed with adopter(s)', 'date'],
      ['No. of children placed', 'number'],
      ['Date of Adoption Order', 'date'],
      ['Date of leaving adoption process', 'date'],
      ['Reason for leaving adoption process', 'text'],
    ],
  },
]
