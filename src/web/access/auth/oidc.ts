/**
 * Council single sign-on with OpenID Connect (Authorization Code flow with PKCE), through
 * openid-client. The provider's metadata is discovered lazily and cached, so a provider that is
 * down at start-up does not stop local sign-in.
 */
import * as client from 'openid-client'
import type { OidcConfig } from '../../../config.ts'

export interface OidcStart {
  url: string
  state: string
  nonce: string
  codeVerifier: string
}

export interface OidcIdentity {
  issuer: string
  subject: string
  email: string | undefined
  /** The provider says it verified that this person controls the email address. */
  emailVerified: boolean
}

export interface OidcSignIn {
  label: string
  start(redirectUri: string): Promise<OidcStart>
  finish(currentUrl: URL, checks: { state: string; nonce: string; codeVerifier: string }): Promise<OidcIdentity>
}

export function createOidcSignIn(config: OidcConfig): OidcSignIn {
  let discovered: Promise<client.Configuration> | undefined
  const configuration = () => {
    discovered ??= client
      .discovery(
        new URL(config.issuer),
        config.clientId,
        config.clientSecret,
        undefined,
        config.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        discovered = undefined
        throw err
      })
    return discovered
  }
  return {
    label: config.label,
    async start(redirectUri) {
      const cfg = await configuration()
      const codeVerifier = client.randomPKCECodeVerifier()
      const state = client.randomState()
      const nonce = client.randomNonce()
      const url = client.buildAuthorizationUrl(cfg, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      })
      return { url: url.href, state, nonce, codeVerifier }
    },
    async finish(currentUrl, checks) {
      const cfg = await configuration()
      const tokens = await client.authorizationCodeGrant(cfg, currentUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      })
      const claims = tokens.claims()
      if (!claims) throw new Error('the identity provider returned no ID token')
      // The address and whether it is verified are taken together, from the ID token or, for
      // providers that keep the ID token small, from userinfo.
      let source: Record<string, unknown> = claims
      if (typeof claims.email !== 'string' || claims.email_verified === undefined) {
        source = await client.fetchUserInfo(cfg, tokens.access_token, claims.sub)
      }
      const email = typeof source.email === 'string' ? source.email : undefined
      // Some providers send the boolean as a string.
      const emailVerified = source.email_verified === true || source.email_verified === 'true'
      return { issuer: claims.iss, subject: claims.sub, email, emailVerified }
    },
  }
}
