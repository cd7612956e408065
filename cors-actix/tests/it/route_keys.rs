//! Every key of `#[cors(...)]`, on real apps: what a route with it answers to
//! preflights and actual requests, and what an omitted key defaults to.

use crate::support::*;
use actix_web::dev::RequestHead;
use actix_web::http::StatusCode;
use actix_web::{delete, get, head, patch, post, put, route, test, App, HttpResponse, Responder};
use cors_actix::cors;

#[cors(origins = ["https://app.example.com"])]
#[get("/exact")]
async fn exact() -> impl Responder {
    HttpResponse::Ok().body("exact")
}

#[cors(origins = ["https://*.example.com"])]
#[get("/subdomains")]
async fn subdomains() -> impl Responder {
    HttpResponse::Ok().body("subdomains")
}

#[cors(origins = ["http://localhost:*"])]
#[get("/localhost")]
async fn localhost() -> impl Responder {
    HttpResponse::Ok().body("localhost")
}

#[cors(origins = ["null"])]
#[get("/null")]
async fn null_origin() -> impl Responder {
    HttpResponse::Ok().body("null")
}

#[cors(origins = "*")]
#[get("/any")]
async fn any_origin() -> impl Responder {
    HttpResponse::Ok().body("any")
}

#[cors(origins = ["*"], headers = "*", expose = "*")]
#[post("/any-list")]
async fn any_origin_list() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-total", "3"))
        .body("any-list")
}

fn is_partner(origin: &str, head: &RequestHead) -> bool {
    // The function sees the request too.
    origin.ends_with(".partner.test") && head.uri.path() == "/partner"
}

#[cors(origin_fn = is_partner)]
#[get("/partner")]
async fn partner() -> impl Responder {
    HttpResponse::Ok().body("partner")
}

mod checks {
    pub fn is_trusted(origin: &str, _: &actix_web::dev::RequestHead) -> bool {
        origin == "https://trusted.test"
    }
}

#[cors(origins = ["https://app.example.com"], origin_fn = checks::is_trusted)]
#[get("/origins-and-fn")]
async fn origins_and_fn() -> impl Responder {
    HttpResponse::Ok()
}

#[cors(origins = ["https://app.example.com"], headers = ["Content-Type", "x-custom"])]
#[put("/headers")]
async fn headers_list() -> impl Responder {
    HttpResponse::Ok()
}

#[cors(origins = ["https://app.example.com"], headers = "*")]
#[put("/headers-any")]
async fn headers_any() -> impl Responder {
    HttpResponse::Ok()
}

#[cors(origins = ["https://app.example.com"], headers = "*", credentials = true)]
#[put("/headers-any-credentials")]
async fn headers_any_credentials() -> impl Responder {
    HttpResponse::Ok()
}

#[cors(origins = ["https://app.example.com"], expose = ["x-request-id", "X-Total"])]
#[get("/expose")]
async fn expose_list() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "42"))
        .insert_header(("x-total", "7"))
        .finish()
}

#[cors(origins = ["https://app.example.com"], expose = "*")]
#[get("/expose-any")]
async fn expose_any() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "42"))
        .finish()
}

#[cors(origins = ["https://app.example.com"], expose = "*", credentials = true)]
#[get("/expose-any-credentials")]
async fn expose_any_credentials() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "42"))
        .insert_header(("set-cookie", "a=b"))
        .finish()
}

#[cors(origins = ["https://app.example.com"], credentials = true)]
#[delete("/credentials")]
async fn credentials() -> impl Responder {
    HttpResponse::NoContent()
}

#[cors(origins = ["https://app.example.com"], credentials = false)]
#[delete("/no-credentials")]
async fn no_credentials() -> impl Responder {
    HttpResponse::NoContent()
}

#[cors(origins = ["https://app.example.com"], max_age = 600)]
#[patch("/max-age")]
async fn max_age() -> impl Responder {
    HttpResponse::Ok()
}

#[cors(origins = ["https://app.example.com"], max_age = 0)]
#[patch("/max-age-zero")]
async fn max_age_zero() -> impl Responder {
    HttpResponse::Ok()
}

#[cors(origins = ["https://app.example.com"], private_network = true)]
#[post("/private-network")]
async fn private_network() -> impl Responder {
    HttpResponse::Ok()
}

