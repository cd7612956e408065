//! A route's own `#[cors]` policy against an enclosing `Cors` middleware: the
//! route's policy replaces the middleware's for that route, preflights and
//! actual requests alike, and the two never combine.

use crate::route_common::*;
use actix_web::http::StatusCode;
use actix_web::{delete, get, test, web, App, HttpResponse, Responder};
use cors_actix::{cors, Cors};

const WWW: &str = "https://www.example.com";
const ADMIN: &str = "https://admin.example.com";
const EVIL: &str = "https://evil.test";

/// Public read: any origin, no credentials.
#[cors(origins = "*", expose = ["x-total"])]
#[get("/items")]
async fn list_items() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-total", "3"))
        .body("list")
}

/// Admin delete: the admin site only, with credentials and a CSRF header.
#[cors(origins = ["https://admin.example.com"], credentials = true, headers = ["x-csrf"], max_age = 60)]
#[delete("/items")]
async fn delete_items() -> impl Responder {
    HttpResponse::Ok().body("deleted")
}

/// A route whose policy is narrower than the global one.
#[cors(origins = ["https://admin.example.com"])]
#[get("/admin/report")]
async fn admin_report() -> impl Responder {
    HttpResponse::Ok().body("report")
}

/// A handler that fails, and one that sets CORS headers of its own.
#[cors(origins = ["https://admin.example.com"], credentials = true)]
#[get("/admin/fails")]
async fn admin_fails() -> Result<HttpResponse, actix_web::Error> {
    Err(actix_web::error::ErrorBadRequest("bad input"))
}

#[cors(origins = ["https://admin.example.com"])]
#[get("/admin/meddles")]
async fn admin_meddles() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("access-control-allow-origin", "*"))
        .insert_header(("access-control-allow-credentials", "true"))
        .insert_header(("vary", "Accept-Encoding"))
        .finish()
}

/// The global policy: the public site, with credentials, and more methods
/// and headers than most routes.
fn global() -> Cors {
    Cors::builder()
        .allow_origin(WWW)
        .allow_methods(["GET", "POST", "DELETE"])
        .allow_headers(["content-type", "x-csrf"])
        .expose_headers(["x-global"])
        .allow_credentials(true)
        .max_age(std::time::Duration::from_secs(3600))
        .build()
        .expect("valid policy")
}

fn plain() -> HttpResponse {
    HttpResponse::Ok().body("plain")
}

macro_rules! routes {
    ($app:expr) => {
        $app.service(list_items)
            .service(delete_items)
            .service(admin_report)
            .service(admin_fails)
            .service(admin_meddles)
            // Plain routes, one on the same path as the #[cors] routes.
            .route("/items", web::post().to(|| async { plain() }))
            .route("/other", web::get().to(|| async { plain() }))
            .route("/other", web::delete().to(|| async { plain() }))
    };
}

#[actix_web::test]
async fn two_policies_on_one_path_without_middleware() {
    let app = test::init_service(routes!(App::new())).await;

    for origin in [WWW, ADMIN, EVIL] {
        let res = send!(&app, Req::preflight("/items", origin, "GET"));
        res.assert_preflight_allowed("*");
        assert_eq!(res.get(ACAM).as_deref(), Some("GET"));
        assert_eq!(res.get(ACAC), None);
        let res = send!(&app, Req::actual("GET", "/items", origin));
        assert_eq!(res.body_text(), "list");
        assert_eq!(res.allow_origin().as_deref(), Some("*"));
        assert_eq!(res.get(ACEH).as_deref(), Some("x-total"));
    }

    let res = send!(
        &app,
        Req::preflight("/items", ADMIN, "DELETE").request_headers("x-csrf")
    );
    res.assert_preflight_allowed(ADMIN);
    assert_eq!(res.get(ACAM).as_deref(), Some("DELETE"));
    assert_eq!(res.get(ACAC).as_deref(), Some("true"));
    assert_eq!(res.get(ACAH).as_deref(), Some("x-csrf"));
    assert_eq!(res.get(ACMA).as_deref(), Some("60"));
    let res = send!(&app, Req::actual("DELETE", "/items", ADMIN));
    assert_eq!(res.body_text(), "deleted");
    assert_eq!(res.allow_origin().as_deref(), Some(ADMIN));
    assert_eq!(res.get(ACAC).as_deref(), Some("true"));
    assert_eq!(
        res.get(ACEH),
        None,
        "the GET route's exposed headers stay there"
    );

    for origin in [WWW, EVIL] {
        let res = send!(&app, Req::preflight("/items", origin, "DELETE"));
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{origin}");
        res.assert_preflight_refused();
        let res = send!(&app, Req::actual("DELETE", "/items", origin));
        assert!(!res.has_cors_headers(), "{origin}: {res:?}");
    }
}

