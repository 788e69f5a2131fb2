import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { detectFormat } from '../../src/core/snapshot/detectFormat';
import type { FormatId } from '../../src/core/snapshot/FormatId';
import { projectRoot, type GrammarLanguage } from './grammarHarness';

/**
 * The real dumps the grammar tests read: snapshot inputs (only files we may store text of:
 * the project's fixtures, the recorded samples and the Apache-2.0 corpus sets they copy) and,
 * for the speed guard and the scope checks, every dump of the four languages found in
 * test/fixtures, samples and the shared corpus (read in place, never stored).
 */
export interface GrammarInput {
  readonly lang: GrammarLanguage;
  /** Project-relative path (or `samples/.../observed.json#ovsTrace` for extracted traces). */
  readonly source: string;
  readonly text: string;
}

export interface SnapshotInput extends GrammarInput {
  /** File name of the snapshot under test/syntaxes/__snapshots__/<lang>/. */
  readonly snapshot: string;
  /** Only the first N lines are snapshotted (big dumps repeat themselves). */
  readonly maxLines?: number;
}

const SNAPSHOTS: readonly { lang: GrammarLanguage; file: string; maxLines?: number }[] = [
  { lang: 'iptables', file: 'test/fixtures/iptables/hotsos/iptables-save_netns_qrouter.txt' },
  { lang: 'iptables', file: 'test/fixtures/iptables/hotsos/ip6tables-save_netns_qrouter.txt' },
  { lang: 'iptables', file: 'test/fixtures/iptables/hotsos-k8s/iptables_-t_nat_-nvL.txt', maxLines: 50 },
  { lang: 'iptables', file: 'test/fixtures/iptables/netns-generated/legacy/iptables_-t_filter_-v_-S' },
  { lang: 'iptables', file: 'test/fixtures/iptables/netns-generated/legacy/iptables_-t_filter_-nvL_--line-numbers' },
  { lang: 'iptables', file: 'test/fixtures/iptables/netns-generated/nft/iptables_-t_filter_-L' },
  { lang: 'iptables', file: 'test/fixtures/iptables/netns-generated/nft/ip6tables_-t_filter_-nvL' },
  { lang: 'iptables', file: 'test/fixtures/seeds/003-iptables-save-grep-neutron-hybrid.txt' },
  { lang: 'iptables', file: 'samples/002-neutron-spoof/iptables-save_-c', maxLines: 60 },
  { lang: 'ebtables', file: 'test/fixtures/ebtables/nft-1.8.9/ebtables_-L.txt' },
  { lang: 'ebtables', file: 'test/fixtures/ebtables/nft-1.8.9/ebtables_-L_--Ln_--Lc.txt' },
  { lang: 'ebtables', file: 'test/fixtures/ebtables/nft-1.8.9/ebtables-save_-c.txt' },
  { lang: 'ebtables', file: 'test/fixtures/ebtables/nft-1.8.9/ebtables-save_EBTABLES_SAVE_COUNTER.txt' },
  { lang: 'ebtables', file: 'test/fixtures/seeds/000-ebtables-t-nat-L.txt' },
  { lang: 'ebtables', file: 'samples/000-nova-nwfilter/ebtables_-t_nat_-L_--Lc' },
  { lang: 'ebtables', file: 'samples/000-nova-nwfilter/ebtables-save' },
  { lang: 'ovs-flows', file: 'test/fixtures/ovs/hotsos/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int.txt', maxLines: 30 },
  { lang: 'ovs-flows', file: 'test/fixtures/ovs/hotsos/ovs-ofctl_dump-flows_br-tun.txt', maxLines: 30 },
  { lang: 'ovs-flows', file: 'test/fixtures/ovs/hotsos/ovs-appctl_bridge.dump-flows_--offload-stats_br-int.txt', maxLines: 20 },
  { lang: 'ovs-flows', file: 'test/fixtures/ovs/hotsos-sunbeam/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int_ovn.txt' },
  { lang: 'ovs-flows', file: 'test/fixtures/ovs/ovs-docs/ovs-ofctl_-OOpenFlow13_--names_--no-stats_dump-flows_faucet_table0.txt' },
  { lang: 'ovs-flows', file: 'test/fixtures/seeds/004-ovs-ofctl_dump-flows_br-int.txt' },
  { lang: 'ovs-flows', file: 'samples/004-dvr/ovs-ofctl_-O_OpenFlow13_dump-flows_br-tun', maxLines: 30 },
  { lang: 'ovs-trace', file: 'test/fixtures/ovs/ovn-docs/ovs-appctl_ofproto-trace_br-int_ovn-devstack.txt' },
  { lang: 'ovs-trace', file: 'test/fixtures/ovs/ovn-docs/ovs-appctl_ofproto-trace_datapath-flow_ct_recirc.txt' },
  { lang: 'ovs-trace', file: 'test/fixtures/ovs/ovs-docs/ovs-appctl_ofproto-trace_faucet_flood.txt' },
  { lang: 'ovs-trace', file: 'test/fixtures/ovs/ovs-docs/ovs-appctl_ofproto-trace_faucet_routing.txt' },
  { lang: 'ovs-trace', file: 'test/fixtures/ovs/ovs-docs/ovs-appctl_ofproto-trace_learn_resubmit.txt' },
  { lang: 'ovs-trace', file: 'test/fixtures/ovs/ovs-docs/ovs-appctl_ofproto-trace_tracing-topic.txt' },
  { lang: 'ovs-trace', file: 'samples/002-neutron-spoof/observed.json#ovsTrace' },
  { lang: 'ovs-trace', file: 'samples/004-dvr/observed.json#ovsTrace' },
];

