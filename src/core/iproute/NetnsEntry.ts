import type { Span } from '../text/Span';

/** A network namespace from `ip netns [list]`: `qrouter-984c22fd-... (id: 10)` or a bare name. */
export interface NetnsEntry {
  readonly name: string;
  readonly id?: number;
  readonly raw: string;
  readonly span: Span;
}
