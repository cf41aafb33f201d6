// Placeholder entry until the CLI lands.
process.stderr.write('wasm-perf: not built yet\n');
process.exit(2);
