import { strict as assert } from 'node:assert';
import type { EditorLanguageId } from '../../../src/core/editor/EditorLanguageId';
import { documentSymbols } from '../../../src/core/editor/documentSymbols';
import { hover } from '../../../src/core/editor/hover';
import { posOf, read } from './editorTestFiles';

/** Hover markdown at the `occurrence`-th `needle`, `offset` characters in (default: its middle). */
function hoverMd(file: string, lang: EditorLanguageId, needle: string, occurrence = 0, offset?: number): string {
  const text = read(file);
  const h = hover(text, lang, posOf(text, needle, occurrence, offset ?? Math.floor(needle.length / 2)), file);
  assert.ok(h, `no hover on "${needle}" in ${file}`);
  return h.markdown;
}

// Dumps of a linuxbridge-agent compute node recorded by test/oracle/scenarios/006-linuxbridge.sh.
const SAVE = 'samples/006-linuxbridge/iptables-save_-c';
const EBT_L = 'samples/006-linuxbridge/ebtables_-t_nat_-L_--Lc';
const EBT_SAVE = 'samples/006-linuxbridge/ebtables-save';

describe('hover and outline on a linuxbridge-agent host (names decoded by src/core/openstack)', () => {
  it('ebtables neutronARP-/neutronMAC- chains: what they check and whose tap they guard', () => {
    const arp = hoverMd(EBT_L, 'ebtables', 'Bridge chain: neutronARP-tap5a7c9e1b-3d', 0, 20);
    assert.match(arp, /ARP spoofing protection of the port[\s\S]*--arp-ip-src/);
    assert.match(arp, /Port: `5a7c9e1b-3d` \(device `tap5a7c9e1b-3d`\)/);
    assert.match(arp, /_Written by neutron-linuxbridge-agent \(arp_protect\.py, ebtables\)\._/);
    assert.match(hoverMd(EBT_SAVE, 'ebtables', '-j neutronMAC-tap5a7c9e1b-3d', 0, 8), /MAC spoofing protection[\s\S]*--among-src/);
  });

  it('neutron-linuxbri chains, the brq bridge, the tap, and the per-network zone comment', () => {
    assert.match(hoverMd(SAVE, 'iptables', ':neutron-linuxbri-s5a7c9e1b-3', 0, 10), /Anti-spoofing chain of the port[\s\S]*Port: `5a7c9e1b-3` \(device `tap5a7c9e1b-3…`\)[\s\S]*neutron-linuxbridge-agent/);
    const brq = hoverMd(SAVE, 'iptables', 'brq3f8a2c71-5d');
    assert.match(brq, /Linuxbridge agent bridge of a network/);
    assert.match(brq, /Neutron network id starts with `3f8a2c71-5d`/);
    assert.doesNotMatch(brq, /port id/);
    assert.match(hoverMd(SAVE, 'iptables', '--physdev-in tap5a7c9e1b-3d', 0, 20), /Neutron port id starts with `5a7c9e1b-3d`/);
    assert.match(hoverMd(SAVE, 'iptables', 'Set zone for 5a7c9e1b-3d'), /zone of the network of port 5a7c9e1b-3d/);
  });

  it('the outline says which port each chain guards', () => {
    const text = read(EBT_SAVE);
    const names = JSON.stringify(documentSymbols(text, 'ebtables', EBT_SAVE));
    assert.match(names, /spoof of 5a7c9e1b-3d/);
  });
});
