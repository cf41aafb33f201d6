//! Runs every image-filter module in a directory (default `plugins/`) and prints the
//! checksum each one computes. Each module gets a fresh engine so a misbehaving filter
//! cannot affect the others' configuration.

use std::path::PathBuf;

use anyhow::{Context, Result};
use wasmtime::{Config, Engine, Linker, Module, OptLevel, Store};

fn main() -> Result<()> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "plugins".to_owned()));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "wasm"))
        .collect();
    paths.sort();

    for path in &paths {
        let mut config = Config::new();
        config.cranelift_opt_level(OptLevel::Speed);
        let engine = Engine::new(&config)?;
        let module = Module::from_file(&engine, path).with_context(|| format!("compiling {}", path.display()))?;

        let mut linker = Linker::new(&engine);
        // The filters import WASI only for panic messages; a trap is good enough here.
        linker.define_unknown_imports_as_traps(&module)?;
        let mut store = Store::new(&engine, ());
        let instance = linker.instantiate(&mut store, &module)?;

        instance.get_typed_func::<u32, ()>(&mut store, "load_noise")?.call(&mut store, 7)?;
        let checksum = instance.get_typed_func::<u32, u32>(&mut store, "box_blur")?.call(&mut store, 4)?;
        println!("{}: {checksum}", path.display());
    }
    Ok(())
}
