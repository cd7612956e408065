//! A `#[cors]` route and a `Cors` middleware with the same policy answer the
//! same requests identically: status, every header line, body.
//!
//! "The same requests" are those the route serves: its methods' actual
//! requests and preflights asking for them. A preflight for a method no
//! handler of the path is registered for is refused by both, differently: the
//! middleware answers with its diagnostic 200 (or 403 with
//! `diagnostic_preflights(false)`), while no `#[cors]` handler claims it, so
//! the router answers 404 (see `other_methods_are_refused_by_both`). Likewise a
//! request with a method the route does not serve (say `OPTIONS` without
//! `Access-Control-Request-Method`) is not the route's: it gets the router's
//! 404, which an app-wide middleware decorates.

use std::time::Duration;

use crate::support::*;
use actix_web::dev::RequestHead;
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::{route, web, App, HttpResponse, Responder};
use cors_actix::{cors, Cors, CorsBuilder};

/// The handlers behind both the routes and the middleware.
async fn body() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "42"))
        .insert_header(("vary", "Accept-Encoding"))
        .insert_header(("set-cookie", "session=1"))
        .body("payload")
}

async fn fails() -> Result<HttpResponse, actix_web::Error> {
    Err(actix_web::error::ErrorConflict("conflict"))
}

async fn meddles() -> HttpResponse {
    HttpResponse::Accepted()
        .insert_header((ALLOW_ORIGIN, "*"))
        .insert_header((EXPOSE_HEADERS, "x-secret"))
        .insert_header((MAX_AGE, "1"))
        .insert_header(("vary", "*"))
        .finish()
}

// Policy 1: a full set of keys, with credentials.
const FULL_ORIGINS: [&str; 3] = ["https://app.example.com", "https://*.example.com", "null"];

#[cors(
    origins = ["https://app.example.com", "https://*.example.com", "null"],
    headers = ["content-type", "x-custom"],
    expose = ["x-request-id"],
    credentials = true,
    max_age = 600,
    private_network = true
)]
#[route("/r", method = "GET", method = "POST")]
async fn full_body() -> impl Responder {
    body().await
}

#[cors(
    origins = ["https://app.example.com", "https://*.example.com", "null"],
    headers = ["content-type", "x-custom"],
    expose = ["x-request-id"],
    credentials = true,
    max_age = 600,
    private_network = true
)]
#[route("/fails", method = "GET", method = "POST")]
async fn full_fails() -> Result<HttpResponse, actix_web::Error> {
    fails().await
}

#[cors(
    origins = ["https://app.example.com", "https://*.example.com", "null"],
    headers = ["content-type", "x-custom"],
    expose = ["x-request-id"],
    credentials = true,
    max_age = 600,
    private_network = true
)]
#[route("/meddles", method = "GET", method = "POST")]
async fn full_meddles() -> impl Responder {
    meddles().await
}

fn full_builder() -> CorsBuilder {
    Cors::builder()
        .allow_origins(FULL_ORIGINS)
        .allow_methods(["GET", "POST"])
        .allow_headers(["content-type", "x-custom"])
        .expose_headers(["x-request-id"])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600))
        .allow_private_network(true)
}

fn full_policy() -> Cors {
    full_builder().build().unwrap()
}

// Policy 2: any origin, any header, every header exposed, status 200.
#[cors(origins = "*", headers = "*", expose = "*", preflight_status = 200)]
#[route("/r", method = "GET", method = "POST")]
async fn any_body() -> impl Responder {
    body().await
}

#[cors(origins = "*", headers = "*", expose = "*", preflight_status = 200)]
#[route("/fails", method = "GET", method = "POST")]
async fn any_fails() -> Result<HttpResponse, actix_web::Error> {
    fails().await
}

#[cors(origins = "*", headers = "*", expose = "*", preflight_status = 200)]
#[route("/meddles", method = "GET", method = "POST")]
async fn any_meddles() -> impl Responder {
    meddles().await
}

fn any_policy() -> Cors {
    Cors::builder()
        .allow_any_origin()
        .allow_methods(["GET", "POST"])
        .allow_any_header()
        .expose_any_header()
        .preflight_status(StatusCode::OK)
        .build()
        .unwrap()
}

// Policy 3: an origin function and otherwise the defaults.
fn partner(origin: &str, _: &RequestHead) -> bool {
    origin.ends_with(".partner.test")
}

#[cors(origin_fn = partner)]
#[route("/r", method = "GET", method = "POST")]
async fn fn_body() -> impl Responder {
    body().await
}

#[cors(origin_fn = partner)]
#[route("/fails", method = "GET", method = "POST")]
async fn fn_fails() -> Result<HttpResponse, actix_web::Error> {
    fails().await
}

#[cors(origin_fn = partner)]
#[route("/meddles", method = "GET", method = "POST")]
async fn fn_meddles() -> impl Responder {
    meddles().await
}

