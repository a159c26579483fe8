//! Server functions of the tenant's set-up (the wizard and the settings page): thin wrappers over
//! the service, as the REST handlers are.
use super::{
    Company, CompanyInput, CostCentre, CostCentreInput, Department, DepartmentInput, Plant,
    PlantInput, SettingsInput, TenantSettings,
};
use crate::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[server(prefix = "/sfn", endpoint = "tenant_settings", input = server_fn::codec::GetUrl)]
pub async fn get_tenant_settings() -> Result<TenantSettings, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(super::get_settings(tx, ctx))).await
}

#[server(prefix = "/sfn", endpoint = "save_tenant_settings", input = server_fn::codec::Json)]
pub async fn save_tenant_settings(input: SettingsInput) -> Result<TenantSettings, AppError> {
    crate::platform::tx::serve(|tx, state, ctx| {
        Box::pin(super::update_settings(tx, state, ctx, input))
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "complete_setup")]
pub async fn complete_setup() -> Result<(), AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(super::complete_setup(tx, ctx))).await
}

/// Everything the wizard's steps show, in one answer.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Structure {
    pub companies: Vec<Company>,
    pub plants: Vec<Plant>,
    pub departments: Vec<Department>,
    pub cost_centres: Vec<CostCentre>,
}

#[server(prefix = "/sfn", endpoint = "tenant_structure", input = server_fn::codec::GetUrl)]
pub async fn tenant_structure() -> Result<Structure, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| {
        Box::pin(async move {
            Ok(Structure {
                companies: super::list_companies(tx, ctx).await?,
                plants: super::list_plants(tx, ctx).await?,
                departments: super::list_departments(tx, ctx).await?,
                cost_centres: super::list_cost_centres(tx, ctx).await?,
            })
        })
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "save_company", input = server_fn::codec::Json)]
pub async fn save_company(id: Option<Uuid>, input: CompanyInput) -> Result<Company, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(super::save_company(tx, ctx, id, input))).await
}

#[server(prefix = "/sfn", endpoint = "save_plant", input = server_fn::codec::Json)]
pub async fn save_plant(id: Option<Uuid>, input: PlantInput) -> Result<Plant, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(super::save_plant(tx, ctx, id, input))).await
}

#[server(prefix = "/sfn", endpoint = "save_department", input = server_fn::codec::Json)]
pub async fn save_department(
    id: Option<Uuid>,
    input: DepartmentInput,
) -> Result<Department, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(super::save_department(tx, ctx, id, input)))
        .await
}

#[server(prefix = "/sfn", endpoint = "save_cost_centre", input = server_fn::codec::Json)]
pub async fn save_cost_centre(
    id: Option<Uuid>,
    input: CostCentreInput,
) -> Result<CostCentre, AppError> {
    crate::platform::tx::serve(|tx, _, ctx| Box::pin(super::save_cost_centre(tx, ctx, id, input)))
        .await
}
