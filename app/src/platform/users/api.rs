//! Server functions of the user and role screens: thin doors to [`super::service`], as the REST
//! handlers are.
use super::{
    ImportOutcome, NewUser, PermissionInfo, RoleInput, RoleView, UserChoices, UserUpdate, UserView,
};
use crate::error::AppError;
use crate::platform::paging::Page;
use leptos::prelude::*;
use uuid::Uuid;

#[server(prefix = "/sfn", endpoint = "admin_users", input = server_fn::codec::GetUrl)]
pub async fn list_users(
    q: Option<String>,
    active: Option<bool>,
    role: Option<String>,
    page: Option<u32>,
) -> Result<Page<UserView>, AppError> {
    let filter = super::UserFilter { q, active, role };
    let page = page.unwrap_or(1).clamp(1, 1_000_000);
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(super::service::list_users(tx, ctx, filter, page, 20))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "admin_user", input = server_fn::codec::GetUrl)]
pub async fn get_user(id: Uuid) -> Result<UserView, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| Box::pin(super::service::get_user(tx, ctx, id)))
        .await
}

#[server(prefix = "/sfn", endpoint = "admin_user_choices", input = server_fn::codec::GetUrl)]
pub async fn get_user_choices() -> Result<UserChoices, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(super::service::choices(tx, ctx))).await
}

#[server(prefix = "/sfn", endpoint = "admin_create_user")]
pub async fn create_user(input: NewUser) -> Result<UserView, AppError> {
    crate::platform::tx::serve(move |tx, state, ctx| {
        Box::pin(super::service::create_user(tx, state, ctx, input))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "admin_update_user")]
pub async fn update_user(id: Uuid, input: UserUpdate) -> Result<UserView, AppError> {
    crate::platform::tx::serve(move |tx, state, ctx| {
        Box::pin(super::service::update_user(tx, state, ctx, id, input))
    })
    .await
}

/// `deactivate`, `activate`, `unlock` or `send_password_reset`.
#[server(prefix = "/sfn", endpoint = "admin_user_action")]
pub async fn user_action(id: Uuid, action: String) -> Result<(), AppError> {
    use super::service as s;
    crate::platform::tx::serve(move |tx, state, ctx| {
        Box::pin(async move {
            match action.as_str() {
                "deactivate" => s::deactivate(tx, state, ctx, id).await.map(drop),
                "activate" => s::activate(tx, state, ctx, id).await.map(drop),
                "unlock" => s::unlock(tx, ctx, id).await.map(drop),
                "send_password_reset" => s::send_password_reset(tx, ctx, id).await,
                _ => Err(AppError::BadRequest),
            }
        })
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "admin_import_users")]
pub async fn import_users(csv: String) -> Result<ImportOutcome, AppError> {
    crate::platform::tx::serve(move |tx, state, ctx| {
        Box::pin(async move { super::service::import_users(tx, state, ctx, &csv).await })
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "admin_permissions", input = server_fn::codec::GetUrl)]
pub async fn list_permissions() -> Result<Vec<PermissionInfo>, AppError> {
    let ctx = crate::platform::context::request_ctx()?;
    crate::platform::context::respond(super::service::permissions(&ctx))
}

#[server(prefix = "/sfn", endpoint = "admin_roles", input = server_fn::codec::GetUrl)]
pub async fn list_roles() -> Result<Vec<RoleView>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(super::service::list_roles(tx, ctx))).await
}

#[server(prefix = "/sfn", endpoint = "admin_role", input = server_fn::codec::GetUrl)]
pub async fn get_role(id: Uuid) -> Result<RoleView, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| Box::pin(super::service::get_role(tx, ctx, id)))
        .await
}

/// Creates a role (`id` none) or changes one.
#[server(prefix = "/sfn", endpoint = "admin_save_role")]
pub async fn save_role(id: Option<Uuid>, input: RoleInput) -> Result<RoleView, AppError> {
    crate::platform::tx::serve(move |tx, state, ctx| {
        Box::pin(async move {
            match id {
                None => super::service::create_role(tx, state, ctx, input).await,
                Some(id) => super::service::update_role(tx, state, ctx, id, input).await,
            }
        })
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "admin_delete_role")]
pub async fn delete_role(id: Uuid) -> Result<(), AppError> {
    crate::platform::tx::serve(move |tx, state, ctx| {
        Box::pin(super::service::delete_role(tx, state, ctx, id))
    })
    .await
}
