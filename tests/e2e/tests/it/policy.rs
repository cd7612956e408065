//! The `Cors` middleware judged by headless Chromium and Firefox: for each
//! rule of the README's behaviour table that a browser can observe, what the
//! page was allowed to do, what reached the server, and why the browser
//! refused.
//!
//! Every test asserts the browser's decision (`fetch` resolved or rejected)
//! and, for refusals, the reason the browser printed; server-side headers are
//! only checked on top of that.
//!
//! Not here: `Access-Control-Allow-Private-Network`. Neither browser sends a
//! Private Network Access preflight between loopback origins (this Chromium
//! uses the permission-based Local Network Access model; Firefox never sent
//! one), so a browser test could not fail; it is tested at the HTTP level in
//! `cors-actix/tests/it/private_network.rs`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse};
use cors_actix::Cors;
use cors_e2e::{
    Browser, Credentials, Engine, FetchRequest, PageServer, TestServer, API, APP, APP_SUB, EVIL,
    LOOPBACK,
};

use crate::support::{
    assert_cached, assert_refused, in_each_engine, sent_until_cached, Refusal, FIREFOX_TRIES,
};

/// How many times a handler ran (the request log also counts requests that
/// a middleware answered, so it cannot tell).
#[derive(Default)]
struct Runs(AtomicUsize);

fn header(req: &HttpRequest, name: &str) -> String {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// The API's routes, the same for every policy.
fn routes(cfg: &mut web::ServiceConfig) {
    async fn data(req: HttpRequest, runs: web::Data<Runs>, body: String) -> HttpResponse {
        runs.0.fetch_add(1, Ordering::SeqCst);
        HttpResponse::Ok().body(format!("{} {body}", req.method()).trim_end().to_owned())
    }
    cfg.service(
        web::resource("/data")
            .route(web::get().to(data))
            .route(web::delete().to(data))
            .route(web::put().to(data))
            .route(web::patch().to(data)),
    )
    .service({
        async fn echo(req: HttpRequest) -> HttpResponse {
            HttpResponse::Ok().body(header(&req, "x-custom"))
        }
        web::resource("/echo")
            .route(web::get().to(echo))
            .route(web::post().to(echo))
    })
    .route(
        "/headers",
        web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header(("X-Exposed", "shown"))
                .insert_header(("X-Hidden", "kept"))
                .body("headers")
        }),
    )
    .route(
        "/login",
        web::post().to(|| async {
            HttpResponse::Ok()
                .insert_header(("Set-Cookie", "sid=s3cret; Path=/; SameSite=Lax"))
                .body("logged in")
        }),
    )
    .route(
        "/whoami",
        web::get()
            .to(|req: HttpRequest| async move { HttpResponse::Ok().body(header(&req, "cookie")) }),
    )
    .route(
        "/fail",
        web::get().to(|| async {
            Err::<HttpResponse, _>(actix_web::error::ErrorConflict("handler error"))
        }),
    );
}

/// The API wrapped in `cors`; `Runs` counts the runs of `/data`'s handler.
fn serve(cors: Cors) -> (TestServer, web::Data<Runs>) {
    let runs = web::Data::new(Runs::default());
    let app_runs = runs.clone();
    let server = TestServer::start(move || {
        App::new()
            .app_data(app_runs.clone())
            .wrap(cors.clone())
            .configure(routes)
    });
    (server, runs)
}

fn policy(build: impl FnOnce(cors_actix::CorsBuilder) -> cors_actix::CorsBuilder) -> Cors {
    build(Cors::builder()).build().expect("a valid test policy")
}

