// esbuild's text loader turns imported .css files into their text (see esbuild.mjs); dom.ts adopts it.
declare module '*.css' {
  const text: string;
  export default text;
}
