//! Origins decided by an asynchronous check (`allow_origin_async`,
//! `OriginLookup`): answers cached with a time to live and a bound, one
//! lookup in flight per origin, failures and timeouts refused and not
//! cached, the worker never blocked.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test::{call_service, init_service, TestRequest};
use actix_web::{web, App, HttpResponse};
use cors_actix::{cors, Cors, OriginLookup};

use crate::support::{self, ALLOW_CREDENTIALS, ALLOW_METHODS, ALLOW_ORIGIN};

const APP: &str = "https://app.example";
const TENANT: &str = "https://shop.tenant.example";
const STRANGER: &str = "https://evil.example";

/// A lookup that allows origins ending in `.tenant.example`, counting its
/// calls, after `delay`.
fn tenants(calls: &Arc<AtomicUsize>, delay: Duration) -> OriginLookup {
    let calls = Arc::clone(calls);
    OriginLookup::new(move |origin: String| {
        calls.fetch_add(1, Ordering::SeqCst);
        async move {
            if !delay.is_zero() {
                actix_web::rt::time::sleep(delay).await;
            }
            origin.ends_with(".tenant.example")
        }
    })
}

fn policy(lookup: &OriginLookup) -> Cors {
    Cors::builder()
        .allow_origin(APP)
        .allow_origin_lookup(lookup)
        .allow_methods(["GET", "DELETE"])
        .allow_credentials(true)
        .build()
        .unwrap()
}

fn get(origin: &str) -> actix_http::Request {
    support::get(origin).to_request()
}

fn preflight(origin: &str) -> actix_http::Request {
    support::preflight(origin, "DELETE").to_request()
}

fn allow_origin<B>(res: &ServiceResponse<B>) -> Option<&str> {
    res.headers().get(ALLOW_ORIGIN).map(|v| v.to_str().unwrap())
}

macro_rules! app {
    ($cors:expr) => {
        init_service(
            App::new()
                .wrap($cors)
                .route("/", web::get().to(HttpResponse::Ok))
                .route("/", web::delete().to(HttpResponse::Ok)),
        )
        .await
    };
}

#[actix_rt::test]
async fn an_allowed_answer_grants_and_is_cached() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::ZERO);
    let app = app!(policy(&lookup));
    for _ in 0..3 {
        let res = call_service(&app, get(TENANT)).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(allow_origin(&res), Some(TENANT));
        assert_eq!(res.headers().get(ALLOW_CREDENTIALS).unwrap(), "true");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1, "asked once, then cached");
    // The preflight reads the same answer.
    let res = call_service(&app, preflight(TENANT)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(allow_origin(&res), Some(TENANT));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(lookup.cached_answers(), 1);
}

#[actix_rt::test]
async fn a_refusal_is_cached_too() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::ZERO);
    let app = app!(policy(&lookup));
    for _ in 0..3 {
        let res = call_service(&app, get(STRANGER)).await;
        assert_eq!(allow_origin(&res), None);
        assert_eq!(res.headers().get("vary").unwrap(), "Origin");
    }
    let res = call_service(&app, preflight(STRANGER)).await;
    assert_eq!(allow_origin(&res), None);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[actix_rt::test]
async fn a_preflight_waits_for_its_lookup() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::from_millis(20));
    let app = app!(policy(&lookup));
    let res = call_service(&app, preflight(TENANT)).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(allow_origin(&res), Some(TENANT));
    assert!(res
        .headers()
        .get(ALLOW_METHODS)
        .unwrap()
        .to_str()
        .unwrap()
        .contains("DELETE"));
    let res = call_service(&app, preflight(STRANGER)).await;
    assert_eq!(allow_origin(&res), None);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[actix_rt::test]
