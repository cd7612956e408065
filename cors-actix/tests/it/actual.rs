//! Actual (non-preflight) requests: allowed and disallowed origins, blocking,
//! requests without `Origin` and same-origin requests, credentials, exposed
//! headers and the handler's own CORS headers.

use std::time::Duration;

use crate::support::*;
use actix_web::http::header::{self, HeaderName};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::{web, App, HttpResponse};
use cors_actix::Cors;

#[actix_rt::test]
async fn allowed_origin_gets_its_origin_back_and_vary() {
    let res = send(policy().build().unwrap(), get(APP)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body_str(), "handler");
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[(ALLOW_ORIGIN, APP), ("vary", "Origin")]);
}

#[actix_rt::test]
async fn allowed_origin_gets_credentials_and_exposed_headers_when_configured() {
    let cors = policy()
        .allow_credentials(true)
        .expose_headers(["X-Request-Id", "x-total-count"])
        .build()
        .unwrap();
    let res = send(cors, actual(Method::POST, APP)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_CREDENTIALS, "true"),
        (EXPOSE_HEADERS, "x-request-id, x-total-count"),
        ("vary", "Origin"),
    ]);
}

#[actix_rt::test]
async fn disallowed_origin_runs_the_handler_but_gets_only_vary() {
    let cors = policy()
        .allow_credentials(true)
        .expose_headers(["x-request-id"])
        .build()
        .unwrap();
    let res = send(cors, get(EVIL)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body_str(), "handler");
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[("vary", "Origin")]);
}

#[actix_rt::test]
async fn block_disallowed_answers_403_without_running_the_handler() {
    let cors = policy()
        .allow_credentials(true)
        .block_disallowed(true)
        .build()
        .unwrap();
    let res = send(cors, actual(Method::POST, EVIL)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.body_str(), BLOCKED);
    assert_eq!(res.one("content-type"), Some(TEXT_PLAIN));
    assert_eq!(res.handler_runs, 0);
    res.assert_cors(&[("vary", "Origin")]);
}

#[actix_rt::test]
async fn block_disallowed_lets_allowed_origins_through() {
    let cors = policy().block_disallowed(true).build().unwrap();
    let res = send(cors, get(APP)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[(ALLOW_ORIGIN, APP), ("vary", "Origin")]);
}

#[actix_rt::test]
async fn request_without_origin_gets_only_vary() {
    let cors = policy()
        .allow_credentials(true)
        .expose_headers(["x-request-id"])
        .build()
        .unwrap();
    let res = send(cors, no_origin()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[("vary", "Origin")]);
}

#[actix_rt::test]
async fn request_without_origin_is_never_blocked() {
    let cors = policy().block_disallowed(true).build().unwrap();
    let res = send(cors, no_origin().method(Method::DELETE)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[("vary", "Origin")]);
}

#[actix_rt::test]
async fn an_allowed_origin_keeps_its_grant_on_a_same_origin_request() {
    // The browser ignores CORS headers on a same-origin response; not
    // telling the two apart keeps allowed requests cheap.
    let cors = Cors::builder()
        .allow_origin("http://api.test:8000")
        .allow_credentials(true)
        .expose_headers(["x-request-id"])
        .build()
        .unwrap();
    let req =
        actual(Method::POST, "http://api.test:8000").insert_header((header::HOST, "api.test:8000"));
    let res = send(cors, req).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[
        (ALLOW_ORIGIN, "http://api.test:8000"),
        (ALLOW_CREDENTIALS, "true"),
        (EXPOSE_HEADERS, "x-request-id"),
        ("vary", "Origin"),
    ]);
}

#[actix_rt::test]
async fn same_origin_request_is_never_blocked() {
    let cors = policy().block_disallowed(true).build().unwrap();
    let req =
        actual(Method::POST, "http://api.test:8000").insert_header((header::HOST, "api.test:8000"));
    let res = send(cors, req).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[("vary", "Origin")]);

    // Default ports are equal to no port.
    let cors = policy().block_disallowed(true).build().unwrap();
    let req = actual(Method::POST, "http://api.test").insert_header((header::HOST, "api.test:80"));
    let res = send(cors, req).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_cors(&[("vary", "Origin")]);
}

#[actix_rt::test]
async fn forwarded_headers_do_not_make_a_request_same_origin() {
    // Any client can send them; an answer that depended on them would have
    // to name them in `Vary`, and a shared cache could serve it to others.
    for forwarded in [
        vec![
            ("x-forwarded-host", "api.example.com"),
            ("x-forwarded-proto", "https"),
        ],
        vec![("forwarded", "proto=https;host=api.example.com")],
    ] {
        let cors = policy().block_disallowed(true).build().unwrap();
        let mut req = actual(Method::POST, "https://api.example.com")
            .insert_header((header::HOST, "internal:8080"));
        for (name, value) in forwarded {
            req = req.insert_header((HeaderName::from_static(name), value));
        }
        let res = send(cors, req).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(res.handler_runs, 0);
        res.assert_cors(&[("vary", "Origin")]);
    }
}

