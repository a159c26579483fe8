//! Server functions of the units screen: thin wrappers over the units service, as REST is.
use crate::error::AppError;
use crate::inventory::model::units::{Conversion, ConversionInput, Unit, UnitInput};
use leptos::prelude::*;
use uuid::Uuid;

#[server(prefix = "/sfn", endpoint = "list_units", input = server_fn::codec::GetUrl)]
pub async fn list_units() -> Result<Vec<Unit>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::units::list_units(tx, ctx))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "save_unit", input = server_fn::codec::Json)]
pub async fn save_unit(id: Option<Uuid>, input: UnitInput) -> Result<Unit, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::inventory::service::units::save_unit(
            tx, ctx, id, input,
        ))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "list_unit_conversions", input = server_fn::codec::GetUrl)]
pub async fn list_unit_conversions() -> Result<Vec<Conversion>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(crate::inventory::service::units::list_conversions(tx, ctx))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "save_unit_conversion", input = server_fn::codec::Json)]
pub async fn save_unit_conversion(
    id: Option<Uuid>,
    input: ConversionInput,
) -> Result<Conversion, AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::inventory::service::units::save_conversion(
            tx, ctx, id, input,
        ))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "delete_unit_conversion", input = server_fn::codec::Json)]
pub async fn delete_unit_conversion(id: Uuid) -> Result<(), AppError> {
    crate::platform::tx::serve(move |tx, _, ctx| {
        Box::pin(crate::inventory::service::units::delete_conversion(
            tx, ctx, id,
        ))
    })
    .await
}