fn fn_policy() -> Cors {
    Cors::builder()
        .allow_origin_fn(partner)
        .allow_methods(["GET", "POST"])
        .build()
        .unwrap()
}

// Policy 4: defaults, with headers and expose lists and credentials and
// expose "*" (the response's own names).
#[cors(origins = ["https://app.example.com"], expose = "*", credentials = true, headers = "*")]
#[route("/r", method = "GET", method = "POST")]
async fn cred_body() -> impl Responder {
    body().await
}

#[cors(origins = ["https://app.example.com"], expose = "*", credentials = true, headers = "*")]
#[route("/fails", method = "GET", method = "POST")]
async fn cred_fails() -> Result<HttpResponse, actix_web::Error> {
    fails().await
}

#[cors(origins = ["https://app.example.com"], expose = "*", credentials = true, headers = "*")]
#[route("/meddles", method = "GET", method = "POST")]
async fn cred_meddles() -> impl Responder {
    meddles().await
}

fn cred_policy() -> Cors {
    Cors::builder()
        .allow_origin("https://app.example.com")
        .allow_methods(["GET", "POST"])
        .expose_any_header()
        .allow_credentials(true)
        .allow_any_header()
        .build()
        .unwrap()
}

/// Every request of the comparison, for one path.
fn requests(path: &str) -> Vec<TestRequest> {
    let origins = [
        "https://app.example.com",
        "https://a.b.example.com",
        "https://shop.partner.test",
        "null",
        "https://evil.test",
        "https://app.example.com.evil.net",
        "HTTPS://APP.EXAMPLE.COM",
        "https://app.example.com/",
        "not an origin",
        // The request's own origin (as `ConnectionInfo` sees a test request).
        "http://localhost:8080",
    ];
    let mut out = Vec::new();
    for origin in origins {
        for method in ["GET", "POST"] {
            out.push(actual(method, origin).uri(path));
            out.push(
                actual(method, origin)
                    .uri(path)
                    .append_header(("cookie", "session=1")),
            );
            out.push(preflight(origin, method).uri(path));
            out.push(
                preflight(origin, method)
                    .uri(path)
                    .append_header((REQUEST_HEADERS, "content-type")),
            );
            out.push(
                preflight(origin, method)
                    .uri(path)
                    .append_header((REQUEST_HEADERS, "X-Custom,content-type")),
            );
            out.push(
                preflight(origin, method)
                    .uri(path)
                    .append_header((REQUEST_HEADERS, "x-other")),
            );
            out.push(
                preflight(origin, method)
                    .uri(path)
                    .append_header((REQUEST_HEADERS, "authorization")),
            );
            out.push(
                preflight(origin, method)
                    .uri(path)
                    .append_header((REQUEST_HEADERS, " , ,")),
            );
            out.push(
                preflight(origin, method)
                    .uri(path)
                    .append_header((REQUEST_PRIVATE_NETWORK, "true")),
            );
        }
        // Two Origin lines.
        out.push(
            actual("GET", origin)
                .uri(path)
                .append_header(("origin", "https://app.example.com")),
        );
    }
    out.push(no_origin().uri(path));
    out.push(
        no_origin()
            .method(Method::POST)
            .uri(path)
            .append_header(("cookie", "session=1")),
    );
    out
}

/// Each header name with its values, in order.
type HeaderLines = Vec<(String, Vec<Vec<u8>>)>;

/// Header lines grouped by name (the order of names in a header map is not
/// part of a response), with the order of one name's lines kept.
fn normalised(res: &Resp) -> (StatusCode, HeaderLines, Vec<u8>) {
    let mut names: Vec<&str> = res.headers.keys().map(|n| n.as_str()).collect();
    names.sort();
    names.dedup();
    let headers = names
        .into_iter()
        .map(|name| {
            let values = res
                .headers
                .get_all(name)
                .map(|v| v.as_bytes().to_vec())
                .collect();
            (name.to_owned(), values)
        })
        .collect();
    (res.status, headers, res.body.to_vec())
}

