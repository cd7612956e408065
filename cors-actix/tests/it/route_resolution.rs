//! Which policy judges a preflight: always the one its actual request gets,
//! or none (refused). One table of app layouts × requests, covering the
//! layouts that used to go wrong (REST pairs, catch-alls, rebuilt responses,
//! `#[options]` routes, `block_disallowed`, scopes) and their mirror images.

use std::cell::Cell;

use crate::support::*;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers, NormalizePath};
use actix_web::{delete, get, options, post, route, test, web, App, HttpResponse, Responder};
use cors_actix::{cors, Cors};

const ADMIN: &str = "https://admin.example.com";
const PARTNER: &str = "https://partner.example";

thread_local! {
    /// Handler runs on this test's thread (each test runs its app on its
    /// own); a preflight must never add to them.
    static RUNS: Cell<usize> = const { Cell::new(0) };
}

fn ran() -> usize {
    RUNS.get()
}

fn count_run() {
    RUNS.set(RUNS.get() + 1);
}

fn run(name: &'static str) -> HttpResponse {
    count_run();
    HttpResponse::Ok().body(name)
}

fn global() -> Cors {
    Cors::builder()
        .allow_origin(APP)
        .allow_methods(["GET", "POST", "PUT", "DELETE", "OPTIONS"])
        .allow_headers(["x-csrf"])
        .allow_credentials(true)
        .max_age(std::time::Duration::from_secs(7200))
        .build()
        .unwrap()
}

fn blocking_global() -> Cors {
    Cors::builder()
        .allow_origin(APP)
        .allow_methods(["GET", "DELETE"])
        .allow_credentials(true)
        .block_disallowed(true)
        .build()
        .unwrap()
}

fn partner() -> Cors {
    Cors::builder()
        .allow_origin(PARTNER)
        .allow_methods(["GET", "POST"])
        .build()
        .unwrap()
}

#[get("/items/{id}")]
async fn get_item() -> impl Responder {
    run("get_item")
}

#[cors(origins = ["https://admin.example.com"], headers = ["x-csrf"])]
#[delete("/items")]
async fn delete_items() -> impl Responder {
    run("delete_items")
}

#[get("/users/{id}")]
async fn get_user() -> impl Responder {
    run("get_user")
}

#[cors(origins = ["https://admin.example.com"])]
#[post("/users")]
async fn create_user() -> impl Responder {
    run("create_user")
}

#[cors(origins = ["https://admin.example.com"])]
#[delete("/r/{p:.{1,100}}")]
async fn delete_regex() -> impl Responder {
    run("delete_regex")
}

async fn purge() -> impl Responder {
    run("purge")
}

#[cors(origins = ["https://partner.example"], credentials = true, headers = "*")]
#[route("/pub2/{tail}*", method = "GET", method = "DELETE")]
async fn pub2_catch_all() -> impl Responder {
    run("pub2_catch_all")
}

#[cors(origins = ["https://admin.example.com"])]
#[get("/fails")]
async fn fails() -> impl Responder {
    count_run();
    HttpResponse::BadRequest().body("bad input")
}

#[cors(origins = ["https://admin.example.com"])]
#[get("/errs")]
async fn errs() -> Result<HttpResponse, actix_web::Error> {
    count_run();
    Err(actix_web::error::ErrorBadRequest("bad input"))
}

#[cors(origins = ["https://partner.example"])]
#[options("/opt")]
async fn opt_options() -> impl Responder {
    run("opt_options")
}

#[cors(origins = ["https://admin.example.com"])]
#[delete("/opt")]
async fn opt_delete() -> impl Responder {
    run("opt_delete")
}

#[cors(origins = ["https://admin.example.com"])]
#[get("/orders/special")]
async fn special_order() -> impl Responder {
    run("special_order")
}

/// An error handler that builds a new response, dropping the old headers.
fn rebuild<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let (req, _) = res.into_parts();
    let res = HttpResponse::BadRequest().body("rebuilt");
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, res).map_into_right_body(),
    ))
}

/// What a request should get.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Allowed for this origin (preflight 2xx / actual request granted).
    Granted,
    /// Preflight refused, or actual request without a grant.
    Refused,
    /// A preflight refused because its route is ambiguous (403).
    Ambiguous,
}

