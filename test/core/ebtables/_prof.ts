import { parseEbtablesSave } from '../../../src/core/ebtables/parseEbtablesSave';
import { parseEbtablesList } from '../../../src/core/ebtables/parseEbtablesList';
const lines: string[] = ['*nat', ':PREROUTING ACCEPT'];
const l2: string[] = ['Bridge table: nat', 'Bridge chain: PREROUTING, entries: 42000, policy: ACCEPT'];
for (let i = 0; i < 42000; i++) { lines.push(`[0:0] -A PREROUTING -p ARP --arp-mac-src fa:16:3e:1:2:${(i & 0xff).toString(16)} --arp-ip-src 10.0.${(i >> 8) & 0xff}.${i & 0xff} -j RETURN`); l2.push(`-p ARP --arp-mac-src fa:16:3e:1:2:${(i & 0xff).toString(16)} --arp-ip-src 10.0.${(i >> 8) & 0xff}.${i & 0xff} -j RETURN , pcnt = 0 -- bcnt = 0`); }
const text = lines.join('\n'); const t2 = l2.join('\n');
const cpu = (f: () => void) => { const c0 = process.cpuUsage(); const w0 = performance.now(); f(); const c = process.cpuUsage(c0); return `${((c.user + c.system) / 1000).toFixed(0)}cpu/${(performance.now() - w0).toFixed(0)}wall`; };
for (let k = 0; k < 5; k++) console.log(cpu(() => parseEbtablesSave(text, { file: 'x' })), cpu(() => parseEbtablesList(t2, { file: 'y' })));
