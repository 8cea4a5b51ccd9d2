/** Missing episodes (JSON API): the same services as the pages. */
import { missingEpisodeReturn, missingEpisodeStart, returnInterview } from '../../../services/journey/missing-episodes-input.ts'
import { missingEpisodesOfCase, recordMissingEpisode, recordMissingReturn, recordReturnInterview } from '../../../services/journey/missing-episodes.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const TAG = 'Missing episodes'

export function registerMissingEpisodesApi(api: ApiBuilder): void {
  const path = '/cases/:caseId/missing-episodes'
  api.get(
    path,
    {
      summary:
        "Times the child was missing or away without permission, newest first, each with its return home interview clock (interviewDueAt: 72 hours after the return); summary: the last 12 months' counts of each kind and whether the last missing episode's interview was offered and accepted (Annex A list 8)",
      tag: TAG,
    },
    async ({ ctx, params }) => {
      const page = await missingEpisodesOfCase(ctx, params.caseId!)
      return { records: page.records, summary: page.summary }
    },
  )
  api.post(
    path,
    {
      caseAction: 'case:update',
      summary:
        "Record that the child went missing ('missing', the 903's M) or was away without permission ('away', A): kind, startedOn, startedTime ('HH:MM', London time), and when already back returnedOn with returnedTime (which starts the return home interview clock), notes. 422 when it overlaps another episode of the child's",
      tag: TAG,
      body: missingEpisodeStart,
      status: 201,
    },
    ({ ctx, params, body }) => recordMissingEpisode(ctx, params.caseId!, body),
  )
  api.post(
    `${path}/:recordId/return`,
    {
      caseAction: 'case:update',
      summary: "Record when the child came back: returnedOn, returnedTime ('HH:MM'), the version read (409 when stale); starts the return home interview clock (72 hours)",
      tag: TAG,
      body: missingEpisodeReturn,
    },
    ({ ctx, params, body }) => recordMissingReturn(ctx, params.caseId!, params.recordId!, body),
  )
  api.put(
    `${path}/:recordId/interview`,
    {
      caseAction: 'case:update',
      summary:
        'Record the return home interview and the exploitation screening: interviewOfferedOn, interviewAccepted (true, false or null), interviewHeldOn, interviewBy, screenedOn, screeningOutcome (EXPLOITATION_SCREENING_OUTCOME), the version read. The first offer completes the clock; after 72 hours lateReasonCode (DELAY_REASON) is required (422 naming the due date), with lateReason in words',
      tag: TAG,
      body: returnInterview,
    },
    ({ ctx, params, body }) => recordReturnInterview(ctx, params.caseId!, params.recordId!, body),
  )
}