/// `(method or "PREFLIGHT <M>", path, origin, expectation, expected body)`.
type Case = (
    &'static str,
    &'static str,
    &'static str,
    Expect,
    Option<&'static str>,
);

async fn check<S, B>(layout: &str, app: &S, cases: &[Case])
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    for &(what, path, origin, expect, body) in cases {
        let before = ran();
        let res = if let Some(method) = what.strip_prefix("PREFLIGHT ") {
            let res = send_to(app, preflight(origin, method).uri(path)).await;
            assert_eq!(ran(), before, "{layout}: a handler ran for {what} {path}");
            res
        } else {
            send_to(app, actual(what, origin).uri(path)).await
        };
        let context = format!("{layout}: {what} {path} from {origin}: {res:?}");
        match expect {
            Expect::Granted => {
                assert_eq!(res.allow_origin(), Some(origin), "{context}");
                if what.starts_with("PREFLIGHT") {
                    assert!(res.status.is_success(), "{context}");
                }
            }
            Expect::Refused => {
                assert_eq!(res.allow_origin(), None, "{context}");
                assert_eq!(res.one(ALLOW_CREDENTIALS), None, "{context}");
            }
            Expect::Ambiguous => {
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{context}");
                assert!(!res.has_cors_headers(), "{context}");
                assert!(res.body_str().contains("ambiguous"), "{context}");
            }
        }
        if let Some(body) = body {
            assert_eq!(res.body_str(), body, "{context}");
        }
    }
}

use Expect::*;

/// Case 1: a REST pair; `/items/{id}` does not match `/items`.
const REST_PAIR: &[Case] = &[
    ("PREFLIGHT DELETE", "/items", APP, Refused, None),
    ("PREFLIGHT DELETE", "/items", ADMIN, Granted, None),
    ("DELETE", "/items", ADMIN, Granted, Some("delete_items")),
    ("DELETE", "/items", APP, Refused, Some("delete_items")),
    ("PREFLIGHT GET", "/items/7", APP, Granted, None),
    ("PREFLIGHT GET", "/items/7", ADMIN, Refused, None),
    ("GET", "/items/7", APP, Granted, Some("get_item")),
];

#[actix_rt::test]
async fn rest_pair_both_orders() {
    let app = test::init_service(
        App::new()
            .wrap(global())
            .service(get_item)
            .service(delete_items),
    )
    .await;
    check("REST pair", &app, REST_PAIR).await;
    let app = test::init_service(
        App::new()
            .wrap(global())
            .service(delete_items)
            .service(get_item),
    )
    .await;
    check("REST pair, swapped", &app, REST_PAIR).await;
}

#[actix_rt::test]
async fn rest_pair_in_scopes() {
    let cases: &[Case] = &[
        ("PREFLIGHT POST", "/v1/users", APP, Refused, None),
        ("PREFLIGHT POST", "/v1/users", ADMIN, Granted, None),
        ("POST", "/v1/users", ADMIN, Granted, Some("create_user")),
        ("PREFLIGHT GET", "/v1/users/3", APP, Granted, None),
        ("GET", "/v1/users/3", APP, Granted, Some("get_user")),
    ];
    let app = test::init_service(
        App::new()
            .wrap(global())
            .service(web::scope("/v1").service(get_user).service(create_user)),
    )
    .await;
    check("scope", &app, cases).await;
    let app = test::init_service(
        App::new()
            .wrap(global())
            .service(web::scope("/v1").service(create_user).service(get_user)),
    )
    .await;
    check("scope, swapped", &app, cases).await;
}

#[actix_rt::test]
async fn a_route_whose_segment_matches_anything_keeps_its_preflights() {
    let cases: &[Case] = &[
        ("PREFLIGHT DELETE", "/r/a/b", ADMIN, Granted, None),
        ("PREFLIGHT DELETE", "/r/a/b", APP, Refused, None),
        ("DELETE", "/r/a/b", ADMIN, Granted, Some("delete_regex")),
    ];
    let app = test::init_service(App::new().wrap(global()).service(delete_regex)).await;
    check("regex", &app, cases).await;
}

