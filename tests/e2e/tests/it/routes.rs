//! `#[cors(...)]` routes judged by headless Chromium and Firefox: a route's own policy
//! replaces the global middleware's for its actual requests and for its
//! preflights, and two handlers on one path each judge their own method.
//!
//! `#[cors]` origins are literals, and the test servers' ports are not known
//! in advance, so the routes name their origins with `:*` (any port).

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{delete, get, route, web, App, HttpRequest, HttpResponse};
use cors_actix::{cors, Cors};
use cors_e2e::{Browser, Engine, FetchRequest, PageServer, TestServer, API, APP, EVIL};

use crate::support::{assert_refused, in_each_engine, Refusal};

/// The origin of the `#[cors]` routes below (any port).
const PARTNER: &str = "partner.test";
const ADMIN: &str = "admin.test";

/// How many requests with `method` and `path` arrived from `origin`.
fn count_from(api: &TestServer, method: &str, path: &str, origin: &str) -> usize {
    api.log()
        .matching(method, path)
        .iter()
        .filter(|s| s.header("origin") == Some(origin))
        .count()
}

/// Preflights for `path` from `origin`, with their statuses.
fn preflight_statuses(api: &TestServer, path: &str, origin: &str) -> Vec<Option<u16>> {
    api.log()
        .matching("OPTIONS", path)
        .iter()
        .filter(|s| s.is_preflight() && s.header("origin") == Some(origin))
        .map(|s| s.status)
        .collect()
}

/// A route with its own policy: only partner pages, GET and PUT, and the
/// `X-Partner` request header.
#[cors(origins = ["http://partner.test:*"], headers = ["x-partner"])]
#[route("/partner", method = "GET", method = "PUT")]
async fn partner(req: HttpRequest) -> HttpResponse {
    let token = req
        .headers()
        .get("x-partner")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    HttpResponse::Ok().body(format!("partner {} {token}", req.method()))
}

async fn global(req: HttpRequest) -> HttpResponse {
    HttpResponse::Ok().body(format!("global {}", req.method()))
}

in_each_engine!(a_route_policy_replaces_the_global_one_for_actual_requests_and_preflights);
fn a_route_policy_replaces_the_global_one_for_actual_requests_and_preflights(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let partner_page = PageServer::start(PARTNER);
    // The global policy allows the app page, GET and PUT (so the app page
    // would pass a PUT preflight if the global policy judged /partner), and
    // X-Partner.
    let cors = Cors::builder()
        .allow_origin(app.origin())
        .allow_methods(["GET", "PUT"])
        .allow_headers(["x-partner"])
        .build()
        .expect("valid policy");
    let api = TestServer::start(move || {
        App::new()
            .wrap(cors.clone())
            .service(partner)
            .service(web::resource("/global").to(global))
    });
    let get = |path: &str| FetchRequest::new(api.url(API, path));
    let put = |path: &str| {
        FetchRequest::new(api.url(API, path))
            .method("PUT")
            .header("X-Partner", "p1")
    };

    // The partner page: allowed on the route (a preflighted PUT included),
    // refused on the rest of the API.
    let result = browser.fetch(&partner_page.origin(), &get("/partner"));
    assert_eq!(result.assert_ok().body, "partner GET -");
    let result = browser.fetch(&partner_page.origin(), &put("/partner"));
    assert_eq!(result.assert_ok().body, "partner PUT p1");
    assert_eq!(
        preflight_statuses(&api, "/partner", &partner_page.origin()),
        [Some(204)]
    );
    assert_refused(
        &browser.fetch(&partner_page.origin(), &get("/global")),
        Refusal::NoAllowOrigin,
    );
    assert_refused(
        &browser.fetch(&partner_page.origin(), &put("/global")),
        Refusal::Preflight,
    );
    assert_eq!(
        count_from(&api, "GET", "/global", &partner_page.origin()),
        1
    );
    assert_eq!(
        count_from(&api, "PUT", "/global", &partner_page.origin()),
        0
    );

    // The app page: allowed on the rest of the API, refused on the route,
    // whose preflight the route's policy answers (403) and whose PUT is never
    // sent.
    let result = browser.fetch(&app.origin(), &get("/global"));
    assert_eq!(result.assert_ok().body, "global GET");
    let result = browser.fetch(&app.origin(), &put("/global"));
    assert_eq!(result.assert_ok().body, "global PUT");
    assert_refused(
        &browser.fetch(&app.origin(), &get("/partner")),
        Refusal::NoAllowOrigin,
    );
    assert_refused(
        &browser.fetch(&app.origin(), &put("/partner")),
        Refusal::Preflight,
    );
    assert_eq!(
        preflight_statuses(&api, "/partner", &app.origin()),
        [Some(403)]
    );
    assert_eq!(count_from(&api, "GET", "/partner", &app.origin()), 1);
    assert_eq!(count_from(&api, "PUT", "/partner", &app.origin()), 0);
    assert_eq!(api.count("PUT", "/partner"), 1, "only the partner's PUT");
}

