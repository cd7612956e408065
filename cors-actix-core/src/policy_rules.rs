//! Rules about combinations of settings, shared by the builder and the macro.

use crate::ValueError;

/// Refuses a setting that lets in every origin (`*`, `https://*`) together
/// with credentials or private network access. `what` names the setting as
/// the user wrote it.
pub fn check_every_origin(
    what: &str,
    credentials: bool,
    private_network: bool,
) -> Result<(), ValueError> {
    if credentials {
        return Err(ValueError::new(format!(
            "{what} allows every origin, which cannot be combined with credentials: browsers reject `*` \
             with credentials, and granting every origin credentials lets any website read your users' \
             data; list the origins that need credentials instead"
        )));
    }
    if private_network {
        return Err(ValueError::new(format!(
            "{what} allows every origin, which cannot be combined with private network access: it would \
             let any website on the internet reach this private-network server; list the origins that \
             need it instead"
        )));
    }
    Ok(())
}

/// The error for a policy that allows no origin at all.
pub fn no_origin_error(how: &str) -> ValueError {
    ValueError::new(format!(
        "no origin is allowed, so every CORS request would be refused; {how}"
    ))
}

/// Checks the status code of allowed preflights.
pub fn check_preflight_status(status: u16) -> Result<(), ValueError> {
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(ValueError::new(format!(
            "{status} is not a 2xx status, and browsers fail a preflight answered with any other; \
             use 204 (the default) or 200"
        )))
    }
}

/// Request header names a page can never set: the Fetch standard's
/// forbidden request-header names (and its `proxy-` and `sec-` prefixes).
/// The browser sets or refuses them itself, so allowing one has no effect.
const FORBIDDEN_REQUEST_HEADERS: [&str; 21] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// Why allowing the request header `name` has no effect, if it has none.
pub fn never_sent_request_header(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let forbidden = FORBIDDEN_REQUEST_HEADERS.contains(&lower.as_str())
        || lower.starts_with("proxy-")
        || lower.starts_with("sec-");
    if !forbidden {
        return None;
    }
    let fix = match lower.as_str() {
        "cookie" | "cookie2" => {
            "cookies are sent by the browser itself: enable credentials (and `credentials: \
             'include'` in the page's fetch) instead"
        }
        "origin" | "host" | "referer" => "the browser sends it itself; remove it from the list",
        _ => "remove it from the list",
    };
    Some(format!(
        "allowed request header {name:?} has no effect: browsers never let a page set it (a \
         forbidden request-header name in the Fetch standard); {fix}"
    ))
}

/// Why exposing the response header `name` has no effect, if it has none.
pub fn never_readable_response_header(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if lower != "set-cookie" && lower != "set-cookie2" {
        return None;
    }
    Some(format!(
        "exposed header {name:?} has no effect: browsers never let script read Set-Cookie, \
         whatever Access-Control-Expose-Headers says; the browser stores the cookie itself \
         (with credentials enabled), so remove it from the list"
    ))
}

/// Why allowing the origin pattern `input` with credentials is risky, if it
/// is.
pub fn risky_with_credentials(pattern: &crate::OriginPattern, input: &str) -> Option<String> {
    use crate::{HostPattern, PatternKind};
    match pattern.kind() {
        PatternKind::Null => Some(
            "the origin \"null\" is allowed with credentials: every sandboxed frame, data: URL \
             and file: page has this origin, on any site, so any of them can read your users' \
             credentialed answers; allow the real origins of your pages instead"
                .to_owned(),
        ),
        PatternKind::Wildcard {
            host: HostPattern::SubdomainsOf(domain),
            ..
        } => Some(format!(
            "the pattern {input:?} is allowed with credentials: any subdomain of {domain}, \
             including a forgotten one or one taken over (a dangling DNS record), can then read \
             your users' credentialed answers, and CORS scanners flag this; list the subdomains \
             that need credentials instead"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod warning_tests {
    use super::*;
    use crate::OriginPattern;

    #[test]
    fn headers_that_never_work_are_named() {
        for name in [
            "Cookie",
            "host",
            "Sec-Fetch-Mode",
            "proxy-authorization",
            "content-length",
        ] {
            let warning = never_sent_request_header(name).unwrap_or_default();
            assert!(warning.contains(&format!("{name:?}")), "{name}: {warning}");
        }
        assert!(never_sent_request_header("Cookie")
            .unwrap()
            .contains("enable credentials"));
        for fine in ["content-type", "authorization", "x-csrf-token", "accept"] {
            assert_eq!(never_sent_request_header(fine), None, "{fine}");
        }
        assert!(never_readable_response_header("Set-Cookie").is_some());
        assert_eq!(never_readable_response_header("x-request-id"), None);
    }

    #[test]
    fn risky_credentials_patterns_are_named() {
        let risky =
            |input: &str| risky_with_credentials(&OriginPattern::parse(input).unwrap(), input);
        assert!(risky("null").unwrap().contains("sandboxed frame"));
        let sub = risky("https://*.example.com").unwrap();
        assert!(sub.contains("list the subdomains"), "{sub}");
        assert_eq!(risky("https://app.example.com"), None);
        assert_eq!(risky("http://localhost:*"), None);
    }
}
