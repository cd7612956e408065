//! Smoke tests of the harness itself: with hand-written CORS headers on a
//! plain actix-web server (no cors-actix), the harness must tell what each
//! browser allows from what it blocks, and count what reached the server.

use std::time::Duration;

use actix_web::dev::Service;
use actix_web::http::Method;
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, App, HttpRequest, HttpResponse};
use cors_e2e::{
    Browser, CacheMode, Credentials, Engine, FetchRequest, PageServer, TestServer, API, APP, EVIL,
    LOCALHOST, LOOPBACK,
};

use crate::support::{
    assert_cached, assert_refused, in_each_engine, sent_until_cached, Refusal, FIREFOX_TRIES,
};

/// The origin the server lets read its answers.
#[derive(Clone)]
struct Allowed(String);

/// A server whose routes only answer CORS to `allowed` (by hand).
fn api(allowed: String) -> TestServer {
    TestServer::start(move || {
        App::new()
            .app_data(web::Data::new(Allowed(allowed.clone())))
            // Readable by the allowed origin.
            .route(
                "/allowed",
                web::get().to(|a: web::Data<Allowed>| async move {
                    HttpResponse::Ok()
                        .insert_header(("Access-Control-Allow-Origin", a.0.as_str()))
                        .body("hello")
                }),
            )
            // No CORS headers at all.
            .route(
                "/plain",
                web::get().to(|| async { HttpResponse::Ok().body("secret") }),
            )
            // The actual DELETE would be readable, but OPTIONS has no answer
            // (405 without CORS headers).
            .route(
                "/no-preflight",
                web::delete().to(|a: web::Data<Allowed>| async move {
                    HttpResponse::Ok()
                        .insert_header(("Access-Control-Allow-Origin", a.0.as_str()))
                        .body("deleted")
                }),
            )
            // PUT with X-Token, preflight answered; Max-Age from the query.
            .route("/put", web::method(Method::OPTIONS).to(preflight))
            .route("/put", web::put().to(put))
            .route("/put-cached", web::method(Method::OPTIONS).to(preflight))
            .route("/put-cached", web::put().to(put))
            .route("/auth", web::method(Method::OPTIONS).to(auth_preflight))
            .route("/auth", web::get().to(auth))
            .route(
                "/headers",
                web::get().to(|a: web::Data<Allowed>| async move {
                    HttpResponse::Ok()
                        .insert_header(("Access-Control-Allow-Origin", a.0.as_str()))
                        .insert_header(("Access-Control-Expose-Headers", "X-Exposed"))
                        .insert_header(("X-Exposed", "shown"))
                        .insert_header(("X-Hidden", "kept"))
                        .content_type("text/plain")
                        .body("headers")
                }),
            )
            .route(
                "/slow",
                web::get().to(|| async {
                    actix_web::rt::time::sleep(Duration::from_secs(20)).await;
                    HttpResponse::Ok().body("late")
                }),
            )
    })
}

/// Preflight answer for `/auth*`: allows the origin and GET, and the request
/// headers `?allow=...` lists (`*` for the wildcard).
async fn auth_preflight(req: HttpRequest, a: web::Data<Allowed>) -> HttpResponse {
    let allow = req
        .query_string()
        .strip_prefix("allow=")
        .unwrap_or("")
        .replace("%20", " ");
    HttpResponse::NoContent()
        .insert_header(("Access-Control-Allow-Origin", a.0.as_str()))
        .insert_header(("Access-Control-Allow-Methods", "GET"))
        .insert_header(("Access-Control-Allow-Headers", allow))
        .insert_header(("Access-Control-Max-Age", "0"))
        .finish()
}

/// Echoes `Authorization`.
async fn auth(req: HttpRequest, a: web::Data<Allowed>) -> HttpResponse {
    let token = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    HttpResponse::Ok()
        .insert_header(("Access-Control-Allow-Origin", a.0.as_str()))
        .body(token)
}

/// Preflight answer for `/put*`: allows the origin, PUT and `X-Token`;
/// `Access-Control-Max-Age` is `?max_age=N` when given.
async fn preflight(req: HttpRequest, a: web::Data<Allowed>) -> HttpResponse {
    let mut res = HttpResponse::NoContent();
    res.insert_header(("Access-Control-Allow-Origin", a.0.as_str()))
        .insert_header(("Access-Control-Allow-Methods", "PUT"))
        .insert_header(("Access-Control-Allow-Headers", "X-Token"));
    if let Some(age) = req.query_string().strip_prefix("max_age=") {
        res.insert_header(("Access-Control-Max-Age", age));
    }
    res.finish()
}

