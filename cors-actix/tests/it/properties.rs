//! Property tests: random policies against random browser requests.
//!
//! Each case builds a policy from a random configuration (exact origins,
//! subdomain and any-port patterns, `null`, any origin; methods including
//! custom and lower-case ones; header lists; credentials; exposed headers;
//! max-age), wraps a real actix-web app with it, and sends it the requests a
//! browser would send for random `fetch()` calls, as the browser model in
//! `tests/fetch-model` (written from the Fetch standard) puts them on the
//! wire. The model then says whether the page can read the answer, and that
//! is compared with an oracle that works out what the policy allows from its
//! configuration alone, following the README's behaviour section. The oracle
//! never asks the engine.
//!
//! The handler behind the middleware sets its own `Access-Control-*` headers
//! (`Access-Control-Allow-Origin: *` and friends): the middleware must remove
//! them, so a disallowed origin never gets a readable response through them.
//!
//! Every property runs 256 cases by default, a few seconds in debug builds.
//! For a longer run set `PROPTEST_CASES`, e.g.
//! `PROPTEST_CASES=20000 cargo test -p cors-actix --release --test it properties::`.
//! A failing case is shrunk and its seed stored in
//! `cors-actix/tests/proptest-regressions/properties.txt` (proptest's place
//! for a module of a test binary whose `main.rs` is beside it), which is
//! replayed first on every later run: commit that file with the fix.

use std::collections::BTreeSet;
use std::time::Duration;

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{init_service, TestRequest};
use actix_web::{web, App, HttpResponse};
use cors_actix::Cors;
use cors_actix_core::OriginPattern;
use cors_fetch_model::{
    cors_unsafe_request_header_names, fetch, is_cors_safelisted_method, needs_preflight,
    normalize_method, preflight_max_age, request_header_list, validate_request, BrowserRequest,
    CredentialsMode, Outcome, WireRequest,
};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

use crate::support::{
    send_to, ALLOW_CREDENTIALS, ALLOW_HEADERS, ALLOW_METHODS, ALLOW_ORIGIN, MAX_AGE,
};

// ---------------------------------------------------------------------------
// Policy configurations
// ---------------------------------------------------------------------------

/// Hosts configured in exact and any-port patterns.
const CONFIG_HOSTS: [&str; 6] = [
    "example.com",
    "app.example.com",
    "localhost",
    "example.org",
    "127.0.0.1",
    "xn--exmple-cua.com",
];

/// Domains configured in subdomain patterns (`https://*.example.com`).
const WILDCARD_DOMAINS: [&str; 4] = ["example.com", "example.org", "app.example.com", "localhost"];

/// Explicit, non-default ports.
const PORTS: [u16; 2] = [3000, 8443];

