//! Where a request's transaction is opened and committed: the entry points (server functions and
//! REST handlers) run a service in one tenant transaction of the caller through [`run`], so the
//! same service answers both doors and composes with others inside one transaction.
use crate::error::AppResult;
use crate::platform::context::{AppState, RequestCtx};
use crate::platform::db::{
    announced_after_commit, tenant_tx, tenant_tx_announced_after, tenant_tx_planned, Tx,
};
use std::future::Future;
use std::pin::Pin;

/// A service call's future, borrowing the transaction, the state and the request.
pub type Work<'t, T> = Pin<Box<dyn Future<Output = AppResult<T>> + Send + 't>>;

/// How the transaction is begun and its changes announced.
#[derive(Clone, Copy)]
enum Mode {
    Plain,
    /// Statements planned once per connection ([`tenant_tx_planned`]).
    Planned,
    /// Planned, and the change of this kind announced once committed.
    Announced(&'static str),
}

async fn run_in<T>(
    mode: Mode,
    state: &AppState,
    ctx: &RequestCtx,
    work: impl for<'t> FnOnce(&'t mut Tx, &'t AppState, &'t RequestCtx) -> Work<'t, T>,
) -> AppResult<T> {
    let tenant = ctx.principal()?.tenant_id;
    let change = async {
        let mut tx = match mode {
            Mode::Plain => tenant_tx(&state.pool, tenant).await?,
            Mode::Planned => tenant_tx_planned(&state.pool, tenant).await?,
            Mode::Announced(kind) => tenant_tx_announced_after(&state.pool, tenant, kind).await?,
        };
        let value = work(&mut tx, state, ctx).await?;
        tx.commit().await?;
        Ok(value)
    };
    match mode {
        Mode::Announced(kind) => {
            announced_after_commit(&state.announcer, tenant, kind, change).await
        }
        Mode::Plain | Mode::Planned => change.await,
    }
}

async fn serve_in<T>(
    mode: Mode,
    work: impl for<'t> FnOnce(&'t mut Tx, &'t AppState, &'t RequestCtx) -> Work<'t, T>,
) -> AppResult<T> {
    let state = crate::platform::context::app_state()?;
    let ctx = crate::platform::context::request_ctx()?;
    crate::platform::context::respond(run_in(mode, &state, &ctx, work).await)
}

/// Runs `work` in a transaction of the caller's tenant and commits it when `work` succeeds (a
/// failure rolls everything back). 401 without a signed-in caller.
pub async fn run<T>(
    state: &AppState,
    ctx: &RequestCtx,
    work: impl for<'t> FnOnce(&'t mut Tx, &'t AppState, &'t RequestCtx) -> Work<'t, T>,
) -> AppResult<T> {
    run_in(Mode::Plain, state, ctx, work).await
}

/// [`run`] with statements planned once per connection: for the short keyed reads and writes of a
/// document's life ([`tenant_tx_planned`]).
pub async fn run_planned<T>(
    state: &AppState,
    ctx: &RequestCtx,
    work: impl for<'t> FnOnce(&'t mut Tx, &'t AppState, &'t RequestCtx) -> Work<'t, T>,
) -> AppResult<T> {
    run_in(Mode::Planned, state, ctx, work).await
}

/// [`run_planned`] for a change of `kind` that is announced once committed, by the
/// [`crate::platform::db::Announcer`] rather than inside the commit (see
/// [`crate::platform::db::tenant_tx_announced_after`]): the live signals of its notifications
/// wait for the commit too.
pub async fn run_announced<T>(
    state: &AppState,
    ctx: &RequestCtx,
    kind: &'static str,
    work: impl for<'t> FnOnce(&'t mut Tx, &'t AppState, &'t RequestCtx) -> Work<'t, T>,
) -> AppResult<T> {
    run_in(Mode::Announced(kind), state, ctx, work).await
}

/// A server function's body: `work` run by [`run`] for the request's caller, its error answered
/// with its own HTTP status.
pub async fn serve<T>(
    work: impl for<'t> FnOnce(&'t mut Tx, &'t AppState, &'t RequestCtx) -> Work<'t, T>,
) -> AppResult<T> {
    serve_in(Mode::Plain, work).await
}

/// [`serve`] through [`run_planned`].
pub async fn serve_planned<T>(
    work: impl for<'t> FnOnce(&'t mut Tx, &'t AppState, &'t RequestCtx) -> Work<'t, T>,
) -> AppResult<T> {
    serve_in(Mode::Planned, work).await
}

/// [`serve`] through [`run_announced`].
pub async fn serve_announced<T>(
    kind: &'static str,
    work: impl for<'t> FnOnce(&'t mut Tx, &'t AppState, &'t RequestCtx) -> Work<'t, T>,
) -> AppResult<T> {
    serve_in(Mode::Announced(kind), work).await
}
