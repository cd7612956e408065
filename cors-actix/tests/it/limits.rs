//! The bounds on `Access-Control-Request-Headers`: 64 names and 4096 bytes,
//! over all its lines; past either the preflight is refused (from an allowed
//! origin with the diagnostic 200, or with `diagnostic_preflights(false)` the
//! 403).

use crate::support::*;
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use cors_actix::{CorsBuilder, MAX_REQUESTED_HEADERS, MAX_REQUEST_HEADERS_LEN};

/// The diagnostic answer's CORS headers for a list refused as too long or
/// malformed: no header list at all, so that the browser refuses it whatever
/// the policy allows (under [`any_header`], `*` would let it through).
const ANY_HEADER_DIAGNOSED: [(&str, &str); 3] = [
    (ALLOW_ORIGIN, APP),
    (ALLOW_METHODS, "GET, HEAD, POST"),
    ("vary", PREFLIGHT_VARY),
];

/// `count` distinct header names, `x-0` … .
fn names(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("x-{i}")).collect()
}

/// A list of `count` distinct names joined by `,`, exactly `len` bytes long.
fn list_of_len(count: usize, len: usize) -> String {
    let name_bytes = len - (count - 1);
    let mut out = Vec::new();
    for i in 0..count {
        let mut name = format!("h{i}-");
        let width = name_bytes / count + usize::from(i < name_bytes % count);
        assert!(width <= 256 && width >= name.len());
        while name.len() < width {
            name.push('a');
        }
        out.push(name);
    }
    let list = out.join(",");
    assert_eq!(list.len(), len);
    list
}

fn with_lines(lines: &[String]) -> TestRequest {
    let mut req = preflight(APP, "GET");
    for line in lines {
        req = req.append_header((header::ACCESS_CONTROL_REQUEST_HEADERS, line.as_str()));
    }
    req
}

fn any_header() -> CorsBuilder {
    policy().allow_any_header()
}

#[test]
fn limits_are_64_names_and_4096_bytes() {
    assert_eq!(MAX_REQUESTED_HEADERS, 64);
    assert_eq!(MAX_REQUEST_HEADERS_LEN, 4096);
}

#[actix_rt::test]
async fn sixty_four_names_are_accepted() {
    let list = names(64).join(",");
    let res = send(
        any_header().build().unwrap(),
        with_lines(std::slice::from_ref(&list)),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one(ALLOW_HEADERS), Some("*"));

    let listed = policy().allow_headers(names(64)).build().unwrap();
    let res = send(listed, with_lines(&[list])).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
}

#[actix_rt::test]
async fn sixty_five_names_are_refused_even_when_all_are_allowed() {
    let list = names(65).join(",");
    let res = send(
        any_header().build().unwrap(),
        with_lines(std::slice::from_ref(&list)),
    )
    .await;
    res.assert_diagnosed_preflight(TOO_MANY_HEADERS, &ANY_HEADER_DIAGNOSED);
    let strict = any_header().diagnostic_preflights(false).build().unwrap();
    let res = send(strict, with_lines(std::slice::from_ref(&list))).await;
    res.assert_refused_preflight(TOO_MANY_HEADERS, PREFLIGHT_VARY);

    // Every name is allowed, so the answer lists none: listed, they would
    // let the browser send the over-long request.
    let listed = || policy().allow_headers(names(65));
    let res = send(
        listed().build().unwrap(),
        with_lines(std::slice::from_ref(&list)),
    )
    .await;
    res.assert_diagnosed_preflight(TOO_MANY_HEADERS, &ANY_HEADER_DIAGNOSED);
    let strict = listed().diagnostic_preflights(false).build().unwrap();
    let res = send(strict, with_lines(&[list])).await;
    res.assert_refused_preflight(TOO_MANY_HEADERS, PREFLIGHT_VARY);
}

#[actix_rt::test]
async fn names_are_counted_over_all_lines() {
    let all = names(65);
    let (a, b) = all.split_at(40);
    let res = send(
        any_header().build().unwrap(),
        with_lines(&[a.join(","), b.join(",")]),
    )
    .await;
    res.assert_diagnosed_preflight(TOO_MANY_HEADERS, &ANY_HEADER_DIAGNOSED);

    let (a, b) = all[..64].split_at(32);
    let res = send(
        any_header().build().unwrap(),
        with_lines(&[a.join(","), b.join(",")]),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
}

#[actix_rt::test]
async fn empty_elements_do_not_count_as_names() {
    let list = format!("{},,,, , ,", names(64).join(", ,"));
    assert!(list.len() <= 4096);
    let res = send(any_header().build().unwrap(), with_lines(&[list])).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
}

#[actix_rt::test]
async fn list_of_4096_bytes_is_accepted() {
    let res = send(
        any_header().build().unwrap(),
        with_lines(&[list_of_len(16, 4096)]),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one(ALLOW_HEADERS), Some("*"));
}

#[actix_rt::test]
async fn list_over_4096_bytes_is_refused() {
    let res = send(
        any_header().build().unwrap(),
        with_lines(&[list_of_len(17, 4097)]),
    )
    .await;
    res.assert_diagnosed_preflight(TOO_MANY_HEADERS, &ANY_HEADER_DIAGNOSED);
}

#[actix_rt::test]
async fn bytes_are_counted_over_all_lines() {
    let lines = [list_of_len(8, 2048), list_of_len(8, 2049)];
    let res = send(any_header().build().unwrap(), with_lines(&lines)).await;
    res.assert_diagnosed_preflight(TOO_MANY_HEADERS, &ANY_HEADER_DIAGNOSED);

    let lines = [list_of_len(8, 2048), list_of_len(8, 2048)];
    let res = send(any_header().build().unwrap(), with_lines(&lines)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
}

#[actix_rt::test]
async fn far_too_many_names_are_refused_without_error() {
    let list = vec!["x"; 20_000].join(",");
    let res = send(any_header().build().unwrap(), with_lines(&[list])).await;
    res.assert_diagnosed_preflight(TOO_MANY_HEADERS, &ANY_HEADER_DIAGNOSED);
}