#[actix_web::test]
async fn route_policy_replaces_the_global_one() {
    let app = test::init_service(routes!(App::new().wrap(global()))).await;

    // The public GET: `*` for everyone, never the global credentials.
    for origin in [WWW, ADMIN, EVIL] {
        let res = send!(&app, Req::preflight("/items", origin, "GET"));
        res.assert_preflight_allowed("*");
        assert_eq!(res.get(ACAC), None, "{origin}");
        assert_eq!(res.get(ACMA), None, "{origin}: not the global max age");
        assert_eq!(res.get(ACAM).as_deref(), Some("GET"));
        let res = send!(&app, Req::actual("GET", "/items", origin));
        assert_eq!(res.allow_origin().as_deref(), Some("*"));
        assert_eq!(res.get(ACAC), None, "{origin}");
        assert_eq!(res.get(ACEH).as_deref(), Some("x-total"));
        assert_eq!(res.get("vary"), None, "{origin}: `*` does not vary");
    }

    // The admin DELETE: the global origin does not get in, although the
    // global policy allows it DELETE with credentials and x-csrf.
    let res = send!(
        &app,
        Req::preflight("/items", WWW, "DELETE").request_headers("x-csrf")
    );
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_preflight_refused();
    let res = send!(&app, Req::actual("DELETE", "/items", WWW));
    assert_eq!(res.body_text(), "deleted");
    assert!(!res.has_cors_headers(), "{res:?}");
    assert_eq!(res.get("vary").as_deref(), Some("Origin"));

    // The admin origin does, with the route's settings only.
    let res = send!(
        &app,
        Req::preflight("/items", ADMIN, "DELETE").request_headers("x-csrf")
    );
    res.assert_preflight_allowed(ADMIN);
    assert_eq!(res.get(ACMA).as_deref(), Some("60"));
    assert_eq!(res.get(ACAM).as_deref(), Some("DELETE"));
    let res = send!(&app, Req::actual("DELETE", "/items", ADMIN));
    assert_eq!(res.allow_origin().as_deref(), Some(ADMIN));
    assert_eq!(res.get(ACAC).as_deref(), Some("true"));
    assert_eq!(res.get(ACEH), None, "not the global exposed headers");

    // The plain POST on the same path keeps the global policy.
    let res = send!(&app, Req::preflight("/items", WWW, "POST"));
    res.assert_preflight_allowed(WWW);
    assert_eq!(res.get(ACAM).as_deref(), Some("GET, POST, DELETE"));
    assert_eq!(res.get(ACMA).as_deref(), Some("3600"));
    let res = send!(&app, Req::actual("POST", "/items", WWW));
    assert_eq!(res.body_text(), "plain");
    assert_eq!(res.allow_origin().as_deref(), Some(WWW));
    assert_eq!(res.get(ACAC).as_deref(), Some("true"));
    let res = send!(&app, Req::preflight("/items", ADMIN, "POST"));
    res.assert_preflight_refused();
    let res = send!(&app, Req::actual("POST", "/items", ADMIN));
    assert!(!res.has_cors_headers());
}

#[actix_web::test]
async fn route_origins_do_not_leak_to_other_routes() {
    let app = test::init_service(routes!(App::new().wrap(global()))).await;
    for method in ["GET", "DELETE"] {
        let res = send!(&app, Req::preflight("/other", ADMIN, method));
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{method}");
        res.assert_preflight_refused();
        let res = send!(&app, Req::actual(method, "/other", ADMIN));
        assert!(!res.has_cors_headers(), "{method}: {res:?}");
        // `*` of the public GET does not leak either.
        let res = send!(&app, Req::actual(method, "/other", EVIL));
        assert!(!res.has_cors_headers(), "{method}: {res:?}");
        let res = send!(&app, Req::actual(method, "/other", WWW));
        assert_eq!(res.allow_origin().as_deref(), Some(WWW));
    }
    // Nor does a narrower route lose its narrowness: the global origin is
    // refused on /admin/report although the global policy allows GET.
    let res = send!(&app, Req::preflight("/admin/report", WWW, "GET"));
    res.assert_preflight_refused();
    let res = send!(&app, Req::actual("GET", "/admin/report", WWW));
    assert!(!res.has_cors_headers(), "{res:?}");
}

