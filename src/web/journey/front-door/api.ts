/**
 * The front door in the JSON API: the same operations as the pages, through the same services
 * and input schemas.
 */
import { closeEpisode, listEpisodes, markReferralNfa, setPrimaryNeed } from '../../../services/journey/episodes.ts'
import {
  acknowledgementInput,
  contactInput,
  decisionInput,
  episodeClosureInput,
  feedbackInput,
  personInput,
  personSearchInput,
  primaryNeedInput,
  referralNfaInput,
} from '../../../services/journey/front-door-input.ts'
import {
  acknowledgeContact,
  contactsAndEpisodes,
  decideContact,
  frontDoorQueue,
  mayReadContact,
  QUEUE_LISTS,
  recordContact,
  recordFeedback,
  viewContact,
} from '../../../services/journey/front-door.ts'
import { createPerson, searchPeople } from '../../../services/person-index/people.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { listsPageQuery, pagesOf } from '../../../services/common/paging.ts'

const tag = 'Front door'

export function registerFrontDoorApi(api: ApiBuilder): void {
  api.get('/people', {
    summary:
      'Search people for a contact: exact NHS number, name prefix or similar name, or date of birth ' +
      '(at most 20; restricted records are only counted)',
    tag,
    query: personSearchInput,
  }, ({ ctx, query }) => searchPeople(ctx, query))

  api.post('/people', { summary: 'Add a person (search first)', tag, body: personInput, status: 201 }, ({ ctx, body }) => createPerson(ctx, body))

  api.get('/front-door/queue', {
    summary: "The user's team's contacts awaiting a decision, most urgent first, and those decided in the last 7 days: a page of each (offset, limit; `list` names the one list offset pages) with its total",
    tag,
    query: listsPageQuery(QUEUE_LISTS),
  }, ({ ctx, query }) => frontDoorQueue(ctx, pagesOf(QUEUE_LISTS, query)))

  api.post('/contacts', {
    summary:
      'Record a contact about one or more children (existing people by id, or new people), received not in the future; ' +
      'starts the decision clock: due 1 working day after it was received, or the same day when urgent or immediate',
    tag,
    body: contactInput,
    status: 201,
  }, async ({ ctx, body, res }) => {
    const recorded = await recordContact(ctx, body)
    res.location(`/api/v1/contacts/${recorded.id}`)
    return recorded
  })

  api.get('/contacts/:id', { summary: 'A contact, its children, decision clock and the episodes it opened', tag }, ({ ctx, params }) =>
    viewContact(ctx, params.id!),
  )

  api.post('/contacts/:id/decision', {
    summary:
      'Decide a contact (once; name the version you read) on the date it was made (decidedOn: today by default, not in the future ' +
      'nor before the contact was received; a decision after its due date needs delayReasonCode (DELAY_REASON) or delayReason, in words). A referral opens a child in need episode per child',
    tag,
    body: decisionInput,
  }, async ({ ctx, params, body }) => {
    await decideContact(ctx, params.id!, body)
    return viewContact(ctx, params.id!)
  })

  const acknowledgement = { summary: 'Record when the referrer was told the contact was received', tag, body: acknowledgementInput }
  api.post('/contacts/:id/acknowledgement', acknowledgement, async ({ ctx, params, body }) => {
    await acknowledgeContact(ctx, params.id!, body)
    return viewContact(ctx, params.id!)
  })

  const feedback = {
    summary:
      'Record the outcome fed back to the referrer. Answers the contact; when telling the referrer ended the ' +
      "user's access to it (the case is another team's), only what was saved: id, version, feedbackOn, feedback and readable: false",
    tag,
    body: feedbackInput,
  }
  api.post('/contacts/:id/feedback', feedback, async ({ ctx, params, body }) => {
    const saved = await recordFeedback(ctx, params.id!, body)
    if (await mayReadContact(ctx, params.id!)) return { ...(await viewContact(ctx, params.id!)), readable: true }
    return { id: saved.id, version: saved.version, feedbackOn: saved.feedbackOn, feedback: saved.feedback, readable: false }
  })

  api.get('/cases/:caseId/contacts', { summary: "A case's contacts and child in need episodes", tag }, async ({ ctx, params }) => {
    const { contacts, episodes } = await contactsAndEpisodes(ctx, params.caseId!)
    return { contacts, episodes }
  })

  api.get('/cases/:caseId/episodes', { summary: "A case's child in need episodes with their clocks", tag }, ({ ctx, params }) =>
    listEpisodes(ctx, params.caseId!),
  )

  const episodePath = '/cases/:caseId/episodes/:episodeId'
  api.post(`${episodePath}/primary-need`, { caseAction: 'case:update', summary: "Set an episode's primary need", tag, body: primaryNeedInput }, ({ ctx, params, body }) =>
    setPrimaryNeed(ctx, params.caseId!, params.episodeId!, body),
  )
  api.post(`${episodePath}/closure`, {
    caseAction: 'case:update',
    summary: 'Close an episode (date on or after the referral, DfE reason); closes the case when nothing else is open',
    tag,
    body: episodeClosureInput,
  }, ({ ctx, params, body }) => closeEpisode(ctx, params.caseId!, params.episodeId!, body))
  api.post(`${episodePath}/referral-nfa`, {
    caseAction: 'case:update',
    summary: 'Mark the referral as no further action (only with no assessment, section 47 enquiry or plan)',
    tag,
    body: referralNfaInput,
  }, ({ ctx, params, body }) => markReferralNfa(ctx, params.caseId!, params.episodeId!, body))
}

