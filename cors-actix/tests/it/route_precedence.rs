//! A route's own `#[cors]` policy against an enclosing `Cors` middleware: the
//! route's policy replaces the middleware's for that route, preflights and
//! actual requests alike, and the two never combine.

use crate::support::*;
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
        .insert_header((ALLOW_ORIGIN, "*"))
        .insert_header((ALLOW_CREDENTIALS, "true"))
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
        let res = send_to(&app, preflight(origin, "GET").uri("/items")).await;
        res.assert_preflight_allowed("*");
        assert_eq!(res.one(ALLOW_METHODS), Some("GET"));
        assert_eq!(res.one(ALLOW_CREDENTIALS), None);
        let res = send_to(&app, actual("GET", origin).uri("/items")).await;
        assert_eq!(res.body_str(), "list");
        assert_eq!(res.allow_origin(), Some("*"));
        assert_eq!(res.one(EXPOSE_HEADERS), Some("x-total"));
    }

    let res = send_to(
        &app,
        preflight(ADMIN, "DELETE")
            .uri("/items")
            .append_header((REQUEST_HEADERS, "x-csrf")),
    )
    .await;
    res.assert_preflight_allowed(ADMIN);
    assert_eq!(res.one(ALLOW_METHODS), Some("DELETE"));
    assert_eq!(res.one(ALLOW_CREDENTIALS), Some("true"));
    assert_eq!(res.one(ALLOW_HEADERS), Some("x-csrf"));
    assert_eq!(res.one(MAX_AGE), Some("60"));
    let res = send_to(&app, actual("DELETE", ADMIN).uri("/items")).await;
    assert_eq!(res.body_str(), "deleted");
    assert_eq!(res.allow_origin(), Some(ADMIN));
    assert_eq!(res.one(ALLOW_CREDENTIALS), Some("true"));
    assert_eq!(
        res.one(EXPOSE_HEADERS),
        None,
        "the GET route's exposed headers stay there"
    );

    for origin in [WWW, EVIL] {
        let res = send_to(&app, preflight(origin, "DELETE").uri("/items")).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{origin}");
        res.assert_preflight_refused();
        let res = send_to(&app, actual("DELETE", origin).uri("/items")).await;
        assert!(!res.has_cors_headers(), "{origin}: {res:?}");
    }
}

