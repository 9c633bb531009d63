// Pure helpers of the app lock, kept apart from the components for the tests.

export type Strength = 'weak' | 'fair' | 'strong'

/** A rough hint, not a rule: length counts most, then the kinds of characters mixed. Any
 *  non-empty password is accepted; the hint says how hard it would be to guess. */
export function passwordStrength(password: string): Strength {
  const length = [...password].length
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length
  if (length >= 14 || (length >= 10 && kinds >= 3)) return 'strong'
  if (length >= 8 && kinds >= 2) return 'fair'
  return 'weak'
}

/** Whether the window has been left alone for the idle time (0 minutes: never). */
export function idleExpired(lastInputMs: number, nowMs: number, idleMinutes: number): boolean {
  return idleMinutes > 0 && nowMs - lastInputMs >= idleMinutes * 60_000
}
