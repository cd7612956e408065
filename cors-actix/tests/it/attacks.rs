//! Attacks and misconfigurations, one test each, named after what it proves
//! impossible.
//!
//! Each test either shows that `build()` refuses the unsafe configuration,
//! or sends the attacker's request through a real app wrapped with the
//! policy and shows that it gets no grant: no `Access-Control-Allow-Origin`
//! (so the browser blocks the read), no `Access-Control-Allow-Credentials`,
//! and for a preflight a 403 (so the actual request is never sent). A
//! preflight from an allowed origin whose method or headers are refused gets
//! the diagnostic 200 instead, which lists only what the policy allows.

use std::time::{Duration, Instant};

use crate::support::*;
use actix_web::http::{Method, StatusCode};
use actix_web::test::{init_service, TestRequest};
use actix_web::{web, App, HttpResponse};
use cors_actix::{Cors, CorsBuilder, CorsConfigError};

/// Where the API is served; never the same origin as a page below.
const SERVER_HOST: &str = "api.server.test";

/// A handler that tries to grant everyone itself: the policy must replace
/// its headers.
async fn leaky_handler() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((ALLOW_ORIGIN, "*"))
        .insert_header((ALLOW_CREDENTIALS, "true"))
        .body("private data")
}

/// Sends `req` to the API's host through an app wrapped with the policy
/// `builder` builds, and reads the whole response.
async fn send(builder: CorsBuilder, req: TestRequest) -> Resp {
    let cors = builder.build().expect("a valid policy");
    let app = init_service(
        App::new()
            .wrap(cors)
            .default_service(web::to(leaky_handler)),
    )
    .await;
    send_to(&app, req.insert_header(("host", SERVER_HOST))).await
}

/// Sends `origins` as actual requests and as preflights and expects every
/// one refused.
async fn assert_all_refused(builder: CorsBuilder, origins: &[&str]) {
    for origin in origins {
        send(builder.clone(), get(origin.as_bytes()))
            .await
            .assert_grants_nothing(&format!("actual from {origin:?}"));
        send(builder.clone(), preflight(origin.as_bytes(), "PUT"))
            .await
            .assert_preflight_forbidden(
                &format!("preflight from {origin:?}"),
                "origin not allowed",
            );
    }
}

fn build_error(builder: CorsBuilder) -> CorsConfigError {
    builder
        .build()
        .expect_err("build() must refuse this policy")
}

// ---------------------------------------------------------------------------
// Origin reflection with credentials
// ---------------------------------------------------------------------------

#[test]
fn any_origin_with_credentials_is_a_build_error() {
    let err = build_error(Cors::builder().allow_any_origin().allow_credentials(true));
    assert!(matches!(err, CorsConfigError::Conflict(_)), "{err}");
    assert!(err.to_string().contains("credentials"), "{err}");
    for every_origin in ["*", "https://*", "http://*:*"] {
        let err = build_error(
            Cors::builder()
                .allow_origin(every_origin)
                .allow_credentials(true),
        );
        assert!(
            err.to_string().contains("credentials"),
            "{every_origin}: {err}"
        );
    }
}

#[actix_web::test]
async fn allowed_list_with_credentials_never_reflects_an_unlisted_origin() {
    let policy = Cors::builder()
        .allow_origins(["https://app.example.com", "https://*.partner.org"])
        .allow_credentials(true);
    let ok = send(policy.clone(), get(b"https://app.example.com")).await;
    ok.assert_grants("https://app.example.com");
    assert_eq!(ok.one(ALLOW_CREDENTIALS), Some("true"));
    assert_all_refused(
        policy,
        &[
            "https://evil.com",
            "https://attacker.example",
            "https://partner.org",
            "http://app.example.com",
            "https://app.example.com.evil.com",
            "null",
        ],
    )
    .await;
}

// ---------------------------------------------------------------------------
// null
// ---------------------------------------------------------------------------

