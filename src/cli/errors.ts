/** Exit codes shared by every `together` command. */
export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

/** A problem with what the user asked for: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}
