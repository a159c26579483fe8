-- The item master's tax facts: the HSN (goods) or SAC (services) code an Indian invoice line
-- carries, and the item's GST rate in percent (the rate a supplier invoice line is checked against).
-- Both optional: a tenant outside India has neither.
alter table items
  add column hsn_sac text check (hsn_sac ~ '^[0-9]{4}([0-9]{2}){0,2}$'),
  add column gst_rate numeric(5,2) check (gst_rate >= 0 and gst_rate <= 100);
