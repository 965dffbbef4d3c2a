import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {randomToken} from '../../server/crypto/random-token.ts';

describe('randomToken', () => {
  it('gives WeCom-safe tokens of the asked length, never twice across many pool refills', () => {
    const tokens = Array.from({length: 20_000}, () => randomToken(32));
    for (const token of tokens) assert.match(token, /^[A-Za-z0-9]{32}$/);
    assert.equal(new Set(tokens).size, tokens.length);
    assert.match(randomToken(22), /^[A-Za-z0-9]{22}$/);
  });

  it('uses every character about equally often', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 5_000; i++) for (const c of randomToken(64)) counts.set(c, (counts.get(c) ?? 0) + 1);
    const expected = (5_000 * 64) / 62;
    const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    assert.equal(counts.size, 62);
    // 61 degrees of freedom: 120 is far past p = 0.00001 for a uniform source, and a modulo bias
    // (bytes 248-255 kept) puts it above 2,000.
    assert.ok(chiSquare < 120, `chi-square ${chiSquare.toFixed(1)}`);
  });
});