/// The host part of a configured pattern.
#[derive(Debug, Clone, PartialEq)]
enum HostSpec {
    Exact(&'static str),
    SubdomainsOf(&'static str),
    Any,
}

/// The port part of a configured pattern.
#[derive(Debug, Clone, Copy, PartialEq)]
enum PortSpec {
    Default,
    Exact(u16),
    Any,
}

/// How a person wrote the pattern; browsers' canonical form is what counts.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Spelling {
    Canonical,
    UpperCase,
    ExplicitDefaultPort,
}

#[derive(Debug, Clone, PartialEq)]
enum PatternSpec {
    /// `"*"`.
    Star,
    /// `"null"`.
    Null,
    Origin {
        scheme: &'static str,
        host: HostSpec,
        port: PortSpec,
        spelling: Spelling,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum MethodsSpec {
    /// `allow_methods` never called: GET, HEAD, POST.
    Default,
    List(Vec<&'static str>),
    Any,
}

#[derive(Debug, Clone, PartialEq)]
enum NamesSpec {
    List(Vec<&'static str>),
    Any,
}

#[derive(Debug, Clone)]
struct PolicySpec {
    patterns: Vec<PatternSpec>,
    any_origin_call: bool,
    methods: MethodsSpec,
    headers: NamesSpec,
    expose: NamesSpec,
    credentials: bool,
    max_age: Option<u64>,
    preflight_status_200: bool,
    passthrough: bool,
    block_disallowed: bool,
}

fn default_port(scheme: &str) -> u16 {
    if scheme == "https" {
        443
    } else {
        80
    }
}

impl PatternSpec {
    /// The string handed to `allow_origin`.
    fn render(&self) -> String {
        let (scheme, host, port, spelling) = match self {
            PatternSpec::Star => return "*".to_owned(),
            PatternSpec::Null => return "null".to_owned(),
            PatternSpec::Origin {
                scheme,
                host,
                port,
                spelling,
            } => (*scheme, host, *port, *spelling),
        };
        let host = match host {
            HostSpec::Exact(h) => (*h).to_owned(),
            HostSpec::SubdomainsOf(d) => format!("*.{d}"),
            HostSpec::Any => "*".to_owned(),
        };
        let port = match port {
            PortSpec::Default if spelling == Spelling::ExplicitDefaultPort => {
                format!(":{}", default_port(scheme))
            }
            PortSpec::Default => String::new(),
            PortSpec::Exact(p) => format!(":{p}"),
            PortSpec::Any => ":*".to_owned(),
        };
        let written = format!("{scheme}://{host}{port}");
        if spelling == Spelling::UpperCase {
            written.to_ascii_uppercase()
        } else {
            written
        }
    }

    /// Whether this pattern lets in every host (`*`, `https://*`).
    fn every_host(&self) -> bool {
        matches!(
            self,
            PatternSpec::Star
                | PatternSpec::Origin {
                    host: HostSpec::Any,
                    ..
                }
        )
    }
}

impl PolicySpec {
    fn builder(&self) -> cors_actix::CorsBuilder {
        let mut b = Cors::builder();
        for p in &self.patterns {
            b = b.allow_origin(p.render());
        }
        if self.any_origin_call {
            b = b.allow_any_origin();
        }
        b = match &self.methods {
            MethodsSpec::Default => b,
            MethodsSpec::List(m) => b.allow_methods(m.iter().copied()),
            MethodsSpec::Any => b.allow_any_method(),
        };
        b = match &self.headers {
            NamesSpec::List(h) => b.allow_headers(h.iter().copied()),
            NamesSpec::Any => b.allow_any_header(),
        };
        b = match &self.expose {
            NamesSpec::List(h) => b.expose_headers(h.iter().copied()),
            NamesSpec::Any => b.expose_any_header(),
        };
        if let Some(secs) = self.max_age {
            b = b.max_age(Duration::from_secs(secs));
        }
        if self.preflight_status_200 {
            b = b.preflight_status(StatusCode::OK);
        }
        b.allow_credentials(self.credentials)
            .preflight_passthrough(self.passthrough)
            .block_disallowed(self.block_disallowed)
    }

    /// The oracle's verdict on the configuration: `build()` must refuse
    /// exactly the policies that let every origin in with credentials.
    fn valid(&self) -> bool {
        let every_origin = self.any_origin_call || self.patterns.iter().any(|p| p.every_host());
        !(every_origin && self.credentials)
    }

    /// Whether answers carry the literal `Access-Control-Allow-Origin: *`.
    fn answers_star(&self) -> bool {
        self.any_origin_call || self.patterns.contains(&PatternSpec::Star)
    }
}

fn pattern_strategy() -> impl Strategy<Value = PatternSpec> {
    let host = prop_oneof![
        4 => select(&CONFIG_HOSTS[..]).prop_map(HostSpec::Exact),
        3 => select(&WILDCARD_DOMAINS[..]).prop_map(HostSpec::SubdomainsOf),
        1 => Just(HostSpec::Any),
    ];
    let port = prop_oneof![
        3 => Just(PortSpec::Default),
        1 => select(&PORTS[..]).prop_map(PortSpec::Exact),
        2 => Just(PortSpec::Any),
    ];
    let spelling = prop_oneof![
        4 => Just(Spelling::Canonical),
        1 => Just(Spelling::UpperCase),
        1 => Just(Spelling::ExplicitDefaultPort),
    ];
    prop_oneof![
        1 => Just(PatternSpec::Star),
        1 => Just(PatternSpec::Null),
        12 => (select(&["http", "https"][..]), host, port, spelling).prop_map(
            |(scheme, host, port, spelling)| PatternSpec::Origin {
                scheme,
                host,
                port,
                spelling,
            }
        ),
    ]
}

/// Valid configured methods: standard, custom, and custom lower-case ones.
const CONFIG_METHODS: [&str; 10] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "patch", "OPTIONS", "PURGE", "x-custom",
];

/// Allowed request header names, in the cases people write them.
const CONFIG_HEADERS: [&str; 7] = [
    "x-custom",
    "X-Custom",
    "content-type",
    "Authorization",
    "X-Requested-With",
    "accept",
    "x-other",
];

/// Exposed header names; the handler sets some of them.
const CONFIG_EXPOSE: [&str; 5] = [
    "x-request-id",
    "X-Secret",
    "set-cookie",
    "x-missing",
    "cache-control",
];

fn names_strategy(pool: &'static [&'static str]) -> impl Strategy<Value = NamesSpec> {
    prop_oneof![
        4 => subsequence(pool, 0..=pool.len()).prop_map(NamesSpec::List),
        1 => Just(NamesSpec::Any),
    ]
}

/// Any configuration, including ones `build()` must refuse.
fn policy_strategy() -> impl Strategy<Value = PolicySpec> {
    let methods = prop_oneof![
        1 => Just(MethodsSpec::Default),
        4 => subsequence(&CONFIG_METHODS[..], 1..=5).prop_map(MethodsSpec::List),
        1 => Just(MethodsSpec::Any),
    ];
    let max_age = prop_oneof![
        2 => Just(None),
        1 => select(&[0u64, 5, 600, 7200, 86_400][..]).prop_map(Some),
        1 => (0u64..=86_400).prop_map(Some),
    ];
    (
        prop::collection::vec(pattern_strategy(), 0..=4),
        prop::bool::weighted(0.1),
        methods,
        names_strategy(&CONFIG_HEADERS),
        names_strategy(&CONFIG_EXPOSE),
        any::<bool>(),
        max_age,
        any::<(bool, bool, bool)>(),
    )
        .prop_map(
            |(patterns, any_origin_call, methods, headers, expose, credentials, max_age, flags)| {
                // At least one origin: "no origin at all" is its own error.
                let any_origin_call = any_origin_call || patterns.is_empty();
                PolicySpec {
                    patterns,
                    any_origin_call,
                    methods,
                    headers,
                    expose,
                    credentials,
                    max_age,
                    preflight_status_200: flags.0,
                    passthrough: flags.1,
                    block_disallowed: flags.2,
                }
            },
        )
}

/// Configurations `build()` accepts, per the oracle.
fn valid_policy_strategy() -> impl Strategy<Value = PolicySpec> {
    policy_strategy().prop_map(|mut p| {
        if !p.valid() {
            // Keep the origins, drop the conflicting setting.
            p.credentials = false;
        }
        p
    })
}

// ---------------------------------------------------------------------------
// Browser requests
// ---------------------------------------------------------------------------

/// Hosts of pages making requests: configured ones and their lookalikes.
const PAGE_HOSTS: [&str; 12] = [
    "example.com",
    "app.example.com",
    "a.b.example.com",
    "evilexample.com",
    "example.com.evil.net",
    "app.example.com.evil.net",
    "localhost",
    "localhost.evil.com",
    "example.org",
    "sub.example.org",
    "xn--exmple-cua.com",
    "127.0.0.1",
];

/// Labels put in front of a configured subdomain pattern's domain; the empty
/// one gives the domain itself, which the pattern does not cover.
const SUBDOMAIN_PREFIXES: [&str; 4] = ["a.", "x.y.", "", "evil"];

/// What is done to an origin before sending it: lookalikes and malformed
/// values that no browser sends but an attacker's client can.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mutation {
    None,
    UpperHost,
    UpperScheme,
    TrailingDot,
    SuffixLookalike,
    PrefixLookalike,
    SchemeFlip,
    PortChange,
    DropPort,
    ExplicitDefaultPort,
    LeadingZeroPort,
    Userinfo,
    Path,
    Cyrillic,
    TrailingSpace,
    Null,
    NullUpper,
}

#[derive(Debug, Clone)]
struct OriginSeed {
    /// Build the origin from one of the policy's patterns (an origin it
    /// means to allow) rather than from the pool.
    from_pattern: bool,
    index: usize,
    scheme_https: bool,
    port: Option<u16>,
    prefix: usize,
    mutation: Mutation,
}

fn origin_seed_strategy() -> impl Strategy<Value = OriginSeed> {
    let mutation = prop_oneof![
        24 => Just(Mutation::None),
        1 => Just(Mutation::UpperHost),
        1 => Just(Mutation::UpperScheme),
        1 => Just(Mutation::TrailingDot),
        1 => Just(Mutation::SuffixLookalike),
        1 => Just(Mutation::PrefixLookalike),
        1 => Just(Mutation::SchemeFlip),
        1 => Just(Mutation::PortChange),
        1 => Just(Mutation::DropPort),
        1 => Just(Mutation::ExplicitDefaultPort),
        1 => Just(Mutation::LeadingZeroPort),
        1 => Just(Mutation::Userinfo),
        1 => Just(Mutation::Path),
        1 => Just(Mutation::Cyrillic),
        1 => Just(Mutation::TrailingSpace),
        1 => Just(Mutation::Null),
        1 => Just(Mutation::NullUpper),
    ];
    (
        prop::bool::weighted(0.7),
        any::<usize>(),
        any::<bool>(),
        prop::option::of(select(&[3000u16, 8443, 9000][..])),
        0..SUBDOMAIN_PREFIXES.len(),
        mutation,
    )
        .prop_map(
            |(from_pattern, index, scheme_https, port, prefix, mutation)| OriginSeed {
                from_pattern,
                index,
                scheme_https,
                port,
                prefix,
                mutation,
            },
        )
}

/// The page origin a seed stands for, given the policy.
fn render_origin(policy: &PolicySpec, seed: &OriginSeed) -> String {
    let origin_patterns: Vec<&PatternSpec> = policy
        .patterns
        .iter()
        .filter(|p| matches!(p, PatternSpec::Origin { .. }))
        .collect();
    let pool_scheme = if seed.scheme_https { "https" } else { "http" };
    let pool_host = PAGE_HOSTS[seed.index % PAGE_HOSTS.len()];
    let (scheme, host, port) = match origin_patterns.get(seed.index % origin_patterns.len().max(1))
    {
        Some(PatternSpec::Origin {
            scheme, host, port, ..
        }) if seed.from_pattern => {
            let host = match host {
                HostSpec::Exact(h) => (*h).to_owned(),
                HostSpec::SubdomainsOf(d) => format!("{}{d}", SUBDOMAIN_PREFIXES[seed.prefix]),
                HostSpec::Any => pool_host.to_owned(),
            };
            let port = match port {
                PortSpec::Default => None,
                PortSpec::Exact(p) => Some(*p),
                PortSpec::Any => seed.port,
            };
            (*scheme, host, port)
        }
        _ if seed.from_pattern && policy.patterns.contains(&PatternSpec::Null) => {
            return "null".to_owned();
        }
        _ => (pool_scheme, pool_host.to_owned(), seed.port),
    };
    let flip = |s: &str| if s == "https" { "http" } else { "https" };
    let mut scheme = scheme.to_owned();
    let mut host = host;
    let mut port = port.map(|p| p.to_string());
    let mut userinfo = "";
    let mut suffix = "";
    match seed.mutation {
        Mutation::None => {}
        Mutation::UpperHost => host = host.to_ascii_uppercase(),
        Mutation::UpperScheme => scheme = scheme.to_ascii_uppercase(),
        Mutation::TrailingDot => host.push('.'),
        Mutation::SuffixLookalike => host = format!("evil{host}"),
        Mutation::PrefixLookalike => host.push_str(".evil.net"),
        Mutation::SchemeFlip => scheme = flip(&scheme).to_owned(),
        Mutation::PortChange => {
            port = Some(
                port.map_or(8080, |p| p.parse::<u16>().unwrap() + 1)
                    .to_string(),
            )
        }
        Mutation::DropPort => port = None,
        Mutation::ExplicitDefaultPort => port = Some(default_port(&scheme).to_string()),
        Mutation::LeadingZeroPort => {
            port = Some(format!(
                "0{}",
                port.unwrap_or_else(|| default_port(&scheme).to_string())
            ))
        }
        Mutation::Userinfo => userinfo = "user@",
        Mutation::Path => suffix = "/",
        Mutation::Cyrillic => {
            host = match host.find('a') {
                Some(i) => format!("{}\u{430}{}", &host[..i], &host[i + 1..]),
                None => format!("\u{430}{host}"),
            }
        }
        Mutation::TrailingSpace => suffix = " ",
        Mutation::Null => return "null".to_owned(),
        Mutation::NullUpper => return "NULL".to_owned(),
    }
    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
    format!("{scheme}://{userinfo}{host}{port}{suffix}")
}

/// Methods pages pass to `fetch()`, as written (browsers upper-case only the
/// six standard ones). TRACE makes `fetch()` throw.
const PAGE_METHODS: [&str; 17] = [
    "GET", "get", "HEAD", "POST", "post", "PUT", "put", "DELETE", "delete", "PATCH", "patch",
    "OPTIONS", "options", "PURGE", "x-custom", "Mkcol", "TRACE",
];

/// Headers pages set: safelisted, unsafe, forbidden (dropped by the browser).
fn page_headers() -> Vec<(&'static str, String)> {
    vec![
        ("X-Custom", "1".into()),
        ("x-other", "2".into()),
        ("Content-Type", "application/json".into()),
        ("Content-Type", "text/plain".into()),
        ("Authorization", "Bearer t".into()),
        ("X-Requested-With", "XMLHttpRequest".into()),
        ("Accept-Language", "en-US".into()),
        ("Cookie", "a=b".into()),
        ("Accept", "application/json".into()),
        ("Accept", "a".repeat(200)),
        ("X-Unlisted", "y".into()),
        ("Range", "bytes=0-".into()),
        ("Range", "bytes=-5".into()),
    ]
}

#[derive(Debug, Clone)]
struct PageRequest {
    origin: OriginSeed,
    method: &'static str,
    headers: Vec<(&'static str, String)>,
    credentials: CredentialsMode,
}

fn page_request_strategy() -> impl Strategy<Value = PageRequest> {
    (
        origin_seed_strategy(),
        prop_oneof![
            2 => select(&["GET", "get", "HEAD", "POST", "post"][..]),
            3 => select(&PAGE_METHODS[..]),
        ],
        subsequence(page_headers(), 0..=3),
        select(
            &[
                CredentialsMode::Omit,
                CredentialsMode::SameOrigin,
                CredentialsMode::Include,
            ][..],
        ),
    )
        .prop_map(|(origin, method, headers, credentials)| PageRequest {
            origin,
            method,
            headers,
            credentials,
        })
}

impl PageRequest {
    fn browser_request(&self, policy: &PolicySpec) -> BrowserRequest {
        let mut req = BrowserRequest::new(render_origin(policy, &self.origin), self.method)
            .credentials(self.credentials);
        for (name, value) in &self.headers {
            req = req.header(*name, value.clone());
        }
        req
    }
}

// ---------------------------------------------------------------------------
// The oracle: what the policy allows, from its configuration alone
// ---------------------------------------------------------------------------

/// Splits an origin in the exact form a browser serialises it (lower-case
/// scheme and host, no default port, nothing else), or `None`.
fn canonical_parts(origin: &str) -> Option<(&str, &str, Option<u16>)> {
    let (scheme, rest) = origin.split_once("://")?;
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_lowercase())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b));
    if !scheme_ok {
        return None;
    }
    let (host, port) = match rest.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let host_ok = host.split('.').all(|label| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    });
    if !host_ok {
        return None;
    }
    let port = match port {
        None => None,
        Some(digits) => {
            let ok = !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && (digits == "0" || !digits.starts_with('0'));
            let port: u16 = if ok {
                digits.parse().ok()?
            } else {
                return None;
            };
            if (scheme == "http" && port == 80) || (scheme == "https" && port == 443) {
                return None;
            }
            Some(port)
        }
    };
    Some((scheme, host, port))
}

