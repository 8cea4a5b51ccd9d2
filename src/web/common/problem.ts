import type { Response } from 'express'

/** Sends an RFC 9457 problem document, the JSON API's only error shape. */
export function sendProblem(
  res: Response,
  status: number,
  title: string,
  extra: { detail?: string; errors?: Record<string, string> } = {},
): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title, status, ...extra }))
}
