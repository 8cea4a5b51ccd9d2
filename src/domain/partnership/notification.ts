/**
 * Who a serious incident notification goes to, and what it must say, under the edition in force
 * when the local authority became aware (working-together.md T40, T41, §5.1).
 */
import type { EditionYear } from '../timescales/index.ts'

export interface NotificationRecipients {
  recipients: string[]
  /** Set when the sources do not establish the recipients for that edition. */
  caveat: string | null
}

/** The notification's recipients for an incident of `kind` under `edition`. */
export function notificationRecipients(edition: EditionYear, kind: string): NotificationRecipients {
  const lookedAfter = kind === 'looked-after-death'
  if (edition >= 2018) {
    return {
      recipients: [
        'Child Safeguarding Practice Review Panel (the online form also reaches Ofsted and the Department for Education)',
        'The local safeguarding partners',
        ...(lookedAfter ? ['Secretary of State (Department for Education)', 'Ofsted'] : []),
      ],
      caveat: null,
    }
  }
  const lscb = ['Ofsted', 'The Local Safeguarding Children Board (LSCB)']
  if (edition >= 2013) {
    return { recipients: [...lscb, ...(lookedAfter && edition >= 2015 ? ['Secretary of State (Department for Education)'] : [])], caveat: null }
  }
  return {
    recipients: lscb,
    caveat: 'The notification rules before WT2013 are not established by the sources (Q6): check local procedures.',
  }
}

/** The content a notification carries (the Panel's form asks for these). */
export const NOTIFICATION_CONTENT = [
  'The child (linked record: name, date of birth, NHS number)',
  'What happened, and when',
  'Whether the child died or was seriously harmed, and whether abuse or neglect is known or suspected',
  'Whether the child was looked after',
  'The agencies involved with the child and family',
  'Immediate actions taken to keep other children safe',
] as const
