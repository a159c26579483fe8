//! Inventory's first data in a new tenant: a warehouse in its first plant, so goods can be
//! received from the first day (the setup wizard and the location screens add racks and bins).
use crate::inventory::repo;
use crate::platform::db::Tx;
use crate::platform::onboarding::{ProvisionFuture, Provisioned, Provisioner};

pub static FIRST_WAREHOUSE: Provisioner = Provisioner {
    name: "inventory: first warehouse",
    run: first_warehouse,
};

fn first_warehouse<'a>(tx: &'a mut Tx, made: &'a Provisioned) -> ProvisionFuture<'a> {
    Box::pin(async move {
        let code = format!("{}-WH1", made.plant_code);
        repo::locations::insert_warehouse(tx, made.tenant_id, made.plant_id, "WH1", &code).await?;
        Ok(())
    })
}
