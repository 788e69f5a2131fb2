/** The oracle scenarios that have variants (test/oracle/scenarios/<id>.sh). */
export type VariantScenario = '000-nova-nwfilter' | '002-neutron-spoof' | '003-lvs-dr-hybrid' | '004-dvr';

/** One VM port of a variant, as the report should name it. */
export interface VariantPort {
  /** The id the report gives the port: the Neutron port id prefix (11 characters) or the libvirt device. */
  readonly ref: string;
  /** Where its frames enter the host (tap…, vnetN). */
  readonly device: string;
  readonly mac: string;
  readonly ip: string;
  /** Its allowed address pairs (other VIPs), fixed IP not included. */
  readonly pairs: readonly string[];
  /** On the VIP's network (same subnet and local VLAN), or on another one. */
  readonly onVipNetwork: boolean;
  readonly role: 'holder' | 'peer' | 'noise';
}

/**
 * A scenario rebuilt with other names and addresses: the environment for the scenario script
 * (OSV_* variables; empty = the seed itself), what explain-vip is asked, and the truth the report
 * is checked against.
 */
export interface Variant {
  readonly scenario: VariantScenario;
  /** The PRNG seed it was drawn from (undefined for the seed's own values). */
  readonly seed?: number;
  readonly env: Readonly<Record<string, string>>;
  readonly ask: {
    readonly vip: string;
    readonly ports: readonly string[];
    readonly fip?: string;
    readonly client?: string;
    readonly dport?: number;
  };
  /** The port that holds the VIP (the one asked about). */
  readonly holder: VariantPort;
  /** Every VM port of the host, noise included. */
  readonly ports: readonly VariantPort[];
  /** Snapshot folders the scenario writes: the main one first, then its own variants (`-local-accept`). */
  readonly folders: readonly string[];
  /** Values of the seed that a report of this variant must not contain (names, addresses, MACs). */
  readonly seedValues: readonly string[];
  /** One line for the test log. */
  readonly summary: string;
}
