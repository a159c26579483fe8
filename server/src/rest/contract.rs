//! What the OpenAPI document says beyond each handler's own annotation.
//!
//! Some answers come from how the server is built rather than from any one handler: the context
//! middleware refuses an unknown bearer token everywhere and a cookie-signed write without this
//! site's `Origin`; [`super::ApiJson`] and [`super::OptionalJson`] answer 400, 413 and 422 for
//! bodies; [`super::ApiQuery`] and [`super::ListQuery`] 422 for query parameters; an `{id}` that
//! names nothing is 404; the `Idempotency-Key` layer answers 409 and 422 on the creating POSTs.
//! [`CommonErrors`] adds those answers to every operation whose shape calls for them (its
//! method, body, parameters, path), so no handler lists them by hand and a new module's
//! operations are documented the same way. A handler's annotation lists what only it answers —
//! the 403 of a permission it checks, the 409 of a lost race, a 422 for a state — and where it
//! names a status listed here too, the two descriptions are joined.
//!
//! Every error answer carries the error envelope ([`super::ErrorEnvelope`]) as
//! `application/json`. `scripts/contract` fuzzes the server against the result.
use super::idempotency::CREATING;
use std::borrow::Cow;
use utoipa::openapi::content::Content;
use utoipa::openapi::header::Header;
use utoipa::openapi::path::{Operation, Parameter, ParameterIn};
use utoipa::openapi::response::Response;
use utoipa::openapi::schema::{KnownFormat, Object, ObjectBuilder, SchemaFormat, SchemaType, Type};
use utoipa::openapi::{OpenApi, RefOr, Required, Schema};
use utoipa::{Modify, PartialSchema, ToSchema};

/// The prefix of the operations the middleware and extractors stand in front of (`/health`,
/// `/ready` and `/metrics` are outside it and answer only what they list).
const API: &str = "/api/v1/";

/// Adds the shared error answers to every `/api/v1` operation that can give them.
pub struct CommonErrors;

/// What an operation looks like, for deciding which shared answers apply.
struct Shape {
    path: String,
    method: &'static str,
    public: bool,
    json_body: bool,
    body: bool,
    path_params: bool,
    query_params: bool,
    /// A query parameter of free text (a string without a format or a list of values): it
    /// reaches the database, which cannot store a NUL character.
    text_params: bool,
}

impl Shape {
    fn of(path: &str, method: &'static str, op: &Operation) -> Shape {
        let params = op.parameters.as_deref().unwrap_or_default();
        let has = |place: ParameterIn| params.iter().any(|p| p.parameter_in == place);
        let free_text = |p: &&Parameter| {
            let schema = serde_json::to_value(&p.schema).unwrap_or_default();
            p.parameter_in == ParameterIn::Query
                && schema["type"] == "string"
                && schema.get("format").is_none()
                && schema.get("enum").is_none()
        };
        let body_types: Vec<&String> = op
            .request_body
            .as_ref()
            .map(|b| b.content.keys().collect())
            .unwrap_or_default();
        Shape {
            path: path.to_string(),
            method,
            public: op.security.as_ref().is_none_or(Vec::is_empty),
            json_body: body_types.iter().any(|t| *t == "application/json"),
            body: !body_types.is_empty(),
            path_params: has(ParameterIn::Path),
            query_params: has(ParameterIn::Query),
            text_params: params.iter().any(|p| free_text(&p)),
        }
    }

    fn writes(&self) -> bool {
        matches!(self.method, "post" | "put" | "patch" | "delete")
    }

    /// A creating POST that honours `Idempotency-Key` ([`super::idempotency`]).
    fn idempotent(&self) -> bool {
        self.method == "post"
            && self
                .path
                .strip_prefix("/api/v1")
                .is_some_and(|p| CREATING.contains(&p))
    }
}