macro_rules! compare {
    ($policy:expr, $body:ident, $fails:ident, $meddles:ident) => {{
        let route_app =
            test::init_service(App::new().service($body).service($fails).service($meddles)).await;
        let app_wide = test::init_service(
            App::new()
                .wrap($policy)
                .route("/r", web::get().to(body))
                .route("/r", web::post().to(body))
                .route("/fails", web::get().to(fails))
                .route("/fails", web::post().to(fails))
                .route("/meddles", web::get().to(meddles))
                .route("/meddles", web::post().to(meddles)),
        )
        .await;
        let per_resource = test::init_service(
            App::new()
                .service(
                    web::resource("/r")
                        .wrap($policy)
                        .route(web::get().to(body))
                        .route(web::post().to(body)),
                )
                .service(
                    web::resource("/fails")
                        .wrap($policy)
                        .route(web::get().to(fails))
                        .route(web::post().to(fails)),
                )
                .service(
                    web::resource("/meddles")
                        .wrap($policy)
                        .route(web::get().to(meddles))
                        .route(web::post().to(meddles)),
                ),
        )
        .await;
        // The route under an unrelated global policy answers as it does alone.
        let route_under_global = test::init_service(
            App::new()
                .wrap(
                    Cors::builder()
                        .allow_origins(["https://evil.test", "https://app.example.com"])
                        .allow_any_method()
                        .allow_any_header()
                        .expose_headers(["x-global"])
                        .max_age(Duration::from_secs(5))
                        .build()
                        .unwrap(),
                )
                .service($body)
                .service($fails)
                .service($meddles),
        )
        .await;
        let mut compared = 0;
        for path in ["/r", "/fails", "/meddles"] {
            let (a, b, c) = (requests(path), requests(path), requests(path));
            for ((a, b), c) in a.into_iter().zip(b).zip(c) {
                let _ = a;
                let from_route = send_to(&route_app, b).await;
                let from_app = send_to(&app_wide, c).await;
                assert_eq!(
                    normalised(&from_route),
                    normalised(&from_app),
                    "{}: route {from_route:?}\nmiddleware {from_app:?}",
                    stringify!($policy)
                );
                compared += 1;
            }
            let (b, c) = (requests(path), requests(path));
            for (b, c) in b.into_iter().zip(c) {
                let alone = send_to(&route_app, b).await;
                let under_global = send_to(&route_under_global, c).await;
                assert_eq!(
                    normalised(&alone),
                    normalised(&under_global),
                    "{}: route {alone:?}\nroute under a global policy {under_global:?}",
                    stringify!($policy)
                );
            }
            let (b, c) = (requests(path), requests(path));
            for (b, c) in b.into_iter().zip(c) {
                let from_route = send_to(&route_app, b).await;
                let from_resource = send_to(&per_resource, c).await;
                assert_eq!(
                    normalised(&from_route),
                    normalised(&from_resource),
                    "{}: route {from_route:?}\nresource middleware {from_resource:?}",
                    stringify!($policy)
                );
            }
        }
        assert!(compared > 300, "{compared}");
    }};
}

#[actix_web::test]
async fn full_policy_answers_alike() {
    compare!(full_policy(), full_body, full_fails, full_meddles);
}

#[actix_web::test]
async fn any_origin_policy_answers_alike() {
    compare!(any_policy(), any_body, any_fails, any_meddles);
}

#[actix_web::test]
async fn origin_fn_policy_answers_alike() {
    compare!(fn_policy(), fn_body, fn_fails, fn_meddles);
}

#[actix_web::test]
async fn credentials_and_expose_any_answer_alike() {
    compare!(cred_policy(), cred_body, cred_fails, cred_meddles);
}

/// The one difference: a preflight for a method the route is not registered
/// for. Both refuse it: the route grants nothing, the middleware answers with
/// its diagnostic 200, which lists only the allowed methods, or with
/// `diagnostic_preflights(false)` its 403.
#[actix_web::test]
async fn other_methods_are_refused_by_both() {
    let route_app = test::init_service(App::new().service(full_body)).await;
    let app_wide = |cors: Cors| {
        test::init_service(
            App::new()
                .wrap(cors)
                .route("/r", web::get().to(body))
                .route("/r", web::post().to(body)),
        )
    };
    let diagnosing = app_wide(full_policy()).await;
    let strict = app_wide(full_builder().diagnostic_preflights(false).build().unwrap()).await;
    let preflight = |method| {
        preflight("https://app.example.com", method)
            .uri("/r")
            .append_header((REQUEST_PRIVATE_NETWORK, "true"))
    };
    for method in ["PUT", "DELETE", "get", "GET "] {
        let from_route = send_to(&route_app, preflight(method)).await;
        from_route.assert_preflight_refused();
        assert_eq!(from_route.status, StatusCode::NOT_FOUND);

        let from_app = send_to(&diagnosing, preflight(method)).await;
        from_app.assert_diagnosed_preflight(
            if method == "GET " {
                MALFORMED_METHOD
            } else {
                REFUSED_METHOD
            },
            &[
                (ALLOW_ORIGIN, "https://app.example.com"),
                (ALLOW_CREDENTIALS, "true"),
                (ALLOW_METHODS, "GET, POST"),
                (ALLOW_HEADERS, "content-type, x-custom"),
                ("vary", PREFLIGHT_VARY_PN),
            ],
        );

        let from_app = send_to(&strict, preflight(method)).await;
        from_app.assert_refused_preflight(
            if method == "GET " {
                MALFORMED_METHOD
            } else {
                REFUSED_METHOD
            },
            PREFLIGHT_VARY_PN,
        );
    }
}