/// Case 2: a catch-all `#[cors]` route registered after a plain route it
/// covers.
#[actix_rt::test]
async fn catch_all_after_a_plain_route() {
    let app = test::init_service(
        App::new()
            .wrap(global())
            .route("/pub2/admin/purge", web::delete().to(purge))
            .service(pub2_catch_all),
    )
    .await;
    check(
        "catch-all last",
        &app,
        &[
            // actix decides between the two by method guards: refused.
            (
                "PREFLIGHT DELETE",
                "/pub2/admin/purge",
                PARTNER,
                Ambiguous,
                None,
            ),
            (
                "PREFLIGHT DELETE",
                "/pub2/admin/purge",
                APP,
                Ambiguous,
                None,
            ),
            (
                "DELETE",
                "/pub2/admin/purge",
                PARTNER,
                Refused,
                Some("purge"),
            ),
            ("DELETE", "/pub2/admin/purge", APP, Granted, Some("purge")),
            ("PREFLIGHT DELETE", "/pub2/other", PARTNER, Granted, None),
            (
                "DELETE",
                "/pub2/other",
                PARTNER,
                Granted,
                Some("pub2_catch_all"),
            ),
        ],
    )
    .await;
    let app = test::init_service(
        App::new()
            .wrap(global())
            .service(pub2_catch_all)
            .route("/pub2/admin/purge", web::delete().to(purge)),
    )
    .await;
    check(
        "catch-all first",
        &app,
        &[
            (
                "PREFLIGHT DELETE",
                "/pub2/admin/purge",
                PARTNER,
                Granted,
                None,
            ),
            ("PREFLIGHT DELETE", "/pub2/admin/purge", APP, Refused, None),
            (
                "DELETE",
                "/pub2/admin/purge",
                PARTNER,
                Granted,
                Some("pub2_catch_all"),
            ),
        ],
    )
    .await;
}

/// Case 3: responses rebuilt by `ErrorHandlers` between the enclosing `Cors`
/// and the route keep the route's policy.
#[actix_rt::test]
async fn rebuilt_error_responses_keep_the_route_policy() {
    let app = test::init_service(
        App::new()
            .wrap(ErrorHandlers::new().default_handler(rebuild))
            .wrap(global())
            .service(fails)
            .service(errs),
    )
    .await;
    check(
        "ErrorHandlers",
        &app,
        &[
            ("GET", "/fails", APP, Refused, Some("rebuilt")),
            ("GET", "/fails", ADMIN, Granted, Some("rebuilt")),
            ("GET", "/errs", APP, Refused, Some("rebuilt")),
            ("GET", "/errs", ADMIN, Granted, Some("rebuilt")),
        ],
    )
    .await;
    // The same with the error handlers on a scope around the route.
    let app = test::init_service(
        App::new().wrap(global()).service(
            web::scope("")
                .wrap(ErrorHandlers::new().default_handler(rebuild))
                .service(fails)
                .service(errs),
        ),
    )
    .await;
    check(
        "ErrorHandlers on a scope",
        &app,
        &[
            ("GET", "/fails", APP, Refused, Some("rebuilt")),
            ("GET", "/fails", ADMIN, Granted, Some("rebuilt")),
            ("GET", "/errs", APP, Refused, None),
            ("GET", "/errs", ADMIN, Granted, None),
        ],
    )
    .await;
}

/// Case 4: an `#[options]` route does not take a `DELETE` route's preflights.
#[actix_rt::test]
async fn options_route_beside_a_delete_route() {
    let cases: &[Case] = &[
        ("PREFLIGHT DELETE", "/opt", ADMIN, Granted, None),
        ("PREFLIGHT DELETE", "/opt", PARTNER, Refused, None),
        ("DELETE", "/opt", ADMIN, Granted, Some("opt_delete")),
        ("OPTIONS", "/opt", PARTNER, Granted, Some("opt_options")),
    ];
    for with_global in [false, true] {
        let layout = format!("#[options] first, global {with_global}");
        if with_global {
            let app = test::init_service(
                App::new()
                    .wrap(global())
                    .service(opt_options)
                    .service(opt_delete),
            )
            .await;
            check(&layout, &app, cases).await;
            let app = test::init_service(
                App::new()
                    .wrap(global())
                    .service(opt_delete)
                    .service(opt_options),
            )
            .await;
            check(&layout, &app, cases).await;
        } else {
            let app = test::init_service(App::new().service(opt_options).service(opt_delete)).await;
            check(&layout, &app, cases).await;
            let app = test::init_service(App::new().service(opt_delete).service(opt_options)).await;
            check(&layout, &app, cases).await;
        }
    }
}

