// The clinic's rule for a new password (the core's `password.rs::validate_password`, checked here
// first so the person hears it before anything is sent) and the temporary passwords handed to
// new staff and to someone whose password was reset.

/** `password.rs::MIN_PASSWORD_LEN`: characters, counted as the core counts them (code points). */
export const MIN_PASSWORD_LEN = 10;

/** The core's own sentence for a password that breaks the rule. */
export const PASSWORD_RULE = `Use at least ${MIN_PASSWORD_LEN} characters for the password.`;

/** What is wrong with `password` as a new password, or null when it keeps the rule. */
export function passwordProblem(password: string): string | null {
  return [...password].length < MIN_PASSWORD_LEN ? PASSWORD_RULE : null;
}

/**
 * Letters and digits that cannot be mistaken for one another when read aloud or copied from
 * paper: no i, l, o, 0 or 1. 31 symbols.
 */
export const READABLE = "abcdefghjkmnpqrstuvwxyz23456789";

/** Random bytes from the platform's cryptographic generator. */
function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

/**
 * A temporary password that is easy to read out and type: three groups of four readable
 * characters joined by dashes ("hxk4-m9pr-t7wc", 14 characters, about 59 bits of chance). Each
 * character is drawn uniformly (bytes past the last whole multiple of 31 are thrown away rather
 * than folded in, which would favour the first symbols).
 */
export function generatePassword(random: (n: number) => Uint8Array = randomBytes): string {
  const limit = 256 - (256 % READABLE.length);
  const chars: string[] = [];
  while (chars.length < 12) {
    for (const b of random(16)) {
      if (b < limit && chars.length < 12) chars.push(READABLE[b % READABLE.length]);
    }
  }
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8, 12)].map((g) => g.join("")).join("-");
}