#[actix_web::test]
async fn route_policy_replaces_the_global_one() {
    let app = test::init_service(routes!(App::new().wrap(global()))).await;

    // The public GET: `*` for everyone, never the global credentials.
    for origin in [WWW, ADMIN, EVIL] {
        let res = send_to(&app, preflight(origin, "GET").uri("/items")).await;
        res.assert_preflight_allowed("*");
        assert_eq!(res.one(ALLOW_CREDENTIALS), None, "{origin}");
        assert_eq!(res.one(MAX_AGE), None, "{origin}: not the global max age");
        assert_eq!(res.one(ALLOW_METHODS), Some("GET"));
        let res = send_to(&app, actual("GET", origin).uri("/items")).await;
        assert_eq!(res.allow_origin(), Some("*"));
        assert_eq!(res.one(ALLOW_CREDENTIALS), None, "{origin}");
        assert_eq!(res.one(EXPOSE_HEADERS), Some("x-total"));
        assert_eq!(res.one("vary"), None, "{origin}: `*` does not vary");
    }

    // The admin DELETE: the global origin does not get in, although the
    // global policy allows it DELETE with credentials and x-csrf.
    let res = send_to(
        &app,
        preflight(WWW, "DELETE")
            .uri("/items")
            .append_header((REQUEST_HEADERS, "x-csrf")),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_preflight_refused();
    let res = send_to(&app, actual("DELETE", WWW).uri("/items")).await;
    assert_eq!(res.body_str(), "deleted");
    assert!(!res.has_cors_headers(), "{res:?}");
    assert_eq!(res.one("vary"), Some("Origin"));

    // The admin origin does, with the route's settings only.
    let res = send_to(
        &app,
        preflight(ADMIN, "DELETE")
            .uri("/items")
            .append_header((REQUEST_HEADERS, "x-csrf")),
    )
    .await;
    res.assert_preflight_allowed(ADMIN);
    assert_eq!(res.one(MAX_AGE), Some("60"));
    assert_eq!(res.one(ALLOW_METHODS), Some("DELETE"));
    let res = send_to(&app, actual("DELETE", ADMIN).uri("/items")).await;
    assert_eq!(res.allow_origin(), Some(ADMIN));
    assert_eq!(res.one(ALLOW_CREDENTIALS), Some("true"));
    assert_eq!(
        res.one(EXPOSE_HEADERS),
        None,
        "not the global exposed headers"
    );

    // The plain POST on the same path keeps the global policy.
    let res = send_to(&app, preflight(WWW, "POST").uri("/items")).await;
    res.assert_preflight_allowed(WWW);
    assert_eq!(res.one(ALLOW_METHODS), Some("GET, POST, DELETE"));
    assert_eq!(res.one(MAX_AGE), Some("3600"));
    let res = send_to(&app, actual("POST", WWW).uri("/items")).await;
    assert_eq!(res.body_str(), "plain");
    assert_eq!(res.allow_origin(), Some(WWW));
    assert_eq!(res.one(ALLOW_CREDENTIALS), Some("true"));
    let res = send_to(&app, preflight(ADMIN, "POST").uri("/items")).await;
    res.assert_preflight_refused();
    let res = send_to(&app, actual("POST", ADMIN).uri("/items")).await;
    assert!(!res.has_cors_headers());
}

#[actix_web::test]
async fn route_origins_do_not_leak_to_other_routes() {
    let app = test::init_service(routes!(App::new().wrap(global()))).await;
    for method in ["GET", "DELETE"] {
        let res = send_to(&app, preflight(ADMIN, method).uri("/other")).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{method}");
        res.assert_preflight_refused();
        let res = send_to(&app, actual(method, ADMIN).uri("/other")).await;
        assert!(!res.has_cors_headers(), "{method}: {res:?}");
        // `*` of the public GET does not leak either.
        let res = send_to(&app, actual(method, EVIL).uri("/other")).await;
        assert!(!res.has_cors_headers(), "{method}: {res:?}");
        let res = send_to(&app, actual(method, WWW).uri("/other")).await;
        assert_eq!(res.allow_origin(), Some(WWW));
    }
    // Nor does a narrower route lose its narrowness: the global origin is
    // refused on /admin/report although the global policy allows GET.
    let res = send_to(&app, preflight(WWW, "GET").uri("/admin/report")).await;
    res.assert_preflight_refused();
    let res = send_to(&app, actual("GET", WWW).uri("/admin/report")).await;
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
        let res = send_to(&app, preflight(origin, "DELETE").uri("/items")).await;
        res.assert_preflight_refused();
        let res = send_to(&app, actual("DELETE", origin).uri("/items")).await;
        assert!(!res.has_cors_headers(), "{origin}: {res:?}");
        let res = send_to(&app, actual("GET", origin).uri("/other")).await;
        assert_eq!(res.allow_origin(), Some(origin));
        assert_eq!(res.one(ALLOW_CREDENTIALS), None);
    }
    let res = send_to(&app, actual("DELETE", ADMIN).uri("/items")).await;
    assert_eq!(res.allow_origin(), Some(ADMIN));
    assert_eq!(res.one(ALLOW_CREDENTIALS), Some("true"));
    // The admin site matches the global wildcard too: on plain routes it
    // gets the global answer, without credentials.
    let res = send_to(&app, actual("GET", ADMIN).uri("/other")).await;
    assert_eq!(res.allow_origin(), Some(ADMIN));
    assert_eq!(res.one(ALLOW_CREDENTIALS), None);
}

