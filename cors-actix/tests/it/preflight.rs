//! Preflights answered by the middleware: allowed and refused, the headers of
//! each, methods, request headers and the preflight status.
//!
//! A preflight from an allowed origin that asks for a method or a header the
//! policy refuses gets the diagnostic 200 (the origin's grant and the allowed
//! lists, so that the browser refuses it and names the cause); with
//! `diagnostic_preflights(false)`, and always for a refused origin, the 403.

use std::time::Duration;

use crate::support::*;
use actix_web::http::header;
use actix_web::http::{Method, StatusCode};
use cors_actix::Cors;

#[actix_rt::test]
async fn allowed_preflight_is_204_with_empty_body_and_default_methods() {
    let res = send(policy().build().unwrap(), preflight(APP, "POST")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(res.body.is_empty());
    assert_eq!(res.one("content-type"), None);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        ("vary", PREFLIGHT_VARY),
    ]);
    assert_eq!(res.handler_runs, 0);
}

#[actix_rt::test]
async fn allowed_preflight_carries_every_configured_header() {
    let cors = policy()
        .allow_methods(["GET", "PUT", "DELETE"])
        .allow_headers(["X-Custom-Header", "content-type"])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600))
        .build()
        .unwrap();
    let res = send(
        cors,
        preflight_with_headers(APP, "DELETE", "content-type,x-custom-header"),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(res.body.is_empty());
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_CREDENTIALS, "true"),
        (ALLOW_METHODS, "GET, PUT, DELETE"),
        (ALLOW_HEADERS, "content-type, x-custom-header"),
        (MAX_AGE, "600"),
        ("vary", PREFLIGHT_VARY),
    ]);
    assert_eq!(res.handler_runs, 0);
}

#[actix_rt::test]
async fn allow_headers_is_sent_only_when_headers_were_requested() {
    let cors = || policy().allow_headers(["x-custom-header"]).build().unwrap();
    let res = send(cors(), preflight(APP, "GET")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one(ALLOW_HEADERS), None);

    // A list with only empty elements asks for nothing.
    let res = send(cors(), preflight_with_headers(APP, "GET", " , ,")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one(ALLOW_HEADERS), None);

    let res = send(
        cors(),
        preflight_with_headers(APP, "GET", "x-custom-header"),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one(ALLOW_HEADERS), Some("x-custom-header"));
}

#[actix_rt::test]
async fn max_age_is_absent_unless_set() {
    let res = send(policy().build().unwrap(), preflight(APP, "GET")).await;
    assert_eq!(res.one(MAX_AGE), None);

    let cors = policy().max_age(Duration::from_secs(0)).build().unwrap();
    let res = send(cors, preflight(APP, "GET")).await;
    assert_eq!(res.one(MAX_AGE), Some("0"));

    let cors = policy()
        .max_age(Duration::from_secs(86_400))
        .build()
        .unwrap();
    let res = send(cors, preflight(APP, "GET")).await;
    assert_eq!(res.one(MAX_AGE), Some("86400"));
}

#[actix_rt::test]
async fn credentialed_preflight_gets_allow_credentials() {
    // The preflight of a credentialed request must carry it too, or the
    // browser fails the preflight.
    let cors = policy().allow_credentials(true).build().unwrap();
    let res = send(cors, preflight(APP, "POST")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one(ALLOW_CREDENTIALS), Some("true"));
    assert_eq!(res.one(ALLOW_ORIGIN), Some(APP));
}

#[actix_rt::test]
async fn preflight_from_disallowed_origin_is_refused_with_origin_body() {
    let cors = policy().allow_credentials(true).build().unwrap();
    let res = send(cors, preflight(EVIL, "GET")).await;
    res.assert_refused_preflight(REFUSED_ORIGIN, PREFLIGHT_VARY);
}

#[actix_rt::test]
async fn preflight_for_disallowed_method_is_refused_with_method_body() {
    let cors = || policy().allow_credentials(true);
    let res = send(cors().build().unwrap(), preflight(APP, "DELETE")).await;
    res.assert_diagnosed_preflight(
        REFUSED_METHOD,
        &[
            (ALLOW_ORIGIN, APP),
            (ALLOW_CREDENTIALS, "true"),
            (ALLOW_METHODS, "GET, HEAD, POST"),
            ("vary", PREFLIGHT_VARY),
        ],
    );

    let strict = cors().diagnostic_preflights(false).build().unwrap();
    let res = send(strict, preflight(APP, "DELETE")).await;
    res.assert_refused_preflight(REFUSED_METHOD, PREFLIGHT_VARY);
}