async fn other_rules_and_odd_origins_are_never_asked() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::ZERO);
    let app = app!(policy(&lookup));
    // Allowed by the policy's own list.
    let res = call_service(&app, get(APP)).await;
    assert_eq!(allow_origin(&res), Some(APP));
    // `null`, and origins in no form a browser sends.
    for odd in [
        "null",
        "HTTPS://SHOP.TENANT.EXAMPLE",
        "https://shop.tenant.example/",
        "https://shop.tenant.example:443",
        "shop.tenant.example",
    ] {
        let res = call_service(&app, get(odd)).await;
        assert_eq!(allow_origin(&res), None, "{odd}");
    }
    // Two `Origin` headers.
    let req = TestRequest::get()
        .uri("/")
        .append_header(("Origin", TENANT))
        .append_header(("Origin", TENANT))
        .to_request();
    let res = call_service(&app, req).await;
    assert_eq!(allow_origin(&res), None);
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[actix_rt::test]
async fn one_lookup_in_flight_per_origin() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::from_millis(50));
    let app = app!(policy(&lookup));
    let requests = (0..20).map(|i| {
        let origin = if i % 2 == 0 { TENANT } else { STRANGER };
        app.call(get(origin))
    });
    let responses = futures_util::future::join_all(requests).await;
    for (i, res) in responses.into_iter().enumerate() {
        let res = res.unwrap();
        let expected = if i % 2 == 0 { Some(TENANT) } else { None };
        assert_eq!(allow_origin(&res), expected);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2, "one lookup per origin");
}

#[actix_rt::test]
async fn a_slow_lookup_times_out_closed_and_is_not_cached() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::from_secs(5)).timeout(Duration::from_millis(30));
    let app = app!(policy(&lookup));
    let res = call_service(&app, get(TENANT)).await;
    assert_eq!(res.status(), StatusCode::OK, "the handler still answers");
    assert_eq!(allow_origin(&res), None, "refused: no answer in time");
    let res = call_service(&app, preflight(TENANT)).await;
    assert_eq!(allow_origin(&res), None);
    assert_eq!(calls.load(Ordering::SeqCst), 2, "asked again: not cached");
    assert_eq!(lookup.cached_answers(), 0);
}

#[actix_rt::test]
async fn requests_waiting_for_a_lookup_that_times_out_share_its_outcome() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::from_secs(5)).timeout(Duration::from_millis(40));
    let app = app!(policy(&lookup));
    let requests = (0..10).map(|_| app.call(get(TENANT)));
    for res in futures_util::future::join_all(requests).await {
        assert_eq!(allow_origin(&res.unwrap()), None);
    }
    // Not one lookup (and timeout) after another.
    assert_eq!(calls.load(Ordering::SeqCst), 1, "one lookup for all ten");
    assert_eq!(lookup.cached_answers(), 0);
    call_service(&app, get(TENANT)).await;
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "the next request asks again"
    );
}

#[actix_rt::test]
async fn a_failed_lookup_refuses_and_is_not_cached() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let cors = Cors::builder()
        .allow_origin_async(move |origin: String| {
            let n = counted.fetch_add(1, Ordering::SeqCst);
            async move {
                if n == 0 {
                    Err(format!("database unavailable for {origin}"))
                } else {
                    Ok(true)
                }
            }
        })
        .build()
        .unwrap();
    let app = app!(cors);
    let res = call_service(&app, get(TENANT)).await;
    assert_eq!(allow_origin(&res), None, "an error refuses");
    let res = call_service(&app, get(TENANT)).await;
    assert_eq!(allow_origin(&res), Some(TENANT), "and is asked again");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[actix_rt::test]
async fn answers_expire_after_their_time_to_live() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::ZERO).time_to_live(Duration::from_millis(50));
    let app = app!(policy(&lookup));
    call_service(&app, get(TENANT)).await;
    call_service(&app, get(TENANT)).await;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    actix_web::rt::time::sleep(Duration::from_millis(120)).await;
    let res = call_service(&app, get(TENANT)).await;
    assert_eq!(allow_origin(&res), Some(TENANT));
    assert_eq!(calls.load(Ordering::SeqCst), 2, "expired, asked again");
}