#[actix_web::test]
async fn errors_and_handler_headers_get_the_route_policy() {
    let app = test::init_service(routes!(App::new().wrap(global()))).await;

    let res = send_to(&app, actual("GET", ADMIN).uri("/admin/fails")).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.body_str(), "bad input");
    assert_eq!(res.allow_origin(), Some(ADMIN));
    assert_eq!(res.one(ALLOW_CREDENTIALS), Some("true"));
    assert_eq!(res.one(EXPOSE_HEADERS), None);
    let res = send_to(&app, actual("GET", WWW).uri("/admin/fails")).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(!res.has_cors_headers(), "{res:?}");

    // The handler's own CORS headers are dropped: one source of truth.
    let res = send_to(&app, actual("GET", EVIL).uri("/admin/meddles")).await;
    assert!(!res.has_cors_headers(), "{res:?}");
    assert_eq!(res.all("vary").join(", "), "Accept-Encoding, Origin");
    let res = send_to(&app, actual("GET", WWW).uri("/admin/meddles")).await;
    assert!(!res.has_cors_headers(), "{res:?}");
    let res = send_to(&app, actual("GET", ADMIN).uri("/admin/meddles")).await;
    assert_eq!(res.allow_origin(), Some(ADMIN));
    assert_eq!(res.one(ALLOW_CREDENTIALS), None);

    // An unknown path is the global policy's (the router's 404).
    let res = send_to(&app, actual("GET", WWW).uri("/missing")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.allow_origin(), Some(WWW));
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
                // `Resp::get` panics on a repeated header.
                let res = send_to(&app, preflight(origin, method).uri(path)).await;
                let _ = (
                    res.allow_origin(),
                    res.one(ALLOW_CREDENTIALS),
                    res.one(ALLOW_METHODS),
                    res.one(ALLOW_HEADERS),
                    res.one(MAX_AGE),
                );
                let res = send_to(&app, actual(method, origin).uri(path)).await;
                let _ = (
                    res.allow_origin(),
                    res.one(ALLOW_CREDENTIALS),
                    res.one(EXPOSE_HEADERS),
                );
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
    let res = send_to(&app, actual("DELETE", ADMIN).uri("/items")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body_str(), "deleted");
    assert_eq!(res.allow_origin(), Some(ADMIN));
    // A route without block_disallowed runs its handler for other origins.
    let res = send_to(&app, actual("DELETE", EVIL).uri("/items")).await;
    assert_eq!(res.body_str(), "deleted");
    assert!(!res.has_cors_headers());
    // Plain routes are blocked as configured.
    let res = send_to(&app, actual("GET", ADMIN).uri("/other")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.body_str(), "CORS request refused: origin not allowed");
    let res = send_to(&app, actual("POST", ADMIN).uri("/items")).await;
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
    let res = send_to(&app, preflight(ADMIN, "DELETE").uri("/items")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(res.body.is_empty(), "the app's OPTIONS handler did not run");
    res.assert_preflight_allowed(ADMIN);
    let res = send_to(&app, preflight(WWW, "POST").uri("/items")).await;
    assert_eq!(
        res.body_str(),
        "plain",
        "passed through to the app's handler"
    );
    assert_eq!(res.allow_origin(), Some(WWW));
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
    let res = send_to(&app, preflight(WWW, "GET").uri("/api/plain")).await;
    res.assert_preflight_allowed(WWW);
    let res = send_to(&app, actual("GET", WWW).uri("/api/plain")).await;
    assert_eq!(res.allow_origin(), Some(WWW));
    let res = send_to(&app, preflight(EVIL, "GET").uri("/api/plain")).await;
    res.assert_preflight_refused();
    let res = send_to(&app, actual("GET", EVIL).uri("/api/plain")).await;
    assert!(!res.has_cors_headers(), "{res:?}");
    // The route: its own policy, neither middleware's.
    let res = send_to(&app, preflight(ADMIN, "GET").uri("/api/admin/report")).await;
    res.assert_preflight_allowed(ADMIN);
    assert_eq!(res.one(ALLOW_CREDENTIALS), None);
    let res = send_to(&app, actual("GET", ADMIN).uri("/api/admin/report")).await;
    assert_eq!(res.allow_origin(), Some(ADMIN));
    assert_eq!(res.one(ALLOW_CREDENTIALS), None);
    for origin in [WWW, EVIL] {
        let res = send_to(&app, preflight(origin, "GET").uri("/api/admin/report")).await;
        res.assert_preflight_refused();
        let res = send_to(&app, actual("GET", origin).uri("/api/admin/report")).await;
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
    let res = send_to(&app, preflight(WWW, "DELETE").uri("/api/items")).await;
    res.assert_preflight_refused();
    let res = send_to(&app, preflight(ADMIN, "DELETE").uri("/api/items")).await;
    res.assert_preflight_allowed(ADMIN);
    let res = send_to(&app, actual("DELETE", WWW).uri("/api/items")).await;
    assert!(!res.has_cors_headers());
    let res = send_to(&app, actual("DELETE", ADMIN).uri("/api/items")).await;
    assert_eq!(res.allow_origin(), Some(ADMIN));
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
    let res = send_to(&app, preflight(ADMIN, "DELETE").uri("/wrapped")).await;
    assert!(res.status.is_client_error(), "{res:?}");
    res.assert_preflight_refused();
    // The actual request does get the headers, too late to matter.
    let res = send_to(&app, actual("DELETE", ADMIN).uri("/wrapped")).await;
    assert_eq!(res.allow_origin(), Some(ADMIN));
}

/// A middleware that lets a route answer, drops the answer (and with it the
/// request), and fails only after a long wait: a tarpit, a rate limiter that
/// delays its refusal, an audit log written before an error is returned.
/// Meanwhile the worker serves other requests, and actix reuses the dropped
/// request's head for them.
async fn tarpit(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    if req.path().ends_with("/slow") {
        drop(next.call(req).await?);
        actix_web::rt::time::sleep(std::time::Duration::from_secs(3600)).await;
        return Err(actix_web::error::ErrorServiceUnavailable("too slow"));
    }
    next.call(req).await
}

/// While a request the tarpit let go of is still in flight, later requests
/// on the worker get their own policy's decision: not the plain middleware
/// skipped as if nested (a disallowed origin reaching the handler despite
/// `block_disallowed`, a preflight left unanswered).
#[actix_web::test]
async fn a_request_in_flight_without_its_head_does_not_make_the_middleware_nested() {
    use actix_web::dev::Service as _;
    let outer = Cors::builder()
        .allow_origin(WWW)
        .block_disallowed(true)
        .build()
        .unwrap();
    let inner = Cors::builder().allow_origin(EVIL).build().unwrap();
    let app = test::init_service(
        App::new()
            .wrap(actix_web::middleware::from_fn(tarpit))
            .wrap(outer)
            .service(
                web::scope("/nested")
                    .wrap(inner)
                    .route("", web::get().to(|| async { plain() })),
            )
            .route("/slow", web::get().to(|| async { plain() }))
            .route("/data", web::get().to(|| async { plain() })),
    )
    .await;
    let mut slow = Box::pin(app.call(actual("GET", WWW).uri("/slow").to_request()));
    assert!(futures_util::FutureExt::now_or_never(&mut slow).is_none());
    for _ in 0..4 {
        let res = send_to(&app, actual("GET", EVIL).uri("/data")).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{res:?}");
        assert_eq!(res.body_str(), BLOCKED);
        let res = send_to(&app, preflight(WWW, "GET").uri("/data")).await;
        res.assert_preflight_allowed(WWW);
    }
    drop(slow);
}

/// The same, with a `Cors::scope` that decided the request let go of: its
/// grant goes to no other request.
#[actix_web::test]
async fn a_scope_decision_for_a_request_let_go_of_is_not_given_to_later_requests() {
    use actix_web::dev::Service as _;
    const PARTNER: &str = "https://partner.example";
    let partner = Cors::builder().allow_origin(PARTNER).build().unwrap();
    let app = test::init_service(
        App::new()
            .wrap(actix_web::middleware::from_fn(tarpit))
            .wrap(global())
            .service(partner.scope("/partner", |scope| {
                scope.route("/slow", web::get().to(|| async { plain() }))
            }))
            .route("/data", web::get().to(|| async { plain() })),
    )
    .await;
    let mut slow = Box::pin(app.call(actual("GET", PARTNER).uri("/partner/slow").to_request()));
    assert!(futures_util::FutureExt::now_or_never(&mut slow).is_none());
    for _ in 0..4 {
        let res = send_to(&app, actual("GET", PARTNER).uri("/data")).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(!res.has_cors_headers(), "the partner reads /data: {res:?}");
        let res = send_to(&app, actual("GET", WWW).uri("/data")).await;
        assert_eq!(res.allow_origin(), Some(WWW), "{res:?}");
        assert_eq!(res.one(ALLOW_CREDENTIALS), Some("true"));
    }
    drop(slow);
}

/// A middleware between the layers that turns an error answer into an `Err`
/// after the route answered (an error handler returning `Err`, a
/// middleware that hides error pages behind a generic error): actix renders
/// the `Err` outside every layer.
async fn errors_to_err(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    if res.status().is_client_error() {
        return Err(actix_web::error::ErrorBadRequest("hidden"));
    }
    Ok(res)
}

async fn send_rendering_errors<S, B>(app: &S, req: test::TestRequest) -> Resp
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    match test::try_call_service(app, req.to_request()).await {
        Ok(res) => Resp::read(res).await,
        Err(err) => Resp::from_http(err.error_response()).await,
    }
}