in_each_engine!(allowed_origin_reads_the_answer_refused_origin_is_blocked_but_reaches_the_handler);
fn allowed_origin_reads_the_answer_refused_origin_is_blocked_but_reaches_the_handler(
    engine: Engine,
) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let evil = PageServer::start(EVIL);
    let (api, runs) = serve(policy(|b| b.allow_origin(app.origin())));
    let get = FetchRequest::new(api.url(API, "/data"));

    let allowed = browser.fetch(&app.origin(), &get);
    allowed.assert_ok();
    assert_eq!(allowed.status, 200);
    assert_eq!(allowed.response_type, "cors");
    assert_eq!(allowed.body, "GET");

    let refused = browser.fetch(&evil.origin(), &get);
    let reason = assert_refused(&refused, Refusal::NoAllowOrigin);
    match engine {
        Engine::Chromium => assert!(
            reason.contains(&format!("from origin '{}'", evil.origin())),
            "{reason}"
        ),
        // Firefox names the URL and the status, not the origin.
        Engine::Firefox => assert!(reason.contains("Status code: 200."), "{reason}"),
    }
    // A simple GET is sent and answered: only the read is refused.
    let seen = api.log().matching("GET", "/data");
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[1].header("origin"), Some(evil.origin().as_str()));
    assert_eq!(seen[1].status, Some(200));
    assert_eq!(runs.0.load(Ordering::SeqCst), 2);
}

in_each_engine!(preflighted_delete_and_put_are_allowed_when_listed);
fn preflighted_delete_and_put_are_allowed_when_listed(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let (api, runs) = serve(policy(|b| {
        b.allow_origin(app.origin())
            .allow_methods(["GET", "PUT", "DELETE"])
            .max_age(Duration::ZERO) // every request preflighted: exact counts
    }));

    let delete = browser.fetch(
        &app.origin(),
        &FetchRequest::new(api.url(API, "/data")).method("DELETE"),
    );
    delete.assert_ok();
    assert_eq!((delete.status, delete.body.as_str()), (200, "DELETE"));

    let put = browser.fetch(
        &app.origin(),
        &FetchRequest::new(api.url(API, "/data"))
            .method("PUT")
            .body("payload"),
    );
    put.assert_ok();
    assert_eq!((put.status, put.body.as_str()), (200, "PUT payload"));

    let preflights = api.log().matching("OPTIONS", "/data");
    assert_eq!(preflights.len(), 2, "{preflights:?}");
    for (preflight, method) in preflights.iter().zip(["DELETE", "PUT"]) {
        assert!(preflight.is_preflight());
        assert_eq!(
            preflight.header("access-control-request-method"),
            Some(method)
        );
        assert_eq!(preflight.status, Some(204));
    }
    assert_eq!(api.count("DELETE", "/data"), 1);
    assert_eq!(api.count("PUT", "/data"), 1);
    // The preflights were answered by the middleware, not the handler.
    assert_eq!(runs.0.load(Ordering::SeqCst), 2);
}

in_each_engine!(a_preflight_from_a_refused_origin_gets_403_and_the_request_is_never_sent);
fn a_preflight_from_a_refused_origin_gets_403_and_the_request_is_never_sent(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let evil = PageServer::start(EVIL);
    let (api, runs) = serve(policy(|b| {
        b.allow_origin(app.origin())
            .allow_methods(["PUT"])
            .allow_headers(["x-custom"])
    }));

    // What the policy allows, asked by an origin it refuses...
    let put = browser.fetch(
        &evil.origin(),
        &FetchRequest::new(api.url(API, "/data"))
            .method("PUT")
            .header("X-Custom", "v1"),
    );
    let reason = assert_refused(&put, Refusal::Preflight);
    match engine {
        Engine::Chromium => assert!(
            reason.contains(&format!("from origin '{}'", evil.origin())),
            "{reason}"
        ),
        // Firefox does not say that the preflight failed; the status it
        // names is the preflight's (the PUT was never sent).
        Engine::Firefox => assert!(reason.contains("Status code: 403."), "{reason}"),
    }
    // ... and what it does not: the origin is judged first, and a refused
    // origin learns nothing of the lists (no diagnostic answer).
    let delete = browser.fetch(
        &evil.origin(),
        &FetchRequest::new(api.url(API, "/data"))
            .method("DELETE")
            .header("X-Other", "v2"),
    );
    assert_refused(&delete, Refusal::Preflight);

    let preflights = api.log().matching("OPTIONS", "/data");
    assert_eq!(preflights.len(), 2, "{preflights:?}");
    for preflight in &preflights {
        assert!(preflight.is_preflight());
        assert_eq!(preflight.status, Some(403));
        for name in [
            "access-control-allow-origin",
            "access-control-allow-methods",
            "access-control-allow-headers",
        ] {
            assert_eq!(preflight.response_header(name), None, "{preflight:?}");
        }
    }
    assert_eq!(api.count("PUT", "/data"), 0, "the PUT was sent");
    assert_eq!(api.count("DELETE", "/data"), 0, "the DELETE was sent");
    assert_eq!(runs.0.load(Ordering::SeqCst), 0);
}