#[actix_web::test]
async fn a_global_origin_never_gains_route_credentials() {
    // The global policy allows the public site without credentials; the
    // route allows the admin site with credentials.
    let global = Cors::builder()
        .allow_origins([WWW, "https://*.example.com"])
        .allow_methods(["GET", "DELETE"])
        .build()
        .unwrap();
    let app = test::init_service(routes!(App::new().wrap(global))).await;
    for origin in [WWW, "https://a.example.com"] {
        let res = send!(&app, Req::preflight("/items", origin, "DELETE"));
        res.assert_preflight_refused();
        let res = send!(&app, Req::actual("DELETE", "/items", origin));
        assert!(!res.has_cors_headers(), "{origin}: {res:?}");
        let res = send!(&app, Req::actual("GET", "/other", origin));
        assert_eq!(res.allow_origin().as_deref(), Some(origin));
        assert_eq!(res.get(ACAC), None);
    }
    let res = send!(&app, Req::actual("DELETE", "/items", ADMIN));
    assert_eq!(res.allow_origin().as_deref(), Some(ADMIN));
    assert_eq!(res.get(ACAC).as_deref(), Some("true"));
    // The admin site matches the global wildcard too: on plain routes it
    // gets the global answer, without credentials.
    let res = send!(&app, Req::actual("GET", "/other", ADMIN));
    assert_eq!(res.allow_origin().as_deref(), Some(ADMIN));
    assert_eq!(res.get(ACAC), None);
}

#[actix_web::test]
async fn errors_and_handler_headers_get_the_route_policy() {
    let app = test::init_service(routes!(App::new().wrap(global()))).await;

    let res = send!(&app, Req::actual("GET", "/admin/fails", ADMIN));
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.body_text(), "bad input");
    assert_eq!(res.allow_origin().as_deref(), Some(ADMIN));
    assert_eq!(res.get(ACAC).as_deref(), Some("true"));
    assert_eq!(res.get(ACEH), None);
    let res = send!(&app, Req::actual("GET", "/admin/fails", WWW));
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(!res.has_cors_headers(), "{res:?}");

    // The handler's own CORS headers are dropped: one source of truth.
    let res = send!(&app, Req::actual("GET", "/admin/meddles", EVIL));
    assert!(!res.has_cors_headers(), "{res:?}");
    assert_eq!(res.all("vary").join(", "), "Accept-Encoding, Origin");
    let res = send!(&app, Req::actual("GET", "/admin/meddles", WWW));
    assert!(!res.has_cors_headers(), "{res:?}");
    let res = send!(&app, Req::actual("GET", "/admin/meddles", ADMIN));
    assert_eq!(res.allow_origin().as_deref(), Some(ADMIN));
    assert_eq!(res.get(ACAC), None);

    // An unknown path is the global policy's (the router's 404).
    let res = send!(&app, Req::actual("GET", "/missing", WWW));
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.allow_origin().as_deref(), Some(WWW));
}

#[actix_web::test]
async fn no_response_carries_two_allow_origins() {
    let app = test::init_service(routes!(App::new().wrap(global()))).await;
    let paths = [
        "/items",
        "/other",
        "/admin/report",
        "/admin/fails",
        "/admin/meddles",
        "/missing",
    ];
    for path in paths {
        for origin in [WWW, ADMIN, EVIL, "null"] {
            for method in ["GET", "POST", "DELETE", "PUT"] {
                // `Res::get` panics on a repeated header.
                let res = send!(&app, Req::preflight(path, origin, method));
                let _ = (
                    res.allow_origin(),
                    res.get(ACAC),
                    res.get(ACAM),
                    res.get(ACAH),
                    res.get(ACMA),
                );
                let res = send!(&app, Req::actual(method, path, origin));
                let _ = (res.allow_origin(), res.get(ACAC), res.get(ACEH));
            }
        }
    }
}

#[actix_web::test]
async fn blocking_global_policy_lets_route_origins_through() {
    let global = Cors::builder()
        .allow_origin(WWW)
        .allow_methods(["GET", "POST", "DELETE"])
        .block_disallowed(true)
        .build()
        .unwrap();
    let app = test::init_service(routes!(App::new().wrap(global))).await;
    // The admin origin is the route's business, not the global policy's.
    let res = send!(&app, Req::actual("DELETE", "/items", ADMIN));
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body_text(), "deleted");
    assert_eq!(res.allow_origin().as_deref(), Some(ADMIN));
    // A route without block_disallowed runs its handler for other origins.
    let res = send!(&app, Req::actual("DELETE", "/items", EVIL));
    assert_eq!(res.body_text(), "deleted");
    assert!(!res.has_cors_headers());
    // Plain routes are blocked as configured.
    let res = send!(&app, Req::actual("GET", "/other", ADMIN));
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.body_text(), "CORS request refused: origin not allowed");
    let res = send!(&app, Req::actual("POST", "/items", ADMIN));
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn passthrough_global_policy_does_not_reach_route_preflights() {
    let global = Cors::builder()
        .allow_origin(WWW)
        .preflight_passthrough(true)
        .build()
        .unwrap();
    let app = test::init_service(routes!(App::new().wrap(global)).route(
        "/items",
        web::method(actix_web::http::Method::OPTIONS).to(|| async { plain() }),
    ))
    .await;
    let res = send!(&app, Req::preflight("/items", ADMIN, "DELETE"));
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(res.body.is_empty(), "the app's OPTIONS handler did not run");
    res.assert_preflight_allowed(ADMIN);
    let res = send!(&app, Req::preflight("/items", WWW, "POST"));
    assert_eq!(
        res.body_text(),
        "plain",
        "passed through to the app's handler"
    );
    assert_eq!(res.allow_origin().as_deref(), Some(WWW));
}