#[actix_rt::test]
async fn preflight_with_disallowed_header_is_refused_with_header_body() {
    let cors = || policy().allow_credentials(true);
    let req = || preflight_with_headers(APP, "GET", "x-custom-header");
    // No header name is configured: no Access-Control-Allow-Headers at all.
    let res = send(cors().build().unwrap(), req()).await;
    res.assert_diagnosed_preflight(
        REFUSED_HEADER,
        &[
            (ALLOW_ORIGIN, APP),
            (ALLOW_CREDENTIALS, "true"),
            (ALLOW_METHODS, "GET, HEAD, POST"),
            ("vary", PREFLIGHT_VARY),
        ],
    );

    let strict = cors().diagnostic_preflights(false).build().unwrap();
    let res = send(strict, req()).await;
    res.assert_refused_preflight(REFUSED_HEADER, PREFLIGHT_VARY);
}

#[actix_rt::test]
async fn one_disallowed_header_refuses_the_whole_preflight() {
    let cors = || policy().allow_headers(["x-a", "content-type"]);
    let req = || preflight_with_headers(APP, "POST", "content-type,x-a,x-b");
    let res = send(cors().build().unwrap(), req()).await;
    res.assert_diagnosed_preflight(
        REFUSED_HEADER,
        &[
            (ALLOW_ORIGIN, APP),
            (ALLOW_METHODS, "GET, HEAD, POST"),
            (ALLOW_HEADERS, "content-type, x-a"),
            ("vary", PREFLIGHT_VARY),
        ],
    );

    let strict = cors().diagnostic_preflights(false).build().unwrap();
    let res = send(strict, req()).await;
    res.assert_refused_preflight(REFUSED_HEADER, PREFLIGHT_VARY);
}

#[actix_rt::test]
async fn request_headers_are_read_in_any_case_with_spaces_and_empty_elements() {
    let cors = policy()
        .allow_headers(["content-type", "x-custom-header"])
        .build()
        .unwrap();
    let res = send(
        cors,
        preflight_with_headers(APP, "POST", " X-Custom-Header ,, ,Content-TYPE,"),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        (ALLOW_HEADERS, "content-type, x-custom-header"),
        ("vary", PREFLIGHT_VARY),
    ]);
}

#[actix_rt::test]
async fn request_headers_are_read_over_several_header_lines() {
    let cors = || {
        policy()
            .allow_headers(["content-type", "x-custom-header"])
            .build()
            .unwrap()
    };
    let two_lines = preflight(APP, "POST")
        .append_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type"))
        .append_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "x-custom-header"));
    let res = send(cors(), two_lines).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(
        res.one(ALLOW_HEADERS),
        Some("content-type, x-custom-header")
    );

    // A name not allowed on the second line refuses it all the same.
    let bad_second_line = preflight(APP, "POST")
        .append_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type"))
        .append_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "x-other"));
    let res = send(cors(), bad_second_line).await;
    res.assert_diagnosed_preflight(
        REFUSED_HEADER,
        &[
            (ALLOW_ORIGIN, APP),
            (ALLOW_METHODS, "GET, HEAD, POST"),
            (ALLOW_HEADERS, "content-type, x-custom-header"),
            ("vary", PREFLIGHT_VARY),
        ],
    );
}

#[actix_rt::test]
async fn malformed_request_header_list_is_refused() {
    for list in ["x-a x-b", "x-a;x-b", "x-a,(x-b)"] {
        let cors = policy().allow_any_header().build().unwrap();
        let res = send(cors, preflight_with_headers(APP, "GET", list)).await;
        res.assert_diagnosed_preflight(
            MALFORMED_HEADERS,
            &[
                (ALLOW_ORIGIN, APP),
                (ALLOW_METHODS, "GET, HEAD, POST"),
                ("vary", PREFLIGHT_VARY),
            ],
        );

        let strict = policy()
            .allow_any_header()
            .diagnostic_preflights(false)
            .build()
            .unwrap();
        let res = send(strict, preflight_with_headers(APP, "GET", list)).await;
        res.assert_refused_preflight(MALFORMED_HEADERS, PREFLIGHT_VARY);
    }
}

