//! Origins allowed by regular expression (feature `regex`): matched against
//! the whole origin, and an unescaped `.` refused at `build()`.

use crate::support::*;
use cors_actix::{Cors, CorsConfigError};

#[actix_rt::test]
async fn regex_matches_the_whole_origin() {
    let policy = Cors::builder().allow_origin_regex(r"https://[a-z0-9-]+\.example\.com");
    assert_allowed(&policy, "https://pr-12.example.com").await;
    for bad in [
        "https://pr-12.example.com.evil.net",
        "https://evil.net.pr-12.example.com",
        "xhttps://pr-12.example.com",
        "http://pr-12.example.com",
        "https://pr-12.example.com:8443",
        "https://example.com",
    ] {
        assert_refused(&policy, bad.as_bytes()).await;
    }
}

#[actix_rt::test]
async fn regex_alternation_is_anchored_as_a_whole() {
    let policy = Cors::builder().allow_origin_regex(r"https://a\.com|https://b\.com");
    assert_allowed(&policy, "https://a.com").await;
    assert_allowed(&policy, "https://b.com").await;
    for bad in [
        "https://a.com.evil.net",
        "https://evil.b.com",
        "https://a.comb.com",
    ] {
        assert_refused(&policy, bad.as_bytes()).await;
    }
}

#[actix_rt::test]
async fn regex_with_its_own_anchors_still_works() {
    let policy = Cors::builder().allow_origin_regex(r"^https://a\.com$");
    assert_allowed(&policy, "https://a.com").await;
    assert_refused(&policy, b"https://a.com.evil.net").await;
}

#[actix_rt::test]
async fn regex_sees_only_canonical_origins() {
    let policy = Cors::builder().allow_origin_regex(r"https://[a-zA-Z]+\.example\.com(:443)?");
    assert_allowed(&policy, "https://app.example.com").await;
    assert_refused(&policy, b"https://APP.example.com").await;
    assert_refused(&policy, b"https://app.example.com:443").await;
}

#[actix_rt::test]
async fn regex_combines_with_patterns_without_widening_them() {
    let policy = Cors::builder()
        .allow_origin("https://app.example.com")
        .allow_origin_regex(r"https://pr-[0-9]+\.preview\.example\.com");
    assert_allowed(&policy, "https://app.example.com").await;
    assert_allowed(&policy, "https://pr-7.preview.example.com").await;
    assert_refused(&policy, b"https://pr-x.preview.example.com").await;
    assert_refused(&policy, b"https://pr-7.preview.example.com.app.example.com").await;
}

#[test]
fn unescaped_dot_in_regex_is_a_build_error_naming_the_regex() {
    for regex in [
        r"https://pr-1.preview\.example\.com",
        r"https://.*\.example\.com",
        r"https://[a-z]+\\.example\.com",
        r"https://(a|b).com",
    ] {
        let err = Cors::builder()
            .allow_origin_regex(regex)
            .build()
            .expect_err(regex);
        let CorsConfigError::Regex(message) = &err else {
            panic!("{regex}: not a regex error: {err:?}");
        };
        assert!(message.contains(&format!("{regex:?}")), "{message}");
        assert!(message.contains("unescaped '.'"), "{message}");
        assert!(message.contains(r"\."), "{message}");
        assert!(
            err.to_string().starts_with("invalid origin regex: "),
            "{err}"
        );
    }
}

#[test]
fn escaped_dots_and_dots_in_classes_are_accepted() {
    for regex in [
        r"https://app\.example\.com",
        r"https://[a-z.]+\.example\.com",
        r"https://[^.]+\.example\.com",
    ] {
        Cors::builder()
            .allow_origin_regex(regex)
            .build()
            .unwrap_or_else(|e| panic!("{regex}: {e}"));
    }
}

#[actix_rt::test]
async fn dot_in_a_class_matches_only_what_the_class_says() {
    let policy = Cors::builder().allow_origin_regex(r"https://[a-z.]+\.example\.com");
    assert_allowed(&policy, "https://a.b.example.com").await;
    assert_refused(&policy, b"https://a-b.example.com").await;
}

#[test]
fn regex_that_does_not_compile_is_a_build_error_naming_it() {
    let err = Cors::builder()
        .allow_origin_regex(r"https://(a\.com")
        .build()
        .unwrap_err();
    let CorsConfigError::Regex(message) = &err else {
        panic!("not a regex error: {err:?}");
    };
    assert!(message.contains(r#""https://(a\\.com""#), "{message}");
    assert!(message.contains("does not parse"), "{message}");
}

/// A pattern that only parses inside a wrapper of ours would escape it.
#[test]
fn a_regex_that_does_not_parse_alone_cannot_break_out_of_its_anchors() {
    let breakout = r"https://a\.example\.com)|(https://b\.example\.com";
    let err = Cors::builder()
        .allow_origin_regex(breakout)
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, CorsConfigError::Regex(m) if m.contains("does not parse")),
        "{err}"
    );
}

#[actix_rt::test]
async fn alternatives_match_whole_origins_only() {
    // Anchored on the syntax tree: every alternative must match the whole
    // origin, the longer one included.
    let policy = Cors::builder().allow_origin_regex(r"https://a\.com|https://a\.com\.example\.net");
    assert_allowed(&policy, "https://a.com").await;
    assert_allowed(&policy, "https://a.com.example.net").await;
    assert_refused(&policy, b"https://a.com.evil.net").await;
    // Flags of the user's own cannot unanchor it.
    let policy = Cors::builder().allow_origin_regex(r"(?m)https://a\.com");
    assert_allowed(&policy, "https://a.com").await;
    assert_refused(&policy, b"https://a.com.evil.net").await;
}

/// The dot check reads the parsed pattern: verbose mode's comments, classes
/// and escapes cannot hide a bare `.`.
#[test]
fn dots_are_found_on_the_syntax_tree() {
    for hidden in [
        // A `[` inside a comment used to open a class for a hand-written
        // scanner, hiding the later dot.
        "(?x) https://evil # [ comment\n x.example\\.com",
        r"(?x) https://a . example\.com",
        r"https://(?:a|b)\.com.",
    ] {
        let err = Cors::builder()
            .allow_origin_regex(hidden)
            .build()
            .err()
            .unwrap_or_else(|| panic!("{hidden:?} was accepted"));
        assert!(
            err.to_string().contains("unescaped '.'"),
            "{hidden:?}: {err}"
        );
    }
    for fine in [
        r"https://[[:alpha:].]+\.example\.com",
        "(?x) https://app \\. example \\. com # a . in a comment",
        r"https://a\x2ecom",
    ] {
        Cors::builder()
            .allow_origin_regex(fine)
            .build()
            .unwrap_or_else(|e| panic!("{fine:?}: {e}"));
    }
}
