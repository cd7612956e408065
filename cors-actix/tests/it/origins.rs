//! Which request origins each kind of pattern grants, the lookalikes it
//! refuses, and malformed, non-canonical and duplicate `Origin` headers.

use std::sync::{Arc, Mutex};

use crate::support::*;
use actix_web::http::header;
use actix_web::http::StatusCode;
use cors_actix::{Cors, CorsBuilder};

fn origins(patterns: &[&str]) -> CorsBuilder {
    Cors::builder().allow_origins(patterns)
}

#[actix_rt::test]
async fn exact_origin_is_granted_with_its_own_value() {
    assert_allowed(
        &origins(&["https://app.example.com"]),
        "https://app.example.com",
    )
    .await;
}

#[actix_rt::test]
async fn exact_origin_refuses_lookalikes_other_schemes_and_ports() {
    let policy = origins(&["https://app.example.com"]);
    for bad in [
        "https://app.example.com.evil.net",
        "https://evilapp.example.com",
        "https://xapp.example.com",
        "https://a.app.example.com",
        "https://app.example.co",
        "http://app.example.com",
        "https://app.example.com:8443",
        "wss://app.example.com",
    ] {
        assert_refused(&policy, bad.as_bytes()).await;
    }
}

#[actix_rt::test]
async fn two_exact_origins_never_let_a_concatenation_in() {
    let policy = origins(&["https://foo.com", "https://bar.com"]);
    assert_allowed(&policy, "https://foo.com").await;
    assert_allowed(&policy, "https://bar.com").await;
    for bad in [
        "https://barfoo.com",
        "https://foobar.com",
        "https://foo.com.bar.com",
        "https://bar.com.foo.com",
        "https://foo.bar.com",
    ] {
        assert_refused(&policy, bad.as_bytes()).await;
    }
}

#[actix_rt::test]
async fn subdomain_wildcard_matches_subdomains_at_any_depth() {
    let policy = origins(&["https://*.example.com"]);
    for good in [
        "https://a.example.com",
        "https://a.b.example.com",
        "https://x-1.y_2.z.example.com",
    ] {
        assert_allowed(&policy, good).await;
    }
}

#[actix_rt::test]
async fn subdomain_wildcard_refuses_the_domain_itself_and_lookalikes() {
    let policy = origins(&["https://*.example.com"]);
    for bad in [
        "https://example.com",
        "https://evilexample.com",
        "https://a.evilexample.com",
        "https://a.example.com.evil.net",
        "https://example.com.evil.net",
        "http://a.example.com",
        "https://a.example.com:8443",
        "https://.example.com",
        "https://a.example.com.",
        "https://A.example.com",
        "null",
    ] {
        assert_refused(&policy, bad.as_bytes()).await;
    }
}

#[actix_rt::test]
async fn subdomain_wildcard_with_port_matches_only_that_port() {
    let policy = origins(&["https://*.example.com:8443"]);
    assert_allowed(&policy, "https://a.example.com:8443").await;
    assert_refused(&policy, b"https://a.example.com").await;
    assert_refused(&policy, b"https://a.example.com:8444").await;
}

#[actix_rt::test]
async fn localhost_any_port_matches_localhost_only() {
    let policy = origins(&["http://localhost:*"]);
    for good in [
        "http://localhost",
        "http://localhost:3000",
        "http://localhost:65535",
    ] {
        assert_allowed(&policy, good).await;
    }
    for bad in [
        "http://localhost.evil.com",
        "http://localhost.evil.com:3000",
        "http://evil-localhost:3000",
        "http://a.localhost:3000",
        "https://localhost",
        "https://localhost:3000",
        "http://127.0.0.1:3000",
        "http://localhost:80",
    ] {
        assert_refused(&policy, bad.as_bytes()).await;
    }
}

#[actix_rt::test]
async fn https_any_host_matches_https_origins_on_the_default_port() {
    let policy = origins(&["https://*"]);
    assert_allowed(&policy, "https://anything.example").await;
    assert_allowed(&policy, "https://127.0.0.1").await;
    for bad in [
        "null",
        "http://anything.example",
        "https://anything.example:8443",
    ] {
        assert_refused(&policy, bad.as_bytes()).await;
    }
}

#[actix_rt::test]
async fn several_patterns_never_combine_into_a_wider_one() {
    let policy = origins(&[
        "https://api.example.com:8443",
        "https://*.example.org",
        "http://localhost:*",
    ]);
    assert_allowed(&policy, "https://api.example.com:8443").await;
    assert_allowed(&policy, "https://a.example.org").await;
    assert_allowed(&policy, "http://localhost:3000").await;
    for bad in [
        "https://api.example.com",
        "https://a.example.com:8443",
        "https://a.example.org:8443",
        "http://a.example.org",
        "https://localhost:3000",
        "https://localhost:8443",
        "http://a.example.org:3000",
    ] {
        assert_refused(&policy, bad.as_bytes()).await;
    }
}

