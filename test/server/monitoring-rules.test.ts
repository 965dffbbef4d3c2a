import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {WATCHED_ERRCODES} from '../../server/metrics.ts';

const PROMTOOL = process.env.PROMTOOL_PATH ?? '/usr/bin/promtool';
const folder = fileURLToPath(new URL('../../deploy/prometheus/', import.meta.url));

/** Runs promtool in deploy/prometheus; its output, whatever the exit code. */
function promtool(...args: string[]): {ok: boolean; output: string} {
  if (!existsSync(PROMTOOL))
    throw new Error(
      `promtool was not found at ${PROMTOOL}. Install Debian's package:\n  sudo apt-get install -y ` +
        `--no-install-recommends prometheus\nor point PROMTOOL_PATH at a promtool binary.`,
    );
  try {
    return {ok: true, output: execFileSync(PROMTOOL, args, {cwd: folder, encoding: 'utf8'})};
  } catch (error) {
    const failure = error as {stdout?: string; stderr?: string};
    return {ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}`};
  }
}

describe('the shipped alert rules (deploy/prometheus/alerts.yml)', () => {
  it('load in Prometheus (promtool check rules), with a severity on every alert and a process-down rule', () => {
    const checked = promtool('check', 'rules', 'alerts.yml');

    assert.ok(checked.ok, checked.output);
    assert.match(checked.output, /SUCCESS: \d+ rules found/);
  });

  it('fire on what they are for and not before, the first 60020 and 45009 included (promtool test rules)', () => {
    const tested = promtool('test', 'rules', 'alerts.test.yml');

    assert.ok(tested.ok, tested.output);
  });

  it('watch only errcodes whose series the server exports at 0 from its start', () => {
    const rules = execFileSync('cat', ['alerts.yml'], {cwd: folder, encoding: 'utf8'});
    const watched = [...rules.matchAll(/errcode(?:=~?)"([^"]+)"/g)].flatMap((match) => match[1]!.split('|'));

    assert.ok(watched.length > 0);
    assert.deepEqual(
      watched.filter((errcode) => !WATCHED_ERRCODES.includes(errcode)),
      [],
    );
  });
});