in_each_engine!(what_the_console_names_when_a_route_refuses_a_header_or_a_method);
fn what_the_console_names_when_a_route_refuses_a_header_or_a_method(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let partner_page = PageServer::start(PARTNER);
    // As above: the global policy allows the app page, GET, PUT and
    // X-Partner.
    let cors = Cors::builder()
        .allow_origin(app.origin())
        .allow_methods(["GET", "PUT"])
        .allow_headers(["x-partner"])
        .build()
        .expect("valid policy");
    let api = TestServer::start(move || App::new().wrap(cors.clone()).service(partner));
    // The same route without a global policy.
    let bare = TestServer::start(|| App::new().service(partner));
    let partner_at = |server: &TestServer, method: &str| {
        FetchRequest::new(server.url(API, "/partner")).method(method)
    };

    // A header the route does not allow: the route's own diagnostic answer
    // (its origin granted, its lists), with or without a global policy.
    for server in [&api, &bare] {
        let put = partner_at(server, "PUT").header("X-Other", "p1");
        assert_refused(
            &browser.fetch(&partner_page.origin(), &put),
            Refusal::Header("x-other"),
        );
        let preflight = &server.log().matching("OPTIONS", "/partner")[0];
        assert_eq!(preflight.status, Some(200));
        assert_eq!(
            preflight.response_header("access-control-allow-origin"),
            Some(partner_page.origin().as_str())
        );
        assert_eq!(
            preflight.response_header("access-control-allow-methods"),
            Some("GET, PUT")
        );
        assert_eq!(
            preflight.response_header("access-control-allow-headers"),
            Some("x-partner")
        );
        assert_eq!(server.count("PUT", "/partner"), 0, "the PUT was sent");
    }

    // A method the route is not registered for is not the route's to judge:
    // under the global policy, the global policy names it to the origin it
    // allows (and refuses the partner page, which only the route allows)...
    let delete = partner_at(&api, "DELETE");
    assert_refused(
        &browser.fetch(&app.origin(), &delete),
        Refusal::Method("DELETE"),
    );
    assert_refused(
        &browser.fetch(&partner_page.origin(), &delete),
        Refusal::Preflight,
    );
    assert_eq!(
        preflight_statuses(&api, "/partner", &app.origin()),
        [Some(200)]
    );
    let global_answer = api
        .log()
        .matching("OPTIONS", "/partner")
        .into_iter()
        .find(|s| s.header("origin") == Some(app.origin().as_str()))
        .expect("the app page's preflight");
    assert_eq!(
        global_answer.response_header("access-control-allow-origin"),
        Some(app.origin().as_str())
    );
    // The X-Other preflight above, then this one.
    assert_eq!(
        preflight_statuses(&api, "/partner", &partner_page.origin()),
        [Some(200), Some(403)]
    );
    assert_eq!(api.count("DELETE", "/partner"), 0, "a DELETE was sent");

    // ... and without one, nothing answers it: a 404 without CORS headers.
    let delete = partner_at(&bare, "DELETE");
    assert_refused(
        &browser.fetch(&partner_page.origin(), &delete),
        Refusal::Preflight,
    );
    assert_eq!(
        preflight_statuses(&bare, "/partner", &partner_page.origin()),
        [Some(200), Some(404)]
    );
    let unanswered = bare.log().matching("OPTIONS", "/partner")[1].clone();
    assert_eq!(
        unanswered.response_header("access-control-allow-origin"),
        None
    );
    assert_eq!(bare.count("DELETE", "/partner"), 0, "the DELETE was sent");
}

/// Counts runs of [`delete_item`] on one server.
#[derive(Default)]
struct Deletes(AtomicUsize);

/// Anyone may list the items...
#[cors(origins = ["*"])]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().body("items")
}

/// ... only the admin page may delete one.
#[cors(origins = ["http://admin.test:*"])]
#[delete("/items")]
async fn delete_item(deletes: web::Data<Deletes>) -> HttpResponse {
    deletes.0.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Ok().body("deleted")
}

