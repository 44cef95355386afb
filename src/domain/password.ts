// The initial database password when the manifest references none. 2.0 fell back to the
// well-known `K8S@admin` (weakness 14); here the shell passes random bytes in and this builds a
// password openGauss and 2.0's init script accept: at least 8 characters with upper case, lower
// case, a digit and one of the specials the official image requires. The specials avoid quotes,
// backslash, `$` and `!` so the password survives being pasted into a shell or SQL literal.

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGIT = '23456789';
const SPECIAL = '#@%^*-';
const ALL = `${UPPER}${LOWER}${DIGIT}${SPECIAL}`;

/** Length of a generated password. */
export const GENERATED_PASSWORD_LENGTH = 24;

/** Random bytes the caller must supply (one per character plus one per forced position). */
export const PASSWORD_RANDOM_BYTES = GENERATED_PASSWORD_LENGTH * 2;

const pick = (alphabet: string, byte: number): string => alphabet[byte % alphabet.length] ?? '';

/**
 * A password from `random` (at least PASSWORD_RANDOM_BYTES bytes from a CSPRNG). Four positions,
 * chosen by the random bytes, get one character of each class; the modulo bias over alphabets of
 * at most 63 characters is below 25% per character and irrelevant at 24 characters.
 */
export function buildPassword(random: Uint8Array): string {
  if (random.length < PASSWORD_RANDOM_BYTES) throw new RangeError(`buildPassword needs ${PASSWORD_RANDOM_BYTES} random bytes`);
  const chars = Array.from({ length: GENERATED_PASSWORD_LENGTH }, (_, i) => pick(ALL, random[i] ?? 0));
  const classes = [UPPER, LOWER, DIGIT, SPECIAL];
  const free = Array.from({ length: GENERATED_PASSWORD_LENGTH }, (_, i) => i);
  classes.forEach((alphabet, k) => {
    const at = free.splice((random[GENERATED_PASSWORD_LENGTH + k] ?? 0) % free.length, 1)[0] ?? k;
    chars[at] = pick(alphabet, random[GENERATED_PASSWORD_LENGTH + 4 + k] ?? 0);
  });
  return chars.join('');
}

/** 2.0's init check: at least 8 characters with an upper-case letter, a lower-case one and a digit. */
export function isStrongPassword(password: string): boolean {
  return password.length >= 8 && /[A-Z]/.test(password) && /[a-z]/.test(password) && /[0-9]/.test(password);
}