/// Echoes `X-Token` and the body.
async fn put(req: HttpRequest, body: String, a: web::Data<Allowed>) -> HttpResponse {
    let token = req
        .headers()
        .get("x-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    HttpResponse::Ok()
        .insert_header(("Access-Control-Allow-Origin", a.0.as_str()))
        .body(format!("{token} {body}"))
}

in_each_engine!(get_with_matching_allow_origin_is_readable);
fn get_with_matching_allow_origin_is_readable(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let page = PageServer::start(APP);
    let api = api(page.origin());

    let result = browser.fetch(&page.origin(), &FetchRequest::new(api.url(API, "/allowed")));
    result.assert_ok();
    assert_eq!(result.status, 200);
    assert_eq!(result.response_type, "cors");
    assert_eq!(result.body, "hello");
    assert_eq!(result.cors_error(), None);

    let seen = api.log().matching("GET", "/allowed");
    assert_eq!(seen.len(), 1, "{seen:?}");
    // `app.test` and `api.test` reached 127.0.0.1 through the resolver rules.
    assert_eq!(seen[0].header("origin"), Some(page.origin().as_str()));
    assert_eq!(
        seen[0].header("host"),
        Some(format!("{API}:{}", api.port()).as_str())
    );
}

in_each_engine!(get_without_allow_origin_is_blocked_but_reaches_the_server);
fn get_without_allow_origin_is_blocked_but_reaches_the_server(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let page = PageServer::start(APP);
    let api = api(page.origin());

    let result = browser.fetch(&page.origin(), &FetchRequest::new(api.url(API, "/plain")));
    result.assert_blocked();
    assert_eq!(result.error.as_deref(), Some(engine.failed_fetch()));
    assert_eq!(result.body, "");
    assert_refused(&result, Refusal::NoAllowOrigin);
    // A simple request is sent; only reading the answer is refused.
    assert_eq!(api.count("GET", "/plain"), 1);
    assert_eq!(api.log().matching("GET", "/plain")[0].status, Some(200));
}

in_each_engine!(get_from_another_origin_is_blocked);
fn get_from_another_origin_is_blocked(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let app = PageServer::start(APP);
    let evil = PageServer::start(EVIL);
    let api = api(app.origin());

    let result = browser.fetch(&evil.origin(), &FetchRequest::new(api.url(API, "/allowed")));
    let reason = assert_refused(&result, Refusal::OtherOrigin);
    // Both name the origin the answer allows.
    assert!(reason.contains(&app.origin()), "{reason}");
    let seen = api.log().matching("GET", "/allowed");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].header("origin"), Some(evil.origin().as_str()));
}

in_each_engine!(delete_without_a_preflight_answer_never_reaches_the_server);
fn delete_without_a_preflight_answer_never_reaches_the_server(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let page = PageServer::start(APP);
    let api = api(page.origin());

    let result = browser.fetch(
        &page.origin(),
        &FetchRequest::new(api.url(API, "/no-preflight")).method("DELETE"),
    );
    result.assert_blocked();
    assert_eq!(api.preflights("/no-preflight"), 1);
    let preflight = &api.log().matching("OPTIONS", "/no-preflight")[0];
    assert_eq!(
        preflight.header("access-control-request-method"),
        Some("DELETE")
    );
    assert_eq!(api.count("DELETE", "/no-preflight"), 0);
}

in_each_engine!(preflighted_put_answered_correctly_is_allowed);
fn preflighted_put_answered_correctly_is_allowed(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let page = PageServer::start(APP);
    let api = api(page.origin());

    let result = browser.fetch(
        &page.origin(),
        &FetchRequest::new(api.url(API, "/put?max_age=0"))
            .method("PUT")
            .header("X-Token", "t0k3n")
            .body("payload"),
    );
    result.assert_ok();
    assert_eq!(result.status, 200);
    assert_eq!(result.body, "t0k3n payload");

    assert_eq!(api.preflights("/put"), 1);
    let preflight = &api.log().matching("OPTIONS", "/put")[0];
    assert_eq!(
        preflight.header("access-control-request-method"),
        Some("PUT")
    );
    assert_eq!(
        preflight.header("access-control-request-headers"),
        Some("x-token")
    );
    assert_eq!(preflight.header("x-token"), None);
    assert_eq!(preflight.status, Some(204));
    assert_eq!(api.count("PUT", "/put"), 1);
}