/// Case 5: the global `block_disallowed` does not block a route's own origin.
#[actix_rt::test]
async fn global_blocking_spares_routes_with_their_own_policy() {
    let app = test::init_service(
        App::new()
            .wrap(blocking_global())
            .service(get_item)
            .service(delete_items),
    )
    .await;
    check(
        "block_disallowed",
        &app,
        &[
            ("DELETE", "/items", ADMIN, Granted, Some("delete_items")),
            ("GET", "/items/1", APP, Granted, Some("get_item")),
        ],
    )
    .await;
    let before = ran();
    let res = send_to(&app, actual("GET", ADMIN).uri("/items/1")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(ran(), before, "a blocked request ran its handler");
}

/// Case 6: a scope's own policy wins over the app's, preflights included;
/// a plain nested `Cors` is overridden by the outer one, consistently.
#[actix_rt::test]
async fn scope_policies() {
    let app = test::init_service(
        App::new()
            .wrap(global())
            .service(partner().scope("/partner", |s| {
                s.route("/orders", web::get().to(|| async { run("partner_orders") }))
                    .service(special_order)
            }))
            .service(
                web::scope("/plain")
                    .wrap(partner())
                    .route("/orders", web::get().to(|| async { run("plain_orders") })),
            )
            .route("/orders", web::get().to(|| async { run("orders") })),
    )
    .await;
    check(
        "scopes",
        &app,
        &[
            ("PREFLIGHT GET", "/partner/orders", PARTNER, Granted, None),
            ("PREFLIGHT GET", "/partner/orders", APP, Refused, None),
            (
                "GET",
                "/partner/orders",
                PARTNER,
                Granted,
                Some("partner_orders"),
            ),
            (
                "GET",
                "/partner/orders",
                APP,
                Refused,
                Some("partner_orders"),
            ),
            // A 404 inside the scope is the scope's.
            ("GET", "/partner/nothing", PARTNER, Granted, None),
            // A #[cors] route inside the scope keeps its own policy.
            (
                "PREFLIGHT GET",
                "/partner/orders/special",
                ADMIN,
                Granted,
                None,
            ),
            (
                "PREFLIGHT GET",
                "/partner/orders/special",
                PARTNER,
                Refused,
                None,
            ),
            (
                "GET",
                "/partner/orders/special",
                ADMIN,
                Granted,
                Some("special_order"),
            ),
            (
                "GET",
                "/partner/orders/special",
                PARTNER,
                Refused,
                Some("special_order"),
            ),
            // Outside the scope: the app's policy.
            ("PREFLIGHT GET", "/orders", APP, Granted, None),
            ("PREFLIGHT GET", "/orders", PARTNER, Refused, None),
            // A plain nested Cors: the outer one decides both.
            ("PREFLIGHT GET", "/plain/orders", PARTNER, Refused, None),
            (
                "GET",
                "/plain/orders",
                PARTNER,
                Refused,
                Some("plain_orders"),
            ),
            ("PREFLIGHT GET", "/plain/orders", APP, Granted, None),
            ("GET", "/plain/orders", APP, Granted, Some("plain_orders")),
        ],
    )
    .await;
}

/// A path-rewriting middleware outside the `Cors` middleware.
#[actix_rt::test]
async fn normalize_path_outside() {
    let app = test::init_service(
        App::new()
            .wrap(global())
            .wrap(NormalizePath::trim())
            .service(get_item)
            .service(delete_items),
    )
    .await;
    check(
        "NormalizePath outside",
        &app,
        &[
            ("PREFLIGHT DELETE", "/items/", ADMIN, Granted, None),
            ("PREFLIGHT DELETE", "//items", APP, Refused, None),
            ("DELETE", "/items/", ADMIN, Granted, Some("delete_items")),
        ],
    )
    .await;
}

/// An authentication middleware around the route answers 401 to requests
/// without credentials, as preflights are: the preflight is answered before
/// it, and the 401 carries the route's policy.
#[actix_rt::test]
async fn authentication_inside_the_cors_middleware() {
    let app = test::init_service(
        App::new().wrap(global()).service(
            web::scope("")
                .wrap_fn(|req, srv| {
                    let authorised = req.headers().contains_key("authorization");
                    let fut = (!authorised).then(|| req.request().clone());
                    let call = authorised.then(|| srv.call(req));
                    async move {
                        match (fut, call) {
                            (_, Some(call)) => call.await,
                            (Some(req), None) => Ok(ServiceResponse::new(
                                req,
                                HttpResponse::Unauthorized().finish(),
                            )),
                            (None, None) => unreachable!(),
                        }
                    }
                })
                .service(delete_items),
        ),
    )
    .await;
    check(
        "auth",
        &app,
        &[
            ("PREFLIGHT DELETE", "/items", ADMIN, Granted, None),
            ("PREFLIGHT DELETE", "/items", APP, Refused, None),
            ("DELETE", "/items", ADMIN, Granted, None),
            ("DELETE", "/items", APP, Refused, None),
        ],
    )
    .await;
    let res = send_to(&app, actual("DELETE", ADMIN).uri("/items")).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

/// A route's policy built at run time (from configuration, say).
fn partner_from_config() -> Cors {
    let config: cors_actix::CorsConfig = serde_json::from_str(
        r#"{"allow_origins": ["https://partner.example"], "allow_methods": ["PUT"]}"#,
    )
    .unwrap();
    Cors::try_from(config).unwrap()
}

#[cors(policy = partner_from_config)]
#[actix_web::put("/configured")]
async fn configured() -> impl Responder {
    run("configured")
}

#[cors(origins = ["https://admin.example.com"], block_disallowed = true)]
#[get("/guarded")]
async fn guarded() -> impl Responder {
    run("guarded")
}

#[actix_rt::test]
async fn run_time_policies_and_route_blocking() {
    let app = test::init_service(
        App::new()
            .wrap(global())
            .service(configured)
            .service(guarded),
    )
    .await;
    check(
        "policy = fn",
        &app,
        &[
            ("PREFLIGHT PUT", "/configured", PARTNER, Granted, None),
            ("PREFLIGHT PUT", "/configured", APP, Refused, None),
            ("PUT", "/configured", PARTNER, Granted, Some("configured")),
            ("GET", "/guarded", ADMIN, Granted, Some("guarded")),
        ],
    )
    .await;
    let before = ran();
    let res = send_to(&app, actual("GET", APP).uri("/guarded")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.allow_origin(), None);
    assert_eq!(ran(), before, "a blocked request ran its handler");
}

/// Registered policies live in a table of the whole program, but only an app
/// that holds one can hide a claim behind an ordinary catch-all: an app
/// without any answers the catch-all's preflights with its own policy, even
/// after another app in the process registered a `#[cors]` route.
#[actix_rt::test]
async fn a_catch_all_preflight_is_refused_only_in_an_app_with_registered_policies() {
    #[cors(origins = ["https://partner.example"])]
    #[get("/elsewhere")]
    async fn elsewhere() -> impl Responder {
        HttpResponse::Ok()
    }
    let preflight = || {
        test::TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri("/files/a/b")
            .insert_header(("Origin", APP))
            .insert_header(("Access-Control-Request-Method", "GET"))
            .to_request()
    };
    let catch_all = || web::resource("/files/{tail}*").route(web::get().to(HttpResponse::Ok));
    // An app with a `#[cors]` route registers it in the process's table.
    let with_route = test::init_service(
        App::new()
            .wrap(global())
            .service(catch_all())
            .service(elsewhere),
    )
    .await;
    let plain = test::init_service(App::new().wrap(global()).service(catch_all())).await;
    let res = test::call_service(&plain, preflight()).await;
    assert_eq!(
        res.status(),
        StatusCode::NO_CONTENT,
        "no registered policy here"
    );
    assert_eq!(
        res.headers().get("access-control-allow-origin").unwrap(),
        APP
    );
    // Where a registered route may sit behind the catch-all, it stays refused.
    let res = test::call_service(&with_route, preflight()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
