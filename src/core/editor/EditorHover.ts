import type { EditorRange } from './EditorRange';

/** A hover: markdown (VS Code `MarkdownString`) and the word it explains. */
export interface EditorHover {
  readonly markdown: string;
  readonly range: EditorRange;
}