#[actix_web::test]
async fn null_origin_is_never_matched_by_a_wildcard_regex_or_function() {
    let policy = Cors::builder()
        .allow_origins(["https://*", "http://*:*", "https://*.example.com"])
        .allow_origin_regex(r"null|https://[a-z]+\.example\.org")
        .allow_origin_fn(|_, _| true);
    assert_all_refused(policy, &["null"]).await;

    // Written out, it is allowed: an explicit decision.
    let explicit = Cors::builder().allow_origin("null");
    send(explicit, get(b"null")).await.assert_grants("null");
}

// ---------------------------------------------------------------------------
// Lookalike origins
// ---------------------------------------------------------------------------

#[actix_web::test]
async fn suffix_lookalike_is_refused() {
    for pattern in ["https://example.com", "https://*.example.com"] {
        assert_all_refused(
            Cors::builder().allow_origin(pattern),
            &["https://evilexample.com", "https://a.evilexample.com"],
        )
        .await;
    }
}

#[actix_web::test]
async fn prefix_lookalike_is_refused() {
    for pattern in ["https://example.com", "https://*.example.com"] {
        assert_all_refused(
            Cors::builder().allow_origin(pattern),
            &[
                "https://example.com.evil.net",
                "https://a.example.com.evil.net",
                "https://example.comevil.net",
            ],
        )
        .await;
    }
}

#[actix_web::test]
async fn scheme_downgrade_is_refused() {
    for pattern in [
        "https://example.com",
        "https://*.example.com",
        "https://example.com:*",
    ] {
        assert_all_refused(
            Cors::builder().allow_origin(pattern),
            &[
                "http://example.com",
                "http://a.example.com",
                "ws://example.com",
                "http://example.com:443",
            ],
        )
        .await;
    }
}

#[actix_web::test]
async fn port_confusion_is_refused() {
    assert_all_refused(
        Cors::builder().allow_origins(["https://example.com", "https://*.example.com"]),
        &[
            "https://example.com:8443",
            "https://a.example.com:8443",
            // Browsers never send the default port; a client that does is
            // not a browser, and the value is not canonical.
            "https://example.com:443",
            "https://example.com:0443",
            "https://example.com:65979", // 443 + 65536
            "https://example.com:",
        ],
    )
    .await;
    assert_all_refused(
        Cors::builder().allow_origin("https://example.com:8443"),
        &[
            "https://example.com",
            "https://example.com:84430",
            "https://example.com:8443:8443",
        ],
    )
    .await;
    let any_port = Cors::builder().allow_origin("http://localhost:*");
    send(any_port.clone(), get(b"http://localhost:3000"))
        .await
        .assert_grants("http://localhost:3000");
    assert_all_refused(
        any_port,
        &[
            "http://localhost.evil.com:3000",
            "http://localhost:3000.evil.com",
            "http://evil-localhost:3000",
            "http://localhost:3000@evil.com",
        ],
    )
    .await;
}

#[test]
fn unescaped_dot_regex_is_a_build_error() {
    for regex in [
        r"https://app.example.com",
        r"https://[a-z]+\.example.com",
        r"https://.*\.example\.com",
    ] {
        let err = build_error(Cors::builder().allow_origin_regex(regex));
        assert!(matches!(err, CorsConfigError::Regex(_)), "{regex}: {err}");
        assert!(err.to_string().contains(r"\."), "{regex}: {err}");
    }
}

#[actix_web::test]
async fn escaped_regex_refuses_lookalikes() {
    let policy = Cors::builder().allow_origin_regex(r"https://pr-[0-9]+\.preview\.example\.com");
    send(policy.clone(), get(b"https://pr-12.preview.example.com"))
        .await
        .assert_grants("https://pr-12.preview.example.com");
    // The crate anchors the regex: nothing before or after the match.
    assert_all_refused(
        policy,
        &[
            "https://pr-12xpreviewxexample.com",
            "https://pr-12.preview.example.com.evil.net",
            "https://evil.net/https://pr-12.preview.example.com",
            "https://xpr-12.preview.example.com",
            "http://pr-12.preview.example.com",
            "https://pr-12.preview.example.com:8443",
            "https://PR-12.preview.example.com",
            "https://pr-12.preview.example.com.",
        ],
    )
    .await;
}

