import { strict as assert } from 'node:assert';
import { editorDiagnostics } from '../../../src/core/editor/editorDiagnostics';
import { read } from './editorTestFiles';

describe('editorDiagnostics', () => {
  it('maps parser diagnostics to 0-based ranges with the parser\'s messages', () => {
    const text = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nthis is not iptables\nCOMMIT\n';
    assert.deepEqual(editorDiagnostics(text, 'iptables', 'rules.v4'), [{
      range: { start: { line: 3, character: 0 }, end: { line: 3, character: 20 } },
      severity: 'error',
      message: 'not an iptables-save line (expected *table, :chain, -A rule, COMMIT or # comment); line ignored',
      source: 'osnet',
    }]);
  });

  it('info diagnostics become information, with the column range the parser gave', () => {
    const file = 'test/fixtures/iptables/netns-generated/legacy/iptables_-t_filter_-nvL_--line-numbers';
    const d = editorDiagnostics(read(file), 'iptables', file);
    assert.equal(d[0]!.severity, 'information');
    assert.match(d[0]!.message, /^`iptables -L` is a lossy view/);
    assert.deepEqual(d[0]!.range.start, { line: 1, character: 0 });
  });

  it('OVS: a line that is not a flow', () => {
    const d = editorDiagnostics('NXST_FLOW reply (xid=0x4):\n cookie=0x0, table=0, priority=0 actions=NORMAL\n garbage here\n', 'ovs-flows', 'br-int');
    assert.deepEqual(d.map((x) => [x.severity, x.range.start.line, x.range.start.character, x.range.end.character, x.message]), [['error', 2, 1, 13, 'not an OVS flow (no "actions="); line skipped']]);
  });

  it('every real dump of the corpus sets maps without throwing and stays inside the document', () => {
    for (const file of ['samples/002-neutron-spoof/iptables-save_-c', 'test/fixtures/ebtables/nft-1.8.9/ebtables-save_-c.txt']) {
      const text = read(file);
      const lines = text.split('\n');
      for (const d of editorDiagnostics(text, file.includes('ebtables') ? 'ebtables' : 'iptables', file)) {
        assert.ok(d.range.start.line < lines.length && d.range.end.character <= lines[d.range.start.line]!.length);
      }
    }
  });
});