#[actix_rt::test]
async fn trusted_forwarded_headers_decide_same_origin_and_are_named_in_vary() {
    const FORWARDED_VARY: &str = "Origin, Forwarded, X-Forwarded-Host, X-Forwarded-Proto";
    let trusting = || {
        policy()
            .block_disallowed(true)
            .trust_forwarded_headers(true)
            .build()
            .unwrap()
    };
    // Behind the proxy: the public scheme and host make it same-origin.
    for forwarded in [
        vec![
            ("x-forwarded-host", "api.example.com"),
            ("x-forwarded-proto", "https"),
        ],
        vec![("forwarded", "proto=https;host=api.example.com")],
    ] {
        let mut req = actual(Method::POST, "https://api.example.com")
            .insert_header((header::HOST, "internal:8080"));
        for (name, value) in forwarded {
            req = req.insert_header((HeaderName::from_static(name), value));
        }
        let res = send(trusting(), req).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.handler_runs, 1);
        res.assert_cors(&[("vary", FORWARDED_VARY)]);
    }
    // Another origin is still blocked, and the 403 varies by them too.
    let req = actual(Method::POST, "https://evil.example.com")
        .insert_header((header::HOST, "internal:8080"))
        .insert_header((
            HeaderName::from_static("x-forwarded-host"),
            "api.example.com",
        ));
    let res = send(trusting(), req).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_cors(&[("vary", FORWARDED_VARY)]);
    // An allowed origin's grant is unchanged.
    let res = send(trusting(), get(APP)).await;
    assert_eq!(res.one(ALLOW_ORIGIN), Some(APP));
}

#[actix_rt::test]
async fn another_scheme_or_port_of_the_same_host_is_cross_origin() {
    for origin in [
        "https://api.test:8000",
        "http://api.test:9000",
        "http://api.test",
        "http://app.test:8000",
    ] {
        let cors = policy().block_disallowed(true).build().unwrap();
        let req = actual(Method::POST, origin).insert_header((header::HOST, "api.test:8000"));
        let res = send(cors, req).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{origin}");
        assert_eq!(res.body_str(), BLOCKED, "{origin}");
        assert_eq!(res.handler_runs, 0, "{origin}");
    }
}

#[actix_rt::test]
async fn actual_requests_are_not_checked_against_allowed_methods() {
    for method in [Method::DELETE, Method::PUT, Method::PATCH] {
        let cors = policy().allow_methods(["GET"]).build().unwrap();
        let res = send(cors, actual(method.clone(), APP)).await;
        assert_eq!(res.status, StatusCode::OK, "{method}");
        assert_eq!(res.handler_runs, 1, "{method}");
        res.assert_cors(&[(ALLOW_ORIGIN, APP), ("vary", "Origin")]);
    }
}

#[actix_rt::test]
async fn allow_credentials_is_never_sent_to_a_disallowed_origin() {
    let cors = || policy().allow_credentials(true).build().unwrap();
    let res = send(cors(), get(EVIL)).await;
    assert_eq!(res.one(ALLOW_CREDENTIALS), None);
    let res = send(cors(), preflight(EVIL, "GET")).await;
    assert_eq!(res.one(ALLOW_CREDENTIALS), None);
    let blocking = policy()
        .allow_credentials(true)
        .block_disallowed(true)
        .build()
        .unwrap();
    let res = send(blocking, get(EVIL)).await;
    assert_eq!(res.one(ALLOW_CREDENTIALS), None);
    let res = send(cors(), get("null")).await;
    assert_eq!(res.one(ALLOW_CREDENTIALS), None);
}

#[actix_rt::test]
async fn preflight_only_headers_never_appear_on_actual_responses() {
    let cors = policy()
        .allow_methods(["GET", "PUT"])
        .allow_headers(["x-custom-header"])
        .max_age(Duration::from_secs(600))
        .allow_private_network(true)
        .build()
        .unwrap();
    let req = get(APP)
        .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "PUT"))
        .insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "x-custom-header"))
        .insert_header((REQUEST_PRIVATE_NETWORK, "true"));
    let res = send(cors, req).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[(ALLOW_ORIGIN, APP), ("vary", "Origin")]);
}

/// An app whose handler sets CORS headers of its own.
async fn send_to_meddling_handler(cors: Cors, req: TestRequest) -> Resp {
    let app = test::init_service(App::new().wrap(cors).route(
        "/",
        web::route().to(|| async {
            HttpResponse::Ok()
                .insert_header((ALLOW_ORIGIN, "*"))
                .append_header((ALLOW_ORIGIN, "https://evil.example.net"))
                .insert_header((ALLOW_CREDENTIALS, "true"))
                .insert_header((ALLOW_METHODS, "DELETE"))
                .insert_header((ALLOW_HEADERS, "*"))
                .insert_header((EXPOSE_HEADERS, "x-secret"))
                .insert_header((MAX_AGE, "99999"))
                .insert_header((ALLOW_PRIVATE_NETWORK, "true"))
                .insert_header(("x-secret", "1"))
                .finish()
        }),
    ))
    .await;
    send_to(&app, req).await
}