#[actix_web::test]
async fn case_and_trailing_dot_tricks_are_refused() {
    // Browsers serialise origins in lower case without a trailing dot;
    // `Access-Control-Allow-Origin` is compared with that byte for byte.
    let policy = Cors::builder().allow_origins([
        "https://example.com",
        "https://*.example.com",
        "http://localhost:*",
    ]);
    assert_all_refused(
        policy,
        &[
            "https://EXAMPLE.com",
            "https://Example.Com",
            "HTTPS://example.com",
            "https://A.example.com",
            "https://example.com.",
            "https://a.example.com.",
            "http://LOCALHOST:3000",
            "http://localhost.:3000",
        ],
    )
    .await;
    // Configured origins, on the other hand, are normalised.
    let written_loosely = Cors::builder().allow_origin("HTTPS://Example.COM:443");
    send(written_loosely, get(b"https://example.com"))
        .await
        .assert_grants("https://example.com");
    let err = build_error(Cors::builder().allow_origin("https://example.com."));
    assert!(err.to_string().contains("trailing dot"), "{err}");
}

#[actix_web::test]
async fn unicode_and_punycode_lookalikes_are_refused() {
    let policy = Cors::builder().allow_origins(["https://example.com", "https://*.example.com"]);
    let cyrillic_a = "https://ex\u{430}mple.com"; // а, U+0430
    assert_all_refused(
        policy,
        &[
            cyrillic_a,
            "https://a.ex\u{430}mple.com",
            "https://xn--exmple-cua.com", // the same lookalike in punycode
            "https://a.xn--exmple-cua.com",
            "https://example\u{3002}com", // ideographic full stop
            "https://example.com\u{200b}",
        ],
    )
    .await;
    // A non-ASCII configured origin is refused too: browsers send punycode.
    let err = build_error(Cors::builder().allow_origin(cyrillic_a));
    assert!(err.to_string().contains("punycode"), "{err}");
}

/// A predicate or regex sees only origins in the form browsers send: an
/// `Origin` with non-ASCII text or control characters is refused before
/// either is asked (the parse that comes first accepts visible ASCII only).
#[actix_web::test]
async fn predicates_never_see_non_ascii_or_control_characters() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    let policy = Cors::builder()
        .allow_origin("https://*.example.net")
        .allow_origin_fn(move |_origin, _head| {
            counter.fetch_add(1, Ordering::Relaxed);
            true
        });
    assert_all_refused(
        policy.clone(),
        &[
            "https://ex\u{430}mple.com",
            "https://example.com\u{200b}",
            "https://example.com\t",
        ],
    )
    .await;
    assert_eq!(asked.load(Ordering::Relaxed), 0);
    // Bytes that are not UTF-8 at all.
    send(policy.clone(), get(b"https://ex\xe4mple.com"))
        .await
        .assert_grants_nothing("actual from a Latin-1 origin");
    assert_eq!(asked.load(Ordering::Relaxed), 0);
    // What it must see, it sees.
    send(policy, get(b"https://example.com"))
        .await
        .assert_grants("https://example.com");
    assert_eq!(asked.load(Ordering::Relaxed), 1);
}

#[actix_web::test]
async fn origin_with_userinfo_or_path_is_refused() {
    let policy = Cors::builder().allow_origins(["https://example.com", "https://*.example.com"]);
    assert_all_refused(
        policy,
        &[
            "https://user@example.com",
            "https://user:pw@example.com",
            "https://example.com@evil.net",
            "https://evil.net@example.com",
            "https://example.com/",
            "https://example.com/path",
            "https://example.com?x",
            "https://example.com#x",
            "https://a.example.com/.evil.net",
            "https://example.com\\@evil.net",
        ],
    )
    .await;
}

