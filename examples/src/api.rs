//! The demo API: a global policy for the page's origins, plus one route with
//! its own `#[cors]` policy.

use actix_web::cookie::Cookie;
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

/// Registers the API's routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/posts", web::get().to(list_posts))
        .route("/api/posts", web::delete().to(delete_posts))
        .route("/api/posts", web::put().to(replace_posts))
        .route("/api/headers", web::get().to(with_headers))
        .route("/api/login", web::post().to(login))
        .route("/api/me", web::get().to(me))
        .service(public_stats);
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
