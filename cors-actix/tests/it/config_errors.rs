//! `build()` refuses unsafe or meaningless settings, with a message that names
//! the bad input and how to fix it.

use std::time::Duration;

use actix_web::http::StatusCode;
use cors_actix::{Cors, CorsBuilder, CorsConfigError};

use crate::support::{policy, APP};

#[track_caller]
fn origin_error(input: &str) -> String {
    match Cors::builder().allow_origin(input).build() {
        Err(CorsConfigError::Origin(message)) => {
            assert!(
                message.contains(&format!("{input:?}")),
                "the message must name {input:?}: {message}"
            );
            message
        }
        other => panic!("{input:?}: expected an origin error, got {other:?}"),
    }
}

#[test]
fn origin_with_a_path_suggests_the_origin() {
    let err = Cors::builder()
        .allow_origin("https://a.com/")
        .build()
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("invalid allowed origin: \"https://a.com/\""),
        "{text}"
    );
    assert!(text.contains("did you mean \"https://a.com\"?"), "{text}");

    let message = origin_error("https://app.example.com/api/v1");
    assert!(message.contains("a path"), "{message}");
    assert!(
        message.contains("did you mean \"https://app.example.com\"?"),
        "{message}"
    );
}

#[test]
fn origin_with_a_query_or_fragment_suggests_the_origin() {
    let message = origin_error("https://a.com?x=1");
    assert!(message.contains("a query"), "{message}");
    assert!(
        message.contains("did you mean \"https://a.com\"?"),
        "{message}"
    );
    let message = origin_error("https://a.com#top");
    assert!(message.contains("a fragment"), "{message}");
    assert!(
        message.contains("did you mean \"https://a.com\"?"),
        "{message}"
    );
}

#[test]
fn origin_with_user_info_is_refused() {
    let message = origin_error("https://user:secret@a.com");
    assert!(message.contains("user name or password"), "{message}");
}

#[test]
fn origin_with_whitespace_is_refused() {
    for input in [
        " https://a.com",
        "https://a.com ",
        "https://a .com",
        "https://a.com\n",
    ] {
        let message = origin_error(input);
        assert!(message.contains("whitespace"), "{message}");
    }
}

#[test]
fn origin_with_a_non_ascii_host_asks_for_punycode() {
    let message = origin_error("https://bücher.example");
    assert!(message.contains("punycode"), "{message}");
}

#[test]
fn origin_with_a_trailing_dot_is_refused() {
    let message = origin_error("https://a.com.");
    assert!(message.contains("trailing dot"), "{message}");
}

#[test]
fn origin_with_a_bad_port_is_refused() {
    for input in [
        "https://a.com:http",
        "https://a.com:70000",
        "https://a.com:",
        "https://a.com:-1",
    ] {
        let message = origin_error(input);
        assert!(message.contains("invalid port"), "{message}");
    }
}

#[test]
fn origin_without_a_scheme_is_refused() {
    let message = origin_error("a.com");
    assert!(message.contains("has no scheme"), "{message}");
    assert!(message.contains("\"https://a.com\""), "{message}");
}

#[test]
fn empty_origin_is_refused() {
    let err = Cors::builder().allow_origin("").build().unwrap_err();
    assert!(
        matches!(&err, CorsConfigError::Origin(m) if m.contains("empty string")),
        "{err}"
    );
}

#[test]
fn malformed_wildcards_are_refused() {
    for (input, expected) in [
        ("https://a*.example.com", "wildcard"),
        ("https://*example.com", "wildcard"),
        ("https://a.*.example.com", "wildcard"),
        ("https://*.127.0.0.1", "IP address"),
        ("*://example.com", "invalid scheme"),
    ] {
        let message = origin_error(input);
        assert!(message.contains(expected), "{input}: {message}");
    }
}

#[test]
fn wildcard_over_a_public_suffix_is_refused() {
    for input in ["https://*.com", "https://*.co.uk", "https://*.github.io"] {
        let message = origin_error(input);
        assert!(message.contains("public suffix"), "{message}");
    }
    for fine in [
        "https://*.example.co.uk",
        "https://*.example.com",
        "http://*.localhost:*",
    ] {
        Cors::builder()
            .allow_origin(fine)
            .build()
            .unwrap_or_else(|e| panic!("{fine}: {e}"));
    }
}

#[test]
fn any_origin_with_credentials_is_refused() {
    let cases: [(&str, CorsBuilder); 5] = [
        ("allow_any_origin()", Cors::builder().allow_any_origin()),
        ("\"*\"", Cors::builder().allow_origin("*")),
        ("\"https://*\"", Cors::builder().allow_origin("https://*")),
        ("\"http://*:*\"", Cors::builder().allow_origin("http://*:*")),
        ("\"https://*\"", policy().allow_origin("https://*")),
    ];
    for (named, builder) in cases.clone() {
        for builder in [
            builder.clone().allow_credentials(true),
            // The order of the calls does not matter.
            Cors::builder()
                .allow_credentials(true)
                .allow_origins(["https://a.com"])
                .allow_any_origin(),
        ] {
            match builder.build() {
                Err(CorsConfigError::Conflict(message)) => {
                    assert!(message.contains("allows every origin"), "{message}");
                    assert!(message.contains("credentials"), "{message}");
                }
                other => panic!("{named}: expected a conflict, got {other:?}"),
            }
        }
        match builder.allow_credentials(true).build() {
            Err(CorsConfigError::Conflict(message)) => {
                assert!(message.contains(named), "must name {named}: {message}")
            }
            other => panic!("{named}: expected a conflict, got {other:?}"),
        }
    }
}

