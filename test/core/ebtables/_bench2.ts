import { tokenizeEbtablesLine } from '../../../src/core/ebtables/tokenizeEbtablesLine';
import { iterateLines } from '../../../src/core/text/lines';
const l2: string[] = ['Bridge table: nat', 'Bridge chain: PREROUTING, entries: 42000, policy: ACCEPT'];
for (let i = 0; i < 42000; i++) l2.push(`-p ARP --arp-mac-src fa:16:3e:1:2:${(i & 0xff).toString(16)} --arp-ip-src 10.0.${(i >> 8) & 0xff}.${i & 0xff} -j RETURN , pcnt = 0 -- bcnt = 0`);
const t2 = l2.join('\n');
for (let k = 0; k < 5; k++) {
  let t0 = performance.now(); let n = 0; for (const line of iterateLines(t2)) n += line.text.split(' ').length; const a = performance.now() - t0;
  t0 = performance.now(); n = 0; for (const line of iterateLines(t2)) n += tokenizeEbtablesLine(line.text).length; const b = performance.now() - t0;
  console.log('split', a.toFixed(0), 'tokenize', b.toFixed(0), (t2.length/1e6).toFixed(1)+'MB');
}
