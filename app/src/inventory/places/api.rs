//! Server functions of the category and location screens: thin wrappers over the services, as
//! the REST handlers are.
use super::{Category, CategoryInput, LocationInput, LocationLabel};
use crate::error::AppError;
use crate::inventory::model::Location;
use crate::platform::settings::Plant;
use leptos::prelude::*;
use uuid::Uuid;

#[server(prefix = "/sfn", endpoint = "categories", input = server_fn::codec::GetUrl)]
pub async fn list_categories() -> Result<Vec<Category>, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(super::list_categories(tx, ctx))).await
}

#[server(prefix = "/sfn", endpoint = "save_category", input = server_fn::codec::Json)]
pub async fn save_category(id: Option<Uuid>, input: CategoryInput) -> Result<Category, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(super::save_category(tx, ctx, id, input)))
        .await
}

/// The locations screen's data: every location and the plants to file them in.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Places {
    pub locations: Vec<Location>,
    pub plants: Vec<Plant>,
}

#[server(prefix = "/sfn", endpoint = "places", input = server_fn::codec::GetUrl)]
pub async fn list_places() -> Result<Places, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(async move {
            Ok(Places {
                locations: crate::inventory::service::list_locations(tx, ctx).await?,
                plants: crate::platform::settings::list_plants(tx, ctx).await?,
            })
        })
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "save_location", input = server_fn::codec::Json)]
pub async fn save_location(id: Option<Uuid>, input: LocationInput) -> Result<Location, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(super::save_location(tx, ctx, id, input)))
        .await
}

/// `ids`: the locations' ids joined by commas (the labels page's query).
#[server(prefix = "/sfn", endpoint = "location_labels", input = server_fn::codec::GetUrl)]
pub async fn location_labels(ids: String) -> Result<Vec<LocationLabel>, AppError> {
    let ids: Vec<Uuid> = ids
        .split(',')
        .filter_map(|s| Uuid::parse_str(s.trim()).ok())
        .collect();
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(super::location_labels(tx, ctx, ids))).await
}
