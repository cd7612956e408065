//! Attacks on `#[cors]` routes, one test each, named after what it proves
//! impossible (the rest of the attack suite is in `attacks.rs`; many more
//! path spellings are in `route_paths.rs`).

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::dev::ServiceResponse;
use actix_web::http::Method;
use actix_web::test::{call_service, init_service, TestRequest};
use actix_web::{delete, get, web, App, HttpResponse, Responder};
use cors_actix::{cors, Cors};

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

fn header<B>(res: &ServiceResponse<B>, name: &str) -> Option<String> {
    let mut values = res.headers().get_all(name);
    let first = values.next().map(|v| v.to_str().unwrap().to_owned());
    assert!(values.next().is_none(), "two {name} headers");
    first
}

fn preflight(path: &str, origin: &str, method: &str) -> TestRequest {
    TestRequest::default()
        .method(Method::OPTIONS)
        .uri(path)
        .insert_header(("host", "api.test"))
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", method))
}

fn actual(method: Method, path: &str, origin: &str) -> TestRequest {
    TestRequest::default()
        .method(method)
        .uri(path)
        .insert_header(("host", "api.test"))
        .insert_header(("origin", origin))
}

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
    let res = call_service(
        &app,
        preflight("/admin/posts", PUBLIC, "DELETE").to_request(),
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(header(&res, "access-control-allow-origin"), None);
    let res = call_service(
        &app,
        actual(Method::GET, "/admin/posts", PUBLIC).to_request(),
    )
    .await;
    assert_eq!(header(&res, "access-control-allow-origin"), None);
    assert_eq!(header(&res, "access-control-allow-credentials"), None);

    // The admin origin gets the route's grant, credentials included...
    let res = call_service(
        &app,
        actual(Method::GET, "/admin/posts", ADMIN).to_request(),
    )
    .await;
    assert_eq!(
        header(&res, "access-control-allow-origin").as_deref(),
        Some(ADMIN)
    );
    assert_eq!(
        header(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );

    // ...but only there: on a global route it is an unknown origin.
    let res = call_service(&app, actual(Method::GET, "/public", ADMIN).to_request()).await;
    assert_eq!(header(&res, "access-control-allow-origin"), None);
    let res = call_service(&app, preflight("/public", ADMIN, "GET").to_request()).await;
    assert_eq!(res.status(), 403);

    // And the route's credentials never reach the global origin elsewhere.
    let res = call_service(&app, actual(Method::GET, "/public", PUBLIC).to_request()).await;
    assert_eq!(
        header(&res, "access-control-allow-origin").as_deref(),
        Some(PUBLIC)
    );
    assert_eq!(header(&res, "access-control-allow-credentials"), None);
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
        let preflight_res = call_service(&app, preflight(path, EVIL, "DELETE").to_request()).await;
        let preflight_allowed = preflight_res.status().is_success()
            && header(&preflight_res, "access-control-allow-origin").is_some();
        let before = RESTRICTED_RUNS.load(Ordering::SeqCst);
        let res = call_service(&app, actual(Method::DELETE, path, EVIL).to_request()).await;
        let handler_ran = RESTRICTED_RUNS.load(Ordering::SeqCst) > before;
        // A browser sends the DELETE only after an allowed preflight: the
        // two must never both happen for the restricted handler.
        assert!(
            !(preflight_allowed && handler_ran),
            "{path}: the evil origin's preflight was allowed and the restricted handler ran"
        );
        if handler_ran {
            assert_eq!(header(&res, "access-control-allow-origin"), None, "{path}");
        }
    }
    // The canonical path did reach the handler, so the loop tested something.
    assert!(RESTRICTED_RUNS.load(Ordering::SeqCst) >= 1);
}
