/** Care leavers (JSON API): the same services as the pages. */
import { careLeaverDetails, careLeaverRecordInput } from '../../../services/journey/care-leavers-input.ts'
import { careLeaverOfCase, recordCareLeaverRecord, saveCareLeaverDetails } from '../../../services/journey/care-leavers.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const TAG = 'Care leavers'

export function registerCareLeaverApi(api: ApiBuilder): void {
  const path = '/cases/:caseId/care-leaver'
  api.get(
    path,
    {
      summary:
        "The care leaver's details (null until saved), the pathway plan, reviews and contacts newest first, the pathway plan review clocks and the leaving care support clock (leaving-care-support-21, or -25 with support to 25: due on that birthday, 3 months' notice), the latest contact (Annex A list 9), and each 17th to 21st birthday passed with the contact the SSDA903's OC3 would report (the latest from 3 months before to 1 month after it)",
      tag: TAG,
    },
    async ({ ctx, params }) => {
      const { c: _frame, ...page } = await careLeaverOfCase(ctx, params.caseId!)
      return page
    },
  )
  api.put(
    path,
    {
      caseAction: 'case:update',
      summary:
        "Save the care leaver's details: category (CARE_LEAVER_CATEGORY), personalAdviser, personalAdviserFrom, stayingPut and stayingPutFrom, supportTo25 (recording it meets the leaving care support clock at 21 and starts the one at 25); after the first save, the version read (409 when stale)",
      tag: TAG,
      body: careLeaverDetails,
    },
    ({ ctx, params, body }) => saveCareLeaverDetails(ctx, params.caseId!, body),
  )
  api.post(
    `${path}/records`,
    {
      caseAction: 'case:update',
      summary:
        "Record a pathway plan, a pathway plan review (each starts the next review clock, 6 months; a late review needs lateReasonCode, DELAY_REASON) or a contact: kind (CARE_LEAVER_RECORD_KIND), on, and for a contact inTouch (the 903's IN_TOUCH) with, when in touch, activity (ACTIV) and accommodation (ACCOM); notes",
      tag: TAG,
      body: careLeaverRecordInput,
      status: 201,
    },
    ({ ctx, params, body }) => recordCareLeaverRecord(ctx, params.caseId!, body),
  )
}