/// Nested plain middlewares: the outermost decides; a `#[cors]` route inside
/// both still has its own policy.
#[actix_web::test]
async fn nested_middlewares_and_a_route() {
    let inner = Cors::builder().allow_origin(EVIL).build().unwrap();
    let app = test::init_service(
        App::new().wrap(global()).service(
            web::scope("/api")
                .wrap(inner)
                .service(admin_report)
                .route("/plain", web::get().to(|| async { plain() })),
        ),
    )
    .await;
    // Plain route: the outer policy, the inner one's origin gets nothing.
    let res = send!(&app, Req::preflight("/api/plain", WWW, "GET"));
    res.assert_preflight_allowed(WWW);
    let res = send!(&app, Req::actual("GET", "/api/plain", WWW));
    assert_eq!(res.allow_origin().as_deref(), Some(WWW));
    let res = send!(&app, Req::preflight("/api/plain", EVIL, "GET"));
    res.assert_preflight_refused();
    let res = send!(&app, Req::actual("GET", "/api/plain", EVIL));
    assert!(!res.has_cors_headers(), "{res:?}");
    // The route: its own policy, neither middleware's.
    let res = send!(&app, Req::preflight("/api/admin/report", ADMIN, "GET"));
    res.assert_preflight_allowed(ADMIN);
    assert_eq!(res.get(ACAC), None);
    let res = send!(&app, Req::actual("GET", "/api/admin/report", ADMIN));
    assert_eq!(res.allow_origin().as_deref(), Some(ADMIN));
    assert_eq!(res.get(ACAC), None);
    for origin in [WWW, EVIL] {
        let res = send!(&app, Req::preflight("/api/admin/report", origin, "GET"));
        res.assert_preflight_refused();
        let res = send!(&app, Req::actual("GET", "/api/admin/report", origin));
        assert!(!res.has_cors_headers(), "{origin}: {res:?}");
    }
}

/// A `Cors` middleware on a resource or scope around a `#[cors]` route: the
/// route still decides.
#[actix_web::test]
async fn scope_middleware_around_a_route() {
    let app = test::init_service(
        App::new().service(web::scope("/api").wrap(global()).service(delete_items)),
    )
    .await;
    let res = send!(&app, Req::preflight("/api/items", WWW, "DELETE"));
    res.assert_preflight_refused();
    let res = send!(&app, Req::preflight("/api/items", ADMIN, "DELETE"));
    res.assert_preflight_allowed(ADMIN);
    let res = send!(&app, Req::actual("DELETE", "/api/items", WWW));
    assert!(!res.has_cors_headers());
    let res = send!(&app, Req::actual("DELETE", "/api/items", ADMIN));
    assert_eq!(res.allow_origin().as_deref(), Some(ADMIN));
}

fn actix_wrapped_policy() -> Cors {
    Cors::builder()
        .allow_origin(ADMIN)
        .allow_methods(["DELETE"])
        .build()
        .unwrap()
}

/// Why `#[cors]` exists: actix's own `wrap = ".."` puts the middleware behind
/// the route's method guard, so the OPTIONS preflight never reaches it.
#[actix_web::delete("/wrapped", wrap = "actix_wrapped_policy()")]
async fn actix_wrapped() -> impl Responder {
    HttpResponse::Ok()
}

#[actix_web::test]
async fn actix_wrap_cannot_answer_preflights() {
    let app = test::init_service(App::new().service(actix_wrapped)).await;
    let res = send!(&app, Req::preflight("/wrapped", ADMIN, "DELETE"));
    assert!(res.status.is_client_error(), "{res:?}");
    res.assert_preflight_refused();
    // The actual request does get the headers, too late to matter.
    let res = send!(&app, Req::actual("DELETE", "/wrapped", ADMIN));
    assert_eq!(res.allow_origin().as_deref(), Some(ADMIN));
}