in_each_engine!(a_method_not_listed_is_named_by_the_browser_and_never_sent);
fn a_method_not_listed_is_named_by_the_browser_and_never_sent(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let (api, runs) = serve(policy(|b| {
        b.allow_origin(app.origin())
            .allow_methods(["GET", "POST", "DELETE"])
            .max_age(Duration::from_secs(600))
    }));

    let put = browser.fetch(
        &app.origin(),
        &FetchRequest::new(api.url(API, "/data"))
            .method("PUT")
            .body("payload"),
    );
    // The diagnostic answer grants the origin and lists the allowed
    // methods, so the browser refuses the PUT itself (Chromium names it,
    // Firefox says only that the method was not listed).
    assert_refused(&put, Refusal::Method("PUT"));

    assert_eq!(api.preflights("/data"), 1);
    let preflight = &api.log().matching("OPTIONS", "/data")[0];
    assert_eq!(
        preflight.header("access-control-request-method"),
        Some("PUT")
    );
    assert_eq!(preflight.status, Some(200));
    assert_eq!(
        preflight.response_header("access-control-allow-origin"),
        Some(app.origin().as_str())
    );
    assert_eq!(
        preflight.response_header("access-control-allow-methods"),
        Some("GET, POST, DELETE")
    );
    // No header list configured, none listed; no Max-Age, though the
    // policy sets one: a diagnostic answer is not for caching.
    assert_eq!(
        preflight.response_header("access-control-allow-headers"),
        None
    );
    assert_eq!(preflight.response_header("access-control-max-age"), None);
    assert_eq!(api.count("PUT", "/data"), 0, "the PUT was sent");
    assert_eq!(runs.0.load(Ordering::SeqCst), 0);
}

in_each_engine!(without_diagnostic_preflights_a_refused_method_or_header_gets_403);
fn without_diagnostic_preflights_a_refused_method_or_header_gets_403(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let (api, runs) = serve(policy(|b| {
        b.allow_origin(app.origin())
            .allow_methods(["GET", "POST", "DELETE"])
            .allow_headers(["x-custom"])
            .diagnostic_preflights(false)
    }));

    let put = browser.fetch(
        &app.origin(),
        &FetchRequest::new(api.url(API, "/data"))
            .method("PUT")
            .body("payload"),
    );
    assert_refused(&put, Refusal::Preflight);

    let other = browser.fetch(
        &app.origin(),
        &FetchRequest::new(api.url(API, "/echo")).header("X-Other", "v1"),
    );
    assert_refused(&other, Refusal::Preflight);

    let preflights: Vec<_> = api
        .log()
        .all()
        .into_iter()
        .filter(|s| s.is_preflight())
        .collect();
    assert_eq!(preflights.len(), 2, "{preflights:?}");
    assert_eq!(
        preflights[0].header("access-control-request-method"),
        Some("PUT")
    );
    assert_eq!(
        preflights[1].header("access-control-request-headers"),
        Some("x-other")
    );
    for preflight in &preflights {
        assert_eq!(preflight.status, Some(403));
        assert_eq!(
            preflight.response_header("access-control-allow-origin"),
            None
        );
    }
    assert_eq!(api.count("PUT", "/data"), 0, "the PUT was sent");
    assert_eq!(api.count("GET", "/echo"), 0, "the GET was sent");
    assert_eq!(runs.0.load(Ordering::SeqCst), 0);
}