#[actix_rt::test]
async fn handler_cors_headers_are_replaced_for_an_allowed_origin() {
    let cors = policy().expose_headers(["x-request-id"]).build().unwrap();
    let res = send_to_meddling_handler(cors, get(APP)).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (EXPOSE_HEADERS, "x-request-id"),
        ("vary", "Origin"),
    ]);
    assert_eq!(res.one("x-secret"), Some("1"));
}

#[actix_rt::test]
async fn handler_cors_headers_are_removed_for_a_disallowed_origin() {
    let res = send_to_meddling_handler(policy().build().unwrap(), get(EVIL)).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_cors(&[("vary", "Origin")]);
}

#[actix_rt::test]
async fn handler_cors_headers_are_removed_without_origin() {
    let res = send_to_meddling_handler(policy().build().unwrap(), no_origin()).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_cors(&[("vary", "Origin")]);
}

#[actix_rt::test]
async fn expose_any_header_is_star_without_credentials() {
    let cors = policy().expose_any_header().build().unwrap();
    let res = send(cors, get(APP)).await;
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (EXPOSE_HEADERS, "*"),
        ("vary", "Origin"),
    ]);
}

#[actix_rt::test]
async fn expose_any_header_with_credentials_lists_the_response_headers_but_never_set_cookie() {
    let cors = policy()
        .expose_any_header()
        .allow_credentials(true)
        .build()
        .unwrap();
    let app = test::init_service(App::new().wrap(cors).route(
        "/",
        web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header(("x-request-id", "42"))
                .append_header(("x-total-count", "1"))
                .append_header(("x-total-count", "2"))
                .insert_header(("set-cookie", "session=secret"))
                .insert_header(("content-type", "application/json"))
                .insert_header(("vary", "Accept-Encoding"))
                .insert_header((EXPOSE_HEADERS, "x-old"))
                .body("{}")
        }),
    ))
    .await;
    let res = send_to(&app, get(APP)).await;
    assert_eq!(res.one(ALLOW_ORIGIN), Some(APP));
    assert_eq!(res.one(ALLOW_CREDENTIALS), Some("true"));
    let exposed = res.one(EXPOSE_HEADERS).expect("exposed headers");
    let mut names: Vec<&str> = exposed.split(", ").collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["content-type", "vary", "x-request-id", "x-total-count"],
        "{exposed}"
    );
    assert_eq!(res.all("vary"), ["Accept-Encoding", "Origin"]);
}

#[actix_rt::test]
async fn permissive_never_grants_credentials() {
    let res = send(Cors::permissive(), get(APP)).await;
    res.assert_cors(&[(ALLOW_ORIGIN, "*"), (EXPOSE_HEADERS, "*")]);
    let res = send(Cors::permissive(), preflight(APP, "DELETE")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one(ALLOW_CREDENTIALS), None);
}

#[actix_rt::test]
async fn any_origin_sends_star_on_every_response_without_vary() {
    let cors = || {
        Cors::builder()
            .allow_any_origin()
            .expose_headers(["x-request-id"])
            .build()
            .unwrap()
    };
    for req in [
        get(APP),
        get(EVIL),
        get("null"),
        no_origin(),
        actual(Method::POST, "http://api.test:8000").insert_header((header::HOST, "api.test:8000")),
    ] {
        let res = send(cors(), req).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.handler_runs, 1);
        res.assert_cors(&[(ALLOW_ORIGIN, "*"), (EXPOSE_HEADERS, "x-request-id")]);
    }
}

#[actix_rt::test]
async fn any_origin_via_star_pattern_is_the_same_as_allow_any_origin() {
    let cors = Cors::builder().allow_origin("*").build().unwrap();
    let res = send(cors, get(EVIL)).await;
    res.assert_cors(&[(ALLOW_ORIGIN, "*")]);
    let cors = Cors::builder().allow_origin("*").build().unwrap();
    let res = send(cors, no_origin()).await;
    res.assert_cors(&[(ALLOW_ORIGIN, "*")]);
}

#[actix_rt::test]
async fn any_origin_preflight_answers_star() {
    let cors = Cors::builder().allow_any_origin().build().unwrap();
    let res = send(cors, preflight(EVIL, "POST")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, "*"),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        ("vary", PREFLIGHT_VARY),
    ]);
}

#[actix_rt::test]
async fn handler_cors_headers_are_replaced_under_any_origin() {
    let cors = || Cors::builder().allow_any_origin().build().unwrap();
    for req in [get(APP), no_origin()] {
        let res = send_to_meddling_handler(cors(), req).await;
        assert_eq!(res.status, StatusCode::OK);
        res.assert_cors(&[(ALLOW_ORIGIN, "*")]);
    }
}
