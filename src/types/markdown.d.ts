/** A rule's documentation lives in a Markdown file beside it; esbuild bundles it as text. */
declare module '*.md' {
  const text: string;
  export default text;
}