in_each_engine!(exposed_header_is_readable_and_unexposed_one_is_not);
fn exposed_header_is_readable_and_unexposed_one_is_not(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let page = PageServer::start(APP);
    let api = api(page.origin());

    let result = browser.fetch(
        &page.origin(),
        &FetchRequest::new(api.url(API, "/headers"))
            .read_header("X-Exposed")
            .read_header("X-Hidden")
            .read_header("Content-Type"),
    );
    result.assert_ok();
    assert_eq!(result.get("x-exposed"), Some("shown"));
    assert_eq!(result.get("x-hidden"), None);
    assert_eq!(result.get("content-type"), Some("text/plain"));
    assert_eq!(result.header("X-Exposed"), Some("shown"));
    assert!(
        !result.header_names().contains(&"x-hidden"),
        "{:?}",
        result.headers
    );
    // The server did send it: the browser hid it.
    let seen = &api.log().matching("GET", "/headers")[0];
    assert_eq!(seen.response_header("x-hidden"), Some("kept"));

    // The same through the one-header helper.
    assert_eq!(
        browser.fetch_header(
            &page.origin(),
            &FetchRequest::new(api.url(API, "/headers")),
            "x-exposed"
        ),
        Some("shown".to_owned())
    );
}

in_each_engine!(preflight_is_cached_within_max_age);
fn preflight_is_cached_within_max_age(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let page = PageServer::start(APP);
    let api = api(page.origin());
    let put = |path: &str, cache: Option<CacheMode>| {
        let mut request = FetchRequest::new(api.url(API, path))
            .method("PUT")
            .header("X-Token", "1");
        if let Some(cache) = cache {
            request = request.cache(cache);
        }
        request
    };

    // Max-Age 60: a later PUT reuses the first preflight (see assert_cached
    // for when).
    let cached = put("/put-cached?max_age=60", None);
    let sent = sent_until_cached(
        &browser,
        &page.origin(),
        &cached,
        &api,
        "/put-cached",
        FIREFOX_TRIES,
    );
    assert_cached(engine, sent);
    let preflights = api.preflights("/put-cached");
    assert_eq!(api.count("PUT", "/put-cached"), sent.unwrap_or_default());

    // Max-Age 0: every PUT is preflighted (in Firefox too, now that it uses
    // cached answers on this page).
    for _ in 0..3 {
        browser
            .fetch(&page.origin(), &put("/put?max_age=0", None))
            .assert_ok();
    }
    assert_eq!(api.preflights("/put"), 3);
    assert_eq!(api.count("PUT", "/put"), 3);

    // `cache: 'no-store'` bypasses the preflight cache; the entry stays.
    let no_store = put("/put-cached?max_age=60", Some(CacheMode::NoStore));
    browser.fetch(&page.origin(), &no_store).assert_ok();
    assert_eq!(api.preflights("/put-cached"), preflights + 1);
    browser.fetch(&page.origin(), &cached).assert_ok();
    assert_eq!(api.preflights("/put-cached"), preflights + 1);
}

