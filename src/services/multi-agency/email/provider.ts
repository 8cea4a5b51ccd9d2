/**
 * Sending e-mail: one interface, a GOV.UK Notify implementation for real use, and a local one
 * (the default) that writes to the log. Messages carry no personal details: they say what kind
 * of thing happened and link to Together, where the reader signs in to see it.
 */
import type { Logger } from 'pino'
import { createRequire } from 'node:module'

export interface EmailMessage {
  to: string
  subject: string
  body: string
  link: string
  /** Our id for the message (the notification's), so a provider's record can be traced back. */
  reference: string
}

export interface EmailProvider {
  readonly name: string
  send(message: EmailMessage): Promise<void>
}

/** Development and tests: logs that a message would be sent; never the address or the text. */
export class LogEmailProvider implements EmailProvider {
  readonly name = 'log'
  constructor(private readonly logger: Pick<Logger, 'info'>) {}

  async send(message: EmailMessage): Promise<void> {
    this.logger.info({ emailReference: message.reference, emailSubject: message.subject }, 'e-mail not sent (local provider)')
  }
}

/** The part of the Notify client used, so tests can give a fake one. */
export interface NotifyEmailClient {
  sendEmail(templateId: string, emailAddress: string, options: { personalisation: Record<string, string>; reference: string }): Promise<unknown>
}

/**
 * GOV.UK Notify. The template must use the personalisation fields ((subject)), ((body)) and
 * ((link)).
 */
export class NotifyEmailProvider implements EmailProvider {
  readonly name = 'notify'
  private readonly client: NotifyEmailClient

  constructor(
    options: { apiKey: string; templateId: string },
    client?: NotifyEmailClient,
  ) {
    this.templateId = options.templateId
    this.client = client ?? (new (createRequire(import.meta.url)('notifications-node-client') as typeof import('notifications-node-client')).NotifyClient(options.apiKey) as unknown as NotifyEmailClient)
  }

  private readonly templateId: string

  async send(message: EmailMessage): Promise<void> {
    await this.client.sendEmail(this.templateId, message.to, {
      personalisation: { subject: message.subject, body: message.body, link: message.link },
      reference: message.reference,
    })
  }
}

export interface EmailSettings {
  notifyApiKey: string | undefined
  notifyTemplateId: string | undefined
}

/** GOV.UK Notify when an API key is configured, otherwise the log. */
export function emailProviderFor(settings: EmailSettings, logger: Pick<Logger, 'info'>): EmailProvider {
  if (settings.notifyApiKey && settings.notifyTemplateId) {
    return new NotifyEmailProvider({ apiKey: settings.notifyApiKey, templateId: settings.notifyTemplateId })
  }
  return new LogEmailProvider(logger)
}