/// The shared answers of one operation: status and why.
fn shared_answers(s: &Shape) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if s.body {
        out.push((
            "400",
            if s.json_body {
                "BAD_REQUEST: a body that is not JSON (or JSON not sent as `application/json`), or text with a NUL character"
            } else {
                "BAD_REQUEST: a body that cannot be read"
            },
        ));
    }
    if s.text_params {
        out.push(("400", "BAD_REQUEST: a query parameter with a NUL character"));
    }
    out.push((
        "401",
        if s.public {
            "UNAUTHENTICATED: a bearer token that is unknown, expired or revoked (refused on every operation)"
        } else {
            "UNAUTHENTICATED: no signed-in session and no valid bearer token"
        },
    ));
    if s.writes() {
        out.push((
            "403",
            "FORBIDDEN: signed in by session cookie without this site's `Origin` (or `Referer`); bearer-token clients are exempt",
        ));
    }
    if !s.public && !app::platform::two_factor::open_before_enrolment(&s.path) {
        out.push((
            "403",
            "TOTP_ENROLMENT_REQUIRED: the company requires two-factor sign-in for one of the caller's roles and they have not set it up yet (POST /api/v1/auth/totp/setup, then /enable)",
        ));
    }
    if !s.public && !app::platform::onboarding::open_while_unverified(&s.path) {
        out.push((
            "403",
            "EMAIL_VERIFICATION_REQUIRED: the company's sign-up e-mail address was not verified within 7 days; it is paused until the e-mailed link is opened",
        ));
    }
    if s.path_params {
        out.push((
            "404",
            "NOT_FOUND: nothing by that identifier in the caller's company (another company's record, or a malformed identifier, is the same)",
        ));
    }
    if s.idempotent() {
        out.push((
            "409",
            "CONFLICT: a request with the same `Idempotency-Key` is still running",
        ));
    }
    if s.json_body {
        out.push(("413", "PAYLOAD_TOO_LARGE: a body over 1 MiB"));
    }
    if s.json_body {
        out.push((
            "422",
            "VALIDATION_ERROR: a field missing or of the wrong type, named in `details`",
        ));
    }
    if s.query_params {
        out.push((
            "422",
            "VALIDATION_ERROR: a query parameter that does not parse or is out of range, named in `details`",
        ));
    }
    if s.idempotent() {
        out.push((
            "422",
            "VALIDATION_ERROR: an `Idempotency-Key` used before with a different body, or longer than 200 characters",
        ));
    }
    out.push((
        "503",
        "SERVICE_UNAVAILABLE: the database or the session store does not answer; retry later",
    ));
    out
}

fn error_content() -> Content {
    Content::new(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
        super::ErrorEnvelope::name(),
    ))))
}

fn string_header(description: &str) -> Header {
    let mut h = Header::new(ObjectBuilder::new().schema_type(Type::String));
    h.description = Some(description.to_string());
    h
}

/// Joins `why` to the answer's description (once), gives it the error envelope and the headers
/// the middleware sets with it.
fn add_answer(op: &mut Operation, status: &str, why: &str) {
    let answer = op
        .responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| RefOr::T(Response::new("")));
    let RefOr::T(answer) = answer else {
        return;
    };
    if answer.description.is_empty() {
        answer.description = why.to_string();
    } else if !answer.description.contains(why) {
        answer.description = format!("{}; {why}", answer.description);
    }
}

/// Every error answer of an `/api/v1` operation is the error envelope in JSON; a 401 names the
/// schemes in `WWW-Authenticate`, a 429 says when to retry.
fn envelope_errors(op: &mut Operation) {
    for (status, answer) in op.responses.responses.iter_mut() {
        let RefOr::T(answer) = answer else { continue };
        if status.starts_with('4') || status.starts_with('5') {
            if answer.content.is_empty() {
                answer
                    .content
                    .insert("application/json".into(), error_content());
            }
            if answer.description.is_empty() {
                answer.description = "The error envelope".into();
            }
        }
        if status == "401" {
            answer
                .headers
                .insert("WWW-Authenticate".into(), string_header("`Bearer, Cookie`"));
        }
        if status == "429" {
            answer.headers.insert(
                "Retry-After".into(),
                string_header("Seconds to wait before trying again"),
            );
        }
        answer.headers.insert(
            "X-Request-Id".into(),
            string_header("The request's id: the one sent, else a new one"),
        );
    }
}

/// A body the handler reads with [`super::OptionalJson`] is annotated `request_body = Option<T>`,
/// which utoipa renders as required `oneOf [null, T]`. The server takes no body as `T`'s default
/// but refuses a JSON `null` like any other value that is not `T`: the document says `T`, not
/// required.
fn optional_body(op: &mut Operation) {
    let Some(body) = op.request_body.as_mut() else {
        return;
    };
    for content in body.content.values_mut() {
        let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema else {
            continue;
        };
        let null = serde_json::json!({ "type": "null" });
        let (nulls, rest): (Vec<&RefOr<Schema>>, Vec<&RefOr<Schema>>) = one_of
            .items
            .iter()
            .partition(|s| serde_json::to_value(s).is_ok_and(|v| v == null));
        if let ([_], [only]) = (nulls.as_slice(), rest.as_slice()) {
            let only = (*only).clone();
            content.schema = Some(only);
            body.required = Some(Required::False);
        }
    }
}

/// The `Idempotency-Key` header of a creating POST.
fn idempotency_key() -> Parameter {
    let mut p = Parameter::new("Idempotency-Key");
    p.parameter_in = ParameterIn::Header;
    p.required = Required::False;
    p.description = Some(
        "A retry with the same key (and body) answers the first result instead of creating a duplicate"
            .into(),
    );
    p.schema = Some(RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(200))
            .build(),
    )));
    p
}

