/**
 * Whether a bearer token an operator chose (ADMIN_TOKEN, METRICS_TOKEN) looks random. Guessing is
 * throttled, but a token people pick ("password12345678", the example file's placeholder) is guessed
 * in a handful of tries; the output of `openssl rand -base64 24` or `openssl rand -hex 16` passes.
 */

/** The shortest token: 128 bits or so of randomness in base64 or hex. */
const MIN_TOKEN_LENGTH = 22;
/** The fewest different characters (random hex of 32 has 14 on average; fewer than 10 is rare). */
const MIN_DISTINCT = 10;
/** The shortest run of repeated, ascending, descending or neighbouring keys that counts as a pattern. */
const PATTERN_RUN = 6;
/** What deploy/wecom-sp-login.env.example ships in place of the real values. */
const PLACEHOLDER_PREFIX = 'replace-with';

const KEYBOARD_ROWS = ['`1234567890-=', 'qwertyuiop[]\\', "asdfghjkl;'", 'zxcvbnm,./'];
const NEXT_KEY = new Map(
  KEYBOARD_ROWS.flatMap((row) => [...row].slice(0, -1).map((key, i) => [key, row[i + 1]!] as const)),
);

/** Why `token` would be easy to guess, as the end of a sentence naming the variable; null when it looks random. */
export function tokenWeakness(token: string): string | null {
  if (token.toLowerCase().startsWith(PLACEHOLDER_PREFIX)) return 'still holds the placeholder of the example file';
  if (token.length < MIN_TOKEN_LENGTH) return `is shorter than ${MIN_TOKEN_LENGTH} characters`;
  if (new Set(token).size < MIN_DISTINCT) return `has fewer than ${MIN_DISTINCT} different characters`;
  if (longestPatternRun(token) >= PATTERN_RUN)
    return `has a run of ${PATTERN_RUN} or more repeated, ascending, descending or neighbouring keyboard characters`;
  return null;
}

/** The longest run in which each character repeats, follows or precedes the one before (by code or on the keyboard). */
function longestPatternRun(token: string): number {
  const lower = token.toLowerCase();
  const code = (i: number) => token.charCodeAt(i);
  const steps: Array<(i: number) => boolean> = [
    (i) => code(i) === code(i - 1),
    (i) => code(i) === code(i - 1) + 1,
    (i) => code(i) === code(i - 1) - 1,
    (i) => NEXT_KEY.get(lower[i - 1]!) === lower[i],
    (i) => NEXT_KEY.get(lower[i]!) === lower[i - 1],
  ];
  let longest = Math.min(token.length, 1);
  for (const step of steps) {
    let run = 1;
    for (let i = 1; i < token.length; i++) {
      run = step(i) ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
  }
  return longest;
}
