# Shared by scripts/run and scripts/test: installs, once per machine, whatever is missing.
# Everything comes from the registries this machine reaches (crates.io, npm, Debian apt).
WASM_BINDGEN_VERSION=0.2.130
SQLX_CLI_VERSION=0.8.6
SCHEMATHESIS_VERSION=4.32.5

# The SQL is checked at compile time against the query data committed in .sqlx/ (no database is
# needed to build); scripts/test checks that data against the schema and the code.
export SQLX_OFFLINE=true

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_wasm_bindgen() {
  if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (once per machine, 5-10 minutes)"
    # without --locked: one locked dependency is missing from the registry
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

ensure_sqlx_cli() {
  if ! command -v sqlx >/dev/null || [ "$(sqlx --version | awk '{print $2}')" != "$SQLX_CLI_VERSION" ]; then
    log "installing sqlx-cli $SQLX_CLI_VERSION (once per machine, 5-8 minutes)"
    cargo install sqlx-cli --version "$SQLX_CLI_VERSION" --locked --no-default-features --features rustls,postgres
  fi
}

ensure_schemathesis() {
  if ! command -v st >/dev/null || [ "$(st --version 2>/dev/null | awk '{print $NF}')" != "$SCHEMATHESIS_VERSION" ]; then
    log "installing schemathesis $SCHEMATHESIS_VERSION (pip, once per machine)"
    python3 -m pip --version >/dev/null 2>&1 || ensure_apt python3-pip
    local user="--user"
    # root installs for the machine; anyone else into their own site (~/.local/bin)
    [ "$(id -u)" -eq 0 ] && user="--root-user-action=ignore"
    python3 -m pip install --quiet --disable-pip-version-check $user "schemathesis==$SCHEMATHESIS_VERSION"
    export PATH="$HOME/.local/bin:$PATH"
    hash -r
  fi
}

# The REST contract: schemathesis fuzzes every operation of the running server at $1 against the
# OpenAPI document it serves, signed in as the demo admin (or the demo user $CONTRACT_USER:
# procurement, warehouse… reach further into their modules) through a fresh API token, and fails
# when the server answers anything the document does not say (a status, a content type, a body
# out of its schema, invalid input accepted) or a server error. Fixed seed and size, so a run is
# repeatable; extra arguments go to `st run`. Used by scripts/test and scripts/contract.
CONTRACT_SEED=20261206
CONTRACT_EXAMPLES=100
contract_fuzz() {
  local base="${1%/}"
  shift
  local jar main spare status=0
  # a session first (a browser-style sign-in, so it carries the site's Origin), then tokens
  jar="$(mktemp)"
  curl -fsS -o /dev/null -c "$jar" -H "Origin: $base" -H 'Content-Type: application/json' \
    -d "{\"tenant\":\"demo\",\"username\":\"${CONTRACT_USER:-admin}\",\"password\":\"Millwright-demo-1\"}" "$base/api/v1/auth/login" \
    || { rm -f "$jar"; log "contract: cannot sign in as the demo ${CONTRACT_USER:-admin} at $base"; return 1; }
  # "<id> <token>" of a new API token named $1
  new_token() {
    curl -fsS -b "$jar" -H "Origin: $base" -H 'Content-Type: application/json' -d "{\"name\":\"$1\"}" \
      "$base/api/v1/auth/tokens" | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print(d["id"], d["token"])'
  }
  main=$(new_token "contract fuzz") && spare=$(new_token "contract fuzz: revocation") \
    || { rm -f "$jar"; log "contract: cannot create API tokens"; return 1; }
  rm -f "$jar"
  fuzz() {
    st --config-file scripts/contract.toml run "$base/api/v1/openapi.json" \
      -H "Authorization: Bearer $1" \
      --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
      --seed "$CONTRACT_SEED" -n "$CONTRACT_EXAMPLES" --workers 1 \
      --generation-database none --no-color "${@:2}"
  }
  # Every operation but revoking a token, then that one alone with a token of its own: schemathesis
  # feeds ids it sees in answers into later requests, and GET /auth/tokens lists the fuzzer's own
  # token (newest first), so revoking could end the main run's token and turn the rest of it into
  # 401s — documented, so it would pass while testing nothing. (Logout is fuzzed with the rest: with
  # a bearer token it ends no token, only a cookie session, and the fuzzer has none.)
  fuzz "${main#* }" --exclude-name 'DELETE /api/v1/auth/tokens/{id}' "$@" || status=$?
  if ! curl -fsS -o /dev/null -H "Authorization: Bearer ${main#* }" "$base/api/v1/auth/me"; then
    log "contract: the fuzzer's API token stopped working during the run, which then tested little"
    status=1
  fi
  fuzz "${spare#* }" --include-name 'DELETE /api/v1/auth/tokens/{id}' "$@" || status=$?
  # the spare first: the main token signs both revocations
  local t
  for t in "$spare" "$main"; do
    curl -fsS -o /dev/null -X DELETE -H "Authorization: Bearer ${main#* }" "$base/api/v1/auth/tokens/${t%% *}" || true
  done
  return "$status"
}

ensure_npm() {
  if [ ! -x node_modules/.bin/tailwindcss ] || [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/@playwright/test ] \
     || [ package.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages (Tailwind CSS, binaryen, Playwright)"
    # npm ci fails here: the registry lacks other platforms' tailwind builds, so the lock is incomplete
    npm install --no-audit --no-fund
  fi
  export PATH="$PWD/node_modules/.bin:$PATH"
}

ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (apt)"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
}

# Builds the site the way cargo-leptos does (wasm, wasm-bindgen, Tailwind, assets) for the debug
# server that the browser tests drive, without needing cargo-leptos itself.
# Like `cargo leptos build --split`, the bundle is split at its lazy pages (tools/wasm-splitter)
# before wasm-bindgen, so the browser tests load pages' modules as the product does.
build_debug_site() {
  local site=target/site wasm=target/wasm32-unknown-unknown/debug
  log "building the browser bundle (debug, split at its lazy pages)"
  # the splitter reads the linker's relocations (as cargo-leptos passes for --split)
  RUSTFLAGS="${RUSTFLAGS:-} -Clink-args=--emit-relocs" cargo build -p frontend --target wasm32-unknown-unknown
  cargo build -q -p wasm-splitter
  rm -rf "$site/pkg"
  mkdir -p "$site/pkg"
  target/debug/wasm-splitter "$wasm/frontend.wasm" "$site/pkg" millwright "$wasm/frontend_split.wasm"
  wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle --out-dir "$site/pkg" \
    --out-name millwright "$wasm/frontend_split.wasm"
  mv -f "$site/pkg/millwright_bg.wasm" "$site/pkg/millwright.wasm"
  tailwindcss -i style/tailwind.css -o "$site/pkg/millwright.css" >/dev/null 2>&1
  cp -r public/. "$site/"
}

# The release the way `cargo leptos build --release --split` makes it, without cargo-leptos (whose
# own build takes 20 minutes on 2 cores): the wasm in the size-optimised profile, split at its lazy
# pages, bound, each module through wasm-opt -Oz; the JS and CSS minified; the server in release. Both
# halves with components erased (the workspace's `always-erase-components`).
build_release() {
  local site=target/site wasm=target/wasm32-unknown-unknown/wasm-release
  local flags="--cfg erase_components"
  log "building the browser bundle (release: split at its lazy pages, wasm-opt -Oz)"
  RUSTFLAGS="$flags -Clink-args=--emit-relocs" cargo build -q -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
  RUSTFLAGS="$flags" cargo build -q -p wasm-splitter
  rm -rf "$site/pkg"
  mkdir -p "$site/pkg"
  target/debug/wasm-splitter "$wasm/frontend.wasm" "$site/pkg" millwright "$wasm/frontend_split.wasm"
  wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle --out-dir "$site/pkg" \
    --out-name millwright "$wasm/frontend_split.wasm"
  mv -f "$site/pkg/millwright_bg.wasm" "$site/pkg/millwright.wasm"
  local f
  for f in "$site"/pkg/*.wasm; do
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$f" -o "$f"
  done
  # the bindings minified as cargo-leptos minifies them (its exports, which the areas' loader
  # imports, keep their names)
  esbuild "$site/pkg/millwright.js" --minify --format=esm --log-level=error --allow-overwrite --outfile="$site/pkg/millwright.js"
  tailwindcss --minify -i style/tailwind.css -o "$site/pkg/millwright.css" >/dev/null 2>&1
  cp -r public/. "$site/"
  log "building the server (release)"
  RUSTFLAGS="$flags" cargo build -q -p server --release
}