fn oracle_pattern_matches(pattern: &PatternSpec, origin: &str) -> bool {
    let (want_scheme, want_host, want_port) = match pattern {
        PatternSpec::Star => return true,
        PatternSpec::Null => return origin == "null",
        PatternSpec::Origin {
            scheme, host, port, ..
        } => (*scheme, host, *port),
    };
    let Some((scheme, host, port)) = canonical_parts(origin) else {
        return false;
    };
    let host_ok = match want_host {
        HostSpec::Exact(h) => host == *h,
        HostSpec::SubdomainsOf(d) => host.len() > d.len() + 1 && host.ends_with(&format!(".{d}")),
        HostSpec::Any => true,
    };
    let port_ok = match want_port {
        PortSpec::Default => port.is_none(),
        PortSpec::Exact(p) => port == Some(p),
        PortSpec::Any => true,
    };
    scheme == want_scheme && host_ok && port_ok
}

fn oracle_origin_allowed(policy: &PolicySpec, origin: &str) -> bool {
    policy.any_origin_call
        || policy
            .patterns
            .iter()
            .any(|p| oracle_pattern_matches(p, origin))
}

/// Whether a preflight asking for this (normalised) method is allowed. A
/// CORS-safelisted method (`GET`, `HEAD`, `POST`, exactly) never is refused
/// for its method, whatever the configured list: the Fetch standard never
/// refuses it for its method either (a fact of the standard, taken from the
/// browser model).
fn oracle_method_allowed(policy: &PolicySpec, method: &str) -> bool {
    if is_cors_safelisted_method(method) {
        return true;
    }
    match &policy.methods {
        MethodsSpec::Default => ["GET", "HEAD", "POST"].contains(&method),
        MethodsSpec::List(list) => list.contains(&method),
        MethodsSpec::Any => !["CONNECT", "TRACE", "TRACK"]
            .iter()
            .any(|f| f.eq_ignore_ascii_case(method)),
    }
}