#[actix_rt::test]
async fn null_is_allowed_only_when_written_out() {
    assert_allowed(&origins(&["null"]), "null").await;
    let sees_everything = |_: &str, _: &actix_web::dev::RequestHead| true;
    for policy in [
        origins(&["https://app.example.com"]),
        origins(&["https://*"]),
        origins(&["https://*.example.com", "http://localhost:*"]),
        Cors::builder().allow_origin_regex("n[u]ll|https://[a-z]+\\.example\\.com"),
        Cors::builder().allow_origin_fn(sees_everything),
    ] {
        assert_refused(&policy, b"null").await;
    }
}

#[actix_rt::test]
async fn configured_origins_are_normalised_like_browsers_send_them() {
    assert_allowed(
        &origins(&["HTTPS://App.Example.COM:443"]),
        "https://app.example.com",
    )
    .await;
    assert_allowed(&origins(&["http://LocalHost:80"]), "http://localhost").await;
    assert_allowed(
        &origins(&["https://*.Example.com"]),
        "https://a.example.com",
    )
    .await;
    assert_allowed(&origins(&["http://[::1]:8080"]), "http://[::1]:8080").await;
}

#[actix_rt::test]
async fn non_canonical_request_origins_are_disallowed() {
    for policy in [
        origins(&["https://app.example.com"]),
        origins(&["https://*.example.com"]),
    ] {
        for bad in [
            "HTTPS://app.example.com",
            "https://APP.example.com",
            "https://app.example.com:443",
            "https://app.example.com:0443",
            "https://app.example.com/",
            "https://app.example.com/path",
            "https://app.example.com?x",
            "https://app.example.com.",
            "https://user@app.example.com",
            " https://app.example.com",
            "https://app.example.com ",
        ] {
            assert_refused(&policy, bad.as_bytes()).await;
        }
    }
}

#[actix_rt::test]
async fn malformed_origins_are_disallowed() {
    for policy in [
        origins(&["https://app.example.com"]),
        origins(&["https://*.example.com", "http://localhost:*"]),
    ] {
        for bad in [
            "",
            "*",
            "https://",
            "https://:443",
            "app.example.com",
            "//app.example.com",
            "https:/app.example.com",
            "http://localhost:99999",
            "http://localhost:",
            "http://localhost:-1",
            "http://localhost:3000:3000",
            "https://a..example.com",
            "https://a.example.com:*",
            "https://*.example.com",
        ] {
            assert_refused(&policy, bad.as_bytes()).await;
        }
    }
}

#[actix_rt::test]
async fn non_utf8_origins_are_disallowed_without_error() {
    for policy in [
        origins(&["https://app.example.com"]),
        origins(&["https://*.example.com"]),
        Cors::builder().allow_origin_regex("https://[^/]+"),
        Cors::builder().allow_origin_fn(|_, _| true),
    ] {
        for bad in [
            &b"https://\xffapp.example.com"[..],
            b"https://app.example.com\x80",
            b"https://b\xc3\xbccher.example.com",
            b"\xfe\xff",
        ] {
            assert_refused(&policy, bad).await;
        }
    }
}

#[actix_rt::test]
async fn two_origin_headers_are_a_disallowed_origin() {
    let policy = origins(&["https://app.example.com", "https://other.example.com"]);
    for second in ["https://app.example.com", "https://other.example.com"] {
        let twice = || get(APP).append_header((header::ORIGIN, second));
        let res = send(policy.clone().build().unwrap(), twice()).await;
        assert_eq!(res.status, StatusCode::OK);
        res.assert_cors(&[("vary", "Origin")]);

        let res = send(
            policy.clone().block_disallowed(true).build().unwrap(),
            twice(),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(res.body_str(), BLOCKED);
        assert_eq!(res.handler_runs, 0);

        let pre = preflight(APP, "GET").append_header((header::ORIGIN, second));
        let res = send(policy.clone().build().unwrap(), pre).await;
        res.assert_refused_preflight(REFUSED_ORIGIN, PREFLIGHT_VARY);
    }
}

#[actix_rt::test]
async fn origin_fn_is_asked_last_only_for_canonical_origins_and_never_for_null() {
    let asked: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&asked);
    let policy = Cors::builder()
        .allow_origin("https://app.example.com")
        .allow_origin_fn(move |origin, head| {
            log.lock().unwrap().push(origin.to_owned());
            origin.ends_with(".internal.test") && head.uri.path() == "/"
        });
    assert_allowed(&policy, "https://app.example.com").await;
    assert_allowed(&policy, "https://svc.internal.test").await;
    for bad in [
        "null",
        "https://SVC.internal.test",
        "https://svc.internal.test:443",
        "https://svc.internal.test.evil.net",
    ] {
        assert_refused(&policy, bad.as_bytes()).await;
    }
    let asked = asked.lock().unwrap();
    assert!(
        !asked.iter().any(|o| o == "https://app.example.com"),
        "{asked:?}"
    );
    assert!(!asked.iter().any(|o| o == "null"), "{asked:?}");
    assert!(
        !asked
            .iter()
            .any(|o| o.contains("SVC") || o.contains(":443")),
        "{asked:?}"
    );
    assert!(
        asked.iter().any(|o| o == "https://svc.internal.test"),
        "{asked:?}"
    );
}

