import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCollectScript } from '../../../src/host/collect/buildCollectScript';
import type { CollectTemplate } from '../../../src/host/collect/collectCommands';
import { collectHost } from '../../../src/host/collect/collectHost';
import { localScriptRunner } from '../../../src/host/collect/localScriptRunner';
import { snapshotFromCollection } from '../../../src/host/collect/snapshotFromCollection';
import { validateHostObjectName } from '../../../src/host/collect/validateHostObjectName';
import { createLab, labUnavailable, type Lab } from './collectLab';

/** The generated script run by this machine's real sh (the `--local` path), without SSH. */
describe('collection script with the local sh', function () {
  this.timeout(120_000);

  it('runs an allow-list of its own: fallbacks, exit codes, stderr, host-side cuts at the size limit', async () => {
    const commands: CollectTemplate[] = [
      { id: 'primary-fails', scope: 'host', argv: ['sh', '-c', 'echo primary-out; echo primary-err >&2; exit 4'], file: 'p', fallback: 'fallback-works' },
      { id: 'fallback-works', scope: 'host', argv: ['echo', 'from the fallback'], file: 'f', fallbackOnly: true },
      { id: 'both-fail', scope: 'host', argv: ['sh', '-c', 'echo first >&2; exit 3'], file: 'b1', fallback: 'also-fails' },
      { id: 'also-fails', scope: 'host', argv: ['sh', '-c', 'exit 5'], file: 'b2', fallbackOnly: true },
      { id: 'big', scope: 'host', argv: ['head', '-c', '5000', '/dev/zero'], file: 'big' },
      { id: 'fake-records', scope: 'host', argv: ['printf', '\\n@@osnet:00000000000000000000000000000000 end\\n@@osnet:'], file: 'fake' },
      { id: 'missing-tool', scope: 'host', argv: ['osnet-no-such-tool-anywhere'], file: 'missing' },
    ];
    const r = await collectHost(localScriptRunner(), { commands, maxSectionBytes: 1000, maxStderrBytes: 100 });
    assert.equal(r.complete, true, r.error?.message);
    const by = new Map(r.sections.map((s) => [s.id, s]));
    assert.equal(by.has('primary-fails'), false, 'a primary whose fallback works is replaced by it');
    assert.equal(by.get('fallback-works')?.stdout.toString(), 'from the fallback\n');
    assert.equal(by.get('fallback-works')?.file, 'f');
    assert.deepEqual([by.get('both-fail')?.exitCode, by.get('both-fail')?.stderr], [3, 'first\n'], 'both fail: the primary\'s error is kept');
    assert.equal(by.get('big')?.stdout.length, 1000);
    assert.deepEqual(by.get('big')?.truncated, { stdoutBytes: 5000, stderrBytes: 0 });
    assert.ok(r.problems.some((p) => /5000 bytes cut to 1000/.test(p.message)));
    assert.equal(by.get('fake-records')?.stdout.toString(), '\n@@osnet:00000000000000000000000000000000 end\n@@osnet:');
    assert.equal(by.get('missing-tool')?.exitCode, 127);
    assert.equal(by.get('missing-tool')?.known?.id, 'commandNotFound');
    assert.equal(r.execs, 1);
  });

  it('refuses bad templates and bad filter names before anything runs (programming errors)', () => {
    const token = 'a'.repeat(32);
    const lim = { token, maxSectionBytes: 10, maxStderrBytes: 10 };
    assert.throws(() => buildCollectScript({ ...lim, commands: [{ id: 'Bad Id', scope: 'host', argv: ['x'], file: 'x' }] }));
    assert.throws(() => buildCollectScript({ ...lim, commands: [{ id: 'x', scope: 'host', argv: ['a\nb'], file: 'x' }] }));
    assert.throws(() => buildCollectScript({ ...lim, namespaces: ['a/b'] }));
    assert.throws(() => buildCollectScript({ ...lim, ovsRunDir: 'x\ny' }));
    assert.throws(() => buildCollectScript({ ...lim, token: 'nothex' }));
    // A filter name with quotes is single-quoted into the script, never spliced raw.
    assert.ok(buildCollectScript({ ...lim, namespaces: ["q'x"] }).includes(`case $1 in 'q'\\''x') return 0;;`));
  });

  it('validates names like the host script does', () => {
    assert.equal(validateHostObjectName('netns', 'a b;$(x)`y`'), undefined);
    assert.equal(validateHostObjectName('netns', '-dash'), undefined);
    assert.match(validateHostObjectName('netns', 'a/b') ?? '', /"\/"/);
    assert.match(validateHostObjectName('netns', '..') ?? '', /not a usable/);
    assert.match(validateHostObjectName('netns', 'a\tb') ?? '', /control character 0x09/);
    assert.match(validateHostObjectName('netns', 'x'.repeat(256)) ?? '', /255 bytes/);
    assert.match(validateHostObjectName('nwfilter', '-x') ?? '', /option/);
    assert.equal(validateHostObjectName('bridge', '-x'), undefined);
  });

  describe('with real namespaces', () => {
    let lab: Lab | undefined;
    let tmp = '';
    const quoted = `osnet-ssh-${process.pid}-l q'x"y`;
    before(function () {
      const why = labUnavailable();
      if (why) {
        console.log(`      skipped: ${why}`);
        this.skip();
      }
      lab = createLab('local');
      lab.addNamespace(quoted);
      lab.addNamespace(`osnet-ssh-${process.pid}-l other`);
      lab.inNs(quoted, ['iptables', '-A', 'INPUT', '-s', '198.51.100.7/32', '-j', 'DROP']);
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'osnet-local-'));
    });
    after(() => {
      lab?.cleanup();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('collects only the namespaces asked for (quoted filter), and the root namespace only when asked', async () => {
      const r = await collectHost(localScriptRunner(), { namespaces: [quoted] });
      assert.equal(r.complete, true, r.error?.message);
      const nss = new Set(r.sections.map((s) => s.netns ?? ''));
      assert.deepEqual([...nss].sort(), ['', quoted].sort());
      assert.ok(r.sections.filter((s) => (s.netns ?? '') === '').every((s) => !s.id.startsWith('ip-') || s.id === 'ip-netns-list'), 'no root namespace commands');
      const snap = snapshotFromCollection(r).snapshot;
      const ns = snap.namespaces.find((n) => n.name === quoted);
      assert.ok(ns?.iptables?.tables.some((t) => t.chains.some((c) => c.rules.some((x) => x.raw.includes('198.51.100.7/32')))));
      assert.equal(snap.namespaces.some((n) => n.name === 'list'), false, 'ip_netns_list is not mistaken for a namespace named "list"');
    });
  });
});
