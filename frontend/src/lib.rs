//! The browser entry point: hydrates the server-rendered page into the Leptos app.
#![recursion_limit = "512"]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // lazy routes (app::shell) are loaded before the page they render is hydrated
    leptos::mount::hydrate_lazy(app::App);
}