fn oracle_header_allowed(policy: &PolicySpec, name: &str) -> bool {
    match &policy.headers {
        NamesSpec::List(list) => list.iter().any(|h| h.eq_ignore_ascii_case(name)),
        NamesSpec::Any => true,
    }
}

/// Whether the policy allows what the preflight of `req` asks for besides
/// its origin: the method and every CORS-unsafe request header.
fn oracle_method_and_headers_allowed(policy: &PolicySpec, req: &BrowserRequest) -> bool {
    oracle_method_allowed(policy, &normalize_method(&req.method))
        && cors_unsafe_request_header_names(&request_header_list(req))
            .iter()
            .all(|name| oracle_header_allowed(policy, name))
}

/// The `Access-Control-Allow-Methods` of a diagnostic answer: the configured
/// methods as written, each once, or `*`.
fn oracle_listed_methods(policy: &PolicySpec) -> Option<String> {
    Some(match &policy.methods {
        MethodsSpec::Default => "GET, HEAD, POST".to_owned(),
        MethodsSpec::List(list) => {
            let mut once: Vec<&str> = Vec::new();
            for method in list {
                if !once.contains(method) {
                    once.push(method);
                }
            }
            once.join(", ")
        }
        // `*` would let the refused method through: nothing is listed.
        MethodsSpec::Any => return None,
    })
}

