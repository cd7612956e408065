//! `Access-Control-Request-Headers` parsing through a real preflight.
//!
//! Input: a selector byte choosing the policy (a header list, any header, any
//! header with credentials, or the list with strict refusals), then header
//! lines separated by `\n`, sent
//! as separate `Access-Control-Request-Headers` lines (inputs with bytes an
//! HTTP header value cannot carry are skipped). The preflight goes through
//! the `Cors` middleware around a service; the answer must be exactly what
//! an independent reading of the README's rules gives: allowed (204) when
//! the lines total at most 4096 bytes, hold at most 64 names, every
//! (whitespace-trimmed, non-empty, comma-separated) element is a token of at
//! most 256 bytes and, for the list policy, one of the allowed names in any
//! case; refused otherwise: the diagnostic 200, whose
//! `Access-Control-Allow-Headers` (if any) must leave at least one requested
//! name uncovered and never hold `*`, so the browser still refuses (or the
//! 403, with no grant, for the strict policy). An allowed answer's
//! `Access-Control-Allow-Headers` must cover exactly the requested names.
#![no_main]

use std::cell::RefCell;

use actix_web::dev::{Service, Transform};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{ok_service, TestRequest};
use cors_actix::Cors;
use libfuzzer_sys::fuzz_target;

const ALLOWED: [&str; 3] = ["x-custom", "content-type", "authorization"];

thread_local! {
    static RUNTIME: RefCell<actix_rt::SystemRunner> = RefCell::new(actix_rt::System::new());
    static POLICIES: [Cors; 4] = [
        Cors::builder()
            .allow_origin("https://app.example.com")
            .allow_methods(["PUT"])
            .allow_headers(ALLOWED)
            .build()
            .unwrap(),
        Cors::builder()
            .allow_origin("https://app.example.com")
            .allow_methods(["PUT"])
            .allow_any_header()
            .build()
            .unwrap(),
        Cors::builder()
            .allow_origin("https://app.example.com")
            .allow_methods(["PUT"])
            .allow_any_header()
            .allow_credentials(true)
            .build()
            .unwrap(),
        Cors::builder()
            .allow_origin("https://app.example.com")
            .allow_methods(["PUT"])
            .allow_headers(ALLOWED)
            .diagnostic_preflights(false)
            .build()
            .unwrap(),
    ];
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn elements(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|&b| b == b',')
        .map(|e| e.trim_ascii())
        .filter(|e| !e.is_empty())
}

fuzz_target!(|data: &[u8]| {
    cors_actix_fuzz::install_checking_logger();
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let which = usize::from(selector % 4);
    let mut lines = Vec::new();
    if !rest.is_empty() {
        for line in rest.split(|&b| b == b'\n') {
            match HeaderValue::from_bytes(line) {
                Ok(value) => lines.push(value),
                Err(_) => return,
            }
        }
    }

    // The oracle.
    let total: usize = lines.iter().map(|l| l.len()).sum();
    let names: Vec<&[u8]> = lines.iter().flat_map(|l| elements(l.as_bytes())).collect();
    let well_formed = total <= 4096
        && names.len() <= 64
        && names
            .iter()
            .all(|n| n.len() <= 256 && n.iter().copied().all(is_tchar));
    let allowed = well_formed
        && (which == 1
            || which == 2
            || names
                .iter()
                .all(|n| ALLOWED.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(n))));

    let mut req = TestRequest::default()
        .method(Method::OPTIONS)
        .insert_header(("origin", "https://app.example.com"))
        .insert_header(("access-control-request-method", "PUT"));
    for line in &lines {
        req = req.append_header((
            HeaderName::from_static("access-control-request-headers"),
            line.clone(),
        ));
    }
    let req = req.to_srv_request();

    let cors = POLICIES.with(|p| p[which].clone());
    let res = RUNTIME.with(|rt| {
        let rt = rt.borrow();
        let service = rt.block_on(cors.new_transform(ok_service())).unwrap();
        rt.block_on(service.call(req)).unwrap()
    });

    let allow_headers: Vec<_> = res
        .headers()
        .get_all("access-control-allow-headers")
        .collect();
    if !allowed {
        if which == 3 {
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "lines {lines:?}");
            assert!(res.headers().get("access-control-allow-origin").is_none());
            return;
        }
        // The diagnostic answer: nothing it lists lets the request through.
        assert_eq!(res.status(), StatusCode::OK, "lines {lines:?}");
        assert!(allow_headers.len() <= 1, "{allow_headers:?}");
        if let Some(listed) = allow_headers.first() {
            let listed: Vec<&[u8]> = elements(listed.as_bytes()).collect();
            assert!(!listed.contains(&&b"*"[..]), "{listed:?}");
            assert!(
                names
                    .iter()
                    .any(|n| !listed.iter().any(|a| a.eq_ignore_ascii_case(n))),
                "every requested name is listed: {lines:?}"
            );
        }
        assert!(res.headers().get("access-control-max-age").is_none());
        return;
    }
    assert_eq!(res.status(), StatusCode::NO_CONTENT, "lines {lines:?}");
    if names.is_empty() {
        assert!(
            allow_headers.is_empty(),
            "no name requested: {allow_headers:?}"
        );
        return;
    }
    assert_eq!(allow_headers.len(), 1, "{allow_headers:?}");
    let answered: Vec<&[u8]> = elements(allow_headers[0].as_bytes()).collect();
    let covers = |name: &[u8]| {
        answered.iter().any(|a| a.eq_ignore_ascii_case(name))
            || (which == 1
                && answered.contains(&&b"*"[..])
                && !name.eq_ignore_ascii_case(b"authorization"))
    };
    for name in &names {
        assert!(covers(name), "{name:?} not in {allow_headers:?}");
    }
    if which == 2 {
        // With credentials `*` means a header named "*": the answer echoes
        // the request's names and nothing else.
        for a in &answered {
            assert!(
                names.iter().any(|n| n.eq_ignore_ascii_case(a)),
                "{a:?} extra"
            );
        }
    }
});