in_each_engine!(lower_case_patch_is_refused_against_patch);
fn lower_case_patch_is_refused_against_patch(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let (api, _runs) = serve(policy(|b| {
        b.allow_origin(app.origin())
            .allow_methods(["GET", "PATCH"])
            .max_age(Duration::ZERO)
    }));
    let patch = |method: &str| {
        browser.fetch(
            &app.origin(),
            &FetchRequest::new(api.url(API, "/data")).method(method),
        )
    };

    // `fetch` sends `patch` as written; methods are case-sensitive.
    let lower = patch("patch");
    assert_refused(&lower, Refusal::Method("patch"));
    let preflight = &api.log().matching("OPTIONS", "/data")[0];
    assert_eq!(
        preflight.header("access-control-request-method"),
        Some("patch")
    );
    assert_eq!(preflight.status, Some(200));
    assert_eq!(
        preflight.response_header("access-control-allow-methods"),
        Some("GET, PATCH")
    );
    assert_eq!(api.count("patch", "/data"), 0);

    let upper = patch("PATCH");
    upper.assert_ok();
    assert_eq!(upper.body, "PATCH");
    assert_eq!(api.preflights("/data"), 2);
    assert_eq!(api.count("PATCH", "/data"), 1);
}

in_each_engine!(custom_request_header_is_allowed_when_listed_and_refused_otherwise);
fn custom_request_header_is_allowed_when_listed_and_refused_otherwise(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let (api, _runs) = serve(policy(|b| {
        b.allow_origin(app.origin())
            .allow_headers(["x-custom"])
            .max_age(Duration::ZERO)
    }));
    let echo = FetchRequest::new(api.url(API, "/echo"));

    let allowed = browser.fetch(&app.origin(), &echo.clone().header("X-Custom", "v1"));
    allowed.assert_ok();
    assert_eq!(allowed.body, "v1", "the header reached the handler");
    let preflight = &api.log().matching("OPTIONS", "/echo")[0];
    assert_eq!(
        preflight.header("access-control-request-headers"),
        Some("x-custom")
    );
    assert_eq!(preflight.status, Some(204));

    let refused = browser.fetch(&app.origin(), &echo.clone().header("X-Other", "v2"));
    assert_refused(&refused, Refusal::Header("x-other"));

    // All or nothing: one header not allowed refuses the allowed one too.
    let both = browser.fetch(
        &app.origin(),
        &echo
            .clone()
            .header("X-Custom", "v3")
            .header("X-Other", "v3"),
    );
    assert_refused(&both, Refusal::Header("x-other"));
    let preflights = api.log().matching("OPTIONS", "/echo");
    assert_eq!(preflights.len(), 3);
    assert_eq!(
        preflights[2].header("access-control-request-headers"),
        Some("x-custom,x-other")
    );
    // Diagnostic answers: the origin granted, the allowed list, no Max-Age.
    for refused in &preflights[1..] {
        assert_eq!(refused.status, Some(200));
        assert_eq!(
            refused.response_header("access-control-allow-origin"),
            Some(app.origin().as_str())
        );
        assert_eq!(
            refused.response_header("access-control-allow-headers"),
            Some("x-custom")
        );
        assert_eq!(refused.response_header("access-control-max-age"), None);
    }
    assert_eq!(
        api.count("GET", "/echo"),
        1,
        "only the allowed GET was sent"
    );
}

in_each_engine!(exposed_header_is_readable_and_unexposed_one_is_not);
fn exposed_header_is_readable_and_unexposed_one_is_not(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let (api, _runs) = serve(policy(|b| {
        b.allow_origin(app.origin()).expose_headers(["x-exposed"])
    }));

    let result = browser.fetch(
        &app.origin(),
        &FetchRequest::new(api.url(API, "/headers"))
            .read_header("X-Exposed")
            .read_header("X-Hidden"),
    );
    result.assert_ok();
    assert_eq!(result.get("X-Exposed"), Some("shown"));
    assert_eq!(result.get("X-Hidden"), None);
    assert!(!result.header_names().contains(&"x-hidden"), "{result}");
    // The server sent it; the browser hid it.
    let seen = &api.log().matching("GET", "/headers")[0];
    assert_eq!(seen.response_header("x-hidden"), Some("kept"));
}

