//! The demo API: a global policy for the page's origins, plus one route with
//! its own `#[cors]` policy, and `/api/explain`, which says what the policy
//! decides for a request the page describes.

use std::collections::HashMap;

use actix_web::cookie::Cookie;
use actix_web::dev::RequestHead;
use actix_web::http::header::{HeaderName, HeaderValue, ORIGIN};
use actix_web::http::Method;
use actix_web::{get, web, HttpRequest, HttpResponse, Responder};
use cors_actix::{cors, Cors, CorsConfigError};

/// The policy the whole API is wrapped in: the page may read posts, delete
/// them after a preflight, send `X-Custom-Header`, read `X-Request-Id`, and
/// send cookies. It may not PUT, nor send `X-Forbidden-Header`.
pub fn api_cors(page_origins: &[String]) -> Result<Cors, CorsConfigError> {
    Cors::builder()
        .allow_origins(page_origins)
        .allow_methods(["GET", "POST", "DELETE"])
        .allow_headers(["x-custom-header", "content-type"])
        .expose_headers(["x-request-id"])
        .allow_credentials(true)
        .max_age(std::time::Duration::from_secs(600))
        .build()
}

/// Registers the API's routes; `cors` is the policy the app is wrapped in,
/// which `/api/explain` explains.
pub fn configure(cors: Cors) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(web::Data::new(cors));
        routes(cfg);
    }
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/explain", web::get().to(explain))
        .route("/api/posts", web::get().to(list_posts))
        .route("/api/posts", web::delete().to(delete_posts))
        .route("/api/posts", web::put().to(replace_posts))
        .route("/api/headers", web::get().to(with_headers))
        .route("/api/login", web::post().to(login))
        .route("/api/me", web::get().to(me))
        .service(public_stats);
}

/// What the API's CORS policies decide for the request the page describes
/// (`method`, `path`, `headers`: the request headers it sets, comma
/// separated), from the page's own origin: the preflight, when the browser
/// sends one, then the actual request, one explanation per line, from
/// `Cors::explain_in_app` (which finds a route's own policy as the
/// middleware does).
async fn explain(
    req: HttpRequest,
    cors: web::Data<Cors>,
    query: web::Query<HashMap<String, String>>,
) -> HttpResponse {
    let Some(origin) = req.headers().get(ORIGIN).cloned() else {
        return HttpResponse::BadRequest().body("ask from the demo page: no Origin header");
    };
    let field = |name: &str| query.get(name).map(String::as_str).unwrap_or_default();
    let (Ok(method), Ok(uri)) = (
        Method::from_bytes(field("method").as_bytes()),
        field("path").parse::<actix_web::http::Uri>(),
    ) else {
        return HttpResponse::BadRequest().body("method and path, please");
    };
    let headers: Vec<String> = field("headers")
        .split(',')
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    let head = |method: Method| {
        let mut head = RequestHead::default();
        head.method = method;
        head.uri = uri.clone();
        head.headers.insert(ORIGIN, origin.clone());
        head
    };
    let mut lines = Vec::new();
    // The browser sends a preflight for any method but GET, HEAD and POST,
    // and for any request header it does not safelist (the demo sets only
    // such headers).
    if !matches!(method, Method::GET | Method::HEAD | Method::POST) || !headers.is_empty() {
        let mut preflight = head(Method::OPTIONS);
        let value = |text: &str| HeaderValue::from_str(text).ok();
        if let Some(value) = value(method.as_str()) {
            preflight.headers.insert(
                HeaderName::from_static("access-control-request-method"),
                value,
            );
        }
        if let Some(value) = value(&headers.join(",")).filter(|_| !headers.is_empty()) {
            preflight.headers.insert(
                HeaderName::from_static("access-control-request-headers"),
                value,
            );
        }
        let explained = cors.explain_in_app(&req, &preflight);
        let sent = explained.allowed;
        lines.push(explained.to_string());
        if !sent {
            return HttpResponse::Ok()
                .content_type("text/plain")
                .body(lines.join("\n"));
        }
    }
    lines.push(cors.explain_in_app(&req, &head(method)).to_string());
    HttpResponse::Ok()
        .content_type("text/plain")
        .body(lines.join("\n"))
}

async fn list_posts() -> impl Responder {
    HttpResponse::Ok().json(["foo", "bar"])
}

async fn delete_posts() -> impl Responder {
    log::info!("posts deleted");
    HttpResponse::NoContent()
}

async fn replace_posts() -> impl Responder {
    log::info!("posts replaced");
    HttpResponse::Ok().json(["replaced"])
}

async fn with_headers() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("X-Request-Id", "req-42"))
        .insert_header(("X-Internal", "secret"))
        .body("two headers: one exposed, one not")
}

async fn login() -> impl Responder {
    HttpResponse::Ok()
        .cookie(
            Cookie::build("session", "demo-user")
                .path("/")
                .http_only(true)
                .finish(),
        )
        .body("logged in")
}

async fn me(req: HttpRequest) -> impl Responder {
    match req.cookie("session") {
        Some(cookie) => HttpResponse::Ok().body(format!("hello {}", cookie.value())),
        None => HttpResponse::Unauthorized().body("no session cookie"),
    }
}

/// Public statistics anyone may read: this route's own policy replaces the
/// API's global one.
#[cors(origins = ["*"], expose = ["x-total"])]
#[get("/api/public")]
async fn public_stats() -> impl Responder {
    HttpResponse::Ok().insert_header(("X-Total", "2")).json(2)
}