#[actix_rt::test]
async fn the_cache_is_bounded_and_a_full_cache_still_answers() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::ZERO).max_entries(8);
    let app = app!(policy(&lookup));
    for i in 0..300 {
        let origin = format!("https://t{i}.tenant.example");
        let res = call_service(&app, get(&origin)).await;
        // Whether or not the full cache keeps the new answer, the request
        // that waited for it is decided by it.
        assert_eq!(allow_origin(&res), Some(&*origin));
        let origin = format!("https://t{i}.other.example");
        let res = call_service(&app, get(&origin)).await;
        assert_eq!(allow_origin(&res), None);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 600);
    assert!(lookup.cached_answers() <= 8);
}

#[actix_rt::test]
async fn a_request_is_decided_by_its_own_lookup_whatever_the_cache_keeps() {
    // Nothing is kept: every request asks, and gets its answer.
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::ZERO).time_to_live(Duration::ZERO);
    let app = app!(policy(&lookup));
    for _ in 0..3 {
        let res = call_service(&app, get(TENANT)).await;
        assert_eq!(allow_origin(&res), Some(TENANT));
        let res = call_service(&app, preflight(TENANT)).await;
        assert_eq!(allow_origin(&res), Some(TENANT));
        let res = call_service(&app, get(STRANGER)).await;
        assert_eq!(allow_origin(&res), None);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 9);
}

#[actix_rt::test]
async fn invalidate_asks_again_at_once() {
    let calls = Arc::new(AtomicUsize::new(0));
    let allowed = Arc::new(AtomicUsize::new(0));
    let (counted, flag) = (Arc::clone(&calls), Arc::clone(&allowed));
    let lookup = OriginLookup::new(move |_origin: String| {
        counted.fetch_add(1, Ordering::SeqCst);
        let now = flag.load(Ordering::SeqCst) == 1;
        async move { now }
    });
    let app = app!(policy(&lookup));
    let res = call_service(&app, get(TENANT)).await;
    assert_eq!(allow_origin(&res), None);
    // The tenant signs up: the admin endpoint invalidates the answer.
    allowed.store(1, Ordering::SeqCst);
    let res = call_service(&app, get(TENANT)).await;
    assert_eq!(allow_origin(&res), None, "still the cached refusal");
    lookup.invalidate(TENANT);
    let res = call_service(&app, get(TENANT)).await;
    assert_eq!(allow_origin(&res), Some(TENANT));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[actix_rt::test]
async fn the_worker_serves_other_requests_while_a_lookup_waits() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::from_millis(100));
    let app = app!(policy(&lookup));
    let finished = Rc::new(RefCell::new(Vec::new()));
    let slow = {
        let finished = Rc::clone(&finished);
        let fut = app.call(get(TENANT));
        async move {
            let res = fut.await.unwrap();
            finished.borrow_mut().push("looked up");
            res
        }
    };
    let fast = {
        let finished = Rc::clone(&finished);
        let fut = app.call(get(APP));
        async move {
            let res = fut.await.unwrap();
            finished.borrow_mut().push("listed");
            res
        }
    };
    let (slow, fast) = futures_util::future::join(slow, fast).await;
    assert_eq!(allow_origin(&slow), Some(TENANT));
    assert_eq!(allow_origin(&fast), Some(APP));
    assert_eq!(*finished.borrow(), ["listed", "looked up"]);
}

#[actix_rt::test]
async fn block_disallowed_waits_for_the_answer() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::from_millis(10));
    let cors = Cors::builder()
        .allow_origin_lookup(&lookup)
        .block_disallowed(true)
        .build()
        .unwrap();
    let app = app!(cors);
    let res = call_service(&app, get(TENANT)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(allow_origin(&res), Some(TENANT));
    let res = call_service(&app, get(STRANGER)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[actix_rt::test]
async fn explain_says_whether_the_lookup_answered() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::ZERO);
    let cors = policy(&lookup);
    let head = |origin: &str| {
        TestRequest::get()
            .insert_header(("Origin", origin))
            .to_srv_request()
    };
    let before = cors.explain(head(TENANT).head()).to_string();
    assert!(before.contains("no cached answer"), "{before}");
    let app = app!(cors.clone());
    call_service(&app, get(TENANT)).await;
    let after = cors.explain(head(TENANT).head()).to_string();
    assert!(after.contains("origin lookup"), "{after}");
    assert_eq!(calls.load(Ordering::SeqCst), 1, "explaining never asks");
}