#[test]
fn any_origin_with_private_network_is_refused() {
    for builder in [
        Cors::builder().allow_any_origin(),
        Cors::builder().allow_origin("*"),
        Cors::builder().allow_origin("https://*"),
    ] {
        match builder.allow_private_network(true).build() {
            Err(CorsConfigError::Conflict(message)) => {
                assert!(message.contains("allows every origin"), "{message}");
                assert!(message.contains("private network"), "{message}");
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
    }
}

#[test]
fn listed_origins_with_credentials_and_private_network_are_fine() {
    Cors::builder()
        .allow_origins([APP, "https://*.example.com", "http://localhost:*", "null"])
        .allow_credentials(true)
        .allow_private_network(true)
        .build()
        .unwrap();
}

#[test]
fn policy_without_any_origin_is_refused() {
    for builder in [
        Cors::builder(),
        Cors::builder().allow_origins(Vec::<String>::new()),
        Cors::builder()
            .allow_methods(["GET"])
            .allow_credentials(true),
    ] {
        match builder.build() {
            Err(CorsConfigError::Conflict(message)) => {
                assert!(message.contains("no origin is allowed"), "{message}")
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
    }
}

#[track_caller]
fn method_error(method: &str) -> String {
    match policy().allow_methods(["GET", method]).build() {
        Err(CorsConfigError::Method(message)) => {
            assert!(
                message.contains(&format!("{method:?}")),
                "must name {method:?}: {message}"
            );
            message
        }
        other => panic!("{method:?}: expected a method error, got {other:?}"),
    }
}

#[test]
fn forbidden_methods_are_refused() {
    for method in ["CONNECT", "TRACE", "TRACK", "trace", "Connect"] {
        let message = method_error(method);
        assert!(message.contains("forbidden"), "{message}");
    }
}

#[test]
fn lower_case_standard_method_is_refused_with_the_upper_case_form() {
    for (method, upper) in [
        ("delete", "DELETE"),
        ("put", "PUT"),
        ("Get", "GET"),
        ("options", "OPTIONS"),
    ] {
        let message = method_error(method);
        assert!(message.contains("never match"), "{message}");
        assert!(message.contains(&format!("write {upper:?}")), "{message}");
    }
    // Other methods are sent as written, so lower case is a valid choice.
    policy()
        .allow_methods(["patch", "PROPFIND"])
        .build()
        .unwrap();
}

#[test]
fn non_token_method_is_refused() {
    for method in ["", "GET POST", "GET,POST", "GÉT", "(GET)"] {
        let message = method_error(method);
        assert!(message.contains("not a valid HTTP method"), "{message}");
    }
}

#[test]
fn empty_method_list_is_refused() {
    let err = policy()
        .allow_methods(Vec::<&str>::new())
        .build()
        .unwrap_err();
    assert!(matches!(err, CorsConfigError::Method(_)), "{err:?}");
}

#[test]
fn invalid_header_names_are_refused() {
    for name in ["", "x custom", "x-a:b", "x-a,x-b", "x-ä", "*"] {
        for builder in [
            policy().allow_headers([name]),
            policy().expose_headers([name]),
        ] {
            match builder.build() {
                Err(CorsConfigError::Header(message)) => {
                    assert!(
                        message.contains(&format!("{name:?}")),
                        "must name {name:?}: {message}"
                    )
                }
                other => panic!("{name:?}: expected a header error, got {other:?}"),
            }
        }
    }
}

#[test]
fn max_age_over_a_day_is_refused() {
    for secs in [86_401, 1_000_000, u64::MAX] {
        match policy().max_age(Duration::from_secs(secs)).build() {
            Err(CorsConfigError::MaxAge(message)) => {
                assert!(message.contains("out of range"), "{message}");
                assert!(message.contains(&secs.to_string()), "{message}");
            }
            other => panic!("{secs}: expected a max_age error, got {other:?}"),
        }
    }
    for secs in [0, 7_200, 86_400] {
        policy().max_age(Duration::from_secs(secs)).build().unwrap();
    }
}

#[test]
fn preflight_status_other_than_2xx_is_refused() {
    for status in [100, 301, 304, 400, 404, 500] {
        let status = StatusCode::from_u16(status).unwrap();
        match policy().preflight_status(status).build() {
            Err(CorsConfigError::PreflightStatus(message)) => {
                assert!(message.contains(status.as_str()), "{message}");
                assert!(message.contains("2xx"), "{message}");
            }
            other => panic!("{status}: expected a preflight_status error, got {other:?}"),
        }
    }
    for status in [StatusCode::OK, StatusCode::NO_CONTENT] {
        policy().preflight_status(status).build().unwrap();
    }
}

#[test]
fn readme_quick_start_policy_builds() {
    Cors::builder()
        .allow_origin("https://app.example.com")
        .allow_origins(["https://*.example.com", "http://localhost:*"])
        .allow_methods(["GET", "POST", "DELETE"])
        .allow_headers(["content-type", "x-custom-header"])
        .expose_headers(["x-request-id"])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600))
        .build()
        .unwrap();
    let _ = Cors::permissive();
}
