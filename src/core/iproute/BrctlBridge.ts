import type { Span } from '../text/Span';

/** One bridge of `brctl show`: `qbr199abeb2-63  8000.ba06e5f8675c  no  qvb199abeb2-63` (+ continuation lines). */
export interface BrctlBridge {
  readonly name: string;
  /** Bridge id as printed, `8000.ba06e5f8675c`. */
  readonly id: string;
  readonly stp: boolean;
  readonly interfaces: string[];
  readonly raw: string;
  readonly span: Span;
}