/// The route decided (and recorded its decision); middleware between it
/// and the app-wide layer turned its answer into an `Err`. The error page
/// still gets the route's policy, not the app-wide one: an origin the route
/// refuses gains no grant (and no credentials) from the global policy.
#[actix_web::test]
async fn an_error_made_from_a_route_answer_keeps_the_route_policy() {
    let app = test::init_service(routes!(App::new()
        .wrap(actix_web::middleware::from_fn(errors_to_err))
        .wrap(global())))
    .await;
    let res = send_rendering_errors(&app, actual("GET", WWW).uri("/admin/fails")).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(
        !res.has_cors_headers(),
        "the route refuses WWW, the global policy answered: {res:?}"
    );
    let res = send_rendering_errors(&app, actual("GET", ADMIN).uri("/admin/fails")).await;
    assert_eq!(res.allow_origin(), Some(ADMIN), "{res:?}");
}

/// The same with a `Cors::scope`, and with a scope's own answer (a blocked
/// request, answered before its routes).
#[actix_web::test]
async fn an_error_made_from_a_scope_answer_keeps_the_scope_policy() {
    const PARTNER: &str = "https://partner.example";
    let partner = Cors::builder()
        .allow_origin(PARTNER)
        .block_disallowed(true)
        .build()
        .unwrap();
    let app = test::init_service(
        App::new()
            .wrap(actix_web::middleware::from_fn(errors_to_err))
            .wrap(global())
            .service(partner.scope("/partner", |scope| {
                scope.route(
                    "/orders",
                    web::get().to(|| async { HttpResponse::NotFound().finish() }),
                )
            })),
    )
    .await;
    for origin in [WWW, EVIL] {
        let res = send_rendering_errors(&app, actual("GET", origin).uri("/partner/orders")).await;
        assert!(
            !res.has_cors_headers(),
            "the scope refuses {origin}, the global policy answered: {res:?}"
        );
    }
    let res = send_rendering_errors(&app, actual("GET", PARTNER).uri("/partner/orders")).await;
    assert_eq!(res.allow_origin(), Some(PARTNER), "{res:?}");
}

