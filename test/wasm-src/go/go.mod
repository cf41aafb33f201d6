module wasm-perf.test/kernels

go 1.19
