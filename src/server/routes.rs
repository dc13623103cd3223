//! The HTTP surface: axum routes for the registration endpoints, JSON answers for
//! unmatched paths (404) and methods (405), and the `Cache-Control: no-store` /
//! `Pragma: no-cache` headers on every response. Extractor rejections are caught here
//! so that axum's plain-text error bodies never reach a client.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, PRAGMA};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::faults::Fault;
use super::ops::{App, Body};
use super::reply::{self, ApiError, Outcome};

/// The router serving `app`.
pub(super) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/oauth2/register", post(create))
        .route(super::TOKEN_PATH, post(token))
        .route("/.well-known/openid-configuration", get(metadata))
        .route("/.well-known/oauth-authorization-server", get(metadata))
        .route(
            "/oauth2/register/{id}",
            get(read).put(update).delete(delete),
        )
        .fallback(no_route)
        // Must come after the routes: it is installed on each route's method router.
        .method_not_allowed_fallback(wrong_method)
        .layer(middleware::map_response_with_state(
            app.clone(),
            cache_headers,
        ))
        .with_state(app)
}

type Id = Result<Path<String>, PathRejection>;

/// The server's metadata (OpenID Connect Discovery 1.0 §3, RFC 8414 §2): its issuer and
/// endpoints here, what registration supports (and the switch) in `advertised`.
async fn metadata(State(app): State<Arc<App>>) -> Response {
    if app.faults.contains(Fault::MetadataHtml) {
        // A frontend's catch-all route answers every unknown path with its page.
        let page = "<!DOCTYPE html><html><head><title>App</title></head>\
                    <body><div id=\"root\"></div></body></html>";
        return ([(CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response();
    }
    let base = &app.base_url;
    let doc = serde_json::json!({
        "issuer": base,
        "registration_endpoint": format!("{base}/oauth2/register"),
        "token_endpoint": format!("{base}{}", super::TOKEN_PATH),
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    });
    reply::respond(
        super::advertised::answer(&app, doc),
        &Method::GET,
        &app.faults,
    )
}
type RawBody = Result<Bytes, BytesRejection>;

/// The path's client id; one that cannot be decoded names no client.
fn client_id(id: Id) -> String {
    id.map(|Path(id)| id).unwrap_or_default()
}

fn body(raw: RawBody) -> Body {
    raw.map_err(|rejection| {
        let status = rejection.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "invalid_request"
        } else {
            "invalid_client_metadata"
        };
        ApiError::new(status, code, "The request body could not be read.")
    })
}

fn finish(app: &App, method: &Method, outcome: Outcome) -> Response {
    reply::respond(outcome, method, &app.faults)
}

async fn create(State(app): State<Arc<App>>, headers: HeaderMap, raw: RawBody) -> Response {
    let mut response = finish(&app, &Method::POST, app.create(&headers, body(raw)));
    if app.faults.contains(Fault::CreateTextPlain) && response.status().is_success() {
        response.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    }
    failed_after_success(&app, Fault::Create500Stored, response)
}

/// The `create-500-stored`, `read-500` and `update-500-stored` faults: a success whose answer goes out as a 500, body and all.
fn failed_after_success(app: &App, fault: Fault, mut response: Response) -> Response {
    if app.faults.contains(fault) && response.status().is_success() {
        *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    }
    response
}

/// POST /oauth2/token (`ops/token`).
async fn token(
    State(app): State<Arc<App>>,
    uri: Uri,
    headers: HeaderMap,
    raw: RawBody,
) -> Response {
    let body = raw.map_err(|_| ());
    let outcome = app.token(&headers, uri.query(), body);
    // The error-format faults (html-errors, text-errors, no-www-authenticate, ...) are
    // the registration API's; the token endpoint has its own (`token-*`), so that one
    // defect fails its one rule.
    reply::respond(outcome, &Method::POST, &Default::default())
}

async fn read(
    State(app): State<Arc<App>>,
    method: Method,
    id: Id,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    // `method` is GET or HEAD (axum routes HEAD to GET handlers).
    let mut response = finish(
        &app,
        &method,
        app.read(&client_id(id), uri.query(), &headers),
    );
    if app.faults.contains(Fault::ReadWrongContentType) && response.status() == StatusCode::OK {
        response.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    }
    failed_after_success(&app, Fault::Read500, response)
}

async fn update(
    State(app): State<Arc<App>>,
    id: Id,
    uri: Uri,
    headers: HeaderMap,
    raw: RawBody,
) -> Response {
    let mut response = finish(
        &app,
        &Method::PUT,
        app.update(&client_id(id), uri.query(), &headers, body(raw)),
    );
    if app.faults.contains(Fault::UpdateWrongContentType) && response.status().is_success() {
        response.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    }
    failed_after_success(&app, Fault::Update500Stored, response)
}

async fn delete(State(app): State<Arc<App>>, id: Id, uri: Uri, headers: HeaderMap) -> Response {
    finish(
        &app,
        &Method::DELETE,
        app.delete(&client_id(id), uri.query(), &headers),
    )
}

async fn no_route(State(app): State<Arc<App>>, method: Method) -> Response {
    finish(
        &app,
        &method,
        Err(ApiError::not_found("There is no such endpoint.")),
    )
}

async fn wrong_method(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    raw: RawBody,
) -> Response {
    if app.faults.contains(Fault::PatchMerges)
        && method == Method::PATCH
        && let Some(id) = uri.path().strip_prefix("/oauth2/register/")
    {
        let outcome = app.patch(id, uri.query(), &headers, body(raw));
        return finish(&app, &method, outcome);
    }
    let client_url = uri.path().starts_with("/oauth2/register/");
    if method == Method::POST
        && client_url
        && let Some(crash) = app.client_post()
    {
        return finish(&app, &method, Err(crash));
    }
    if app.faults.contains(Fault::UnsupportedMethod404) && client_url {
        return finish(
            &app,
            &method,
            Err(ApiError::not_found("There is no such endpoint.")),
        );
    }
    let description = format!("Method {method} is not allowed on this endpoint.");
    let error = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        description,
    );
    let mut response = finish(&app, &method, Err(error));
    if client_url {
        // axum adds its own Allow only where the handler set none.
        app.wrong_allow(response.headers_mut());
    }
    response
}

async fn cache_headers(State(app): State<Arc<App>>, mut response: Response) -> Response {
    if !app.faults.contains(Fault::NoCacheHeaders) {
        let headers = response.headers_mut();
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    }
    response
}
