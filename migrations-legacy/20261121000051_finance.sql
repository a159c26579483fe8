-- GST under reverse charge (issue 26): the buyer owes the tax to the government, not to the
-- supplier, so an invoice of a reverse-charge supplier books its GST as input and as payable by
-- the company on an account of its own. Indian charts made before gain that account.
alter table accounts drop constraint accounts_control_check;
alter table accounts add constraint accounts_control_check check (control in ('ap', 'grni', 'inventory',
  'gst_input_cgst', 'gst_input_sgst', 'gst_input_igst', 'tax_input', 'tds_payable', 'bank',
  'price_variance', 'stock_adjustment', 'consumption', 'in_transit', 'opening_balance', 'gst_rcm_payable'));

insert into accounts (tenant_id, code, name, kind, parent_id, control)
select g.tenant_id, '2223', 'GST payable — reverse charge', 'liability', g.id, 'gst_rcm_payable'
  from accounts g
 where g.code = '2220' and g.is_group and g.kind = 'liability'
   and exists (select 1 from accounts x where x.tenant_id = g.tenant_id and x.control = 'gst_input_cgst')
   and not exists (select 1 from accounts y where y.tenant_id = g.tenant_id and (y.control = 'gst_rcm_payable' or y.code = '2223'));
