// Types of expand.cjs, for the TypeScript tests that import it.
export type SnippetNode =
  | { kind: 'text'; value: string }
  | { kind: 'tabstop'; index: number; children?: SnippetNode[]; choices?: string[]; transform?: SnippetTransform }
  | { kind: 'variable'; name: string; children?: SnippetNode[]; transform?: SnippetTransform };
export interface SnippetTransform {
  regex: string;
  format: string;
  options: string;
}
export declare class SnippetSyntaxError extends Error {}
export declare function parseSnippet(body: string | string[]): SnippetNode[];
export declare function expandSnippet(body: string | string[], variables?: Record<string, string>): string;
export declare function tabStops(body: string | string[]): { index: number; hasDefault: boolean }[];