in_each_engine!(credentials_with_a_cookie_are_allowed_for_a_reflected_origin);
fn credentials_with_a_cookie_are_allowed_for_a_reflected_origin(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    // 127.0.0.1:P calling 127.0.0.1:Q: another origin on the same site, so
    // Chromium sends the cookie (see the harness's table).
    let page = PageServer::start(LOOPBACK);
    let (api, _runs) = serve(policy(|b| {
        b.allow_origin(page.origin()).allow_credentials(true)
    }));
    let include =
        |path: &str| FetchRequest::new(api.url(LOOPBACK, path)).credentials(Credentials::Include);

    let login = browser.fetch(&page.origin(), &include("/login").method("POST"));
    login.assert_ok();
    assert_eq!(login.body, "logged in");
    assert_eq!(login.header("set-cookie"), None);

    let me = browser.fetch(&page.origin(), &include("/whoami"));
    me.assert_ok();
    assert_eq!(me.body, "sid=s3cret", "the cookie was sent and echoed");

    let seen = &api.log().matching("GET", "/whoami")[0];
    assert_eq!(seen.header("cookie"), Some("sid=s3cret"));
    assert_eq!(
        seen.response_header("access-control-allow-origin"),
        Some(page.origin().as_str()),
        "the origin is reflected, never *"
    );
    assert_eq!(
        seen.response_header("access-control-allow-credentials"),
        Some("true")
    );
}

in_each_engine!(credentials_are_refused_by_the_browser_for_an_any_origin_policy);
fn credentials_are_refused_by_the_browser_for_an_any_origin_policy(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let page = PageServer::start(LOOPBACK);
    let (api, _runs) = serve(policy(|b| b.allow_any_origin()));
    let whoami = FetchRequest::new(api.url(LOOPBACK, "/whoami"));

    // Without credentials `*` is fine.
    let anonymous = browser.fetch(&page.origin(), &whoami);
    anonymous.assert_ok();

    let credentialed = browser.fetch(
        &page.origin(),
        &whoami.clone().credentials(Credentials::Include),
    );
    assert_refused(&credentialed, Refusal::WildcardWithCredentials);
    let seen = api.log().matching("GET", "/whoami");
    assert_eq!(seen.len(), 2, "the simple GET was still sent");
    assert_eq!(
        seen[1].response_header("access-control-allow-origin"),
        Some("*")
    );
}

in_each_engine!(credentials_are_refused_when_the_policy_does_not_allow_them);
fn credentials_are_refused_when_the_policy_does_not_allow_them(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let page = PageServer::start(LOOPBACK);
    let (api, runs) = serve(policy(|b| {
        b.allow_origin(page.origin()).allow_methods(["GET", "PUT"])
    }));
    let include =
        |path: &str| FetchRequest::new(api.url(LOOPBACK, path)).credentials(Credentials::Include);

    // A simple GET is sent and answered; only the read is refused.
    let result = browser.fetch(&page.origin(), &include("/whoami"));
    let reason = assert_refused(&result, Refusal::Credentials);
    if engine == Engine::Chromium {
        assert!(
            !reason.contains("Response to preflight request"),
            "{reason}"
        );
    }
    assert_eq!(api.count("GET", "/whoami"), 1);
    assert_eq!(api.preflights("/whoami"), 0);

    // A preflighted PUT is refused at its preflight and never sent.
    let put = browser.fetch(&page.origin(), &include("/data").method("PUT"));
    // Chromium says it was the preflight; Firefox's words are the same as
    // for the GET.
    assert_refused(&put, Refusal::PreflightCredentials);
    let preflight = &api.log().matching("OPTIONS", "/data")[0];
    assert!(preflight.is_preflight());
    assert_eq!(preflight.status, Some(204));
    assert_eq!(
        preflight.response_header("access-control-allow-origin"),
        Some(page.origin().as_str())
    );
    assert_eq!(
        preflight.response_header("access-control-allow-credentials"),
        None
    );
    assert_eq!(api.count("PUT", "/data"), 0, "the PUT was sent");
    assert_eq!(runs.0.load(Ordering::SeqCst), 0);
}