/// Cookie routes: `/login` sets `sid`, `/whoami` echoes the `Cookie` header;
/// both allow `origin` with credentials. `/whoami-no-credentials` allows the
/// origin but not credentials.
fn cookie_api(allowed: String) -> TestServer {
    fn cookie_of(req: &HttpRequest) -> String {
        req.headers()
            .get("cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }
    TestServer::start(move || {
        App::new()
            .app_data(web::Data::new(Allowed(allowed.clone())))
            .route(
                "/login",
                web::get().to(|a: web::Data<Allowed>| async move {
                    HttpResponse::Ok()
                        .insert_header(("Access-Control-Allow-Origin", a.0.as_str()))
                        .insert_header(("Access-Control-Allow-Credentials", "true"))
                        .insert_header(("Set-Cookie", "sid=s3cret; Path=/; SameSite=Lax"))
                        .body("logged in")
                }),
            )
            .route(
                "/whoami",
                web::get().to(|req: HttpRequest, a: web::Data<Allowed>| async move {
                    HttpResponse::Ok()
                        .insert_header(("Access-Control-Allow-Origin", a.0.as_str()))
                        .insert_header(("Access-Control-Allow-Credentials", "true"))
                        .body(cookie_of(&req))
                }),
            )
            .route(
                "/whoami-no-credentials",
                web::get().to(|req: HttpRequest, a: web::Data<Allowed>| async move {
                    HttpResponse::Ok()
                        .insert_header(("Access-Control-Allow-Origin", a.0.as_str()))
                        .body(cookie_of(&req))
                }),
            )
    })
}

in_each_engine!(credentialed_fetch_carries_cookies_between_same_site_origins);
fn credentialed_fetch_carries_cookies_between_same_site_origins(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    // 127.0.0.1:P calling 127.0.0.1:Q: cross-origin, same site.
    let page = PageServer::start(LOOPBACK);
    let api = cookie_api(page.origin());
    let include =
        |path: &str| FetchRequest::new(api.url(LOOPBACK, path)).credentials(Credentials::Include);

    let login = browser.fetch(&page.origin(), &include("/login"));
    login.assert_ok();
    assert_eq!(login.header("set-cookie"), None, "never readable");

    let me = browser.fetch(&page.origin(), &include("/whoami"));
    me.assert_ok();
    assert_eq!(me.body, "sid=s3cret");

    // Without `credentials: 'include'` no cookie is sent cross-origin.
    let anonymous = browser.fetch(
        &page.origin(),
        &FetchRequest::new(api.url(LOOPBACK, "/whoami")),
    );
    anonymous.assert_ok();
    assert_eq!(anonymous.body, "");
    let seen = api.log().matching("GET", "/whoami");
    assert_eq!(seen[0].header("cookie"), Some("sid=s3cret"));
    assert_eq!(seen[1].header("cookie"), None);

    // No `Access-Control-Allow-Credentials`: the cookie is sent, the answer
    // is not readable.
    let refused = browser.fetch(&page.origin(), &include("/whoami-no-credentials"));
    assert_refused(&refused, Refusal::Credentials);
    let seen = api.log().matching("GET", "/whoami-no-credentials");
    assert_eq!(seen[0].header("cookie"), Some("sid=s3cret"));
}

in_each_engine!(cross_site_fetch_sends_no_cookie);
fn cross_site_fetch_sends_no_cookie(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    // localhost:P calling 127.0.0.1:Q is cross-site: a third-party cookie.
    let cross_site = PageServer::start(LOCALHOST);
    let same_site = PageServer::start(LOOPBACK);
    let api = cookie_api(cross_site.origin());

    // First-party visit sets the cookie on 127.0.0.1.
    browser.navigate(&api.url(LOOPBACK, "/login"));

    let whoami = FetchRequest::new(api.url(LOOPBACK, "/whoami")).credentials(Credentials::Include);
    let result = browser.fetch(&cross_site.origin(), &whoami);
    result.assert_ok();
    assert_eq!(result.body, "", "a third-party cookie was sent");

    // Control: the cookie exists and a same-site page would send it (the
    // answer is not readable there: it allows only the localhost origin).
    browser.fetch(&same_site.origin(), &whoami).assert_blocked();
    let seen = api.log().matching("GET", "/whoami");
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].header("cookie"), None);
    assert_eq!(seen[1].header("cookie"), Some("sid=s3cret"));
}

in_each_engine!(a_server_that_never_answers_fails_the_fetch_instead_of_hanging);
fn a_server_that_never_answers_fails_the_fetch_instead_of_hanging(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let page = PageServer::start(APP);
    let api = api(page.origin());

    let result = browser.fetch(
        &page.origin(),
        &FetchRequest::new(api.url(API, "/slow")).timeout(Duration::from_millis(500)),
    );
    assert!(!result.ok);
    assert!(!result.is_blocked(), "{result}");
    assert!(
        result
            .error
            .as_deref()
            .unwrap_or("")
            .starts_with("AbortError"),
        "{result}"
    );
}

in_each_engine!(a_forbidden_method_throws_before_anything_is_sent);
fn a_forbidden_method_throws_before_anything_is_sent(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let page = PageServer::start(APP);
    let api = api(page.origin());

    let result = browser.fetch(
        &page.origin(),
        &FetchRequest::new(api.url(API, "/allowed")).method("TRACE"),
    );
    assert!(!result.ok);
    assert!(!result.is_blocked(), "not a network error: {result}");
    assert!(
        result
            .error
            .as_deref()
            .unwrap_or("")
            .starts_with("TypeError"),
        "{result}"
    );
    assert!(api.log().all().is_empty(), "{:?}", api.log().all());
}