#[actix_web::test]
async fn duplicate_origin_headers_get_no_wildcard_grant() {
    // Even a policy that answers `*` to everyone refuses two `Origin`
    // headers (README: "only two `Origin` headers are refused").
    let twice = get(b"https://app.example.com").append_header((ORIGIN, "https://evil.net"));
    send(Cors::builder().allow_any_origin(), twice)
        .await
        .assert_grants_nothing("actual with two Origin headers under allow_any_origin()");
    // Nor does a first `Origin` naming the server itself make the request
    // same-origin (and so never blocked).
    let own_then_evil = || {
        get(format!("http://{SERVER_HOST}").as_bytes()).append_header((ORIGIN, "https://evil.net"))
    };
    send(Cors::builder().allow_any_origin(), own_then_evil())
        .await
        .assert_grants_nothing("the server's own origin, then another");
    let blocked = send(
        Cors::builder().allow_any_origin().block_disallowed(true),
        own_then_evil(),
    )
    .await;
    blocked.assert_grants_nothing("the server's own origin, then another, blocking");
    assert_eq!(blocked.status, StatusCode::FORBIDDEN);
    let twice =
        preflight(b"https://app.example.com", "PUT").append_header((ORIGIN, "https://evil.net"));
    send(
        Cors::builder().allow_any_origin().allow_methods(["PUT"]),
        twice,
    )
    .await
    .assert_preflight_forbidden(
        "preflight with two Origin headers under allow_any_origin()",
        "origin not allowed",
    );
}

#[actix_web::test]
async fn duplicate_origin_headers_are_refused() {
    let policy = Cors::builder()
        .allow_origins(["https://app.example.com", "https://other.example.com"])
        .allow_methods(["PUT"])
        .allow_credentials(true);
    for second in ["https://app.example.com", "https://evil.net", "null"] {
        let twice = |req: TestRequest| req.append_header((ORIGIN, second));
        send(policy.clone(), twice(get(b"https://app.example.com")))
            .await
            .assert_grants_nothing(&format!("actual with a second Origin {second:?}"));
        send(
            policy.clone(),
            twice(preflight(b"https://app.example.com", "PUT")),
        )
        .await
        .assert_preflight_forbidden(
            &format!("preflight with a second Origin {second:?}"),
            "origin not allowed",
        );
    }
}

// ---------------------------------------------------------------------------
// Resource use
// ---------------------------------------------------------------------------

#[actix_web::test]
async fn request_headers_list_of_100000_names_is_refused() {
    let names: Vec<String> = (0..100_000).map(|i| format!("x-h{i}")).collect();
    let huge = names.join(",");
    let policy = Cors::builder()
        .allow_origin("https://app.example.com")
        .allow_methods(["PUT"])
        .allow_any_header();
    let one_line = || {
        preflight(b"https://app.example.com", "PUT").insert_header((REQUEST_HEADERS, huge.as_str()))
    };
    // The same names spread over many header lines.
    let spread = || {
        let mut spread = preflight(b"https://app.example.com", "PUT");
        for chunk in names.chunks(1000) {
            spread = spread.append_header((REQUEST_HEADERS, chunk.join(",")));
        }
        spread
    };
    let started = Instant::now();
    let diagnosed = [
        (ALLOW_ORIGIN, "https://app.example.com"),
        (ALLOW_METHODS, "PUT"),
        ("vary", PREFLIGHT_VARY),
    ];
    send(policy.clone(), one_line())
        .await
        .assert_diagnosed_preflight(TOO_MANY_HEADERS, &diagnosed);
    send(policy.clone(), spread())
        .await
        .assert_diagnosed_preflight(TOO_MANY_HEADERS, &diagnosed);
    let strict = policy.diagnostic_preflights(false);
    send(strict.clone(), one_line())
        .await
        .assert_preflight_forbidden(
            "100,000 requested headers",
            "request header not allowed (too many Access-Control-Request-Headers)",
        );
    send(strict, spread()).await.assert_preflight_forbidden(
        "100,000 requested headers over 100 lines",
        "request header not allowed (too many Access-Control-Request-Headers)",
    );
    // Not a timing assertion: only a guard against pathological slowness.
    assert!(started.elapsed() < Duration::from_secs(30));
}