in_each_engine!(safelisted_methods_pass_a_preflight_whatever_allow_methods_lists);
fn safelisted_methods_pass_a_preflight_whatever_allow_methods_lists(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let (api, _runs) = serve(policy(|b| {
        b.allow_origin(app.origin())
            .allow_methods(["DELETE"])
            .allow_headers(["x-custom"])
            .max_age(Duration::ZERO) // every request preflighted: exact counts
    }));

    // The custom header makes both preflighted; neither is refused for its
    // method.
    for (method, value) in [("GET", "v1"), ("POST", "v2")] {
        let result = browser.fetch(
            &app.origin(),
            &FetchRequest::new(api.url(API, "/echo"))
                .method(method)
                .header("X-Custom", value),
        );
        result.assert_ok();
        assert_eq!((result.status, result.body.as_str()), (200, value));
    }

    let preflights = api.log().matching("OPTIONS", "/echo");
    assert_eq!(preflights.len(), 2, "{preflights:?}");
    for (preflight, method) in preflights.iter().zip(["GET", "POST"]) {
        assert!(preflight.is_preflight());
        assert_eq!(
            preflight.header("access-control-request-method"),
            Some(method)
        );
        assert_eq!(preflight.status, Some(204));
        // The answer still lists the configured methods only.
        assert_eq!(
            preflight.response_header("access-control-allow-methods"),
            Some("DELETE")
        );
        assert_eq!(
            preflight.response_header("access-control-allow-headers"),
            Some("x-custom")
        );
    }
    assert_eq!(api.count("GET", "/echo"), 1);
    assert_eq!(api.count("POST", "/echo"), 1);
}

in_each_engine!(preflight_is_served_from_the_browser_cache_within_max_age);
fn preflight_is_served_from_the_browser_cache_within_max_age(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    // How many PUTs were sent until one used a cached preflight, at most
    // `tries`, against a server whose policy sets `max_age`.
    let until_cached = |max_age: Option<u64>, tries: usize| {
        let (api, _runs) = serve(policy(|b| {
            let b = b.allow_origin(app.origin()).allow_methods(["PUT"]);
            match max_age {
                Some(secs) => b.max_age(Duration::from_secs(secs)),
                None => b,
            }
        }));
        let put = FetchRequest::new(api.url(API, "/data")).method("PUT");
        sent_until_cached(&browser, &app.origin(), &put, &api, "/data", tries)
    };

    // First, so that Firefox reuses answers on this page from then on.
    assert_cached(engine, until_cached(Some(600), FIREFOX_TRIES));
    assert_eq!(until_cached(Some(0), 4), None, "max_age 0: not cached");
    // No Access-Control-Max-Age: the default of 5 s applies.
    assert_cached(engine, until_cached(None, FIREFOX_TRIES));
}

in_each_engine!(wildcard_subdomain_pattern_admits_only_subdomains);
fn wildcard_subdomain_pattern_admits_only_subdomains(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let (api, _runs) = serve(policy(|b| {
        b.allow_origin("http://*.app.test:*")
            .allow_methods(["GET", "PUT"])
    }));
    let get = FetchRequest::new(api.url(API, "/data"));
    let put = FetchRequest::new(api.url(API, "/data")).method("PUT");

    for host in [APP_SUB, "b.a.app.test"] {
        let page = PageServer::start(host);
        let result = browser.fetch(&page.origin(), &get);
        assert_eq!(result.assert_ok().body, "GET", "{host}");
        let result = browser.fetch(&page.origin(), &put);
        assert_eq!(result.assert_ok().body, "PUT", "{host}");
    }
    for host in [APP, EVIL, "a.app.test.evil.test", "aapp.test"] {
        let page = PageServer::start(host);
        let result = browser.fetch(&page.origin(), &get);
        assert_refused(&result, Refusal::NoAllowOrigin);
        let result = browser.fetch(&page.origin(), &put);
        assert_refused(&result, Refusal::Preflight);
    }
    // Every GET was sent; only the two matching origins' PUTs were.
    assert_eq!(api.count("GET", "/data"), 6);
    assert_eq!(api.count("PUT", "/data"), 2);
    assert_eq!(api.preflights("/data"), 6);
}