/// GET from every page, DELETE from the admin page only; `api` serves
/// [`list_items`] and [`delete_item`].
fn check_items(browser: &Browser, api: &TestServer, deletes: &Deletes) {
    let pages = [APP, EVIL, ADMIN].map(PageServer::start);
    let get = FetchRequest::new(api.url(API, "/items"));
    let delete = FetchRequest::new(api.url(API, "/items")).method("DELETE");

    for page in &pages {
        let result = browser.fetch(&page.origin(), &get);
        assert_eq!(result.assert_ok().body, "items", "GET from {}", page.host());

        let result = browser.fetch(&page.origin(), &delete);
        if page.host() == ADMIN {
            assert_eq!(result.assert_ok().body, "deleted");
            assert_eq!(
                preflight_statuses(api, "/items", &page.origin()),
                [Some(204)]
            );
        } else {
            assert_refused(&result, Refusal::Preflight);
            assert_eq!(
                preflight_statuses(api, "/items", &page.origin()),
                [Some(403)]
            );
        }
    }
    assert_eq!(api.count("GET", "/items"), 3);
    let sent = api.log().matching("DELETE", "/items");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].header("origin"), Some(pages[2].origin().as_str()));
    assert_eq!(deletes.0.load(Ordering::SeqCst), 1, "the handler ran once");
}

in_each_engine!(two_cors_handlers_on_one_path_judge_their_own_methods);
fn two_cors_handlers_on_one_path_judge_their_own_methods(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let deletes = web::Data::new(Deletes::default());
    let app_deletes = deletes.clone();
    let api = TestServer::start(move || {
        App::new()
            .app_data(app_deletes.clone())
            .service(list_items)
            .service(delete_item)
    });
    check_items(&browser, &api, &deletes);
}

in_each_engine!(two_cors_handlers_on_one_path_win_over_a_global_policy);
fn two_cors_handlers_on_one_path_win_over_a_global_policy(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    // The global policy would let the app page DELETE: the route's decides.
    let app_origin_any_port = format!("http://{APP}:*");
    let cors = Cors::builder()
        .allow_origin(app_origin_any_port)
        .allow_methods(["GET", "DELETE"])
        .build()
        .expect("valid policy");
    let deletes = web::Data::new(Deletes::default());
    let app_deletes = deletes.clone();
    let api = TestServer::start(move || {
        App::new()
            .app_data(app_deletes.clone())
            .wrap(cors.clone())
            .service(list_items)
            .service(delete_item)
    });
    check_items(&browser, &api, &deletes);
}

/// One item, by id: a plain route under the global policy.
#[get("/things/{id}")]
async fn get_thing() -> HttpResponse {
    HttpResponse::Ok().body("thing")
}

/// Deleting things: the admin page only (registered after `/things/{id}`,
/// whose `{id}` segment once caught this route's preflights).
#[cors(origins = ["http://admin.test:*"], headers = ["x-csrf"])]
#[delete("/things")]
async fn delete_things() -> HttpResponse {
    HttpResponse::Ok().body("things deleted")
}

in_each_engine!(a_rest_pair_and_a_scope_policy_under_a_global_policy);
fn a_rest_pair_and_a_scope_policy_under_a_global_policy(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let admin = PageServer::start(ADMIN);
    let partner_page = PageServer::start(PARTNER);
    let global = Cors::builder()
        .allow_origin(app.origin())
        .allow_methods(["GET", "DELETE"])
        .allow_headers(["x-csrf"])
        .build()
        .expect("valid policy");
    let partner_policy = Cors::builder()
        .allow_origin(partner_page.origin())
        .allow_methods(["GET", "PUT"])
        .allow_headers(["x-partner"])
        .build()
        .expect("valid policy");
    let api = TestServer::start(move || {
        App::new()
            .wrap(global.clone())
            .service(get_thing)
            .service(delete_things)
            .service(partner_policy.scope("/scoped", |scope| {
                scope.route(
                    "/orders",
                    web::put().to(|| async { HttpResponse::Ok().body("order") }),
                )
            }))
    });
    let delete = FetchRequest::new(api.url(API, "/things"))
        .method("DELETE")
        .header("X-Csrf", "1");
    let put_order = FetchRequest::new(api.url(API, "/scoped/orders"))
        .method("PUT")
        .header("X-Partner", "p1");

    // The REST pair: the DELETE route's own policy judges its preflight.
    let result = browser.fetch(&admin.origin(), &delete);
    assert_eq!(result.assert_ok().body, "things deleted");
    assert_refused(&browser.fetch(&app.origin(), &delete), Refusal::Preflight);
    assert_eq!(count_from(&api, "DELETE", "/things", &app.origin()), 0);
    let result = browser.fetch(&app.origin(), &FetchRequest::new(api.url(API, "/things/1")));
    assert_eq!(result.assert_ok().body, "thing");

    // The scope's policy replaces the global one, preflights included.
    let result = browser.fetch(&partner_page.origin(), &put_order);
    assert_eq!(result.assert_ok().body, "order");
    assert_refused(
        &browser.fetch(&app.origin(), &put_order),
        Refusal::Preflight,
    );
    assert_eq!(count_from(&api, "PUT", "/scoped/orders", &app.origin()), 0);
    assert_eq!(
        api.count("PUT", "/scoped/orders"),
        1,
        "only the partner's PUT"
    );
}
