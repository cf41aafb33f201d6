/** esbuild's `binary` loader (esbuild.mjs, node targets) embeds an imported .wasm file as its bytes. */
declare module '*.wasm' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
