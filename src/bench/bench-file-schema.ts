/**
 * JSON Schema of wasm-perf.bench.json (for an editor's jsonValidation). bench-file.ts is the
 * validator that runs; a test keeps the two in step.
 */

const optionProperties = {
  budgetMs: { type: 'number', minimum: 1, description: 'Measuring time per module in ms, split over the rounds (default 1000).' },
  warmupMs: { type: 'number', minimum: 0, description: 'Warm-up before measuring, in ms (default 100).' },
  rounds: { type: 'integer', minimum: 1, description: 'Short rounds whose medians are compared to judge noise (default 5).' },
  minSamples: { type: 'integer', minimum: 1, description: 'Minimum samples per module (default 30).' },
  minSampleMicros: {
    type: 'number',
    minimum: 1,
    description: 'Each sample runs a batch of calls lasting at least this long, in µs (default 25).',
  },
  timeLimitMs: {
    type: 'number',
    minimum: 100,
    description: 'The run is stopped after this long (default: derived from the budget, at least 10 s).',
  },
  memoryLimitMb: { type: 'integer', minimum: 16, description: 'Cap on wasm linear memory and on the benchmark process (default 1024).' },
  stubImports: { type: 'boolean', description: 'Replace non-WASI imports with functions returning zero.' },
  seed: { type: 'integer', minimum: 0, description: 'Seed for bootstrap resampling and random buffers (default 1).' },
  equivalenceMargin: {
    type: 'number',
    minimum: 0,
    maximum: 0.5,
    description: 'A/B ratios within this margin of 1 count as no difference (default 0.03).',
  },
} as const;

/** JSON Schema of wasm-perf.bench.json, for editor validation and completion. */
export const BENCH_FILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'wasm-perf benchmark definitions',
  type: 'object',
  additionalProperties: false,
  required: ['benchmarks'],
  properties: {
    $schema: { type: 'string' },
    defaults: {
      type: 'object',
      additionalProperties: false,
      properties: optionProperties,
      description: 'Harness options for every benchmark.',
    },
    benchmarks: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', description: 'Unique name shown in reports.' },
          module: { type: 'string', description: 'A .wasm file, relative to this file.' },
          crate: { type: 'string', description: 'A crate directory to build as configured and as each variant.' },
          target: {
            type: 'string',
            description:
              "Crate builds: target triple (default: the crate's own build.target or rust-toolchain.toml target, else wasm32-unknown-unknown).",
          },
          profile: { type: 'string', description: 'Crate builds: cargo profile (default release).' },
          package: { type: 'string', description: 'Crate builds: workspace package (-p).' },
          export: { type: 'string', description: 'The exported function to time.' },
          args: {
            type: 'array',
            items: {
              oneOf: [
                { type: 'number' },
                { type: 'string', description: 'An integer as text (for i64).' },
                { type: 'object', required: ['buffer'], properties: { buffer: { type: 'string' } } },
              ],
            },
          },
          setup: {
            oneOf: [
              { type: 'string', description: 'An export to call once before timing (e.g. init).' },
              {
                type: 'object',
                additionalProperties: false,
                properties: {
                  export: { type: 'string' },
                  buffers: {
                    type: 'array',
                    items: {
                      type: 'object',
                      additionalProperties: false,
                      required: ['name'],
                      properties: {
                        name: { type: 'string' },
                        allocator: { type: 'string', description: 'Export called as allocator(length) -> pointer (default alloc).' },
                        length: { type: 'integer', minimum: 1 },
                        fill: { enum: ['zeros', 'ramp', 'random'] },
                        base64: { type: 'string' },
                      },
                    },
                  },
                },
              },
            ],
          },
          compare: {
            type: 'array',
            items: { type: 'string' },
            description: 'Module benchmarks: more .wasm files timed interleaved against "module".',
          },
          variants: {
            type: 'array',
            items: { type: 'string' },
            description: 'Crate benchmarks: variants such as "opt-level=3,+simd128" or "lto=fat,codegen-units=1".',
          },
          load: {
            oneOf: [
              { const: true },
              {
                type: 'object',
                additionalProperties: false,
                properties: { sequenceCount: { type: 'integer', minimum: 1 }, repetitions: { type: 'integer', minimum: 1 } },
              },
            ],
            description: 'Measure compile/instantiate and a sequence of modules instead of an export.',
          },
          options: { type: 'object', additionalProperties: false, properties: optionProperties },
          finding: {
            type: 'string',
            description: 'Crate benchmarks: the rule whose fix the variants stand for (written by "Measure the difference").',
          },
          measured: {
            type: 'object',
            additionalProperties: false,
            required: ['at', 'baseline', 'candidate', 'ratio', 'ciLow', 'ciHigh', 'significant'],
            description: 'Crate benchmarks: the last result of "Measure the difference", shown on the finding\'s line.',
            properties: {
              at: { type: 'string', description: 'When the run finished (ISO time).' },
              baseline: { type: 'string' },
              candidate: { type: 'string' },
              ratio: { type: 'number', exclusiveMinimum: 0, description: 'Candidate time / baseline time: below 1, the fix is faster.' },
              ciLow: { type: 'number', exclusiveMinimum: 0 },
              ciHigh: { type: 'number', exclusiveMinimum: 0 },
              significant: { type: 'boolean' },
              environment: { type: 'string' },
            },
          },
        },
      },
    },
  },
} as const;