/// A request that goes away (its client disconnected) does not cancel the
/// lookup it started: the others waiting for it, and later requests, get its
/// answer without a second lookup. (A lookup that ran inside its request
/// would be cancelled with it and restarted by the newest waiter; clients
/// coming and going could keep a real request waiting without end.)
#[actix_rt::test]
async fn a_lookup_outlives_the_request_that_started_it() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::from_millis(30));
    let app = app!(policy(&lookup));
    let mut started = Box::pin(app.call(get(TENANT)));
    assert!(
        futures_util::FutureExt::now_or_never(&mut started).is_none(),
        "the lookup is under way"
    );
    drop(started);
    let res = call_service(&app, get(TENANT)).await;
    assert_eq!(allow_origin(&res), Some(TENANT));
    assert_eq!(calls.load(Ordering::SeqCst), 1, "one lookup, not restarted");
}

/// A check that panics refuses its request (logged); the next request asks
/// again.
#[actix_rt::test]
async fn a_panicking_check_refuses_and_is_asked_again() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let lookup = OriginLookup::new(move |_origin: String| {
        let n = counted.fetch_add(1, Ordering::SeqCst);
        async move {
            assert!(n > 0, "the first check panics");
            true
        }
    });
    let app = app!(policy(&lookup));
    let res = call_service(&app, get(TENANT)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(allow_origin(&res), None);
    let res = call_service(&app, get(TENANT)).await;
    assert_eq!(allow_origin(&res), Some(TENANT));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// Several lookups in one policy are asked in turn until one allows.
#[actix_rt::test]
async fn every_lookup_of_a_policy_is_asked_until_one_allows() {
    let calls = Arc::new(AtomicUsize::new(0));
    let staff = OriginLookup::new(|_origin: String| async { false });
    let tenants = tenants(&calls, Duration::ZERO);
    let cors = Cors::builder()
        .allow_origin_lookup(&staff)
        .allow_origin_lookup(&tenants)
        .build()
        .unwrap();
    let app = app!(cors);
    let res = call_service(&app, get(TENANT)).await;
    assert_eq!(allow_origin(&res), Some(TENANT), "allowed by the second");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// A first lookup whose backend is down (failures are not cached) does not
/// hide the second.
#[actix_rt::test]
async fn a_failing_lookup_does_not_hide_the_next() {
    let calls = Arc::new(AtomicUsize::new(0));
    let staff = OriginLookup::new(|_origin: String| async { Err::<bool, _>("directory down") });
    let tenants = tenants(&calls, Duration::ZERO);
    let cors = Cors::builder()
        .allow_origin_lookup(&staff)
        .allow_origin_lookup(&tenants)
        .build()
        .unwrap();
    let app = app!(cors);
    for _ in 0..5 {
        let res = call_service(&app, get(TENANT)).await;
        assert_eq!(allow_origin(&res), Some(TENANT));
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "the tenant answer is cached"
    );
}

#[actix_rt::test]
async fn a_time_to_live_beyond_an_instant_is_for_ever() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::ZERO).time_to_live(Duration::MAX);
    let app = app!(policy(&lookup));
    for _ in 0..3 {
        let res = call_service(&app, get(TENANT)).await;
        assert_eq!(allow_origin(&res), Some(TENANT));
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[actix_rt::test]
async fn remember_caches_an_answer_without_asking() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::ZERO);
    lookup.remember("https://new.other.example", true).unwrap();
    lookup.remember(TENANT, false).unwrap();
    let app = app!(policy(&lookup));
    let res = call_service(&app, get("https://new.other.example")).await;
    assert_eq!(allow_origin(&res), Some("https://new.other.example"));
    let res = call_service(&app, get(TENANT)).await;
    assert_eq!(allow_origin(&res), None, "the remembered refusal stands");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    // Only origins a browser could send: no non-canonical key ever grants.
    for odd in [
        "HTTPS://X.example",
        "https://x.example/",
        "null",
        "x.example",
    ] {
        let err = lookup.remember(odd, true).unwrap_err().to_string();
        assert!(err.contains("form browsers send"), "{odd}: {err}");
    }
}

