//! Typed identifiers of the main documents and records: a requisition's id cannot be passed where
//! an order's is expected. Serialised as the bare UUID (the REST contract is unchanged) and stored
//! as `uuid` (`#[sqlx(transparent)]`).
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(Uuid);

        impl $name {
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            pub const fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

typed_id!(
    /// A purchase requisition.
    RequisitionId
);
typed_id!(
    /// A purchase order.
    PurchaseOrderId
);
typed_id!(
    /// A goods receipt (GRN).
    GoodsReceiptId
);
typed_id!(
    /// A catalogue item.
    ItemId
);
typed_id!(
    /// A supplier.
    SupplierId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_print_and_serialise_as_the_bare_uuid() {
        let u = Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_002a);
        let id: RequisitionId = format!(" {u} ").parse().expect("a uuid");
        assert_eq!(id.uuid(), u);
        assert_eq!(id.to_string(), u.to_string());
        assert_eq!(
            serde_json::to_string(&id).ok(),
            serde_json::to_string(&u).ok()
        );
        assert!("PR-2026-000001".parse::<PurchaseOrderId>().is_err());
    }
}
