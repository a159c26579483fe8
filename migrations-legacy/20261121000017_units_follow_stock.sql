-- Serial-numbered units follow issues, moves and transfers (inventory::stock::units_follow): the
-- oldest available units of an item at a place are picked, a transfer's units are found again by
-- the movement that sent them, and an issue's units by the movement being reversed.
create index uids_available on uids (tenant_id, item_id, location_id, created_at, uid)
  where kind = 'serial' and status in ('accepted', 'transferred');
create index uid_events_movement on uid_events (tenant_id, movement_id) where movement_id is not null;
create index stock_movements_doc on stock_movements (tenant_id, doc_type, doc_id) where doc_id is not null;