/** Format ids the parsers give each language's dumps. */
export const LANGUAGE_FORMATS: Readonly<Record<GrammarLanguage, readonly FormatId[]>> = {
  iptables: ['iptables-save', 'iptables-S', 'iptables-L'],
  ebtables: ['ebtables-L', 'ebtables-save'],
  'ovs-flows': ['ovs-dump-flows'],
  'ovs-trace': ['ovs-trace'],
};

/** Every `ovsTrace.output` recorded in a sample's observed.json (real ofproto/trace runs). */
export function observedTraces(file: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'ovsTrace' && x && typeof x === 'object' && typeof (x as { output?: unknown }).output === 'string') out.push((x as { output: string }).output.trimEnd());
        else walk(x);
      }
    }
  };
  walk(JSON.parse(readFileSync(file, 'utf8')));
  return out;
}

function readSource(source: string): string {
  const [file, fragment] = source.split('#');
  const abs = path.join(projectRoot, file!);
  if (fragment === 'ovsTrace') return `${observedTraces(abs).join('\n\n')}\n`;
  return readFileSync(abs, 'utf8');
}

export function snapshotInputs(): SnapshotInput[] {
  return SNAPSHOTS.map(({ lang, file, maxLines }) => {
    const snapshot = `${file.replace(/^test\/fixtures\//, '').replace(/[/#]/g, '__')}.snap`;
    const input: { -readonly [K in keyof SnapshotInput]: SnapshotInput[K] } = { lang, source: file, text: readSource(file), snapshot };
    if (maxLines !== undefined) input.maxLines = maxLines;
    return input;
  });
}

/** Walks up from this file to the shared corpus (`.../shared/corpus/public`), if present. */
export function corpusRoot(): string | undefined {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const c = path.join(dir, 'shared', 'corpus', 'public');
    if (existsSync(c)) return c;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/** Every dump of the four languages in test/fixtures, samples and (when present) the shared corpus. */
export function allInputs(): { inputs: GrammarInput[]; corpusFiles: number } {
  const inputs: GrammarInput[] = [];
  let corpusFiles = 0;
  const langOf = (format: FormatId | undefined): GrammarLanguage | undefined =>
    (Object.keys(LANGUAGE_FORMATS) as GrammarLanguage[]).find((l) => format !== undefined && LANGUAGE_FORMATS[l].includes(format));
  const roots = [path.join(projectRoot, 'test/fixtures'), path.join(projectRoot, 'samples')];
  const corpus = corpusRoot();
  if (corpus) roots.push(corpus);
  for (const root of roots) {
    for (const file of walk(root)) {
      if (/\.(md|json|xml|stderr)$/.test(file)) {
        if (file.endsWith('observed.json')) {
          const traces = observedTraces(file);
          if (traces.length > 0) inputs.push({ lang: 'ovs-trace', source: `${path.relative(projectRoot, file)}#ovsTrace`, text: `${traces.join('\n\n')}\n` });
        }
        continue;
      }
      const text = readFileSync(file, 'utf8');
      const lang = langOf(detectFormat(text, file));
      if (!lang) continue;
      inputs.push({ lang, source: path.relative(projectRoot, file), text });
      if (corpus && file.startsWith(corpus)) corpusFiles++;
    }
  }
  return { inputs, corpusFiles };
}
