/**
 * Plain words for the audit log's action codes and grounds, for the people who read it (the
 * auditor's "who has looked at this child's record" page). The log itself keeps the codes.
 */
import { roleLabel } from './roles.ts'

const ACTIONS: Record<string, string> = {
  'case.view': 'Viewed the case',
  'case.list': 'Saw the case in a list',
  'case.create': 'Opened a case',
  'case.update': 'Changed the case',
  'case.allocate': 'Allocated the case',
  'case.transfer': 'Transferred the case',
  'case.stage': 'Moved the case to another stage',
  'case.reopen': 'Reopened the case',
  'case.break-glass': 'Opened the case by break-glass',
  'case.read.refused': 'Tried to view the case and was refused',
  'case.update.refused': 'Tried to change the case and was refused',
  'case.contribute.refused': 'Tried to add to the case and was refused',
  'case.link.refused': 'Tried to link the child to a record and was refused',
  'case.involvement.record': 'Recorded an agency’s involvement in the case',
  'case.involvement.end': 'Ended an agency’s involvement in the case',
  'case.restrict': 'Marked the case restricted',
  'case.unrestrict': 'Lifted the case’s restriction',
  'case.permission.give': 'Gave explicit permission to see the case',
  'case.permission.withdraw': 'Withdrew explicit permission to see the case',
  'case.manage-access.refused': 'Tried to manage who can see the case and was refused',
  'audit.access-list.view': 'Looked at who can see this record',
  'case.invitation': 'Invited a partner to a meeting about the child',
  'case.invitation.end': 'Ended partners’ invitations',
  'audit.person-history.view': 'Looked at who has viewed this record',
  'audit.person-search': 'Searched the access log',
  'person.create': 'Recorded the person',
  'person.update': 'Changed the child’s details',
  'person.address': 'Recorded the child’s new address',
  'person.search': 'Searched for people',
  'person.match': 'Matched the person in the person index',
  'cp-status.check': 'Checked the child’s child protection status',
  'contact.add-to-case': 'Added a contact to the case',
  'contact.add-information': 'Added information to a contact',
  'referral.submit': 'Sent a referral',
  'referral.view': 'Read a referral they sent',
  'information-request.view': 'Viewed an information request',
  'information-request.answer': 'Answered an information request',
  'information-request.remind': 'Reminded an agency about an information request',
  'information-request.escalate': 'Escalated an overdue information request',
  'looked-after.review': 'Recorded a looked-after review',
  'clock.delay-reason.give': 'Gave the reason a timescale was late',
  'clock.delay-reason.change': 'Changed the reason a timescale was late',
  'serious-incident.late-reason': 'Gave the reason a serious incident’s timescale was late',
  'lado-case.late-reason': 'Gave the reason a referral to the designated officer was late',
  'returns:cin-census-export.child': 'Included the child in the CIN census file made that day',
  'returns:csc-feed.child': 'Sent the child’s record in the DfE daily data feed that day',
  'returns:annex-a.child': 'Included the child in Ofsted’s Annex A lists made that day',
  'returns:cin-census-import.child': 'Imported the child’s records from a CIN census file',
  'subject-access.compile': 'Compiled a subject access bundle about the person',
  'subject-access.release': 'Released a subject access bundle about the person',
  'letter.create': 'Made a letter about the child',
  'letter.print': 'Recorded a letter about the child as printed',
  'letter.send': 'Sent a letter about the child by post',
  'letter.sent': 'A letter about the child was accepted for posting',
  'letter.send.failed': 'A letter about the child could not be posted',
  link: 'Linked a record to the person',
  unlink: 'Unlinked a record from the person',
}

const VERBS: Record<string, string> = {
  create: 'Recorded',
  update: 'Changed',
  view: 'Viewed',
  list: 'Saw a list of',
  withdraw: 'Withdrew',
  answer: 'Answered',
  close: 'Closed',
}

/** "case-note.create" → "Recorded a case note"; a known code has its own words. */
export function auditActionLabel(action: string): string {
  const known = ACTIONS[action]
  if (known) return known
  const refused = action.endsWith('.refused')
  const code = refused ? action.slice(0, -'.refused'.length) : action
  const dot = code.lastIndexOf('.')
  const thing = (dot > 0 ? code.slice(0, dot) : code).replace(/^[a-z-]+:/, '').replace(/[-_.:]+/g, ' ').trim()
  const verb = dot > 0 ? VERBS[code.slice(dot + 1)] : undefined
  const words = verb ? `${verb} ${verb === 'Saw a list of' ? `${thing}s` : `the ${thing}`}` : sentence(code.replace(/[-_.:]+/g, ' '))
  return refused ? `${words} (refused)` : words
}

const GROUNDS: Record<string, string> = {
  'allocated-worker': 'as the child’s allocated worker',
  team: 'as a member of the case’s team',
  'front-door-contact': 'through a contact at the front door',
  'deciding-team': 'as the team that decided the contact (the contact only)',
  'agency-involvement': 'because their agency is involved with the child',
  invitation: 'as a partner invited to a meeting about the child',
  'plan-action-owner': 'because their agency owns an action on the child’s plan',
  'addressed-request': 'because an information request was addressed to their agency',
  'document-share': 'because a document was shared with their agency',
  'explicit-permission': 'with explicit permission',
  'break-glass': 'by break-glass (no relationship to the child)',
  'review-member': 'as a member of a review about the child',
  'designated-officer-team': 'as the designated officer (LADO) team',
  'employer-contact': 'as the employer’s contact in an allegation',
  'own-agency': 'for their own agency',
  'subject-access': 'to answer a subject access request about the person',
  'action-owner': 'as the owner of the action',
  'command-line': 'on the server’s command line',
  self: 'on their own account',
}

/** "role:auditor" → "as the auditor"; null when the entry gives no ground. */
export function auditGroundLabel(ground: string | null): string | null {
  if (!ground) return null
  if (ground.startsWith('role:')) return `as the ${lowerFirst(roleLabel(ground.slice('role:'.length)))}`
  return GROUNDS[ground] ?? ground.replace(/[-_:]+/g, ' ')
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}