impl Modify for CommonErrors {
    fn modify(&self, doc: &mut OpenApi) {
        for (path, item) in doc.paths.paths.iter_mut() {
            if !path.starts_with(API) {
                continue;
            }
            let ops = [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("patch", &mut item.patch),
            ];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                optional_body(op);
                let shape = Shape::of(path, method, op);
                if shape.idempotent() {
                    op.parameters
                        .get_or_insert_with(Vec::new)
                        .push(idempotency_key());
                }
                for (status, why) in shared_answers(&shape) {
                    add_answer(op, status, why);
                }
                export_answers(op);
                envelope_errors(op);
            }
        }
    }
}

/// Whether the operation is a list that answers files too: it takes `format` with `xlsx` among
/// its values ([`super::export::ExportQuery`]).
fn exports(op: &Operation) -> bool {
    format_offers(op, "xlsx")
}

/// Whether the operation's `format` offers `value` (a report's also offers `pdf`).
fn format_offers(op: &Operation, value: &str) -> bool {
    op.parameters.iter().flatten().any(|p| {
        p.name == "format"
            && p.parameter_in == ParameterIn::Query
            && serde_json::to_value(&p.schema).is_ok_and(|s| {
                s["enum"]
                    .as_array()
                    .is_some_and(|values| values.iter().any(|v| v == value))
            })
    })
}

/// A list's 200 with `format=csv|xlsx`: the file's two content types and its headers.
fn export_answers(op: &mut Operation) {
    if !exports(op) {
        return;
    }
    let pdf = format_offers(op, "pdf");
    let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") else {
        return;
    };
    let csv = ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(
            "UTF-8 with a byte-order mark, RFC 4180: a header row in the caller's language, then one row per record; numbers as plain decimals (`1234.50`)",
        ))
        .build();
    ok.content
        .insert("text/csv".into(), Content::new(Some(Schema::Object(csv))));
    ok.content.insert(
        app::platform::export::XLSX_TYPE.into(),
        Content::new(Some(Binary::schema())),
    );
    // the finance reports answer `format=pdf` too, with the same headers
    if pdf {
        ok.content.insert(
            "application/pdf".into(),
            Content::new(Some(Binary::schema())),
        );
    }
    ok.headers.insert(
        "Content-Disposition".into(),
        string_header(
            "With `format=csv|xlsx`: `attachment; filename=\"{list}-{YYYY-MM-DD}.{csv|xlsx}\"` (the company's today)",
        ),
    );
    ok.headers.insert(
        super::export::TRUNCATED.into(),
        string_header(
            "With `format=csv|xlsx`: `true` when the file holds fewer rows than the filters find (over 50,000, or a text search that found more than it reads; the file's last line says so), else `false`",
        ),
    );
    let why = "With `format=csv` or `format=xlsx`: every row the filters find, as a file";
    if ok.description.is_empty() {
        ok.description = why.into();
    } else if !ok.description.contains(why) {
        ok.description = format!("{}; {why}", ok.description);
    }
}

/// A file's bytes, for the answers that are files (PDF, images, office documents).
pub struct Binary;

impl PartialSchema for Binary {
    fn schema() -> RefOr<Schema> {
        RefOr::T(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                .build(),
        ))
    }
}

impl ToSchema for Binary {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Binary")
    }
}

/// An uploaded file: any bytes (what they must be is the operation's to say, and its answer's
/// to report), so the document admits every body.
pub struct AnyFile;

impl PartialSchema for AnyFile {
    fn schema() -> RefOr<Schema> {
        RefOr::T(Schema::Object(
            ObjectBuilder::new()
                .schema_type(SchemaType::AnyValue)
                .description(Some("A file: any bytes"))
                .build(),
        ))
    }
}

impl ToSchema for AnyFile {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("AnyFile")
    }
}

/// One event of the notification stream, as a server-sent event: `event: unread` and `data:` the
/// caller's unread count in decimal digits.
pub struct UnreadEvent;

impl PartialSchema for UnreadEvent {
    fn schema() -> RefOr<Schema> {
        let event = ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(["unread"]))
            .description(Some("The event's name: always `unread`"));
        let data = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some("^[0-9]+$"))
            .description(Some("The caller's unread count, in decimal digits"));
        RefOr::T(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .property("event", event)
                .property("data", data)
                .required("event")
                .required("data")
                .description(Some(
                    "A server-sent event (`event:` and `data:` lines); comment lines keep the connection alive",
                ))
                .build(),
        ))
    }
}

impl ToSchema for UnreadEvent {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("UnreadEvent")
    }
}

