//! Private network access: `Access-Control-Allow-Private-Network: true` only
//! on a preflight that asked for it with `true`, when the policy enables it.

use crate::support::*;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use actix_web::{test, web, App, HttpResponse};

fn pn_preflight(value: &str) -> TestRequest {
    preflight(APP, "GET").insert_header((REQUEST_PRIVATE_NETWORK, value))
}

#[actix_rt::test]
async fn private_network_is_allowed_when_requested_and_enabled() {
    let cors = policy()
        .allow_credentials(true)
        .allow_private_network(true)
        .build()
        .unwrap();
    let res = send(cors, pn_preflight("true")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_CREDENTIALS, "true"),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        (ALLOW_PRIVATE_NETWORK, "true"),
        ("vary", PREFLIGHT_VARY_PN),
    ]);
}

#[actix_rt::test]
async fn private_network_is_not_sent_when_not_requested() {
    let cors = policy().allow_private_network(true).build().unwrap();
    let res = send(cors, preflight(APP, "GET")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        ("vary", PREFLIGHT_VARY_PN),
    ]);
}

#[actix_rt::test]
async fn private_network_is_not_sent_for_a_request_value_other_than_true() {
    for value in ["false", "TRUE", "True", "", "true, true", "1"] {
        let cors = policy().allow_private_network(true).build().unwrap();
        let res = send(cors, pn_preflight(value)).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{value:?}");
        assert_eq!(res.one(ALLOW_PRIVATE_NETWORK), None, "{value:?}");
        assert_eq!(res.one("vary"), Some(PREFLIGHT_VARY_PN), "{value:?}");
    }
}

#[actix_rt::test]
async fn private_network_is_off_by_default() {
    let res = send(policy().build().unwrap(), pn_preflight("true")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        ("vary", PREFLIGHT_VARY),
    ]);
    let cors = policy().allow_private_network(false).build().unwrap();
    let res = send(cors, pn_preflight("true")).await;
    assert_eq!(res.one(ALLOW_PRIVATE_NETWORK), None);
}

#[actix_rt::test]
async fn refused_preflight_never_gets_private_network() {
    let cors = policy().allow_private_network(true).build().unwrap();
    let req = preflight(EVIL, "GET").insert_header((REQUEST_PRIVATE_NETWORK, "true"));
    let res = send(cors, req).await;
    res.assert_refused_preflight(REFUSED_ORIGIN, PREFLIGHT_VARY_PN);

    // From an allowed origin, refused for its method or a header: the
    // diagnostic answer grants the origin, never private network access.
    for (req, body) in [
        (preflight(APP, "DELETE"), REFUSED_METHOD),
        (
            preflight_with_headers(APP, "GET", "x-custom-header"),
            REFUSED_HEADER,
        ),
    ] {
        let cors = policy().allow_private_network(true).build().unwrap();
        let res = send(cors, req.insert_header((REQUEST_PRIVATE_NETWORK, "true"))).await;
        res.assert_diagnosed_preflight(
            body,
            &[
                (ALLOW_ORIGIN, APP),
                (ALLOW_METHODS, "GET, HEAD, POST"),
                ("vary", PREFLIGHT_VARY_PN),
            ],
        );
    }
}

#[actix_rt::test]
async fn actual_responses_never_get_private_network() {
    let cors = policy().allow_private_network(true).build().unwrap();
    let app = test::init_service(App::new().wrap(cors).route(
        "/",
        web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header((ALLOW_PRIVATE_NETWORK, "true"))
                .finish()
        }),
    ))
    .await;
    for req in [
        get(APP).insert_header((REQUEST_PRIVATE_NETWORK, "true")),
        get(EVIL).insert_header((REQUEST_PRIVATE_NETWORK, "true")),
        no_origin().insert_header((REQUEST_PRIVATE_NETWORK, "true")),
    ] {
        let res = send_to(&app, req).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.one(ALLOW_PRIVATE_NETWORK), None);
    }
}