#[cors(origins = ["https://app.example.com"], preflight_status = 200)]
#[post("/status")]
async fn preflight_status() -> impl Responder {
    HttpResponse::Ok()
}

#[cors(origins = ["https://app.example.com"])]
#[route("/multi", method = "GET", method = "POST", method = "PUT")]
async fn multi() -> impl Responder {
    HttpResponse::Ok().body("multi")
}

#[cors(origins = ["https://app.example.com"])]
#[get("/verbs/get")]
async fn verb_get() -> impl Responder {
    HttpResponse::Ok().body("GET")
}

#[cors(origins = ["https://app.example.com"])]
#[post("/verbs/post")]
async fn verb_post() -> impl Responder {
    HttpResponse::Ok().body("POST")
}

#[cors(origins = ["https://app.example.com"])]
#[put("/verbs/put")]
async fn verb_put() -> impl Responder {
    HttpResponse::Ok().body("PUT")
}

#[cors(origins = ["https://app.example.com"])]
#[patch("/verbs/patch")]
async fn verb_patch() -> impl Responder {
    HttpResponse::Ok().body("PATCH")
}

#[cors(origins = ["https://app.example.com"])]
#[delete("/verbs/delete")]
async fn verb_delete() -> impl Responder {
    HttpResponse::Ok().body("DELETE")
}

#[cors(origins = ["https://app.example.com"])]
#[head("/verbs/head")]
async fn verb_head() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-verb", "HEAD"))
        .finish()
}

#[cors(origins = ["https://app.example.com"])]
#[route("/verbs/custom", method = "PROPFIND")]
async fn verb_custom() -> impl Responder {
    HttpResponse::Ok().body("PROPFIND")
}

/// Named like actix's own `name = ".."`: the resource name, for `url_for`.
#[cors(origins = ["https://app.example.com"])]
#[get("/named/{id}", name = "named_item")]
async fn named(req: actix_web::HttpRequest) -> impl Responder {
    let url = req
        .url_for("named_item", ["7"])
        .expect("the route is named");
    HttpResponse::Ok().body(url.path().to_owned())
}

/// `diagnostic_preflights = false`: refusals are the strict 403.
#[cors(origins = ["https://app.example.com"], headers = ["content-type"], diagnostic_preflights = false)]
#[put("/strict")]
async fn strict_refusals() -> impl Responder {
    HttpResponse::Ok()
}

#[actix_web::test]
async fn diagnostic_preflights_can_be_turned_off_per_route() {
    let app = test::init_service(App::new().service(strict_refusals).service(headers_list)).await;
    let refused = |path: &'static str| {
        preflight(APP, "PUT")
            .uri(path)
            .append_header((REQUEST_HEADERS, "x-other"))
            .to_request()
    };
    let res = Resp::read(test::call_service(&app, refused("/strict")).await).await;
    res.assert_refused_preflight(REFUSED_HEADER, PREFLIGHT_VARY);
    // The default, on another route of the same app: the diagnostic answer.
    let res = Resp::read(test::call_service(&app, refused("/headers")).await).await;
    assert_eq!(res.status, StatusCode::OK);
}

macro_rules! app {
    () => {
        test::init_service(
            App::new()
                .service(exact)
                .service(subdomains)
                .service(localhost)
                .service(null_origin)
                .service(any_origin)
                .service(any_origin_list)
                .service(partner)
                .service(origins_and_fn)
                .service(headers_list)
                .service(headers_any)
                .service(headers_any_credentials)
                .service(expose_list)
                .service(expose_any)
                .service(expose_any_credentials)
                .service(credentials)
                .service(no_credentials)
                .service(max_age)
                .service(max_age_zero)
                .service(private_network)
                .service(preflight_status)
                .service(multi)
                .service(verb_get)
                .service(verb_post)
                .service(verb_put)
                .service(verb_patch)
                .service(verb_delete)
                .service(verb_head)
                .service(verb_custom)
                .service(named),
        )
        .await
    };
}

