import type { BridgePort } from './BridgePort';
import type { BridgeVlan } from './BridgeVlan';
import type { FdbEntry } from './FdbEntry';
import type { Link } from './Link';
import type { Neighbour } from './Neighbour';
import type { NetnsEntry } from './NetnsEntry';
import type { PolicyRule } from './PolicyRule';
import type { Route } from './Route';

/**
 * What one `ip -j` / `bridge -j` dump held, told apart by the keys of its objects:
 * `ip -j [-d] link` and `ip -j addr` give links, `ip -j route` routes, and so on.
 * `empty` is a `[]` whose command cannot be known from the content.
 */
export type IpJsonDump =
  | { readonly kind: 'links'; readonly links: Link[] }
  | { readonly kind: 'routes'; readonly routes: Route[] }
  | { readonly kind: 'rules'; readonly rules: PolicyRule[] }
  | { readonly kind: 'neighbours'; readonly neighbours: Neighbour[] }
  | { readonly kind: 'netns'; readonly namespaces: NetnsEntry[] }
  | { readonly kind: 'bridge-ports'; readonly ports: BridgePort[] }
  | { readonly kind: 'fdb'; readonly entries: FdbEntry[] }
  | { readonly kind: 'bridge-vlans'; readonly vlans: BridgeVlan[] }
  | { readonly kind: 'empty' };

export type IpJsonKind = IpJsonDump['kind'];
