import assert from 'node:assert/strict';

/**
 * Asserts that `text` (a log, the answers, the files on disk) holds none of `forbidden`, after
 * proving it is the text that would have held them: it must show `proof`, something the same
 * requests wrote there. A check for absence in an empty or unrelated text proves nothing.
 */
export function assertNoneIn(
  text: string,
  proof: string | RegExp,
  forbidden: ReadonlyArray<string | RegExp>,
  what = 'the text',
): void {
  const proven = typeof proof === 'string' ? text.includes(proof) : proof.test(text);
  assert.ok(proven, `${what} does not show ${String(proof)}, so its silence proves nothing`);
  for (const needle of forbidden) {
    const found = typeof needle === 'string' ? text.includes(needle) : needle.test(text);
    assert.equal(found, false, `${what} holds ${typeof needle === 'string' ? `${needle.slice(0, 6)}…` : needle}`);
  }
}