/// The preflight for `method` from `origin` is allowed, and the actual
/// request gets `Access-Control-Allow-Origin: <grant>`.
macro_rules! assert_allows {
    ($app:expr, $path:expr, $method:expr, $origin:expr, $grant:expr) => {{
        let res = send_to($app, preflight($origin, $method).uri($path)).await;
        res.assert_preflight_allowed($grant);
        let res = send_to($app, actual($method, $origin).uri($path)).await;
        assert!(res.status.is_success(), "{} {}: {:?}", $method, $path, res);
        assert_eq!(res.allow_origin(), Some($grant), "{} {}", $method, $path);
    }};
    ($app:expr, $path:expr, $method:expr, $origin:expr) => {
        assert_allows!($app, $path, $method, $origin, $origin)
    };
}

/// The preflight from `origin` is refused and the actual request gets no
/// CORS headers (the handler still runs: the browser blocks the read).
macro_rules! assert_refuses {
    ($app:expr, $path:expr, $method:expr, $origin:expr) => {{
        let res = send_to($app, preflight($origin, $method).uri($path)).await;
        res.assert_preflight_refused();
        let res = send_to($app, actual($method, $origin).uri($path)).await;
        assert!(
            !res.has_cors_headers(),
            "{} {} from {}: {:?}",
            $method,
            $path,
            $origin,
            res
        );
    }};
}

