//! Splits the browser bundle at its lazy pages (`app::shell`) the way `cargo leptos build --split`
//! does for the release, for the debug bundle that `scripts/test` builds without cargo-leptos:
//! one module per lazy page and shared chunks in the site's `pkg` folder, the loader they are
//! imported through (`__wasm_split.______________________.js`, the name leptos' hydration scripts
//! preload), the manifest the server reads to preload a page's modules, and the main module,
//! still to be passed through wasm-bindgen (with `--keep-lld-exports --no-demangle`).
//!
//! Usage: `wasm-splitter <input.wasm> <pkg folder> <output name> <main module out.wasm>`
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(n) => {
            println!("split into the main module and {n} lazy modules and chunks");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("wasm-splitter: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<usize, String> {
    let [input, pkg, name, main_out] = <[String; 4]>::try_from(args).map_err(|_| {
        "usage: wasm-splitter <input.wasm> <pkg folder> <output name> <main module out.wasm>"
            .to_string()
    })?;
    let wasm = std::fs::read(&input).map_err(|e| format!("{input}: {e}"))?;
    let pkg = PathBuf::from(pkg);
    let main_out = PathBuf::from(main_out);
    let main_module = format!("./{name}.js");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&wasm);
        options.output_dir = &pkg;
        options.main_out_path = &main_out;
        options.main_module = &main_module;
        options.link_name = "./__wasm_split.______________________.js";
        options
    })
    .map_err(|e| format!("splitting {input}: {e}"))?;
    let manifest =
        serde_json::to_string_pretty(&split.prefetch_map).map_err(|e| format!("manifest: {e}"))?;
    let path = pkg.join("__wasm_split_manifest.json");
    std::fs::write(&path, manifest).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(split.split_modules.len())
}