/// The `Access-Control-Allow-Headers` of a diagnostic answer: the configured
/// names lower-cased, each once, sorted; none when none is configured, and
/// none for any header (`*` would let the refused request through).
fn oracle_listed_headers(policy: &PolicySpec) -> Option<String> {
    match &policy.headers {
        NamesSpec::List(list) => {
            let names: BTreeSet<String> = list.iter().map(|h| h.to_ascii_lowercase()).collect();
            let names: Vec<String> = names.into_iter().collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        NamesSpec::Any => None,
    }
}

fn oracle_exposed(policy: &PolicySpec, name: &str) -> bool {
    match &policy.expose {
        NamesSpec::List(list) => list.iter().any(|h| h.eq_ignore_ascii_case(name)),
        NamesSpec::Any => true,
    }
}

/// What the oracle expects the page to get.
#[derive(Debug, PartialEq)]
enum Expected {
    /// The preflight fails; the actual request is never sent.
    PreflightBlocked,
    /// The actual request runs but the page cannot read the answer.
    Blocked,
    /// The page reads the answer.
    Readable,
}

fn oracle(policy: &PolicySpec, req: &BrowserRequest) -> Expected {
    // Request-side facts come from the browser model; what is allowed comes
    // from the configuration.
    let credentialed = req.credentials.is_include();
    let origin_ok = oracle_origin_allowed(policy, &req.origin);
    // A credentialed read needs `-Allow-Credentials: true` and the origin
    // itself (never `*`) in `-Allow-Origin`.
    let credentials_ok = !credentialed || (policy.credentials && !policy.answers_star());
    let granted = origin_ok && credentials_ok;
    if needs_preflight(req) {
        // A preflight refused for its method or a header is answered with the
        // origin's grant and the lists of what is allowed (the diagnostic
        // answer): still a refusal for the browser, which finds the method or
        // the header missing from those lists.
        if granted && oracle_method_and_headers_allowed(policy, req) {
            Expected::Readable
        } else {
            Expected::PreflightBlocked
        }
    } else if granted {
        Expected::Readable
    } else {
        Expected::Blocked
    }
}

// The always-readable response headers are a fact of the standard, not of
// the engine under test: taken from the browser model.
use cors_fetch_model::SAFELISTED_RESPONSE_HEADERS;

/// The response headers script may read, per the configuration: the
/// safelisted ones plus the configured (or, for "any", all) exposed ones,
/// never `Set-Cookie`. CORS headers themselves are left out of the
/// comparison: whether script sees them does not matter.
fn oracle_readable_headers(policy: &PolicySpec, response: &[(String, String)]) -> BTreeSet<String> {
    response
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .filter(|n| !n.starts_with("access-control-"))
        .filter(|n| {
            SAFELISTED_RESPONSE_HEADERS.contains(&n.as_str())
                || (n != "set-cookie" && oracle_exposed(policy, n))
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

/// The `Host` the server is reached at; no page origin is on it, so every
/// request is cross-origin, as the browser model assumes.
const SERVER_HOST: &str = "api.server.test";

/// A handler that sets headers of every kind, including its own (wrong)
/// CORS headers, which the middleware must replace.
async fn handler() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("X-Request-Id", "7"))
        .insert_header(("X-Secret", "s"))
        .insert_header(("Set-Cookie", "sid=1"))
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .insert_header(("Access-Control-Allow-Credentials", "true"))
        .insert_header((
            "Access-Control-Expose-Headers",
            "x-secret, x-request-id, set-cookie",
        ))
        .content_type("text/plain")
        .body("private data")
}

fn to_test_request(wire: &WireRequest) -> TestRequest {
    let method = Method::from_bytes(wire.method.as_bytes()).expect("the model sends token methods");
    let mut req = TestRequest::default()
        .method(method)
        .uri("/data")
        .insert_header(("Host", SERVER_HOST));
    for (name, value) in &wire.headers {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("the model sends token names");
        let value = HeaderValue::from_bytes(value.as_bytes()).expect("values without controls");
        req = req.append_header((name, value));
    }
    req
}

/// One response as the model saw it.
struct Exchange {
    wire: WireRequest,
    status: u16,
    headers: Vec<(String, String)>,
}

/// Sends each page request through the model's `fetch` to a real app wrapped
/// with `cors`, on a single-threaded actix runtime, and checks every answer
/// against the oracle.
fn check_requests(
    policy: &PolicySpec,
    cors: Cors,
    requests: &[PageRequest],
) -> Result<(), TestCaseError> {
    let rt = actix_rt::System::new();
    let app = rt.block_on(init_service(
        App::new().wrap(cors).default_service(web::to(handler)),
    ));
    for page in requests {
        let req = page.browser_request(policy);
        let mut exchanges: Vec<Exchange> = Vec::new();
        let outcome = fetch(&req, |wire| {
            let res = rt.block_on(send_to(&app, to_test_request(wire)));
            let exchange = Exchange {
                wire: wire.clone(),
                status: res.status.as_u16(),
                headers: res.headers_text(),
            };
            let answer = (exchange.status, exchange.headers.clone());
            exchanges.push(exchange);
            answer
        });

        if validate_request(&req).is_err() {
            prop_assert!(matches!(outcome, Outcome::TypeError(_)));
            prop_assert!(
                exchanges.is_empty(),
                "fetch() throws before sending anything"
            );
            continue;
        }

        let expected = oracle(policy, &req);
        let origin_ok = oracle_origin_allowed(policy, &req.origin);
        let context =
            || format!("{req:?}\npolicy {policy:?}\nexpected {expected:?}\noutcome {outcome:?}");

        // Readable iff allowed, never more.
        match (&expected, &outcome) {
            (Expected::PreflightBlocked, Outcome::PreflightBlocked(_))
            | (Expected::Blocked, Outcome::Blocked(_)) => {}
            (Expected::Readable, Outcome::Readable { readable_headers }) => {
                let actual = exchanges.last().expect("the actual request was sent");
                let expected_headers = oracle_readable_headers(policy, &actual.headers);
                let readable: BTreeSet<String> = readable_headers
                    .iter()
                    .filter(|n| !n.starts_with("access-control-"))
                    .cloned()
                    .collect();
                prop_assert_eq!(
                    &readable,
                    &expected_headers,
                    "readable headers\n{}",
                    context()
                );
            }
            _ => prop_assert!(false, "outcome differs from the oracle\n{}", context()),
        }

        for exchange in &exchanges {
            let get_all = |name: &str| -> Vec<&str> {
                exchange
                    .headers
                    .iter()
                    .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.as_str())
                    .collect()
            };
            let allow_origin = get_all(ALLOW_ORIGIN);
            let allow_credentials = get_all(ALLOW_CREDENTIALS);
            prop_assert!(
                allow_origin.len() <= 1,
                "two Allow-Origin values\n{}",
                context()
            );
            if let Some(value) = allow_origin.first() {
                // Only the request's own origin, or `*` for an any-origin policy.
                prop_assert!(origin_ok, "a grant for a disallowed origin\n{}", context());
                let star = policy.answers_star();
                prop_assert!(
                    if star {
                        *value == "*"
                    } else {
                        *value == req.origin
                    },
                    "Allow-Origin {:?}\n{}",
                    value,
                    context()
                );
            }
            if !allow_credentials.is_empty() {
                prop_assert!(
                    policy.credentials && origin_ok && allow_credentials == ["true"],
                    "Allow-Credentials {:?}\n{}",
                    allow_credentials,
                    context()
                );
            }
            let is_preflight = exchange.wire.method == "OPTIONS"
                && exchange
                    .wire
                    .header("Access-Control-Request-Method")
                    .is_some();
            if is_preflight && expected != Expected::PreflightBlocked {
                prop_assert!((200..300).contains(&exchange.status));
                prop_assert_eq!(
                    preflight_max_age(&exchange.headers),
                    policy.max_age,
                    "max-age\n{}",
                    context()
                );
            }
            if is_preflight && !origin_ok && !policy.passthrough {
                prop_assert_eq!(exchange.status, 403, "refused origin\n{}", context());
            }
            if is_preflight && origin_ok && !oracle_method_and_headers_allowed(policy, &req) {
                // The diagnostic answer (on the handler's 200 with
                // passthrough): the origin's grant and the configured lists,
                // never cached.
                prop_assert_eq!(exchange.status, 200, "diagnosed\n{}", context());
                prop_assert_eq!(allow_origin.len(), 1, "diagnosed\n{}", context());
                let expected_credentials: &[&str] =
                    if policy.credentials { &["true"] } else { &[] };
                prop_assert_eq!(
                    allow_credentials.as_slice(),
                    expected_credentials,
                    "diagnosed\n{}",
                    context()
                );
                let listed_methods = oracle_listed_methods(policy);
                prop_assert_eq!(
                    get_all(ALLOW_METHODS),
                    listed_methods.as_deref().into_iter().collect::<Vec<_>>(),
                    "diagnosed\n{}",
                    context()
                );
                let listed_headers = oracle_listed_headers(policy);
                prop_assert_eq!(
                    get_all(ALLOW_HEADERS),
                    listed_headers.as_deref().into_iter().collect::<Vec<_>>(),
                    "diagnosed\n{}",
                    context()
                );
                prop_assert!(
                    get_all(MAX_AGE).is_empty(),
                    "a diagnosed preflight is cached\n{}",
                    context()
                );
            }
        }
    }
    Ok(())
}

proptest! {
    /// `build()` refuses exactly the configurations that would let every
    /// origin in with credentials, and accepts every other one generated here.
    #[test]
    fn build_refuses_every_origin_with_credentials(policy in policy_strategy()) {
        let built = policy.builder().build();
        prop_assert_eq!(built.is_ok(), policy.valid(), "{:?}: {:?}", policy, built.err());
    }

    /// A configured pattern matches a request origin exactly when the
    /// oracle's part-by-part comparison says so, whatever lookalike or
    /// malformed origin is tried.
    #[test]
    fn patterns_match_only_what_they_name(
        pattern in pattern_strategy(),
        others in prop::collection::vec(pattern_strategy(), 0..2),
        seed in origin_seed_strategy(),
    ) {
        let written = pattern.render();
        let parsed = OriginPattern::parse(&written);
        prop_assert!(parsed.is_ok(), "{:?}: {:?}", written, parsed);
        let policy = PolicySpec {
            patterns: std::iter::once(pattern.clone()).chain(others).collect(),
            any_origin_call: false,
            methods: MethodsSpec::Default,
            headers: NamesSpec::List(Vec::new()),
            expose: NamesSpec::List(Vec::new()),
            credentials: false,
            max_age: None,
            preflight_status_200: false,
            passthrough: false,
            block_disallowed: false,
        };
        let origin = render_origin(&policy, &seed);
        // The engine's verdict: a policy of this one pattern, asked about a
        // GET from the origin.
        let Ok(value) = actix_web::http::header::HeaderValue::from_str(&origin) else {
            return Err(TestCaseError::reject("not a header value"));
        };
        let cors = Cors::builder().allow_origin(&written).build();
        prop_assert!(cors.is_ok(), "{:?}: {:?}", written, cors.err());
        let req = actix_web::test::TestRequest::get()
            .insert_header(("Origin", value))
            .to_srv_request();
        prop_assert_eq!(
            cors.unwrap().explain(req.head()).allowed,
            oracle_pattern_matches(&pattern, &origin),
            "pattern {:?} origin {:?}", written, origin
        );
    }

    /// Pages can read a response exactly when the policy allows their origin
    /// (and, for preflighted requests, the method and every requested
    /// header), with credentials only when enabled and never with `*`, and
    /// see exactly the exposed headers that are configured.
    #[test]
    fn pages_read_exactly_what_the_policy_allows(
        policy in valid_policy_strategy(),
        requests in prop::collection::vec(page_request_strategy(), 1..=4),
    ) {
        let cors = policy.builder().build();
        prop_assert!(cors.is_ok(), "{:?}: {:?}", policy, cors.err());
        check_requests(&policy, cors.unwrap(), &requests)?;
    }
}