#[actix_web::test]
async fn exact_origin() {
    let app = app!();
    let res = send_to(&app, preflight(APP, "GET").uri("/exact")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_preflight_allowed(APP);
    assert_eq!(res.one(ALLOW_METHODS), Some("GET"));
    assert_eq!(
        res.one("vary"),
        Some("Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
    );
    assert!(res.body.is_empty());

    let res = send_to(&app, actual("GET", APP).uri("/exact")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.allow_origin(), Some(APP));
    assert_eq!(res.one("vary"), Some("Origin"));
    assert_eq!(res.body_str(), "exact");

    for other in [
        "https://app.example.com.evil.net",
        "http://app.example.com",
        "https://app.example.com:8443",
        "https://evil.test",
        "null",
    ] {
        let res = send_to(&app, preflight(other, "GET").uri("/exact")).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{other}");
        assert_eq!(res.body_str(), "CORS preflight refused: origin not allowed");
        res.assert_preflight_refused();
        let res = send_to(&app, actual("GET", other).uri("/exact")).await;
        assert_eq!(res.status, StatusCode::OK, "the handler runs for {other}");
        assert_eq!(res.body_str(), "exact");
        assert!(!res.has_cors_headers(), "{other}: {:?}", res.headers_text());
        assert_eq!(res.one("vary"), Some("Origin"));
    }

    let res = send_to(&app, no_origin().uri("/exact")).await;
    assert!(!res.has_cors_headers());
    assert_eq!(res.one("vary"), Some("Origin"));
}

#[actix_web::test]
async fn subdomain_pattern() {
    let app = app!();
    for origin in ["https://a.example.com", "https://a.b.example.com"] {
        assert_allows!(&app, "/subdomains", "GET", origin);
    }
    for origin in [
        "https://example.com",
        "https://evilexample.com",
        "https://a.example.com.evil.net",
        "http://a.example.com",
        "https://a.example.com:8443",
    ] {
        assert_refuses!(&app, "/subdomains", "GET", origin);
    }
}

#[actix_web::test]
async fn localhost_any_port() {
    let app = app!();
    for origin in [
        "http://localhost",
        "http://localhost:3000",
        "http://localhost:9000",
    ] {
        assert_allows!(&app, "/localhost", "GET", origin);
    }
    for origin in [
        "https://localhost",
        "http://localhost.evil.com",
        "http://127.0.0.1:3000",
    ] {
        assert_refuses!(&app, "/localhost", "GET", origin);
    }
}

#[actix_web::test]
async fn null_only_when_written() {
    let app = app!();
    assert_allows!(&app, "/null", "GET", "null");
    assert_refuses!(&app, "/null", "GET", APP);
    // A pattern or a function never lets `null` in.
    assert_refuses!(&app, "/subdomains", "GET", "null");
    assert_refuses!(&app, "/partner", "GET", "null");
}

#[actix_web::test]
async fn any_origin_is_the_literal_star() {
    let app = app!();
    for origin in [APP, "https://evil.test", "http://localhost:1"] {
        assert_allows!(&app, "/any", "GET", origin, "*");
    }
    let res = send_to(&app, actual("GET", APP).uri("/any")).await;
    assert_eq!(res.one("vary"), None, "`*` does not vary by origin");
    assert_eq!(res.one(ALLOW_CREDENTIALS), None);
    // Without Origin too: the same answer for everyone.
    let res = send_to(&app, no_origin().uri("/any")).await;
    assert_eq!(res.allow_origin(), Some("*"));

    // ["*"] is the same as "*"; headers and expose "*" answer with `*`.
    let res = send_to(
        &app,
        preflight(APP, "POST")
            .uri("/any-list")
            .append_header((REQUEST_HEADERS, "x-one, content-type")),
    )
    .await;
    res.assert_preflight_allowed("*");
    assert_eq!(res.one(ALLOW_HEADERS), Some("*"));
    let res = send_to(&app, actual("POST", APP).uri("/any-list")).await;
    assert_eq!(res.allow_origin(), Some("*"));
    assert_eq!(res.one(EXPOSE_HEADERS), Some("*"));
}

#[actix_web::test]
async fn origin_fn_decides_other_origins() {
    let app = app!();
    assert_allows!(&app, "/partner", "GET", "https://shop.partner.test");
    assert_refuses!(&app, "/partner", "GET", "https://partner.test.evil.net");
    // Exact origins and the function together: either lets an origin in.
    assert_allows!(&app, "/origins-and-fn", "GET", APP);
    assert_allows!(&app, "/origins-and-fn", "GET", "https://trusted.test");
    assert_refuses!(&app, "/origins-and-fn", "GET", "https://untrusted.test");
    // The function is only asked about canonical origins.
    assert_refuses!(&app, "/origins-and-fn", "GET", "https://TRUSTED.test");
}

#[actix_web::test]
async fn headers_list_and_any() {
    let app = app!();
    let res = send_to(
        &app,
        preflight(APP, "PUT")
            .uri("/headers")
            .append_header((REQUEST_HEADERS, "X-Custom,content-type")),
    )
    .await;
    res.assert_preflight_allowed(APP);
    assert_eq!(res.one(ALLOW_HEADERS), Some("content-type, x-custom"));
    // Not requested: not listed.
    let res = send_to(&app, preflight(APP, "PUT").uri("/headers")).await;
    res.assert_preflight_allowed(APP);
    assert_eq!(res.one(ALLOW_HEADERS), None);
    // One header too many refuses the whole preflight: the diagnostic answer
    // lists the route's methods and headers.
    let req = preflight(APP, "PUT")
        .uri("/headers")
        .append_header((REQUEST_HEADERS, "content-type, x-other"));
    let res = send_to(&app, req).await;
    res.assert_diagnosed_preflight(
        REFUSED_HEADER,
        &[
            (ALLOW_ORIGIN, APP),
            (ALLOW_METHODS, "PUT"),
            (ALLOW_HEADERS, "content-type, x-custom"),
            ("vary", PREFLIGHT_VARY),
        ],
    );

    let res = send_to(
        &app,
        preflight(APP, "PUT")
            .uri("/headers-any")
            .append_header((REQUEST_HEADERS, "x-anything")),
    )
    .await;
    res.assert_preflight_allowed(APP);
    assert_eq!(res.one(ALLOW_HEADERS), Some("*"));
    // `*` never covers Authorization.
    let res = send_to(
        &app,
        preflight(APP, "PUT")
            .uri("/headers-any")
            .append_header((REQUEST_HEADERS, "authorization, x-a")),
    )
    .await;
    assert_eq!(res.one(ALLOW_HEADERS), Some("*, authorization"));
    // With credentials `*` is literal, so the requested list is echoed.
    let res = send_to(
        &app,
        preflight(APP, "PUT")
            .uri("/headers-any-credentials")
            .append_header((REQUEST_HEADERS, "x-a, authorization")),
    )
    .await;
    res.assert_preflight_allowed(APP);
    assert_eq!(res.one(ALLOW_HEADERS), Some("x-a, authorization"));
}

#[actix_web::test]
async fn expose_list_and_any() {
    let app = app!();
    let res = send_to(&app, actual("GET", APP).uri("/expose")).await;
    assert_eq!(res.one(EXPOSE_HEADERS), Some("x-request-id, x-total"));
    // Exposed headers are for actual responses only, and only when granted.
    let res = send_to(&app, preflight(APP, "GET").uri("/expose")).await;
    assert_eq!(res.one(EXPOSE_HEADERS), None);
    let res = send_to(&app, actual("GET", "https://evil.test").uri("/expose")).await;
    assert_eq!(res.one(EXPOSE_HEADERS), None);

    let res = send_to(&app, actual("GET", APP).uri("/expose-any")).await;
    assert_eq!(res.one(EXPOSE_HEADERS), Some("*"));
    // With credentials: the response's own header names, never Set-Cookie.
    let res = send_to(&app, actual("GET", APP).uri("/expose-any-credentials")).await;
    let exposed = res.one(EXPOSE_HEADERS).expect("exposed headers");
    assert!(exposed.contains("x-request-id"), "{exposed}");
    assert!(!exposed.contains("set-cookie"), "{exposed}");
    assert!(!exposed.contains('*'), "{exposed}");
}

#[actix_web::test]
async fn credentials_on_and_off() {
    let app = app!();
    let res = send_to(&app, preflight(APP, "DELETE").uri("/credentials")).await;
    res.assert_preflight_allowed(APP);
    assert_eq!(res.one(ALLOW_CREDENTIALS), Some("true"));
    let res = send_to(&app, actual("DELETE", APP).uri("/credentials")).await;
    assert_eq!(res.one(ALLOW_CREDENTIALS), Some("true"));
    // Never for a disallowed origin.
    let res = send_to(
        &app,
        actual("DELETE", "https://evil.test").uri("/credentials"),
    )
    .await;
    assert!(!res.has_cors_headers());

    let res = send_to(&app, preflight(APP, "DELETE").uri("/no-credentials")).await;
    res.assert_preflight_allowed(APP);
    assert_eq!(res.one(ALLOW_CREDENTIALS), None);
    let res = send_to(&app, actual("DELETE", APP).uri("/no-credentials")).await;
    assert_eq!(res.one(ALLOW_CREDENTIALS), None);
}

#[actix_web::test]
async fn max_age_seconds() {
    let app = app!();
    let res = send_to(&app, preflight(APP, "PATCH").uri("/max-age")).await;
    res.assert_preflight_allowed(APP);
    assert_eq!(res.one(MAX_AGE), Some("600"));
    let res = send_to(&app, actual("PATCH", APP).uri("/max-age")).await;
    assert_eq!(res.one(MAX_AGE), None, "preflights only");
    let res = send_to(&app, preflight(APP, "PATCH").uri("/max-age-zero")).await;
    assert_eq!(res.one(MAX_AGE), Some("0"));
}

#[actix_web::test]
async fn private_network_only_when_asked() {
    let app = app!();
    let res = send_to(
        &app,
        preflight(APP, "POST")
            .uri("/private-network")
            .append_header((REQUEST_PRIVATE_NETWORK, "true")),
    )
    .await;
    res.assert_preflight_allowed(APP);
    assert_eq!(res.one(ALLOW_PRIVATE_NETWORK), Some("true"));
    assert_eq!(
        res.one("vary"),
        Some(
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, \
             Access-Control-Request-Private-Network"
        )
    );
    let res = send_to(&app, preflight(APP, "POST").uri("/private-network")).await;
    res.assert_preflight_allowed(APP);
    assert_eq!(res.one(ALLOW_PRIVATE_NETWORK), None);
    // Off by default.
    let res = send_to(
        &app,
        preflight(APP, "POST")
            .uri("/status")
            .append_header((REQUEST_PRIVATE_NETWORK, "true")),
    )
    .await;
    res.assert_preflight_allowed(APP);
    assert_eq!(res.one(ALLOW_PRIVATE_NETWORK), None);
}

#[actix_web::test]
async fn preflight_status_and_default() {
    let app = app!();
    let res = send_to(&app, preflight(APP, "POST").uri("/status")).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_preflight_allowed(APP);
    assert!(res.body.is_empty());
    // A preflight from a refused origin is still 403.
    let res = send_to(&app, preflight("https://evil.test", "POST").uri("/status")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = send_to(&app, preflight(APP, "POST").uri("/private-network")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
}

/// Only `origins`: everything else as `Cors::builder()` leaves it.
#[actix_web::test]
async fn omitted_keys_take_the_builder_defaults() {
    let app = app!();
    let res = send_to(&app, preflight(APP, "GET").uri("/exact")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    for absent in [
        ALLOW_CREDENTIALS,
        ALLOW_HEADERS,
        MAX_AGE,
        ALLOW_PRIVATE_NETWORK,
        EXPOSE_HEADERS,
    ] {
        assert_eq!(res.one(absent), None, "{absent}");
    }
    // No request header is allowed by default, so none is listed.
    let req = preflight(APP, "GET")
        .uri("/exact")
        .append_header((REQUEST_HEADERS, "content-type"));
    let res = send_to(&app, req).await;
    res.assert_diagnosed_preflight(
        REFUSED_HEADER,
        &[
            (ALLOW_ORIGIN, APP),
            (ALLOW_METHODS, "GET"),
            ("vary", PREFLIGHT_VARY),
        ],
    );
    let res = send_to(
        &app,
        preflight(APP, "GET")
            .uri("/exact")
            .append_header((REQUEST_PRIVATE_NETWORK, "true")),
    )
    .await;
    assert_eq!(res.one(ALLOW_PRIVATE_NETWORK), None);
    let res = send_to(&app, actual("GET", APP).uri("/exact")).await;
    for absent in [
        ALLOW_CREDENTIALS,
        EXPOSE_HEADERS,
        ALLOW_METHODS,
        ALLOW_HEADERS,
        MAX_AGE,
    ] {
        assert_eq!(res.one(absent), None, "{absent}");
    }
}

/// The methods a preflight may ask for are exactly the route's methods.
#[actix_web::test]
async fn preflight_methods_are_the_route_methods() {
    let app = app!();
    for method in ["GET", "POST", "PUT"] {
        let res = send_to(&app, preflight(APP, method).uri("/multi")).await;
        res.assert_preflight_allowed(APP);
        assert_eq!(res.one(ALLOW_METHODS), Some("GET, POST, PUT"));
        let res = send_to(&app, actual(method, APP).uri("/multi")).await;
        assert_eq!(res.body_str(), "multi");
        assert_eq!(res.allow_origin(), Some(APP));
    }
    // Any other method: no handler, so no preflight answer (and HEAD is not
    // implied by GET, as with actix's own attributes).
    for method in ["DELETE", "PATCH", "HEAD", "get"] {
        let res = send_to(&app, preflight(APP, method).uri("/multi")).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{method}");
        res.assert_preflight_refused();
    }
}

#[actix_web::test]
async fn every_route_attribute() {
    let app = app!();
    let all = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "PROPFIND"];
    for method in all {
        let path = format!("/verbs/{}", method.to_ascii_lowercase());
        let path = if method == "PROPFIND" {
            "/verbs/custom".to_owned()
        } else {
            path
        };
        let res = send_to(&app, preflight(APP, method).uri(&path)).await;
        res.assert_preflight_allowed(APP);
        assert_eq!(res.one(ALLOW_METHODS), Some(method), "{path}");

        let res = send_to(&app, actual(method, APP).uri(&path)).await;
        assert!(res.status.is_success(), "{method} {path}: {res:?}");
        assert_eq!(res.allow_origin(), Some(APP), "{path}");
        if method == "HEAD" {
            assert_eq!(res.one("x-verb"), Some("HEAD"));
        } else {
            assert_eq!(res.body_str(), method);
        }

        // Other methods are not this route's.
        for other in all.iter().filter(|m| **m != method) {
            let res = send_to(&app, preflight(APP, other).uri(&path)).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{other} {path}");
            let res = send_to(&app, actual(*other, APP).uri(&path)).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{other} {path}");
        }
    }
}

#[actix_web::test]
async fn route_name_is_kept() {
    let app = app!();
    let res = send_to(&app, actual("GET", APP).uri("/named/1")).await;
    assert_eq!(res.body_str(), "/named/7");
    assert_eq!(res.allow_origin(), Some(APP));
}
