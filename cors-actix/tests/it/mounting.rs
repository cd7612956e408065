//! `Cors` on an `App`, a `web::scope` and a `web::resource`, and nested
//! middlewares, where the outermost one decides.

use crate::support::*;
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::{web, App, HttpResponse};
use cors_actix::Cors;

const OTHER: &str = "https://other.example.com";

async fn handler() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-a", "1"))
        .insert_header(("x-b", "2"))
        .body("handler")
}

#[actix_rt::test]
async fn cors_on_the_app_answers_every_route() {
    let app = test::init_service(
        App::new()
            .wrap(policy().build().unwrap())
            .route("/a", web::get().to(handler))
            .service(web::scope("/b").route("/c", web::get().to(handler))),
    )
    .await;
    for path in ["/a", "/b/c"] {
        let res = send_to(&app, get(APP).uri(path)).await;
        res.assert_cors(&[(ALLOW_ORIGIN, APP), ("vary", "Origin")]);
        let req = preflight(APP, "GET").uri(path).to_request();
        let res = Resp::read(test::call_service(&app, req).await).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{path}");
    }
}

/// An app with the policy on a scope `/api` and a resource `/status`, and an
/// undecorated route `/public`.
async fn send_to_mounted(req: TestRequest) -> Resp {
    let cors = policy().allow_methods(["GET", "DELETE"]).build().unwrap();
    let app = test::init_service(
        App::new()
            .service(
                web::scope("/api")
                    .wrap(cors.clone())
                    .route("/posts", web::get().to(handler))
                    .route("/posts", web::delete().to(handler)),
            )
            .service(
                web::resource("/status")
                    .wrap(cors)
                    .route(web::get().to(handler)),
            )
            .route("/public", web::get().to(handler)),
    )
    .await;
    send_to(&app, req).await
}

#[actix_rt::test]
async fn cors_on_a_scope_answers_its_preflights_and_actual_requests() {
    let res = send_to_mounted(preflight(APP, "DELETE").uri("/api/posts")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET, DELETE"),
        ("vary", PREFLIGHT_VARY),
    ]);
    let res = send_to_mounted(actual(Method::DELETE, APP).uri("/api/posts")).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_cors(&[(ALLOW_ORIGIN, APP), ("vary", "Origin")]);
    let res = send_to_mounted(preflight(EVIL, "DELETE").uri("/api/posts")).await;
    res.assert_refused_preflight(REFUSED_ORIGIN, PREFLIGHT_VARY);
}

#[actix_rt::test]
async fn cors_on_a_resource_answers_its_preflights_and_actual_requests() {
    let res = send_to_mounted(preflight(APP, "GET").uri("/status")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET, DELETE"),
        ("vary", PREFLIGHT_VARY),
    ]);
    let res = send_to_mounted(get(APP).uri("/status")).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_cors(&[(ALLOW_ORIGIN, APP), ("vary", "Origin")]);
    let res = send_to_mounted(get(EVIL).uri("/status")).await;
    res.assert_cors(&[("vary", "Origin")]);
}

#[actix_rt::test]
async fn routes_outside_a_wrapped_scope_get_no_cors_headers() {
    let res = send_to_mounted(get(APP).uri("/public")).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_cors(&[]);
    let res = send_to_mounted(preflight(APP, "GET").uri("/public")).await;
    // The router's own answer (App::route lifts the method guard to the
    // resource, hence 404), untouched.
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    res.assert_cors(&[]);
}

/// `App::wrap(outer)` around `scope("/api").wrap(inner)`.
async fn send_nested(outer: Cors, inner: Cors, req: TestRequest) -> Resp {
    let hits = Hits::default();
    let app = test::init_service(
        App::new().wrap(outer).service(
            web::scope("/api")
                .wrap(inner)
                .route("/x", web::route().to(ok_handler(hits.clone()))),
        ),
    )
    .await;
    let res = test::call_service(&app, req.uri("/api/x").to_request()).await;
    Resp::read(res).await.ran(hits.count())
}

fn outer() -> Cors {
    policy()
        .allow_methods(["GET"])
        .expose_headers(["x-a"])
        .build()
        .unwrap()
}

fn inner() -> Cors {
    Cors::builder()
        .allow_origins([APP, OTHER])
        .allow_methods(["GET", "DELETE"])
        .expose_headers(["x-b"])
        .allow_credentials(true)
        .build()
        .unwrap()
}

#[actix_rt::test]
async fn nested_outer_policy_decides_actual_requests() {
    let res = send_nested(outer(), inner(), get(APP)).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (EXPOSE_HEADERS, "x-a"),
        ("vary", "Origin"),
    ]);

    // Allowed by the inner policy only: the outer one removes its grant.
    let res = send_nested(outer(), inner(), get(OTHER)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[("vary", "Origin")]);
}

#[actix_rt::test]
async fn nested_outer_policy_decides_preflights() {
    let res = send_nested(outer(), inner(), preflight(APP, "GET")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET"),
        ("vary", PREFLIGHT_VARY),
    ]);
    // DELETE and credentials are the inner policy's: the outer one refuses
    // the method and lists only its own.
    let res = send_nested(outer(), inner(), preflight(APP, "DELETE")).await;
    res.assert_diagnosed_preflight(
        REFUSED_METHOD,
        &[
            (ALLOW_ORIGIN, APP),
            (ALLOW_METHODS, "GET"),
            ("vary", PREFLIGHT_VARY),
        ],
    );
    let res = send_nested(outer(), inner(), preflight(OTHER, "GET")).await;
    res.assert_refused_preflight(REFUSED_ORIGIN, PREFLIGHT_VARY);
}

#[actix_rt::test]
async fn nested_any_origin_outside_a_list_inside_answers_star() {
    let any = Cors::builder().allow_any_origin().build().unwrap();
    let res = send_nested(any, inner(), get(EVIL)).await;
    assert_eq!(res.status, StatusCode::OK);
    // The outer policy decides alone: nothing of the inner one remains.
    res.assert_cors(&[(ALLOW_ORIGIN, "*")]);
}

#[actix_rt::test]
async fn two_wraps_on_one_app_the_last_registered_decides() {
    // `wrap` calls nest: the last one registered is the outermost.
    let hits = Hits::default();
    let app = test::init_service(
        App::new()
            .wrap(inner())
            .wrap(outer())
            .route("/", web::get().to(ok_handler(hits.clone()))),
    )
    .await;
    let res = send_to(&app, get(OTHER)).await;
    res.assert_cors(&[("vary", "Origin")]);
    let res = send_to(&app, get(APP)).await;
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (EXPOSE_HEADERS, "x-a"),
        ("vary", "Origin"),
    ]);
}