in_each_engine!(errors_are_readable_by_an_allowed_origin);
fn errors_are_readable_by_an_allowed_origin(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let (api, _runs) = serve(policy(|b| {
        b.allow_origin(app.origin()).allow_methods(["GET", "POST"])
    }));

    for (path, status) in [("/missing", 404), ("/fail", 409)] {
        let result = browser.fetch(&app.origin(), &FetchRequest::new(api.url(API, path)));
        result.assert_ok();
        assert_eq!(result.status, status, "{path}: {result}");
    }
    // POST /data has no route: the router's 405 is readable too.
    let result = browser.fetch(
        &app.origin(),
        &FetchRequest::new(api.url(API, "/data")).method("POST"),
    );
    assert_eq!(result.assert_ok().status, 405);
}

in_each_engine!(block_disallowed_answers_403_without_running_the_handler);
fn block_disallowed_answers_403_without_running_the_handler(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let evil = PageServer::start(EVIL);
    let (api, runs) = serve(policy(|b| {
        b.allow_origin(app.origin()).block_disallowed(true)
    }));
    let get = FetchRequest::new(api.url(API, "/data"));

    browser.fetch(&app.origin(), &get).assert_ok();
    let refused = browser.fetch(&evil.origin(), &get);
    assert_refused(&refused, Refusal::NoAllowOrigin);
    let seen = api.log().matching("GET", "/data");
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].status, Some(403));
    assert_eq!(runs.0.load(Ordering::SeqCst), 1, "only the allowed GET ran");
}

in_each_engine!(an_origin_added_at_run_time_is_allowed_without_a_restart);
/// An origin added to a reloadable list while the server runs is allowed by
/// the next request, without a restart; one removed is refused again.
fn an_origin_added_at_run_time_is_allowed_without_a_restart(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let tenants =
        cors_actix::OriginList::new(["https://first-tenant.example"]).expect("a valid origin list");
    let (api, _runs) = serve(policy(|b| {
        b.allow_origin_list(&tenants)
            .allow_methods(["GET", "PUT"])
            .max_age(Duration::ZERO)
    }));
    let get = FetchRequest::new(api.url(API, "/data"));
    let put = FetchRequest::new(api.url(API, "/data")).method("PUT");

    let before = browser.fetch(&app.origin(), &get);
    assert_refused(&before, Refusal::NoAllowOrigin);

    let mut origins = tenants.origins();
    origins.push(app.origin());
    tenants.replace(&origins).expect("a valid list");
    let after = browser.fetch(&app.origin(), &get);
    after.assert_ok();
    assert_eq!(after.body, "GET");
    let preflighted = browser.fetch(&app.origin(), &put);
    preflighted.assert_ok();
    assert_eq!(preflighted.body, "PUT");

    tenants
        .replace(["https://first-tenant.example"])
        .expect("a valid list");
    let removed = browser.fetch(&app.origin(), &put);
    assert_refused(&removed, Refusal::Preflight);
    assert_eq!(api.log().count("PUT", "/data"), 1);
}

in_each_engine!(any_header_policy_names_authorization);
/// `allow_any_header()` answers `*, authorization` when `Authorization` is
/// asked for: `*` alone does not cover it (the Fetch standard), and Firefox
/// warns that it will refuse it (see the harness's
/// `wildcard_allow_headers_and_authorization`).
fn any_header_policy_names_authorization(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let (api, _runs) = serve(policy(|b| {
        b.allow_origin(app.origin())
            .allow_any_header()
            .max_age(Duration::ZERO)
    }));
    let echo = FetchRequest::new(api.url(API, "/echo"))
        .header("Authorization", "Bearer t0k3n")
        .header("X-Custom", "v1");

    let result = browser.fetch(&app.origin(), &echo);
    assert_eq!(result.assert_ok().body, "v1");
    assert!(
        !result
            .console
            .iter()
            .any(|line| line.contains("Authorization")),
        "{result}"
    );
    let preflight = &api.log().matching("OPTIONS", "/echo")[0];
    assert_eq!(
        preflight.header("access-control-request-headers"),
        Some("authorization,x-custom")
    );
    assert_eq!(
        preflight.response_header("access-control-allow-headers"),
        Some("*, authorization")
    );
    let seen = &api.log().matching("GET", "/echo")[0];
    assert_eq!(seen.header("authorization"), Some("Bearer t0k3n"));
}
