//! `CorsConfig` (feature `serde`): deserialised with unknown keys refused, and
//! turned into a `Cors` through the builder's validation.

use crate::support::*;
use actix_web::http::StatusCode;
use cors_actix::{Cors, CorsConfig, CorsConfigError};

fn config(json: &str) -> CorsConfig {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn build(json: &str) -> Result<Cors, CorsConfigError> {
    Cors::try_from(config(json))
}

#[actix_rt::test]
async fn config_builds_the_same_policy_as_the_builder() {
    let cors = build(
        r#"{
            "allow_origins": ["https://app.example.com", "https://*.example.org"],
            "allow_methods": ["GET", "PUT"],
            "allow_headers": ["Content-Type", "x-custom-header"],
            "expose_headers": ["x-request-id"],
            "allow_credentials": true,
            "max_age": 600,
            "allow_private_network": true,
            "preflight_status": 200
        }"#,
    )
    .unwrap();
    let req = preflight_with_headers(APP, "PUT", "x-custom-header,content-type")
        .insert_header((REQUEST_PRIVATE_NETWORK, "true"));
    let res = send(cors.clone(), req).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_CREDENTIALS, "true"),
        (ALLOW_METHODS, "GET, PUT"),
        (ALLOW_HEADERS, "content-type, x-custom-header"),
        (MAX_AGE, "600"),
        (ALLOW_PRIVATE_NETWORK, "true"),
        ("vary", PREFLIGHT_VARY_PN),
    ]);

    let res = send(cors.clone(), get("https://a.example.org")).await;
    res.assert_cors(&[
        (ALLOW_ORIGIN, "https://a.example.org"),
        (ALLOW_CREDENTIALS, "true"),
        (EXPOSE_HEADERS, "x-request-id"),
        ("vary", "Origin"),
    ]);

    let res = send(cors, preflight(EVIL, "PUT")).await;
    res.assert_refused_preflight(REFUSED_ORIGIN, PREFLIGHT_VARY_PN);
}