/// `invalidate` while a lookup is in flight: its answer reaches the request
/// waiting for it, and is not cached.
#[actix_rt::test]
async fn invalidate_during_a_lookup_keeps_its_answer_out_of_the_cache() {
    let calls = Arc::new(AtomicUsize::new(0));
    let lookup = tenants(&calls, Duration::from_millis(30));
    let app = app!(policy(&lookup));
    let first = app.call(get(TENANT));
    let invalidate = async {
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
        lookup.invalidate(TENANT);
    };
    let (res, ()) = futures_util::future::join(first, invalidate).await;
    assert_eq!(allow_origin(&res.unwrap()), Some(TENANT));
    assert_eq!(lookup.cached_answers(), 0);
    call_service(&app, get(TENANT)).await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// The answer a request waited for is read only by the policy that owns
/// the lookup: an inner `Cors::scope` with a lookup of its own asks its own.
#[actix_rt::test]
async fn an_answer_is_read_only_by_its_own_lookup() {
    let calls = Arc::new(AtomicUsize::new(0));
    let outer = tenants(&calls, Duration::ZERO).time_to_live(Duration::ZERO);
    let inner_calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&inner_calls);
    let inner_lookup = OriginLookup::new(move |_o: String| {
        counted.fetch_add(1, Ordering::SeqCst);
        async { false }
    })
    .time_to_live(Duration::ZERO);
    let inner = Cors::builder()
        .allow_origin(APP)
        .allow_origin_lookup(&inner_lookup)
        .build()
        .unwrap();
    let app = init_service(
        App::new()
            .wrap(policy(&outer))
            .route("/", web::get().to(HttpResponse::Ok))
            .service(inner.scope("/s", |s| s.route("/x", web::get().to(HttpResponse::Ok)))),
    )
    .await;
    let req = TestRequest::get()
        .uri("/s/x")
        .insert_header(("Origin", TENANT))
        .to_request();
    let res = call_service(&app, req).await;
    assert_eq!(allow_origin(&res), None, "the scope's own lookup refuses");
    assert_eq!(inner_calls.load(Ordering::SeqCst), 1);
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the app's is not asked");
    let res = call_service(&app, get(TENANT)).await;
    assert_eq!(allow_origin(&res), Some(TENANT));
}

/// An app-wide policy with a lookup does not look up (nor wait for) the
/// origin of an actual request that a `#[cors]` route or a `Cors::scope`
/// decides with its own policy.
mod app_lookup_and_registered_policies {
    use super::*;

    const PARTNER: &str = "https://partner.example";

    #[cors(origins = ["https://partner.example"])]
    #[actix_web::get("/partner")]
    async fn partner() -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    #[actix_rt::test]
    async fn a_route_with_its_own_policy_is_not_looked_up_by_the_app() {
        let calls = Arc::new(AtomicUsize::new(0));
        let app = init_service(
            App::new()
                .wrap(policy(&tenants(&calls, Duration::ZERO)))
                .service(partner),
        )
        .await;
        let req = TestRequest::get()
            .uri("/partner")
            .insert_header(("Origin", PARTNER))
            .to_request();
        let res = call_service(&app, req).await;
        assert_eq!(allow_origin(&res), Some(PARTNER), "the route decides");
        assert_eq!(calls.load(Ordering::SeqCst), 0);
    }

    #[actix_rt::test]
    async fn a_scope_with_its_own_policy_is_not_looked_up_by_the_app() {
        let calls = Arc::new(AtomicUsize::new(0));
        let partner_policy = Cors::builder().allow_origin(PARTNER).build().unwrap();
        let app = init_service(
            App::new()
                .wrap(policy(&tenants(&calls, Duration::ZERO)))
                .service(
                    partner_policy.scope("/p", |s| s.route("/x", web::get().to(HttpResponse::Ok))),
                ),
        )
        .await;
        let req = TestRequest::get()
            .uri("/p/x")
            .insert_header(("Origin", PARTNER))
            .to_request();
        let res = call_service(&app, req).await;
        assert_eq!(allow_origin(&res), Some(PARTNER));
        assert_eq!(calls.load(Ordering::SeqCst), 0);
    }
}

