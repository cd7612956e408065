//! Attacks on `#[cors]` routes, one test each, named after what it proves
//! impossible (the rest of the attack suite is in `attacks.rs`; many more
//! path spellings are in `route_paths.rs`).

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::http::Method;
use actix_web::test::init_service;
use actix_web::{delete, get, web, App, HttpResponse, Responder};
use cors_actix::{cors, Cors};

use crate::support::{actual, preflight, send_to, ALLOW_CREDENTIALS};

const PUBLIC: &str = "https://public.example";
const ADMIN: &str = "https://admin.example";
const EVIL: &str = "https://evil.example";

static RESTRICTED_RUNS: AtomicUsize = AtomicUsize::new(0);

#[cors(origins = ["https://admin.example"], credentials = true)]
#[delete("/admin/posts")]
async fn admin_delete() -> impl Responder {
    RESTRICTED_RUNS.fetch_add(1, Ordering::SeqCst);
    HttpResponse::NoContent()
}

#[cors(origins = ["https://admin.example"], credentials = true)]
#[get("/admin/posts")]
async fn admin_read() -> impl Responder {
    HttpResponse::Ok().body("admin data")
}

/// The host of the API the requests go to.
const API_HOST: &str = "api.test";

#[actix_rt::test]
async fn global_policy_and_route_policy_never_combine_into_a_wider_one() {
    // The global policy: a public origin, any method, no credentials.
    let global = Cors::builder()
        .allow_origin(PUBLIC)
        .allow_any_method()
        .build()
        .unwrap();
    let app = init_service(
        App::new()
            .wrap(global)
            .service(admin_delete)
            .service(admin_read)
            .route(
                "/public",
                web::get().to(|| async { HttpResponse::Ok().body("public") }),
            ),
    )
    .await;

    // The global origin gains nothing on the admin route: its preflight is
    // refused, its actual requests get no grant.
    let res = send_to(
        &app,
        preflight(PUBLIC, "DELETE")
            .uri("/admin/posts")
            .insert_header(("host", API_HOST)),
    )
    .await;
    assert_eq!(res.status, 403);
    assert_eq!(res.allow_origin(), None);
    let res = send_to(
        &app,
        actual(Method::GET, PUBLIC)
            .uri("/admin/posts")
            .insert_header(("host", API_HOST)),
    )
    .await;
    assert_eq!(res.allow_origin(), None);
    assert_eq!(res.one(ALLOW_CREDENTIALS), None);

    // The admin origin gets the route's grant, credentials included...
    let res = send_to(
        &app,
        actual(Method::GET, ADMIN)
            .uri("/admin/posts")
            .insert_header(("host", API_HOST)),
    )
    .await;
    assert_eq!(res.allow_origin(), Some(ADMIN));
    assert_eq!(res.one(ALLOW_CREDENTIALS), Some("true"));

    // ...but only there: on a global route it is an unknown origin.
    let res = send_to(
        &app,
        actual(Method::GET, ADMIN)
            .uri("/public")
            .insert_header(("host", API_HOST)),
    )
    .await;
    assert_eq!(res.allow_origin(), None);
    let res = send_to(
        &app,
        preflight(ADMIN, "GET")
            .uri("/public")
            .insert_header(("host", API_HOST)),
    )
    .await;
    assert_eq!(res.status, 403);

    // And the route's credentials never reach the global origin elsewhere.
    let res = send_to(
        &app,
        actual(Method::GET, PUBLIC)
            .uri("/public")
            .insert_header(("host", API_HOST)),
    )
    .await;
    assert_eq!(res.allow_origin(), Some(PUBLIC));
    assert_eq!(res.one(ALLOW_CREDENTIALS), None);
}

#[actix_rt::test]
async fn path_spellings_never_apply_a_public_policy_to_a_restricted_handler() {
    // A global policy that lets every origin do anything, around a route
    // only the admin site may call.
    let global = Cors::builder()
        .allow_any_origin()
        .allow_any_method()
        .allow_any_header()
        .build()
        .unwrap();
    let app = init_service(App::new().wrap(global).service(admin_delete)).await;

    let spellings = [
        "/admin/posts",
        "/ADMIN/posts",
        "/admin/Posts",
        "/admin/posts/",
        "//admin/posts",
        "/admin//posts",
        "/admin/./posts",
        "/admin/../admin/posts",
        "/admin/%2e%2e/admin/posts",
        "/%61dmin/posts",
        "/admin%2Fposts",
        "/admin/post%73",
        "/admin+/posts",
        "/admin/posts+",
        "/admin/posts%20",
        "/admin/posts?x=1",
        "/admin/posts#frag",
    ];
    for path in spellings {
        let preflight_res = send_to(
            &app,
            preflight(EVIL, "DELETE")
                .uri(path)
                .insert_header(("host", API_HOST)),
        )
        .await;
        let preflight_allowed =
            preflight_res.status.is_success() && preflight_res.allow_origin().is_some();
        let before = RESTRICTED_RUNS.load(Ordering::SeqCst);
        let res = send_to(
            &app,
            actual(Method::DELETE, EVIL)
                .uri(path)
                .insert_header(("host", API_HOST)),
        )
        .await;
        let handler_ran = RESTRICTED_RUNS.load(Ordering::SeqCst) > before;
        // A browser sends the DELETE only after an allowed preflight: the
        // two must never both happen for the restricted handler.
        assert!(
            !(preflight_allowed && handler_ran),
            "{path}: the evil origin's preflight was allowed and the restricted handler ran"
        );
        if handler_ran {
            assert_eq!(res.allow_origin(), None, "{path}");
        }
    }
    // The canonical path did reach the handler, so the loop tested something.
    assert!(RESTRICTED_RUNS.load(Ordering::SeqCst) >= 1);
}
