/** wabt's text assembler for tests (the npm package, loaded in-process: test modules are tiny). */
import wabtInit from 'wabt';

type Wabt = Awaited<ReturnType<typeof wabtInit>>;
let wabt: Promise<Wabt> | undefined;

const FEATURES = {
  simd: true,
  threads: true,
  exceptions: true,
  tail_call: true,
  bulk_memory: true,
  reference_types: true,
  multi_value: true,
  sat_float_to_int: true,
  sign_extension: true,
  mutable_globals: true,
  relaxed_simd: true,
  extended_const: true,
  memory64: true,
  multi_memory: true,
  function_references: true,
  gc: true,
};

export async function wat(text: string, options: { names?: boolean } = {}): Promise<Uint8Array> {
  wabt ??= wabtInit();
  const module = (await wabt).parseWat('test.wat', text, FEATURES);
  try {
    module.resolveNames();
    // validate() takes the feature set too, though wabt's typings leave it out.
    (module as unknown as { validate(features: typeof FEATURES): void }).validate(FEATURES);
    return module.toBinary({ write_debug_names: options.names ?? false }).buffer;
  } finally {
    module.destroy();
  }
}