#[actix_rt::test]
async fn methods_are_compared_case_sensitively() {
    let cors = || policy().allow_methods(["PATCH"]).build().unwrap();
    let diagnosed = |methods| {
        [
            (ALLOW_ORIGIN, APP),
            (ALLOW_METHODS, methods),
            ("vary", PREFLIGHT_VARY),
        ]
    };
    let res = send(cors(), preflight(APP, "patch")).await;
    res.assert_diagnosed_preflight(REFUSED_METHOD, &diagnosed("PATCH"));

    let res = send(cors(), preflight(APP, "PATCH")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one(ALLOW_METHODS), Some("PATCH"));

    // A method configured in lower case is a different method from PATCH.
    let lower = || policy().allow_methods(["patch"]).build().unwrap();
    let res = send(lower(), preflight(APP, "PATCH")).await;
    res.assert_diagnosed_preflight(REFUSED_METHOD, &diagnosed("patch"));
    let res = send(lower(), preflight(APP, "patch")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one(ALLOW_METHODS), Some("patch"));

    // Browsers upper-case `get`, so a lower-case standard method is not GET
    // (nor safelisted).
    let res = send(policy().build().unwrap(), preflight(APP, "get")).await;
    res.assert_diagnosed_preflight(REFUSED_METHOD, &diagnosed("GET, HEAD, POST"));
    let strict = policy().diagnostic_preflights(false).build().unwrap();
    let res = send(strict, preflight(APP, "get")).await;
    res.assert_refused_preflight(REFUSED_METHOD, PREFLIGHT_VARY);
}

#[actix_rt::test]
async fn malformed_request_method_is_refused_as_method() {
    for method in [&b""[..], b"GET POST", b"GET,POST", b"G\xffT"] {
        let req = || {
            preflight(APP, "GET")
                .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, raw(method)))
        };
        let cors = policy().allow_any_method().build().unwrap();
        let res = send(cors, req()).await;
        res.assert_diagnosed_preflight(
            MALFORMED_METHOD,
            &[(ALLOW_ORIGIN, APP), ("vary", PREFLIGHT_VARY)],
        );

        let strict = policy()
            .allow_any_method()
            .diagnostic_preflights(false)
            .build()
            .unwrap();
        let res = send(strict, req()).await;
        res.assert_refused_preflight(MALFORMED_METHOD, PREFLIGHT_VARY);
    }
}

#[actix_rt::test]
async fn allow_any_method_never_allows_connect_trace_or_track() {
    for method in ["CONNECT", "TRACE", "TRACK", "trace", "Connect"] {
        let cors = policy().allow_any_method().build().unwrap();
        let res = send(cors, preflight(APP, method)).await;
        res.assert_diagnosed_preflight(
            REFUSED_METHOD,
            &[(ALLOW_ORIGIN, APP), ("vary", PREFLIGHT_VARY)],
        );

        let strict = policy()
            .allow_any_method()
            .diagnostic_preflights(false)
            .build()
            .unwrap();
        let res = send(strict, preflight(APP, method)).await;
        res.assert_refused_preflight(REFUSED_METHOD, PREFLIGHT_VARY);
    }
}

