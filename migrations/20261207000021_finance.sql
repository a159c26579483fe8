-- Reviewing a proposed payment run (issue 26): the accountant changes what the run pays of an
-- invoice (part of it) or drops the invoice from the run, while the run is still proposed.
grant update, delete on payment_run_lines to millwright_app;
