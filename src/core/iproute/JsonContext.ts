import type { IpFamily } from '../net/IpAddress';
import type { Severity } from '../text/Diagnostic';
import type { Span } from '../text/Span';
import type { AddressCache } from './fastAddress';
import type { JsonRange } from './jsonScan';
import type { LineIndex } from './LineIndex';

/** What a converter from one `ip -j` object needs: where the object is, and where to complain. */
export interface JsonContext {
  readonly text: string;
  readonly file: string;
  readonly range: JsonRange;
  readonly raw: string;
  readonly span: Span;
  readonly lines: LineIndex;
  /** From the file name (`ip_-6_-j_rule`): JSON rules and some routes do not carry a family. */
  readonly familyHint: IpFamily | undefined;
  /** Shared by the elements of one dump: gateways and prefixes repeat. */
  readonly addrs: AddressCache;
  problem(message: string, severity?: Severity): void;
}
