/**
 * header.csv: one row per child with an episode in the year or a care leaver in the OC3 cohort.
 * MOTHER (asked of girls; rule 393): 1 when the record names her as the parent of a child (the
 * family network, person_relationship), with MC_DOB the first child's date of birth; otherwise 0.
 * UPN: the child's, else the reason there is none (UN1-UN5).
 */
import { ddmmyyyy, type TableBuilder } from './model.ts'

export const header: TableBuilder = (child) => [
  {
    CHILD: child.child,
    SEX: child.sex ?? '',
    DOB: ddmmyyyy(child.dateOfBirth),
    ETHNIC: child.ethnicity ?? '',
    UPN: child.upn ?? child.upnUnknown ?? '',
    MOTHER: child.sex === 'F' ? (child.childrenBornOn.length > 0 ? '1' : '0') : '',
    MC_DOB: child.sex === 'F' ? ddmmyyyy([...child.childrenBornOn].sort()[0]) : '',
  },
]