/// A middleware between the layers that serves a fallback page for a 404
/// (a single-page app's `index.html`): it takes the request back from the
/// response and rewrites its path, as it owns the request again.
async fn spa_fallback(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    if res.status() != StatusCode::NOT_FOUND {
        return Ok(res.map_into_boxed_body());
    }
    let (req, _) = res.into_parts();
    let mut req = actix_web::dev::ServiceRequest::from_parts(req, actix_web::dev::Payload::None);
    // actix: "Panics if this `HttpRequest` has been cloned" (no one else
    // holds it: the route answered).
    req.head_mut().uri = "/index.html".parse().unwrap();
    Ok(req.into_response(HttpResponse::Ok().body("index")))
}

/// The request belongs to the middleware again once the route answered:
/// a registered layer's recorded decision must not keep a handle on it
/// (actix's `head_mut`, `match_info_mut`, `add_data_container` panic when
/// the request is shared).
#[actix_web::test]
async fn a_recorded_decision_does_not_keep_the_request_from_middleware_between() {
    const PARTNER: &str = "https://partner.example";
    let partner = Cors::builder().allow_origin(PARTNER).build().unwrap();
    let app = test::init_service(
        App::new()
            .wrap(actix_web::middleware::from_fn(spa_fallback))
            .wrap(global())
            .service(partner.scope("/partner", |scope| {
                scope.route("/orders", web::get().to(|| async { plain() }))
            })),
    )
    .await;
    let res = send_to(&app, actual("GET", PARTNER).uri("/partner/missing")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body_str(), "index");
    assert_eq!(res.allow_origin(), Some(PARTNER), "{res:?}");
}

/// One policy (one `Cors`, cloned) wrapped around the app and again around
/// a scope inside it, on a thread where it is the only plain policy: the
/// inner copy is nested all the same, and warns once (README, Precedence:
/// "the outer one decides ... and the inner one warns once").
#[actix_web::test]
async fn the_same_policy_nested_in_itself_warns() {
    logs::capture();
    let cors = global();
    let app = test::init_service(
        App::new().wrap(cors.clone()).service(
            web::scope("/same-policy-nested")
                .wrap(cors)
                .route("", web::get().to(|| async { plain() })),
        ),
    )
    .await;
    let res = send_to(&app, actual("GET", WWW).uri("/same-policy-nested")).await;
    assert_eq!(res.allow_origin(), Some(WWW));
    let lines = logs::from_crate_with("/same-policy-nested");
    assert!(
        lines
            .iter()
            .any(|(level, line)| *level == log::Level::Warn && line.contains("nested")),
        "no warning: {lines:?}"
    );
}