/// A string query parameter that takes one of `values`; empty is the same as leaving it out.
fn one_of(values: &[&str], empty_means: &str) -> Object {
    let mut all: Vec<&str> = values.to_vec();
    all.push("");
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(all))
        .description(Some(format!("Empty: {empty_means}")))
        .build()
}

/// `status` of the requisition list.
pub fn requisition_status() -> Object {
    one_of(
        &[
            "draft",
            "submitted",
            "under_review",
            "approved",
            "questioned",
            "rejected",
            "cancelled",
        ],
        "any status",
    )
}

/// `status` of the purchase order list.
pub fn po_status() -> Object {
    one_of(
        &[
            "draft",
            "pending_approval",
            "approved",
            "sent",
            "partially_received",
            "received",
            "closed",
            "cancelled",
        ],
        "any status",
    )
}

/// `doc_type` of the approval rules: the kinds of document the approval engine routes.
pub fn rule_doc_type() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["requisition", "purchase_order", "invoice"]))
        .default(Some("requisition".into()))
        .build()
}

#[cfg(test)]
mod tests {
    use super::super::openapi::ApiDoc;
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::RefOr;
    use utoipa::OpenApi;

    fn operations() -> Vec<(String, String, utoipa::openapi::path::Operation)> {
        let doc = ApiDoc::openapi();
        let mut out = Vec::new();
        for (path, item) in doc.paths.paths {
            for (m, op) in [
                ("get", item.get),
                ("put", item.put),
                ("post", item.post),
                ("delete", item.delete),
                ("patch", item.patch),
            ] {
                if let Some(op) = op {
                    out.push((path.clone(), m.to_string(), op));
                }
            }
        }
        out
    }

    #[test]
    fn every_api_operation_lists_the_shared_answers_with_the_envelope() {
        for (path, method, op) in operations() {
            if !path.starts_with(super::API) {
                continue;
            }
            let statuses: Vec<&String> = op.responses.responses.keys().collect();
            assert!(
                statuses.iter().any(|s| *s == "401"),
                "{method} {path}: {statuses:?}"
            );
            if method != "get" {
                assert!(
                    statuses.iter().any(|s| *s == "403"),
                    "{method} {path}: {statuses:?}"
                );
            }
            if path.contains('{') {
                assert!(
                    statuses.iter().any(|s| *s == "404"),
                    "{method} {path}: {statuses:?}"
                );
            }
            if op.request_body.is_some() {
                assert!(
                    statuses.iter().any(|s| *s == "400"),
                    "{method} {path}: {statuses:?}"
                );
            }
            for (status, answer) in &op.responses.responses {
                let RefOr::T(answer) = answer else { continue };
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        answer.content.contains_key("application/json"),
                        "{method} {path} {status} has no error envelope"
                    );
                }
            }
        }
    }

    #[test]
    fn parameters_are_where_the_server_reads_them() {
        for (path, method, op) in operations() {
            for p in op.parameters.unwrap_or_default() {
                match p.parameter_in {
                    ParameterIn::Path => assert!(
                        path.contains(&format!("{{{}}}", p.name)),
                        "{method} {path}: `{}` is not in the path",
                        p.name
                    ),
                    ParameterIn::Query | ParameterIn::Header => {}
                    _ => panic!("{method} {path}: `{}` in an unexpected place", p.name),
                }
            }
        }
    }

    #[test]
    fn the_exporting_lists_document_their_files() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        for path in [
            "/api/v1/requisitions",
            "/api/v1/purchase-orders",
            "/api/v1/suppliers",
            "/api/v1/items",
            "/api/v1/inventory",
            "/api/v1/inventory/movements",
        ] {
            let op = &doc["paths"][path]["get"];
            let format = op["parameters"]
                .as_array()
                .and_then(|ps| ps.iter().find(|p| p["name"] == "format"))
                .cloned()
                .unwrap_or_default();
            assert_eq!(format["in"], "query", "{path}");
            let ok = &op["responses"]["200"];
            for t in [
                "application/json",
                "text/csv",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ] {
                assert!(ok["content"][t].is_object(), "{path}: {t}");
            }
            assert!(ok["headers"]["Content-Disposition"].is_object(), "{path}");
        }
        // the audit log's CSV stays as it was
        let audit = &doc["paths"]["/api/v1/audit"]["get"]["responses"]["200"]["content"];
        assert!(
            audit["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"].is_null()
        );
    }

    #[test]
    fn paging_is_documented_with_its_limits() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        let params = &doc["paths"]["/api/v1/requisitions"]["get"]["parameters"];
        let per_page = params
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == "per_page"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(per_page["in"], "query");
        assert_eq!(per_page["schema"]["maximum"], 100);
        assert_eq!(per_page["schema"]["minimum"], 1);
        assert!(doc["paths"]["/api/v1/requisitions"]["get"]["responses"]["422"].is_object());
    }
}
