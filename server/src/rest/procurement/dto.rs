//! The bodies and answers of procurement's requisition operations, as the OpenAPI document
//! describes them.
use crate::rest::Pagination;
use app::approvals::model::{HistoryEntry, RouteStep};
use app::error::AppError;
use app::procurement::model::{self as m, RequisitionInput};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
pub struct LineBody {
    /// Catalogue item (arrives with the inventory module); free text otherwise
    pub item_id: Option<Uuid>,
    pub description: String,
    /// Decimal string, > 0, at most 3 decimals
    #[schema(value_type = String, example = "12.5")]
    pub quantity: Decimal,
    pub unit: String,
    /// Decimal string in the company currency, ≥ 0, at most its minor unit
    #[schema(value_type = String, example = "1250.50")]
    pub estimated_unit_price: Decimal,
    pub supplier_id: Option<Uuid>,
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct RequisitionBody {
    /// daily_operations or project
    pub purpose: String,
    /// Required when the purpose is project
    pub project_id: Option<Uuid>,
    pub needed_by: Option<NaiveDate>,
    pub notes: Option<String>,
    pub lines: Vec<LineBody>,
}

impl TryFrom<RequisitionBody> for RequisitionInput {
    type Error = AppError;
    fn try_from(b: RequisitionBody) -> Result<Self, AppError> {
        let purpose = b
            .purpose
            .parse::<m::Purpose>()
            .map_err(|e| AppError::field("purpose", e))?;
        Ok(RequisitionInput {
            purpose,
            project_id: b.project_id,
            needed_by: b.needed_by,
            notes: b.notes,
            lines: b
                .lines
                .into_iter()
                .map(|l| m::LineInput {
                    item_id: l.item_id,
                    description: l.description,
                    quantity: l.quantity,
                    unit: l.unit,
                    estimated_unit_price: l.estimated_unit_price,
                    supplier_id: l.supplier_id,
                    note: l.note,
                })
                .collect(),
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct LineDto {
    pub id: Uuid,
    pub line_no: i32,
    pub item_id: Option<Uuid>,
    pub description: String,
    #[schema(value_type = String)]
    pub quantity: Decimal,
    pub unit: String,
    #[schema(value_type = String)]
    pub estimated_unit_price: Decimal,
    #[schema(value_type = String)]
    pub line_total: Decimal,
    pub supplier_id: Option<Uuid>,
    pub supplier: Option<String>,
    pub note: Option<String>,
    #[schema(value_type = String)]
    pub ordered_quantity: Decimal,
}

#[derive(Serialize, ToSchema)]
pub struct ApprovalDto {
    pub stage: Option<i32>,
    pub approver: String,
    pub on_behalf_of: Option<String>,
    /// submit, resubmit, approve, reject, send_back, cancel, escalate
    pub action: String,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

impl From<HistoryEntry> for ApprovalDto {
    fn from(h: HistoryEntry) -> Self {
        ApprovalDto {
            stage: h.stage,
            approver: h.approver,
            on_behalf_of: h.on_behalf_of,
            action: h.action,
            comment: h.comment,
            at: h.at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RouteStepDto {
    pub stage: i32,
    pub name: String,
    /// waiting, pending, approved, rejected, returned, cancelled
    pub status: String,
    pub approvers: Vec<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub escalated: bool,
}

impl From<RouteStep> for RouteStepDto {
    fn from(r: RouteStep) -> Self {
        RouteStepDto {
            stage: r.stage,
            name: r.name,
            status: r.status,
            approvers: r.approvers,
            due_at: r.due_at,
            escalated: r.escalated,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RequisitionDto {
    pub id: Uuid,
    /// PR-2026-000123
    pub number: String,
    /// draft, submitted, under_review, approved, questioned, rejected, cancelled
    pub status: String,
    pub purpose: String,
    pub project_id: Option<Uuid>,
    pub requester: String,
    pub department: Option<String>,
    pub plant: Option<String>,
    pub needed_by: Option<NaiveDate>,
    pub notes: Option<String>,
    #[schema(value_type = String)]
    pub total: Decimal,
    pub currency: String,
    pub lines: Vec<LineDto>,
    pub approvals: Vec<ApprovalDto>,
    /// The route fixed at submission (its latest round)
    pub route: Vec<RouteStepDto>,
    pub current_stage: Option<i32>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

impl From<m::Requisition> for RequisitionDto {
    fn from(r: m::Requisition) -> Self {
        RequisitionDto {
            id: r.id,
            number: r.number,
            status: r.status.as_str().into(),
            purpose: r.purpose.as_str().into(),
            project_id: r.project_id,
            requester: r.requester,
            department: r.department,
            plant: r.plant,
            needed_by: r.needed_by,
            notes: r.notes,
            total: r.total,
            currency: r.currency,
            lines: r
                .lines
                .into_iter()
                .map(|l| LineDto {
                    id: l.id,
                    line_no: l.line_no,
                    item_id: l.item_id,
                    description: l.description,
                    quantity: l.quantity,
                    unit: l.unit,
                    estimated_unit_price: l.estimated_unit_price,
                    line_total: l.line_total,
                    supplier_id: l.supplier_id,
                    supplier: l.supplier,
                    note: l.note,
                    ordered_quantity: l.ordered_quantity,
                })
                .collect(),
            approvals: r.approvals.into_iter().map(ApprovalDto::from).collect(),
            route: r.route.into_iter().map(RouteStepDto::from).collect(),
            current_stage: r.current_stage,
            version: r.version,
            created_at: r.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RequisitionRowDto {
    pub id: Uuid,
    pub number: String,
    pub status: String,
    pub purpose: String,
    pub requester: String,
    #[schema(value_type = String)]
    pub total: Decimal,
    pub currency: String,
    pub needed_by: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct RequisitionList {
    pub requisitions: Vec<RequisitionRowDto>,
    pub pagination: Pagination,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequisitionQuery {
    #[param(schema_with = crate::rest::contract::requisition_status)]
    pub status: Option<String>,
    /// only the caller's own
    #[param(nullable = false)]
    pub mine: Option<bool>,
    /// number, requester, notes or line text
    #[param(nullable = false)]
    pub q: Option<String>,
    /// created on or after (YYYY-MM-DD)
    #[param(nullable = false)]
    pub from: Option<NaiveDate>,
    /// created on or before (YYYY-MM-DD)
    #[param(nullable = false)]
    pub to: Option<NaiveDate>,
}
