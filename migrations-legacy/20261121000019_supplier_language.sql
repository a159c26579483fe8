-- The language of the documents sent to a supplier (purchase order PDF and e-mail); null: the
-- company's default language.
alter table suppliers add column language text check (language in ('en', 'hi', 'bn', 'te', 'ar'));