in_each_engine!(each_holder_starts_without_cookies_or_cached_preflights);
fn each_holder_starts_without_cookies_or_cached_preflights(engine: Engine) {
    let page = PageServer::start(LOOPBACK);
    let api = api(page.origin());
    let cookies = cookie_api(page.origin());
    let put = FetchRequest::new(api.url(LOOPBACK, "/put-cached?max_age=600"))
        .method("PUT")
        .header("X-Token", "1");
    let whoami =
        FetchRequest::new(cookies.url(LOOPBACK, "/whoami")).credentials(Credentials::Include);

    // Warms up Firefox's preflight cache on the page (see assert_cached) with
    // another URL, so that a preflight for `put` would be cached.
    let warm_up = |browser: &Browser| {
        let other = FetchRequest::new(api.url(LOOPBACK, "/put?max_age=600"))
            .method("PUT")
            .header("X-Token", "1");
        let sent = sent_until_cached(browser, &page.origin(), &other, &api, "/put", FIREFOX_TRIES);
        assert_cached(engine, sent);
    };

    {
        let Some(browser) = Browser::launch(engine) else {
            return;
        };
        warm_up(&browser);
        let sent = sent_until_cached(&browser, &page.origin(), &put, &api, "/put-cached", 2);
        assert_eq!(sent, Some(2), "{engine} reuses the answer once warm");
        browser.navigate(&cookies.url(LOOPBACK, "/login"));
        let me = browser.fetch(&page.origin(), &whoami);
        assert_eq!(me.assert_ok().body, "sid=s3cret");
    }
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    warm_up(&browser);
    browser.fetch(&page.origin(), &put).assert_ok();
    assert_eq!(
        api.preflights("/put-cached"),
        2,
        "the preflight cache was kept"
    );
    let me = browser.fetch(&page.origin(), &whoami);
    assert_eq!(me.assert_ok().body, "", "the cookie was kept");
}

in_each_engine!(answers_from_middleware_are_recorded_too);
fn answers_from_middleware_are_recorded_too(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let page = PageServer::start(APP);
    let origin = page.origin();
    // Like a CORS middleware: preflights are answered before any route (there
    // is no OPTIONS route), and an outer middleware adds the allowed origin.
    let api = TestServer::start(move || {
        App::new()
            .route(
                "/put",
                web::put().to(|| async { HttpResponse::Ok().body("put") }),
            )
            .wrap_fn(|req, service| {
                let call = if req.method() == Method::OPTIONS {
                    Err(req)
                } else {
                    Ok(service.call(req))
                };
                async move {
                    match call {
                        Err(req) => Ok(req.into_response(
                            HttpResponse::NoContent()
                                .insert_header(("Access-Control-Allow-Methods", "PUT"))
                                .finish(),
                        )),
                        Ok(answer) => answer.await.map(|res| res.map_into_boxed_body()),
                    }
                }
            })
            .wrap(DefaultHeaders::new().add(("Access-Control-Allow-Origin", origin.clone())))
    });

    let result = browser.fetch(
        &page.origin(),
        &FetchRequest::new(api.url(API, "/put")).method("PUT"),
    );
    result.assert_ok();
    assert_eq!(result.body, "put");
    let preflight = &api.log().matching("OPTIONS", "/put")[0];
    assert_eq!(preflight.status, Some(204));
    assert_eq!(
        preflight.response_header("access-control-allow-origin"),
        Some(page.origin().as_str())
    );
    assert_eq!(api.preflights("/put"), 1);
    assert_eq!(api.count("PUT", "/put"), 1);
}

in_each_engine!(wildcard_allow_headers_and_authorization);
fn wildcard_allow_headers_and_authorization(engine: Engine) {
    let Some(browser) = Browser::launch(engine) else {
        return;
    };
    let page = PageServer::start(APP);
    let api = api(page.origin());
    let get = |allow: &str| {
        let request = FetchRequest::new(api.url(API, &format!("/auth?allow={allow}")))
            .header("Authorization", "Bearer t0k3n")
            .header("X-Token", "1");
        browser.fetch(&page.origin(), &request)
    };

    // Named, Authorization is allowed in both.
    let named = get("*,%20authorization");
    assert_eq!(named.assert_ok().body, "Bearer t0k3n");

    // The wildcard alone: the Fetch standard says `*` does not cover
    // Authorization, but neither engine enforces it yet (which is why
    // cors-actix's allow_any_header() lists authorization by name).
    let wildcard = get("*");
    assert_eq!(wildcard.assert_ok().body, "Bearer t0k3n");
    match engine {
        Engine::Chromium => assert_eq!(wildcard.console, Vec::<String>::new()),
        // Firefox warns that it will refuse it.
        Engine::Firefox => assert!(
            wildcard.console.iter().any(|line| line.contains(
                "When the `Access-Control-Allow-Headers` is `*`, the `Authorization` header \
                 is not covered."
            )),
            "{wildcard}"
        ),
    }
    let preflights = api.log().matching("OPTIONS", "/auth");
    assert_eq!(preflights.len(), 2, "{preflights:?}");
    assert_eq!(
        preflights[1].header("access-control-request-headers"),
        Some("authorization,x-token")
    );
    assert_eq!(
        preflights[1].response_header("access-control-allow-headers"),
        Some("*")
    );
}
