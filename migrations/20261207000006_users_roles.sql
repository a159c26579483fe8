-- Users and roles kept by the tenant's administrators (issue 25): who holds a role is looked up by
-- the role (the user list's role filter, a role in use that may not be deleted, the last holder of
-- the administration permissions), and a role's name stays short enough to show.
create index user_roles_role on user_roles (tenant_id, role_id, user_id);
alter table roles add constraint roles_name_length check (length(name) between 1 and 60);
