/** Usage text for `wasm-perf --help` and each command's `--help`. */
export const MAIN_HELP = `wasm-perf — find WebAssembly performance pitfalls and measure them

Usage: wasm-perf COMMAND [options]

Commands:
  wasm-perf check [PATH...] [options]   analyse Cargo settings, runtime host code and .wasm files
  wasm-perf inspect FILE.wasm [--json]  show a module's sections, features, functions and findings
  wasm-perf rules                       list the rules
  wasm-perf explain RULE-ID             print a rule's documentation
  wasm-perf bench ...                   run the benchmarks (see 'wasm-perf bench --help')

Options:
  -h, --help     show help (also after a command: 'wasm-perf check --help')
  --version      print the version

Exit codes: 0 no findings at warning or above, 1 findings at warning or above, 2 usage or internal error.
`;

export const COMMAND_HELP: Readonly<Record<string, string>> = {
  check: `Usage: wasm-perf check [PATH...] [options]

Analyses each PATH (default: the current directory): Cargo.toml and .cargo/config.toml
settings, wasm runtime host code (Rust, Go, C, Python) and .wasm binaries.

Options:
  --format text|json|sarif   output format (default text). json: every field, see the JSON
                             report's schemaVersion; sarif: SARIF 2.1.0 for code scanning
  --fix                      apply each finding's preferred safe fix (atomic writes), re-analyse
                             and repeat until nothing changes; nothing is written without it
  --unsafe-fixes             with --fix, also apply unsafe fixes (trade-offs, or features a
                             host may lack: see each rule's docs); suggestions are never applied
  --rule ID=LEVEL            set a rule's severity: off, info, warning or error (repeatable)
  --exclude GLOB             skip paths matching GLOB relative to a PATH (repeatable)
  --no-binaries              do not read .wasm files
  --include-tests            also judge test, bench, fuzz and fixture code (skipped by default)
  --max-binary-size BYTES    skip larger .wasm files with a notice (e.g. 1048576, 64M)
  --exit-zero                exit 0 even when findings at warning or above remain
  -q, --quiet                print findings only: no summary, progress or notices
  -h, --help                 show this help

Text output columns count UTF-16 code units (as VS Code does). Exit codes: 0 no findings at
warning or above, 1 findings at warning or above, 2 usage error, internal error or failed write.
`,
  inspect: `Usage: wasm-perf inspect FILE.wasm [--json]

Shows a WebAssembly module's sections and sizes, declared and used features, producers,
SIMD/bulk-memory/atomic instruction counts, the largest functions, imports, exports, and
the findings for that file.

Options:
  --json       print the report as JSON
  -h, --help   show this help

Exit codes: 0 no findings at warning or above, 1 findings at warning or above, 2 usage or
internal error (a file not named .wasm is a usage error).
`,
  rules: `Usage: wasm-perf rules

Lists every rule with its default severity and a one-line summary.
`,
  explain: `Usage: wasm-perf explain RULE-ID

Prints a rule's documentation: what it finds, why it costs speed, how to fix it, sources.
`,
};