#[actix_rt::test]
async fn safelisted_methods_are_never_refused_for_their_method() {
    // GET, HEAD and POST need no preflight of their own; one asking for a
    // header is granted with the configured list, which need not name them.
    let cors = || policy().allow_methods(["DELETE"]).allow_headers(["x-a"]);
    for method in ["GET", "HEAD", "POST"] {
        let res = send(cors().build().unwrap(), preflight(APP, method)).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{method}");
        assert!(res.body.is_empty(), "{method}");
        res.assert_cors(&[
            (ALLOW_ORIGIN, APP),
            (ALLOW_METHODS, "DELETE"),
            ("vary", PREFLIGHT_VARY),
        ]);
        assert_eq!(res.handler_runs, 0);

        let res = send(
            cors().build().unwrap(),
            preflight_with_headers(APP, method, "x-a"),
        )
        .await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{method}");
        res.assert_cors(&[
            (ALLOW_ORIGIN, APP),
            (ALLOW_METHODS, "DELETE"),
            (ALLOW_HEADERS, "x-a"),
            ("vary", PREFLIGHT_VARY),
        ]);

        // Its headers are still checked.
        let res = send(
            cors().build().unwrap(),
            preflight_with_headers(APP, method, "x-a, x-b"),
        )
        .await;
        res.assert_diagnosed_preflight(
            REFUSED_HEADER,
            &[
                (ALLOW_ORIGIN, APP),
                (ALLOW_METHODS, "DELETE"),
                (ALLOW_HEADERS, "x-a"),
                ("vary", PREFLIGHT_VARY),
            ],
        );
        // And so is the origin.
        let res = send(cors().build().unwrap(), preflight(EVIL, method)).await;
        res.assert_refused_preflight(REFUSED_ORIGIN, PREFLIGHT_VARY);
        // Also with diagnostic answers off.
        let strict = cors().diagnostic_preflights(false).build().unwrap();
        let res = send(strict, preflight(APP, method)).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{method}");
        assert_eq!(res.one(ALLOW_METHODS), Some("DELETE"));
    }
    // Only the exact upper-case bytes are safelisted; other methods still
    // need to be listed.
    for method in ["get", "Head", "post", "PUT", "OPTIONS"] {
        let res = send(cors().build().unwrap(), preflight(APP, method)).await;
        res.assert_diagnosed_preflight(
            REFUSED_METHOD,
            &[
                (ALLOW_ORIGIN, APP),
                (ALLOW_METHODS, "DELETE"),
                (ALLOW_HEADERS, "x-a"),
                ("vary", PREFLIGHT_VARY),
            ],
        );
    }
}

#[actix_rt::test]
async fn diagnosed_preflight_is_never_cached_nor_grants_private_network() {
    let cors = || {
        policy()
            .allow_methods(["PUT", "GET"])
            .allow_headers(["x-b", "X-A"])
            .allow_credentials(true)
            .max_age(Duration::from_secs(600))
            .allow_private_network(true)
    };
    let asks_private_network =
        |req: actix_web::test::TestRequest| req.insert_header((REQUEST_PRIVATE_NETWORK, "true"));
    // Allowed, the same policy sends both.
    let res = send(
        cors().build().unwrap(),
        asks_private_network(preflight_with_headers(APP, "PUT", "x-a")),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_CREDENTIALS, "true"),
        (ALLOW_METHODS, "PUT, GET"),
        (ALLOW_HEADERS, "x-a, x-b"),
        (MAX_AGE, "600"),
        (ALLOW_PRIVATE_NETWORK, "true"),
        ("vary", PREFLIGHT_VARY_PN),
    ]);
    // Refused for its method or a header: neither.
    let diagnosed = [
        (ALLOW_ORIGIN, APP),
        (ALLOW_CREDENTIALS, "true"),
        (ALLOW_METHODS, "PUT, GET"),
        (ALLOW_HEADERS, "x-a, x-b"),
        ("vary", PREFLIGHT_VARY_PN),
    ];
    let res = send(
        cors().build().unwrap(),
        asks_private_network(preflight(APP, "DELETE")),
    )
    .await;
    res.assert_diagnosed_preflight(REFUSED_METHOD, &diagnosed);
    let res = send(
        cors().build().unwrap(),
        asks_private_network(preflight_with_headers(APP, "PUT", "x-c")),
    )
    .await;
    res.assert_diagnosed_preflight(REFUSED_HEADER, &diagnosed);
    // And from a refused origin, the 403 as always.
    let res = send(
        cors().build().unwrap(),
        asks_private_network(preflight(EVIL, "DELETE")),
    )
    .await;
    res.assert_refused_preflight(REFUSED_ORIGIN, PREFLIGHT_VARY_PN);
}

#[actix_rt::test]
async fn allow_any_method_answers_star_without_credentials() {
    let cors = policy().allow_any_method().build().unwrap();
    let res = send(cors, preflight(APP, "PROPFIND")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "*"),
        ("vary", PREFLIGHT_VARY),
    ]);
}

#[actix_rt::test]
async fn allow_any_method_echoes_the_method_with_credentials() {
    let cors = policy()
        .allow_any_method()
        .allow_credentials(true)
        .build()
        .unwrap();
    let res = send(cors, preflight(APP, "PATCH")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_CREDENTIALS, "true"),
        (ALLOW_METHODS, "PATCH"),
        ("vary", PREFLIGHT_VARY),
    ]);
}

