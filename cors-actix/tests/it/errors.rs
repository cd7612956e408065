//! Errors keep the CORS headers of the request they answer, so that the page
//! can read what went wrong: a handler's `Err`, an extractor's error, the
//! router's 404 and 405, and an `Err` from an inner middleware.

use crate::support::*;
use actix_web::dev::ServiceResponse;
use actix_web::error::{ErrorInternalServerError, ErrorUnauthorized};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::{web, App, HttpResponse};
use cors_actix::Cors;

async fn failing_handler() -> Result<HttpResponse, actix_web::Error> {
    Err(ErrorInternalServerError("boom"))
}

async fn item(id: web::Path<u32>) -> HttpResponse {
    HttpResponse::Ok().body(id.to_string())
}

/// An app with a failing handler at `/fail`, a GET-only resource at
/// `/get-only`, a typed path at `/items/{id}`, and nothing else.
async fn send_to_app(cors: Cors, req: TestRequest) -> Resp {
    let app = test::init_service(
        App::new()
            .wrap(cors)
            .route("/fail", web::get().to(failing_handler))
            .service(web::resource("/get-only").route(web::get().to(HttpResponse::Ok)))
            .route("/items/{id}", web::get().to(item)),
    )
    .await;
    send_to(&app, req).await
}

fn full_policy() -> Cors {
    policy()
        .allow_credentials(true)
        .expose_headers(["x-request-id"])
        .build()
        .unwrap()
}

const GRANTED: [(&str, &str); 4] = [
    (ALLOW_ORIGIN, APP),
    (ALLOW_CREDENTIALS, "true"),
    (EXPOSE_HEADERS, "x-request-id"),
    ("vary", "Origin"),
];

#[actix_rt::test]
async fn handler_error_keeps_the_cors_headers() {
    let res = send_to_app(full_policy(), get(APP).uri("/fail")).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(res.body_str(), "boom");
    res.assert_cors(&GRANTED);

    let res = send_to_app(full_policy(), get(EVIL).uri("/fail")).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    res.assert_cors(&[("vary", "Origin")]);

    let res = send_to_app(full_policy(), no_origin().uri("/fail")).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    res.assert_cors(&[("vary", "Origin")]);
}

#[actix_rt::test]
async fn router_404_keeps_the_cors_headers() {
    let res = send_to_app(full_policy(), get(APP).uri("/missing")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    res.assert_cors(&GRANTED);

    let res = send_to_app(full_policy(), get(EVIL).uri("/missing")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    res.assert_cors(&[("vary", "Origin")]);
}

#[actix_rt::test]
async fn method_not_allowed_405_keeps_the_cors_headers() {
    let res = send_to_app(full_policy(), actual(Method::POST, APP).uri("/get-only")).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    res.assert_cors(&GRANTED);
}

#[actix_rt::test]
async fn extractor_error_keeps_the_cors_headers() {
    let res = send_to_app(full_policy(), get(APP).uri("/items/not-a-number")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    res.assert_cors(&GRANTED);
}

#[actix_rt::test]
async fn any_origin_error_responses_keep_the_star() {
    let cors = || {
        Cors::builder()
            .allow_any_origin()
            .expose_headers(["x-request-id"])
            .build()
            .unwrap()
    };
    for path in ["/fail", "/missing"] {
        let res = send_to_app(cors(), get(EVIL).uri(path)).await;
        assert!(res.status.is_client_error() || res.status.is_server_error());
        res.assert_cors(&[(ALLOW_ORIGIN, "*"), (EXPOSE_HEADERS, "x-request-id")]);
    }
}

/// Sends `req` to an app where an inner middleware fails every request it
/// sees with 401; an error is turned into the response actix would send.
async fn try_through_failing_middleware(cors: Cors, req: TestRequest) -> Result<Resp, Resp> {
    let app = test::init_service(
        App::new()
            .wrap_fn(|_req, _srv| {
                std::future::ready(Err::<ServiceResponse, _>(ErrorUnauthorized("nope")))
            })
            .wrap(cors)
            .route("/", web::route().to(HttpResponse::Ok)),
    )
    .await;
    match test::try_call_service(&app, req.to_request()).await {
        Ok(res) => Ok(Resp::read(res).await),
        Err(err) => Err(Resp::from_http(err.error_response()).await),
    }
}

async fn send_through_failing_middleware(cors: Cors, req: TestRequest) -> Resp {
    match try_through_failing_middleware(cors, req).await {
        Ok(res) => panic!("expected an error, got {}", res.status),
        Err(res) => res,
    }
}

#[actix_rt::test]
async fn inner_middleware_error_keeps_the_cors_headers() {
    let res = send_through_failing_middleware(full_policy(), get(APP)).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.body_str(), "nope");
    res.assert_cors(&GRANTED);

    let res = send_through_failing_middleware(full_policy(), get(EVIL)).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    res.assert_cors(&[("vary", "Origin")]);
}

#[actix_rt::test]
async fn inner_middleware_error_on_a_passthrough_preflight_keeps_the_preflight_headers() {
    let cors = || policy().preflight_passthrough(true).build().unwrap();
    let res = send_through_failing_middleware(cors(), preflight(APP, "GET")).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        ("vary", PREFLIGHT_VARY),
    ]);

    let res = send_through_failing_middleware(cors(), preflight(EVIL, "GET")).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    res.assert_cors(&[("vary", PREFLIGHT_VARY)]);
}

#[actix_rt::test]
async fn preflights_never_reach_an_inner_failing_middleware() {
    // Authentication inside the CORS middleware never sees a preflight.
    let res = try_through_failing_middleware(policy().build().unwrap(), preflight(APP, "GET"))
        .await
        .unwrap_or_else(|res| panic!("the preflight reached the inner middleware: {res:?}"));
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        ("vary", PREFLIGHT_VARY),
    ]);
}