#[actix_rt::test]
async fn config_defaults_match_the_builder_defaults() {
    let cors = build(r#"{ "allow_origins": ["https://app.example.com"] }"#).unwrap();
    let res = send(cors.clone(), preflight(APP, "POST")).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_cors(&[
        (ALLOW_ORIGIN, APP),
        (ALLOW_METHODS, "GET, HEAD, POST"),
        ("vary", PREFLIGHT_VARY),
    ]);
    let res = send(cors, get(EVIL)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.handler_runs, 1);
    res.assert_cors(&[("vary", "Origin")]);
    assert_eq!(config("{}"), CorsConfig::default());
}

#[actix_rt::test]
async fn config_switches_map_to_the_builder_switches() {
    let cors = build(
        r#"{
            "allow_any_origin": true,
            "allow_any_method": true,
            "allow_any_header": true,
            "expose_any_header": true
        }"#,
    )
    .unwrap();
    let res = send(cors.clone(), preflight_with_headers(APP, "PATCH", "x-a")).await;
    res.assert_cors(&[
        (ALLOW_ORIGIN, "*"),
        (ALLOW_METHODS, "*"),
        (ALLOW_HEADERS, "*"),
        ("vary", PREFLIGHT_VARY),
    ]);
    let res = send(cors, no_origin()).await;
    res.assert_cors(&[(ALLOW_ORIGIN, "*"), (EXPOSE_HEADERS, "*")]);

    let blocking =
        build(r#"{ "allow_origins": ["https://app.example.com"], "block_disallowed": true }"#)
            .unwrap();
    let res = send(blocking, get(EVIL)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.body_str(), BLOCKED);
    assert_eq!(res.handler_runs, 0);

    let passthrough =
        build(r#"{ "allow_origins": ["https://app.example.com"], "preflight_passthrough": true }"#)
            .unwrap();
    let res = send(passthrough, preflight(APP, "GET")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.handler_runs, 1);

    // A refused method from an allowed origin: the diagnostic 200 unless
    // the configuration turns it off.
    for (config, status) in [
        (
            r#"{ "allow_origins": ["https://app.example.com"] }"#,
            StatusCode::OK,
        ),
        (
            r#"{ "allow_origins": ["https://app.example.com"], "diagnostic_preflights": false }"#,
            StatusCode::FORBIDDEN,
        ),
    ] {
        let res = send(build(config).unwrap(), preflight(APP, "PUT")).await;
        assert_eq!(res.status, status, "{config}");
    }
}

#[actix_rt::test]
async fn config_regexes_are_anchored_and_checked() {
    let cors = build(r#"{ "allow_origin_regex": ["https://pr-[0-9]+\\.example\\.com"] }"#).unwrap();
    let res = send(cors.clone(), get("https://pr-1.example.com")).await;
    assert_eq!(res.one(ALLOW_ORIGIN), Some("https://pr-1.example.com"));
    let res = send(cors, get("https://pr-1.example.com.evil.net")).await;
    res.assert_cors(&[("vary", "Origin")]);

    let err =
        build(r#"{ "allow_origin_regex": ["https://pr-[0-9]+.example\\.com"] }"#).unwrap_err();
    assert!(
        matches!(&err, CorsConfigError::Regex(m) if m.contains("unescaped '.'")),
        "{err:?}"
    );
}

#[test]
fn unknown_keys_are_refused() {
    for (json, key) in [
        (
            r#"{ "allow_origin": ["https://app.example.com"] }"#,
            "allow_origin",
        ),
        (
            r#"{ "allow_origins": [], "alow_credentials": true }"#,
            "alow_credentials",
        ),
        (r#"{ "maxAge": 600 }"#, "maxAge"),
    ] {
        let err = serde_json::from_str::<CorsConfig>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains(&format!("unknown field `{key}`")), "{err}");
    }
}

#[test]
fn wrongly_typed_values_are_refused() {
    for json in [
        r#"{ "allow_origins": "https://app.example.com" }"#,
        r#"{ "max_age": -1 }"#,
        r#"{ "max_age": "600" }"#,
        r#"{ "allow_credentials": "true" }"#,
        r#"{ "preflight_status": 70000 }"#,
    ] {
        assert!(serde_json::from_str::<CorsConfig>(json).is_err(), "{json}");
    }
}

#[test]
fn config_goes_through_the_same_validation_as_the_builder() {
    type Check = fn(&CorsConfigError) -> bool;
    let cases: [(&str, Check); 10] = [
        (
            r#"{}"#,
            |e| matches!(e, CorsConfigError::Conflict(m) if m.contains("no origin")),
        ),
        (
            r#"{ "allow_origins": ["https://a.com/"] }"#,
            |e| matches!(e, CorsConfigError::Origin(m) if m.contains("did you mean \"https://a.com\"?")),
        ),
        (
            r#"{ "allow_origins": ["https://*.co.uk"] }"#,
            |e| matches!(e, CorsConfigError::Origin(m) if m.contains("public suffix")),
        ),
        (
            r#"{ "allow_any_origin": true, "allow_credentials": true }"#,
            |e| matches!(e, CorsConfigError::Conflict(m) if m.contains("credentials")),
        ),
        (
            r#"{ "allow_origins": ["*"], "allow_private_network": true }"#,
            |e| matches!(e, CorsConfigError::Conflict(m) if m.contains("private network")),
        ),
        (
            r#"{ "allow_origins": ["https://a.com"], "allow_methods": ["GET", "TRACE"] }"#,
            |e| matches!(e, CorsConfigError::Method(m) if m.contains("\"TRACE\"")),
        ),
        (
            r#"{ "allow_origins": ["https://a.com"], "allow_headers": ["x custom"] }"#,
            |e| matches!(e, CorsConfigError::Header(m) if m.contains("\"x custom\"")),
        ),
        (
            r#"{ "allow_origins": ["https://a.com"], "max_age": 86401 }"#,
            |e| matches!(e, CorsConfigError::MaxAge(m) if m.contains("86401")),
        ),
        (
            r#"{ "allow_origins": ["https://a.com"], "preflight_status": 404 }"#,
            |e| matches!(e, CorsConfigError::PreflightStatus(m) if m.contains("404")),
        ),
        (
            r#"{ "allow_origins": ["https://a.com"], "preflight_status": 1000 }"#,
            |e| matches!(e, CorsConfigError::PreflightStatus(m) if m.contains("1000")),
        ),
    ];
    for (json, expected) in cases {
        let err = build(json).expect_err(json);
        assert!(expected(&err), "{json}: {err:?}");
    }
    build(r#"{ "allow_origins": ["https://a.com"], "max_age": 86400 }"#).unwrap();
}

#[actix_rt::test]
async fn environment_variables_give_a_config() {
    let vars = [
        (
            "CORS_ALLOW_ORIGINS",
            " https://app.example.com ,https://*.example.net,",
        ),
        ("CORS_ALLOW_METHODS", "GET,DELETE"),
        ("CORS_ALLOW_HEADERS", "content-type, x-token"),
        ("CORS_EXPOSE_HEADERS", "x-request-id"),
        ("CORS_ALLOW_CREDENTIALS", "TRUE"),
        ("CORS_MAX_AGE", "600"),
        ("CORS_BLOCK_DISALLOWED", "0"),
        ("CORS_DIAGNOSTIC_PREFLIGHTS", "false"),
        (
            "CORS_ALLOW_ORIGIN_REGEX",
            r"https://pr-[0-9]{1,4}\.example\.org",
        ),
        // Another program's variable, and one that is not ours: not read.
        ("CORS_PROXY_URL", "http://proxy:3128"),
        ("OTHER_MAX_AGE", "nonsense"),
    ];
    let config = CorsConfig::from_vars("CORS_", vars).unwrap();
    assert_eq!(
        config.allow_origins,
        ["https://app.example.com", "https://*.example.net"]
    );
    assert_eq!(
        config.allow_methods.as_deref(),
        Some(&["GET".to_owned(), "DELETE".to_owned()][..])
    );
    assert_eq!(config.allow_headers, ["content-type", "x-token"]);
    assert_eq!(config.expose_headers, ["x-request-id"]);
    assert!(config.allow_credentials);
    assert_eq!(config.max_age, Some(600));
    assert!(!config.block_disallowed);
    assert_eq!(config.diagnostic_preflights, Some(false));
    assert_eq!(
        config.allow_origin_regex,
        [r"https://pr-[0-9]{1,4}\.example\.org"]
    );
    let cors = Cors::try_from(config).unwrap();
    let res = send(cors.clone(), get("https://shop.example.net")).await;
    assert_eq!(res.one(ALLOW_CREDENTIALS), Some("true"));
    let res = send(cors, get("https://pr-12.example.org")).await;
    assert_eq!(res.one(ALLOW_ORIGIN), Some("https://pr-12.example.org"));
}

#[test]
fn environment_errors_name_the_variable_and_the_problem() {
    for (name, value, problem) in [
        ("CORS_ALLOW_CREDENTIALS", "yes", "is not a boolean"),
        ("CORS_MAX_AGE", "10m", "is not a number of seconds"),
        ("CORS_PREFLIGHT_STATUS", "ok", "is not a status code"),
        (
            "CORS_ALLOW_ORIGINS",
            "https://a.example,https://b.example/",
            "did you mean",
        ),
        ("CORS_ALLOW_METHODS", "GET,TRACE", "forbidden method"),
        ("CORS_ALLOW_HEADERS", "x-a,x b", "invalid header name"),
    ] {
        let err = CorsConfig::from_vars("CORS_", [(name, value)])
            .unwrap_err()
            .to_string();
        assert!(err.contains(name), "{name}: {err}");
        assert!(err.contains(problem), "{name}: {err}");
    }
    // Out of range values are caught when the policy is built.
    let config = CorsConfig::from_vars(
        "CORS_",
        [
            ("CORS_ALLOW_ORIGINS", "https://a.example"),
            ("CORS_MAX_AGE", "999999"),
        ],
    )
    .unwrap();
    assert!(Cors::try_from(config)
        .unwrap_err()
        .to_string()
        .contains("max_age"));
}

#[test]
fn a_config_takes_a_reloadable_list_through_its_builder() {
    let tenants = cors_actix::OriginList::new(["https://tenant.example"]).unwrap();
    let config =
        CorsConfig::from_vars("CORS_", [("CORS_ALLOW_ORIGINS", "https://app.example.com")])
            .unwrap();
    let cors = config
        .into_builder()
        .unwrap()
        .allow_origin_list(&tenants)
        .build()
        .unwrap();
    let head = actix_web::test::TestRequest::get()
        .insert_header(("Origin", "https://tenant.example"))
        .to_http_request();
    assert!(cors.explain(head.head()).allowed);
}
