/** The child's own details and addresses in the JSON API (issue 17), beside the details pages. */
import { childAddressInput, childDetailsInput } from '../../../services/journey/child-details-input.ts'
import { changeChildDetails, childDetails, moveChild } from '../../../services/journey/child-details.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

export function registerChildDetailsApi(api: ApiBuilder): void {
  api.get(
    '/cases/:caseId/child',
    {
      summary:
        'The child’s own details (names, dates of birth and death, sex and gender, NHS number, UPN and former UPN, LA child ID, ethnicity, disabilities, language and communication needs) with the person’s version, every earlier value (history: field, previousValue, newValue, from, to, who, why), and addresses (the current one first, each with fromDate, toDate and who lives there)',
      tag: 'Cases',
    },
    async ({ ctx, params }) => {
      const { details, history, addresses } = await childDetails(ctx, params.caseId!)
      return { details, history, addresses }
    },
  )

  api.put(
    '/cases/:caseId/child',
    {
      caseAction: 'case:update',
      summary:
        'Change the child’s details: give every detail as it should now be (one left out or null is cleared), the reason, and the person’s version you read (details.version); each changed detail’s earlier value is kept with the reason. The NHS number’s check digit and the UPN’s check letter are checked; an NHS number, UPN or LA child ID held by another person is refused (422)',
      tag: 'Cases',
      body: childDetailsInput,
    },
    ({ ctx, params, body }) => changeChildDetails(ctx, params.caseId!, body),
  )

  api.post(
    '/cases/:caseId/child/addresses',
    {
      caseAction: 'case:update',
      summary:
        'The child moves: the new address from fromDate (the current one ends that day and is kept), its postcode (written upper case with one space), who lives there too (residentIds: people of the child’s family network), the reason, and the person’s version you read',
      tag: 'Cases',
      body: childAddressInput,
      status: 201,
    },
    ({ ctx, params, body }) => moveChild(ctx, params.caseId!, body),
  )
}