#[actix_rt::test]
async fn allow_any_header_answers_star_without_credentials() {
    let cors = policy().allow_any_header().build().unwrap();
    let res = send(
        cors,
        preflight_with_headers(APP, "GET", "content-type,x-custom-header"),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        (ALLOW_HEADERS, "*"),
        ("vary", PREFLIGHT_VARY),
    ]);
}

#[actix_rt::test]
async fn allow_any_header_names_authorization_beside_star() {
    for requested in [
        "authorization",
        "Authorization,x-custom-header",
        "content-type, AUTHORIZATION",
    ] {
        let cors = policy().allow_any_header().build().unwrap();
        let res = send(cors, preflight_with_headers(APP, "GET", requested)).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{requested}");
        assert_eq!(
            res.one(ALLOW_HEADERS),
            Some("*, authorization"),
            "{requested}"
        );
    }
}

#[actix_rt::test]
async fn allow_any_header_echoes_the_requested_list_with_credentials() {
    let cors = || {
        policy()
            .allow_any_header()
            .allow_credentials(true)
            .build()
            .unwrap()
    };
    let res = send(
        cors(),
        preflight_with_headers(APP, "GET", "authorization,x-custom-header"),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_CREDENTIALS, "true"),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        (ALLOW_HEADERS, "authorization,x-custom-header"),
        ("vary", PREFLIGHT_VARY),
    ]);

    // Several lines are answered with every requested name, never `*`.
    let two_lines = preflight(APP, "GET")
        .append_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization"))
        .append_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "X-Custom-Header"));
    let res = send(cors(), two_lines).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(
        res.one(ALLOW_HEADERS),
        Some("authorization,x-custom-header")
    );
}

#[actix_rt::test]
async fn preflight_status_200_is_used_for_allowed_preflights_only() {
    let cors = || policy().preflight_status(StatusCode::OK).build().unwrap();
    let res = send(cors(), preflight(APP, "GET")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.is_empty());
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        ("vary", PREFLIGHT_VARY),
    ]);
    assert_eq!(res.handler_runs, 0);

    let res = send(cors(), preflight(EVIL, "GET")).await;
    res.assert_refused_preflight(REFUSED_ORIGIN, PREFLIGHT_VARY);

    // A diagnosed preflight is a 200 too, with the refusal as its body.
    let res = send(cors(), preflight(APP, "PUT")).await;
    res.assert_diagnosed_preflight(
        REFUSED_METHOD,
        &[
            (ALLOW_ORIGIN, APP),
            (ALLOW_METHODS, "GET, HEAD, POST"),
            ("vary", PREFLIGHT_VARY),
        ],
    );
}

#[actix_rt::test]
async fn options_without_request_method_is_an_actual_request() {
    let cors = policy()
        .allow_methods(["GET", "PUT"])
        .expose_headers(["x-request-id"])
        .max_age(Duration::from_secs(60))
        .build()
        .unwrap();
    let res = send(cors, actual(Method::OPTIONS, APP)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body_str(), "handler");
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (EXPOSE_HEADERS, "x-request-id"),
        ("vary", "Origin"),
    ]);
}

#[actix_rt::test]
async fn preflight_never_gets_expose_headers() {
    let cors = policy().expose_headers(["x-request-id"]).build().unwrap();
    let res = send(cors, preflight(APP, "GET")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one(EXPOSE_HEADERS), None);
}

#[actix_rt::test]
async fn preflight_is_answered_for_any_path() {
    // The middleware answers before routing: the path need not exist.
    let hits = Hits::default();
    let app =
        actix_web::test::init_service(actix_web::App::new().wrap(policy().build().unwrap()).route(
            "/exists",
            actix_web::web::get().to(ok_handler(hits.clone())),
        ))
        .await;
    let req = preflight(APP, "GET").uri("/nowhere").to_request();
    let res = Resp::read(actix_web::test::call_service(&app, req).await).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one(ALLOW_ORIGIN), Some(APP));
    assert_eq!(hits.count(), 0);
}

#[actix_rt::test]
async fn permissive_preflight_is_star_everywhere_without_credentials() {
    let res = send(
        Cors::permissive(),
        preflight_with_headers(APP, "PUT", "x-custom-header"),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, "*"),
        (ALLOW_METHODS, "*"),
        (ALLOW_HEADERS, "*"),
        ("vary", PREFLIGHT_VARY),
    ]);
}