/// An `Access-Control-Request-Method` longer than 64 bytes is malformed: the
/// preflight is refused before any route lookup (whose probe path would
/// carry it) and it is never echoed, not even by `allow_any_method()` with
/// credentials; 64 bytes still pass. A configured method that long is a
/// `build()` error.
#[actix_web::test]
async fn over_long_request_method_is_refused_and_never_echoed() {
    let policy = Cors::builder()
        .allow_origin("https://example.com")
        .allow_any_method()
        .allow_credentials(true);
    let longest = "M".repeat(64);
    let res = send(policy.clone(), preflight(b"https://example.com", &longest)).await;
    assert_eq!(res.all("access-control-allow-methods"), [longest.as_str()]);
    let over = "M".repeat(120_000);
    let res = send(policy, preflight(b"https://example.com", &over)).await;
    assert_eq!(
        res.body_str(),
        "CORS preflight refused: method not allowed (malformed Access-Control-Request-Method)"
    );
    assert!(
        res.all("access-control-allow-methods").is_empty(),
        "{res:?}"
    );
    assert_eq!(res.handler_runs, 0);
    let err = build_error(
        Cors::builder()
            .allow_origin("https://example.com")
            .allow_methods(["M".repeat(65)]),
    );
    assert!(err.to_string().contains("at most 64"), "{err}");
}

/// An `Origin` longer than any a browser sends (512 bytes) is refused before
/// the wildcard tables are asked (their prefilter looks up every suffix after
/// a dot: quadratic in a 120 KB origin; `bench/instructions.sh --check`
/// holds its cost to a short origin's), while the longest canonical origins
/// under a pattern are still allowed. Found by review: a pattern domain of 63
/// bytes or more shares one length bit of the tables with every long suffix.
#[actix_web::test]
async fn huge_origin_is_refused_and_the_longest_real_ones_allowed() {
    let domain = format!("{}.{}.example", "k".repeat(40), "l".repeat(30));
    let policy = Cors::builder().allow_origin(format!("https://*.{domain}"));
    let huge = format!("https://{}a", "a.".repeat(60_000));
    send(policy.clone(), get(huge.as_bytes()))
        .await
        .assert_grants_nothing("actual from a 120 KB origin");
    // A host of 253 bytes (the DNS maximum) under the pattern.
    let labels = format!("{}.{}.{}", "s".repeat(63), "t".repeat(63), "u".repeat(45));
    let longest = format!("https://{labels}.{domain}");
    assert_eq!(labels.len() + 1 + domain.len(), 253);
    send(policy, get(longest.as_bytes()))
        .await
        .assert_grants(&longest);
}

// ---------------------------------------------------------------------------
// Private network access
// ---------------------------------------------------------------------------

#[actix_web::test]
async fn private_network_access_is_not_granted_unless_enabled() {
    let asks_private =
        |origin: &[u8]| preflight(origin, "PUT").insert_header((REQUEST_PRIVATE_NETWORK, "true"));
    // Not enabled: the preflight may pass for CORS, but never grants
    // private network access, so Chromium would fail it.
    let off = Cors::builder()
        .allow_origin("https://app.example.com")
        .allow_methods(["PUT"]);
    let answer = send(off, asks_private(b"https://app.example.com")).await;
    answer.assert_grants("https://app.example.com");
    assert!(answer.all(ALLOW_PRIVATE_NETWORK).is_empty(), "{answer:?}");

    // Enabled: only for allowed origins, never for everyone.
    let on = Cors::builder()
        .allow_origin("https://app.example.com")
        .allow_methods(["PUT"])
        .allow_private_network(true);
    let answer = send(on.clone(), asks_private(b"https://app.example.com")).await;
    assert!(!answer.all(ALLOW_PRIVATE_NETWORK).is_empty(), "{answer:?}");
    send(on, asks_private(b"https://evil.net"))
        .await
        .assert_preflight_forbidden("private network from evil.net", "origin not allowed");
    let err = build_error(
        Cors::builder()
            .allow_any_origin()
            .allow_private_network(true),
    );
    assert!(err.to_string().contains("private network"), "{err}");
}

