//! Generates the `i18n` module from the top-level `locales/` folder.
use leptos_i18n_build::options::CodegenOptions;
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../locales");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    let cfg = Config::new("en")?
        .add_locales(["hi", "bn", "te", "ar"])?
        .locales_path("../locales")
        .parse_options(ParseOptions::new().interpolate_display(true));
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    // the generated code is not ours to lint
    let attributes = "#![allow(clippy::all)]".parse().ok();
    infos.generate_i18n_module_with_options(
        out,
        CodegenOptions::new().top_level_attributes(attributes),
    )?;
    Ok(())
}
