//! Every refusal is a `log::debug!` line, with the request's values quoted,
//! escaped and cut short.

use crate::support::*;
use actix_web::http::header;

#[actix_rt::test]
async fn refused_preflight_is_logged_at_debug() {
    logs::capture();
    let origin = "https://refused-preflight.log.test";
    send(policy().build().unwrap(), preflight(origin, "PUT")).await;
    let lines = logs::from_crate_with(origin);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let (level, line) = &lines[0];
    assert_eq!(*level, log::Level::Debug);
    assert!(line.starts_with("CORS preflight refused"), "{line}");
    assert!(
        line.contains(&format!("origin \"{origin}\" method \"PUT\"")),
        "{line}"
    );
}

#[actix_rt::test]
async fn refused_preflight_for_a_method_or_header_is_logged_at_debug() {
    logs::capture();
    let origin = "https://app.example.com";
    let req = preflight_with_headers(origin, "DELETE", "x-method-refusal-log-test");
    send(policy().build().unwrap(), req).await;
    let lines = logs::from_crate_with("x-method-refusal-log-test");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].0, log::Level::Debug);
    assert!(
        lines[0].1.starts_with("CORS preflight refused"),
        "{lines:?}"
    );
    assert!(lines[0].1.contains("method \"DELETE\""), "{lines:?}");

    let req = preflight_with_headers(origin, "GET", "x-header-refusal-log-test");
    send(policy().build().unwrap(), req).await;
    let lines = logs::from_crate_with("x-header-refusal-log-test");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].1.starts_with("CORS preflight refused"),
        "{lines:?}"
    );
}

#[actix_rt::test]
async fn blocked_request_is_logged_at_debug() {
    logs::capture();
    let origin = "https://blocked.log.test";
    let cors = policy().block_disallowed(true).build().unwrap();
    send(cors, get(origin)).await;
    let lines = logs::from_crate_with(origin);
    assert_eq!(
        lines,
        [(
            log::Level::Debug,
            format!("CORS request blocked: origin \"{origin}\" not allowed")
        )]
    );
}

#[actix_rt::test]
async fn withheld_grant_is_logged_at_debug() {
    logs::capture();
    let origin = "https://withheld.log.test";
    send(policy().build().unwrap(), get(origin)).await;
    let lines = logs::from_crate_with(origin);
    assert_eq!(
        lines,
        [(
            log::Level::Debug,
            format!("CORS grant withheld: origin \"{origin}\" not allowed")
        )]
    );
}

#[actix_rt::test]
async fn logged_request_values_are_quoted_escaped_and_cut() {
    logs::capture();
    let mut origin = b"https://escaped.log.test/\"quoted\"\\\xff\t".to_vec();
    origin.extend(std::iter::repeat_n(b'a', 200));
    let cors = policy().block_disallowed(true).build().unwrap();
    send(cors, get(APP).insert_header((header::ORIGIN, raw(&origin)))).await;
    let lines = logs::from_crate_with("https://escaped.log.test/");
    assert_eq!(lines.len(), 1, "{lines:?}");
    let line = &lines[0].1;
    assert!(
        line.starts_with(
            "CORS request blocked: origin \"https://escaped.log.test/\\\"quoted\\\"\\\\\\xff\\x09aaa"
        ),
        "{line}"
    );
    assert!(
        line.ends_with(&format!("\"... ({} bytes) not allowed", origin.len())),
        "{line}"
    );
    assert!(line.is_ascii() && !line.contains('\t'), "{line}");
    assert!(line.len() < 200, "{line}");
}

#[cors_actix::cors(origins = ["*"])]
#[actix_web::get("/public-for-logging")]
async fn public_for_logging() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

#[actix_rt::test]
async fn the_layer_whose_headers_the_response_gets_logs_the_decision() {
    // The global policy refuses this origin; the route's own policy allows
    // any origin, and the response carries its `*`: the log says so, and
    // says nothing about the global policy's refusal.
    logs::capture();
    let origin = "https://route-decides.log.test";
    let app = actix_web::test::init_service(
        actix_web::App::new()
            .wrap(policy().build().unwrap())
            .service(public_for_logging),
    )
    .await;
    let req = actix_web::test::TestRequest::get()
        .uri("/public-for-logging")
        .insert_header((header::ORIGIN, origin))
        .to_request();
    let res = actix_web::test::call_service(&app, req).await;
    assert_eq!(res.headers().get(ALLOW_ORIGIN).unwrap(), "*");
    assert_eq!(
        logs::from_crate_with(origin),
        [(
            log::Level::Debug,
            format!("CORS request allowed: origin \"{origin}\"")
        )]
    );
}

#[actix_rt::test]
async fn a_private_network_request_the_policy_does_not_allow_gets_a_hint() {
    logs::capture();
    let origin = "https://pna-hint.log.test";
    let cors = cors_actix::Cors::builder()
        .allow_origin(origin)
        .build()
        .unwrap();
    let req = preflight(origin, "GET").insert_header((REQUEST_PRIVATE_NETWORK, "true"));
    send(cors, req).await;
    let lines = logs::from_crate_with(origin);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].1.starts_with("CORS preflight allowed")
            && lines[0].1.contains("allow_private_network(true)"),
        "{lines:?}"
    );
}