/// An error answered by middleware between an app-wide `Cors` and a
/// `#[cors]` route (an authentication middleware's 401) gets the route's
/// grant for an origin the route's lookup allows: the app-wide middleware
/// waits for the route's lookup before passing the request on.
mod error_before_a_looking_up_route {
    use super::*;
    use actix_web::body::{BoxBody, EitherBody};
    use actix_web::dev::ServiceRequest;

    fn route_policy() -> Cors {
        Cors::builder()
            .allow_origin_async(|origin: String| async move { origin == super::TENANT })
            .build()
            .unwrap()
    }

    #[cors(policy = route_policy)]
    #[actix_web::get("/tenant-data")]
    async fn tenant_data() -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    #[actix_rt::test]
    async fn a_401_before_the_route_gets_the_grant_of_the_route_lookup() {
        let global = Cors::builder().allow_origin(APP).build().unwrap();
        let app = init_service(
            App::new()
                .wrap_fn(|req: ServiceRequest, srv| {
                    let fut: futures_util::future::LocalBoxFuture<'static, _> =
                        if req.headers().contains_key("authorization") {
                            let fut = srv.call(req);
                            Box::pin(async move {
                                fut.await
                                    .map(|r| r.map_body(|_, b| EitherBody::<_, BoxBody>::left(b)))
                            })
                        } else {
                            let res = req.into_response(
                                HttpResponse::Unauthorized().finish().map_into_right_body(),
                            );
                            Box::pin(async move { Ok(res) })
                        };
                    fut
                })
                .wrap(global)
                .service(tenant_data),
        )
        .await;
        let req = TestRequest::get()
            .uri("/tenant-data")
            .insert_header(("Origin", TENANT))
            .to_request();
        let res = call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            allow_origin(&res),
            Some(TENANT),
            "the route's lookup allows it"
        );
        let req = TestRequest::get()
            .uri("/tenant-data")
            .insert_header(("Origin", APP))
            .to_request();
        let res = call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            allow_origin(&res),
            None,
            "the app's origin is not the route's"
        );
    }
}

/// A `#[cors(policy = ..)]` route whose policy looks origins up, inside an
/// app-wide policy: the app-wide middleware answers the route's preflight
/// with the route's policy, after the lookup.
mod route_policy {
    use super::*;

    static ROUTE_CALLS: AtomicUsize = AtomicUsize::new(0);

    fn route_policy() -> Cors {
        Cors::builder()
            .allow_origin_async(|origin: String| {
                ROUTE_CALLS.fetch_add(1, Ordering::SeqCst);
                async move { origin == super::TENANT }
            })
            .allow_methods(["DELETE"])
            .build()
            .unwrap()
    }

    #[cors(policy = route_policy)]
    #[actix_web::delete("/tenant-items")]
    async fn delete_item() -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    #[actix_rt::test]
    async fn a_route_policy_with_a_lookup_judges_its_preflights() {
        let global = Cors::builder().allow_origin(APP).build().unwrap();
        let app = init_service(App::new().wrap(global).service(delete_item)).await;
        let req = TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri("/tenant-items")
            .insert_header(("Origin", TENANT))
            .insert_header(("Access-Control-Request-Method", "DELETE"))
            .to_request();
        let res = call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        assert_eq!(allow_origin(&res), Some(TENANT));
        let req = TestRequest::delete()
            .uri("/tenant-items")
            .insert_header(("Origin", TENANT))
            .to_request();
        let res = call_service(&app, req).await;
        assert_eq!(allow_origin(&res), Some(TENANT));
        // The app's own origin is not the route's.
        let req = TestRequest::delete()
            .uri("/tenant-items")
            .insert_header(("Origin", APP))
            .to_request();
        let res = call_service(&app, req).await;
        assert_eq!(allow_origin(&res), None);
        assert_eq!(ROUTE_CALLS.load(Ordering::SeqCst), 2, "one per origin");
    }
}