#[actix_rt::test]
async fn origin_fn_sees_the_request_head() {
    let policy = Cors::builder().allow_origin_fn(|_, head| head.uri.path().starts_with("/public"));
    let cors = policy.build().unwrap();
    let res = send(cors.clone(), get("https://a.test").uri("/")).await;
    res.assert_cors(&[("vary", "Origin")]);
    let app = actix_web::test::init_service(actix_web::App::new().wrap(cors).route(
        "/public/x",
        actix_web::web::get().to(ok_handler(Hits::default())),
    ))
    .await;
    let req = get("https://a.test").uri("/public/x").to_request();
    let res = Resp::read(actix_web::test::call_service(&app, req).await).await;
    res.assert_cors(&[(ALLOW_ORIGIN, "https://a.test"), ("vary", "Origin")]);
}

#[actix_rt::test]
async fn any_origin_policy_allows_every_origin_but_not_two_origin_headers() {
    let any = || Cors::builder().allow_any_origin();
    for good in [
        APP,
        EVIL,
        "null",
        "http://localhost:3000",
        "chrome-extension://abcdef",
    ] {
        let res = send(any().block_disallowed(true).build().unwrap(), get(good)).await;
        assert_eq!(res.status, StatusCode::OK, "{good}");
        res.assert_cors(&[(ALLOW_ORIGIN, "*")]);
        let res = send(any().build().unwrap(), preflight(good, "GET")).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{good}");
        assert_eq!(res.one(ALLOW_ORIGIN), Some("*"));
    }

    let twice = || get(APP).append_header((header::ORIGIN, APP));
    let res = send(any().block_disallowed(true).build().unwrap(), twice()).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.body_str(), BLOCKED);
    assert_eq!(res.handler_runs, 0);
    res.assert_cors(&[("vary", "Origin")]);
    let twice = preflight(APP, "GET").append_header((header::ORIGIN, APP));
    let res = send(any().build().unwrap(), twice).await;
    res.assert_refused_preflight(REFUSED_ORIGIN, PREFLIGHT_VARY);
}

/// Requests keep being answered while another thread replaces the list
/// under them: each sees the old list or the new one, none fails.
#[actix_rt::test]
async fn a_list_replaced_under_load_answers_every_request_from_one_list() {
    use std::sync::atomic::{AtomicBool, Ordering};

    let first: Vec<String> = (0..20).map(|i| format!("https://a{i}.example")).collect();
    let second: Vec<String> = (0..20).map(|i| format!("https://b{i}.example")).collect();
    let list = cors_actix::OriginList::new(&first).unwrap();
    let cors = Cors::builder().allow_origin_list(&list).build().unwrap();
    let app = actix_web::test::init_service(
        actix_web::App::new()
            .wrap(cors)
            .route("/", actix_web::web::get().to(actix_web::HttpResponse::Ok)),
    )
    .await;
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (list, stop) = (list.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut rounds = 0;
            while !stop.load(Ordering::Relaxed) {
                let next = if rounds % 2 == 0 { &second } else { &first };
                list.replace(next).unwrap();
                rounds += 1;
            }
            rounds
        })
    };
    let (mut granted, mut refused) = (0, 0);
    for i in 0..2000 {
        let origin = if i % 2 == 0 {
            "https://a3.example"
        } else {
            "https://b3.example"
        };
        let req = actix_web::test::TestRequest::get()
            .insert_header((header::ORIGIN, origin))
            .to_request();
        let res = actix_web::test::call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::OK);
        match res.headers().get(ALLOW_ORIGIN) {
            Some(value) => {
                assert_eq!(value, origin);
                granted += 1;
            }
            None => refused += 1,
        }
    }
    stop.store(true, Ordering::Relaxed);
    let rounds = writer.join().unwrap();
    assert!(
        rounds > 0 && granted > 0 && refused > 0,
        "{rounds} {granted} {refused}"
    );
}

#[actix_rt::test]
async fn a_list_is_checked_like_the_builder_and_with_the_policy_that_uses_it() {
    let err = cors_actix::OriginList::new(["https://a.example/"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("did you mean \"https://a.example\""), "{err}");
    let every = cors_actix::OriginList::new(["https://*"]).unwrap();
    let err = Cors::builder()
        .allow_origin_list(&every)
        .allow_credentials(true)
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("credentials"), "{err}");
    // An empty list is a policy that allows nothing yet.
    let empty = cors_actix::OriginList::new(Vec::<String>::new()).unwrap();
    let cors = Cors::builder().allow_origin_list(&empty).build().unwrap();
    assert_refused(
        &Cors::builder().allow_origin_list(&empty),
        b"https://a.example",
    )
    .await;
    drop(cors);
    empty.replace(["https://a.example"]).unwrap();
    assert_allowed(
        &Cors::builder().allow_origin_list(&empty),
        "https://a.example",
    )
    .await;
}
