//! `Vary`: added to the handler's, never overwriting it, never repeating a
//! name, and nothing added to `Vary: *`.

use crate::support::*;
use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::{web, App, HttpResponse};
use cors_actix::Cors;

/// Sends `req` to an app whose handler (for every method) answers with these
/// `Vary` lines.
async fn send_with_vary(cors: Cors, vary: &'static [&'static str], req: TestRequest) -> Resp {
    let app = test::init_service(App::new().wrap(cors).route(
        "/",
        web::route().to(move || async move {
            let mut res = HttpResponse::Ok();
            for line in vary {
                res.append_header(("vary", *line));
            }
            res.finish()
        }),
    ))
    .await;
    send_to(&app, req).await
}

#[actix_rt::test]
async fn vary_is_appended_to_the_handlers_vary_for_an_allowed_origin() {
    let res = send_with_vary(policy().build().unwrap(), &["Accept-Encoding"], get(APP)).await;
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        ("vary", "Accept-Encoding"),
        ("vary", "Origin"),
    ]);
}

#[actix_rt::test]
async fn vary_is_appended_to_the_handlers_vary_for_a_disallowed_origin() {
    let res = send_with_vary(policy().build().unwrap(), &["Accept-Encoding"], get(EVIL)).await;
    res.assert_cors(&[("vary", "Accept-Encoding"), ("vary", "Origin")]);
}

#[actix_rt::test]
async fn vary_is_appended_to_the_handlers_vary_without_origin() {
    let res = send_with_vary(policy().build().unwrap(), &["Accept-Encoding"], no_origin()).await;
    res.assert_cors(&[("vary", "Accept-Encoding"), ("vary", "Origin")]);
}

#[actix_rt::test]
async fn origin_already_in_the_handlers_vary_is_not_repeated() {
    for lines in [
        &["Origin"][..],
        &["origin"],
        &["Accept-Encoding, ORIGIN"],
        &["Accept-Encoding", " origin "],
    ] {
        let res = send_with_vary(policy().build().unwrap(), lines, get(APP)).await;
        let mut expected = vec![(ALLOW_ORIGIN, APP)];
        expected.extend(lines.iter().map(|l| ("vary", *l)));
        res.assert_cors(&expected);
    }
}

#[actix_rt::test]
async fn vary_star_is_left_alone() {
    for req in [get(APP), get(EVIL), no_origin()] {
        let res = send_with_vary(policy().build().unwrap(), &["*"], req).await;
        assert_eq!(res.all("vary"), ["*"]);
    }
    let res = send_with_vary(policy().build().unwrap(), &["Accept-Encoding, *"], get(APP)).await;
    res.assert_cors(&[(ALLOW_ORIGIN, APP), ("vary", "Accept-Encoding, *")]);
}

#[actix_rt::test]
async fn any_origin_adds_no_vary_and_keeps_the_handlers() {
    let cors = || Cors::builder().allow_any_origin().build().unwrap();
    let res = send_with_vary(cors(), &["Accept-Encoding"], get(APP)).await;
    res.assert_cors(&[(ALLOW_ORIGIN, "*"), ("vary", "Accept-Encoding")]);
    let res = send_with_vary(cors(), &[], no_origin()).await;
    res.assert_cors(&[(ALLOW_ORIGIN, "*")]);
}

#[actix_rt::test]
async fn passthrough_preflight_vary_is_merged_into_the_handlers() {
    let cors = || policy().preflight_passthrough(true).build().unwrap();
    let res = send_with_vary(cors(), &["Accept-Encoding, Origin"], preflight(APP, "GET")).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        ("vary", "Accept-Encoding, Origin"),
        ("vary", "Access-Control-Request-Method"),
        ("vary", "Access-Control-Request-Headers"),
    ]);

    let res = send_with_vary(cors(), &["*"], preflight(EVIL, "GET")).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_cors(&[("vary", "*")]);
}
