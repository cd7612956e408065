//! `preflight_passthrough(true)`: the app's own OPTIONS handler answers
//! preflights, and the policy writes (or withholds) the CORS headers.

use crate::support::*;
use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::{web, App, HttpResponse};
use cors_actix::Cors;

/// An app with its own OPTIONS handler at `/` that sets CORS headers of its
/// own, and a GET handler.
async fn send_to_options_handler(cors: Cors, req: TestRequest) -> Resp {
    let hits = Hits::default();
    let options_hits = hits.clone();
    let app = test::init_service(
        App::new().wrap(cors).service(
            web::resource("/")
                .route(web::get().to(ok_handler(Hits::default())))
                .route(web::method(actix_web::http::Method::OPTIONS).to(move || {
                    options_hits.hit();
                    async {
                        HttpResponse::Ok()
                            .insert_header((ALLOW_ORIGIN, "*"))
                            .insert_header((ALLOW_METHODS, "DELETE"))
                            .insert_header((ALLOW_CREDENTIALS, "true"))
                            .insert_header((ALLOW_PRIVATE_NETWORK, "true"))
                            .insert_header(("allow", "GET, OPTIONS"))
                            .body("options handler")
                    }
                })),
        ),
    )
    .await;
    let res = test::call_service(&app, req.to_request()).await;
    Resp::read(res).await.ran(hits.count())
}

#[actix_rt::test]
async fn allowed_preflight_runs_the_handler_and_gets_the_policy_headers() {
    let cors = policy()
        .allow_headers(["x-custom-header"])
        .preflight_passthrough(true)
        .build()
        .unwrap();
    let res =
        send_to_options_handler(cors, preflight_with_headers(APP, "POST", "x-custom-header")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body_str(), "options handler");
    assert_eq!(res.one("allow"), Some("GET, OPTIONS"));
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        (ALLOW_HEADERS, "x-custom-header"),
        ("vary", PREFLIGHT_VARY),
    ]);
}

#[actix_rt::test]
async fn preflight_from_a_refused_origin_runs_the_handler_with_only_vary() {
    let cors = policy()
        .allow_credentials(true)
        .preflight_passthrough(true)
        .build()
        .unwrap();
    let res = send_to_options_handler(cors, preflight(EVIL, "GET")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body_str(), "options handler");
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[("vary", PREFLIGHT_VARY)]);
}

#[actix_rt::test]
async fn refused_method_or_header_runs_the_handler_with_the_diagnostic_headers() {
    let cors = || policy().preflight_passthrough(true).build().unwrap();
    for req in [
        preflight(APP, "DELETE"),
        preflight(APP, "get"),
        preflight_with_headers(APP, "GET", "x-custom-header"),
    ] {
        let res = send_to_options_handler(cors(), req).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.body_str(), "options handler");
        assert_eq!(res.one("allow"), Some("GET, OPTIONS"));
        assert_eq!(res.handler_runs, 1);
        // The handler's own CORS headers are replaced; no header name is
        // configured, so none is listed.
        res.assert_cors(&[
            (ALLOW_ORIGIN, APP),
            (ALLOW_METHODS, "GET, HEAD, POST"),
            ("vary", PREFLIGHT_VARY),
        ]);
    }

    // Credentials and configured headers are listed; Max-Age and private
    // network access never are (the handler's own is removed).
    let full = policy()
        .allow_methods(["PUT"])
        .allow_headers(["x-b", "x-a"])
        .allow_credentials(true)
        .max_age(std::time::Duration::from_secs(600))
        .allow_private_network(true)
        .preflight_passthrough(true)
        .build()
        .unwrap();
    let res = send_to_options_handler(
        full,
        preflight_with_headers(APP, "PUT", "x-a, x-c")
            .insert_header((REQUEST_PRIVATE_NETWORK, "true")),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body_str(), "options handler");
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_CREDENTIALS, "true"),
        (ALLOW_METHODS, "PUT"),
        (ALLOW_HEADERS, "x-a, x-b"),
        ("vary", PREFLIGHT_VARY_PN),
    ]);
}

#[actix_rt::test]
async fn without_diagnostic_preflights_a_refused_preflight_gets_only_vary() {
    let cors = || {
        policy()
            .allow_credentials(true)
            .preflight_passthrough(true)
            .diagnostic_preflights(false)
            .build()
            .unwrap()
    };
    for req in [
        preflight(EVIL, "GET"),
        preflight(APP, "DELETE"),
        preflight_with_headers(APP, "GET", "x-custom-header"),
    ] {
        let res = send_to_options_handler(cors(), req).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.body_str(), "options handler");
        assert_eq!(res.handler_runs, 1);
        res.assert_cors(&[("vary", PREFLIGHT_VARY)]);
    }
}

#[actix_rt::test]
async fn without_passthrough_the_options_handler_never_runs() {
    let res = send_to_options_handler(policy().build().unwrap(), preflight(APP, "GET")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(res.body.is_empty());
    assert_eq!(res.handler_runs, 0);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        ("vary", PREFLIGHT_VARY),
    ]);

    let res = send_to_options_handler(policy().build().unwrap(), preflight(EVIL, "GET")).await;
    res.assert_refused_preflight(REFUSED_ORIGIN, PREFLIGHT_VARY);
}

#[actix_rt::test]
async fn passthrough_does_not_change_actual_requests() {
    let cors = || policy().preflight_passthrough(true).build().unwrap();
    let res = send(cors(), get(APP)).await;
    res.assert_cors(&[(ALLOW_ORIGIN, APP), ("vary", "Origin")]);
    let res = send(cors(), get(EVIL)).await;
    res.assert_cors(&[("vary", "Origin")]);
}
