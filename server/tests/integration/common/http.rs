//! Requests as the tests make them. Only the helpers whose doc says "must" check the status: the
//! others hand it back, so that each test asserts the answers its scenario is about.
use super::TestApp;
use reqwest::{Client, Method};
use serde_json::{json, Value};

/// The JSON body of an answer; one that is not JSON fails the test.
pub async fn json(res: reqwest::Response) -> Value {
    res.json().await.expect("json body")
}

/// One JSON request: the status and the body (`Null` when it is not JSON).
pub async fn call(
    c: &Client,
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = c.request(method, app.url(path));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// `GET`: the status and the body, as [`call`].
pub async fn get(c: &Client, app: &TestApp, path: &str) -> (u16, Value) {
    call(c, app, Method::GET, path, None).await
}

/// `POST` of `body`: the status and the body, as [`call`].
pub async fn post(c: &Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    call(c, app, Method::POST, path, Some(body)).await
}

/// `POST` without a body, as a button that only names its action: the status and the body, as
/// [`call`].
pub async fn post_empty(c: &Client, app: &TestApp, path: &str) -> (u16, Value) {
    call(c, app, Method::POST, path, None).await
}

/// `PUT` of `body`: the status and the body, as [`call`].
pub async fn put(c: &Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    call(c, app, Method::PUT, path, Some(body)).await
}

/// `DELETE`: the status and the body, as [`call`].
pub async fn delete(c: &Client, app: &TestApp, path: &str) -> (u16, Value) {
    call(c, app, Method::DELETE, path, None).await
}

/// `GET` that must succeed: the envelope's `data`.
pub async fn data_of(c: &Client, app: &TestApp, path: &str) -> Value {
    let (status, body) = get(c, app, path).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    body["data"].clone()
}

/// The whole JSON body a `GET` answers (the envelope, for the REST API), whatever the status; a
/// body that is not JSON fails the test.
pub async fn json_of(c: &Client, app: &TestApp, path: &str) -> Value {
    json(c.get(app.url(path)).send().await.expect("get")).await
}

/// A page's HTML, whatever the status, without the hydration markers (`<!>`) that split its
/// text where the reader sees none.
pub async fn page(c: &Client, app: &TestApp, path: &str) -> String {
    html(c.get(app.url(path))).await
}

/// [`page`] as a browser asking for `accept_language` gets it.
pub async fn page_in(c: &Client, app: &TestApp, path: &str, accept_language: &str) -> String {
    html(
        c.get(app.url(path))
            .header("accept-language", accept_language),
    )
    .await
}

async fn html(req: reqwest::RequestBuilder) -> String {
    req.send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html")
        .replace("<!>", "")
}

/// Server function `name` called as its page's form calls it, with url-encoded `fields`: the
/// answer, unchecked.
pub async fn server_fn(
    c: &Client,
    app: &TestApp,
    name: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    c.post(app.url(&format!("/sfn/{name}")))
        .form(fields)
        .send()
        .await
        .expect("server function")
}

/// Saves the signed-in user's language (which then wins over the browser's); must answer 200.
pub async fn set_language(c: &Client, app: &TestApp, language: &str) {
    let (status, body) = put(
        c,
        app,
        "/api/v1/auth/me/language",
        json!({ "language": language }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

/// An API token of `c`'s user, for an integration; creating it must answer 201. The secret (shown
/// only now) and the token's id.
pub async fn api_token(c: &Client, app: &TestApp, name: &str) -> (String, String) {
    let (status, body) = post(c, app, "/api/v1/auth/tokens", json!({ "name": name })).await;
    assert_eq!(status, 201, "{body}");
    let token = body["data"]["token"].as_str().expect("token").to_string();
    (token, id_of(&body["data"]))
}

/// `v["id"]` as a string; a value without one fails the test.
pub fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

/// Header `name` of an answer, when it is there and text.
pub fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}