// ---------------------------------------------------------------------------
// Logging
// ---------------------------------------------------------------------------

#[actix_web::test]
async fn control_characters_in_request_values_cannot_forge_log_lines() {
    logs::capture();
    // actix's `HeaderValue` (and its HTTP/1 parser) refuse CR, LF and other
    // controls outright; what a client can still put in a header value is
    // tab and any byte from 0x80 up, which includes the Unicode line
    // separators U+0085, U+2028 and U+2029 some log viewers break lines on.
    let hostile = "https://evil.net\t\u{85}\u{2028}\u{2029}INFO forged-marker user=admin";
    let policy = Cors::builder()
        .allow_origin("https://app.example.com")
        .allow_methods(["PUT"])
        .allow_headers(["x-a"]);
    send(policy.clone(), get(hostile.as_bytes()))
        .await
        .assert_grants_nothing("hostile actual");
    send(policy.clone(), preflight(hostile.as_bytes(), "PUT"))
        .await
        .assert_grants_nothing("hostile preflight");
    let hostile_method = TestRequest::default()
        .method(Method::OPTIONS)
        .insert_header(("host", SERVER_HOST))
        .insert_header((ORIGIN, "https://app.example.com"))
        .insert_header((REQUEST_METHOD, raw("PUT\t\u{2028}forged-marker".as_bytes())))
        .insert_header((
            REQUEST_HEADERS,
            raw("x-a,\u{85}forged-marker\tx-b".as_bytes()),
        ));
    // From an allowed origin: refused for its (malformed) method with the
    // diagnostic answer, which echoes none of the hostile values.
    send(policy, hostile_method)
        .await
        .assert_diagnosed_preflight(
            MALFORMED_METHOD,
            &[
                (ALLOW_ORIGIN, "https://app.example.com"),
                (ALLOW_METHODS, "PUT"),
                (ALLOW_HEADERS, "x-a"),
                ("vary", PREFLIGHT_VARY),
            ],
        );

    // Every line of the process, not only this test's: no test may log a
    // request value unescaped.
    let lines: Vec<String> = logs::all().iter().map(logs::Line::formatted).collect();
    let ours: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("forged-marker"))
        .collect();
    assert!(ours.len() >= 3, "the refusals were logged: {lines:#?}");
    for line in &lines {
        assert!(
            line.bytes().all(|b| (0x20..0x7f).contains(&b)),
            "a log line carries a raw control or non-ASCII byte from the request: {line:?}"
        );
        assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
    }
}

// ---------------------------------------------------------------------------
// Public suffixes
// ---------------------------------------------------------------------------

#[test]
fn patterns_covering_a_public_suffix_are_build_errors() {
    for pattern in [
        "https://*.com",
        "https://*.co.uk",
        "https://*.github.io",
        "http://*.com:*",
        "https://*.CO.UK",
    ] {
        let err = build_error(Cors::builder().allow_origin(pattern));
        assert!(
            matches!(err, CorsConfigError::Origin(_)),
            "{pattern}: {err}"
        );
        assert!(
            err.to_string().contains("public suffix"),
            "{pattern}: {err}"
        );
    }
    // One label more is somebody's own domain.
    Cors::builder()
        .allow_origin("https://*.example.co.uk")
        .build()
        .expect("a registrable domain is fine");
}
