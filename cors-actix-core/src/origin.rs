//! Origins as browsers serialise them (`scheme://host[:port]`, or `null`).
//!
//! Browsers send the `Origin` header in one canonical form: lower-case scheme
//! and host, Unicode hosts in punycode, and no port when it is the scheme's
//! default. An `Access-Control-Allow-Origin` value is compared with that form
//! byte for byte, so a request `Origin` that is not canonical cannot come from
//! a browser and is never granted anything. Configured origins, on the other
//! hand, are written by people: [`canonicalize_origin`] accepts any case and an
//! explicit default port and brings them to the canonical form.

use crate::ValueError;

/// Longest `Origin` value considered at all. A DNS name is at most 253 bytes;
/// anything far longer is not an origin a browser sends.
pub const MAX_ORIGIN_LEN: usize = 512;

/// A request's `Origin`, split into its parts without copying; built only by
/// [`parse`](Self::parse), so always in the canonical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestOrigin<'a> {
    scheme: &'a str,
    host: &'a str,
    port: Option<u16>,
}

impl<'a> RequestOrigin<'a> {
    /// Splits a serialised origin, accepting only the canonical form a browser
    /// sends. Returns `None` for `null` (an opaque origin) and for anything
    /// malformed or non-canonical.
    pub fn parse(value: &'a str) -> Option<Self> {
        if value.len() > MAX_ORIGIN_LEN {
            return None;
        }
        // One pass over each part, which ends where its delimiter is found
        // (this runs for every request origin a table lookup did not settle).
        let colon = lowercase_scheme_len(value.as_bytes())?;
        let (scheme, rest) = (&value[..colon], value[colon + 1..].strip_prefix("//")?);
        let (host, port) = if rest.starts_with('[') {
            let (host, port) = split_host_port(rest)?;
            if !is_lowercase_host(host) {
                return None;
            }
            (host, port)
        } else {
            let (host, after) = rest.split_at(host_len(rest.as_bytes(), &LABEL_BYTE_LOWERCASE)?);
            match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => (host, None), // `host_len` ends only at a `:` or the end
            }
        };
        let port = match port {
            None => None,
            Some(digits) => {
                let port = parse_port(digits)?;
                if default_port(scheme) == Some(port) {
                    return None;
                }
                Some(port)
            }
        };
        Some(Self { scheme, host, port })
    }

    /// Lower-case scheme, e.g. `https`.
    pub fn scheme(&self) -> &'a str {
        self.scheme
    }

    /// Lower-case host: a DNS name, an IPv4 address or a bracketed IPv6
    /// address.
    pub fn host(&self) -> &'a str {
        self.host
    }

    /// The port, absent when it is the scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.port
    }
}

/// Brings a configured origin to the form browsers send, or explains what is
/// wrong with it.
///
/// (As an exact [`OriginPattern`](crate::OriginPattern):)
///
/// ```
/// use cors_actix_core::{OriginPattern, PatternKind};
/// let exact = OriginPattern::parse("HTTPS://App.Example.com:443").unwrap();
/// assert_eq!(exact.kind(), PatternKind::Exact("https://app.example.com"));
/// let err = OriginPattern::parse("https://a.com/").unwrap_err().to_string();
/// assert!(err.contains("did you mean \"https://a.com\""));
/// ```
pub(crate) fn canonicalize_origin(input: &str) -> Result<String, ValueError> {
    if input == "null" {
        return Ok("null".to_owned());
    }
    let parts = split_configured(input, "origin")?;
    if parts.host == "*" || parts.host.starts_with("*.") || parts.port == Some("*") {
        return Err(ValueError::new(format!(
            "{input:?} is a pattern, not an origin; pass it to `allow_origins` (or `allow_origin`), which accept patterns"
        )));
    }
    let mut out = String::with_capacity(input.len());
    out.push_str(&parts.scheme);
    out.push_str("://");
    out.push_str(&parts.host);
    if let Some(port) = parts.port {
        let port = checked_port(input, &parts.scheme, port)?;
        if let Some(port) = port {
            out.push(':');
            out.push_str(&port.to_string());
        }
    }
    Ok(out)
}

/// A configured origin or pattern split into lower-cased parts; the host and
/// port may still hold `*` wildcards, which the caller interprets.
pub(crate) struct ConfiguredParts<'a> {
    pub scheme: String,
    pub host: String,
    pub port: Option<&'a str>,
}

/// Splits `scheme://host[:port]` written by a person, with an error message
/// for each way it is commonly mistyped.
pub(crate) fn split_configured<'a>(
    input: &'a str,
    what: &str,
) -> Result<ConfiguredParts<'a>, ValueError> {
    if input.is_empty() {
        return Err(ValueError::new(format!(
            "an empty string is not an {what}; write scheme://host[:port], e.g. \"https://app.example.com\""
        )));
    }
    if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ValueError::new(format!(
            "{input:?} contains whitespace or control characters; an {what} is scheme://host[:port] with nothing around it"
        )));
    }
    if input.contains(',') {
        let parts: Vec<String> = input
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| format!("{part:?}"))
            .collect();
        return Err(ValueError::new(format!(
            "{input:?} holds several values separated by ','; give each {what} separately, as a \
             list: [{}] (a comma-separated environment variable must be split on ',' first)",
            parts.join(", ")
        )));
    }
    if !input.is_ascii() {
        return Err(ValueError::new(format!(
            "{input:?} is not ASCII; browsers send internationalised hosts in punycode (\"xn--...\"), so write the host that way"
        )));
    }
    let Some((scheme, rest)) = input.split_once("://") else {
        return Err(ValueError::new(format!(
            "{input:?} has no scheme; an {what} is scheme://host[:port], e.g. \"https://{}\"",
            input.trim_start_matches('/')
        )));
    };
    if scheme.eq_ignore_ascii_case("file") {
        return Err(ValueError::new(format!(
            "{input:?}: a page opened from a file has no origin of its own; browsers send \
             `Origin: null` for it. Serve the page over http://localhost instead, or allow \
             \"null\" (then every sandboxed frame and file page, from anywhere, is allowed too)"
        )));
    }
    if !is_scheme(scheme) {
        return Err(ValueError::new(format!(
            "{input:?} has an invalid scheme {scheme:?}; use a scheme such as http or https"
        )));
    }
    if let Some(cut) = rest.find(['/', '?', '#']) {
        let kind = match rest.as_bytes()[cut] {
            b'/' => "a path",
            b'?' => "a query",
            _ => "a fragment",
        };
        let trimmed = &input[..scheme.len() + 3 + cut];
        return Err(ValueError::new(format!(
            "{input:?}: an {what} has no path, query or fragment, and this has {kind}; did you mean {trimmed:?}?"
        )));
    }
    if rest.contains('@') {
        return Err(ValueError::new(format!(
            "{input:?}: an {what} has no user name or password; remove the part before '@'"
        )));
    }
    let Some((host, port)) = split_host_port(rest) else {
        return Err(ValueError::new(format!(
            "{input:?} has a malformed host or port; write scheme://host[:port]"
        )));
    };
    let host = host.to_ascii_lowercase();
    let host_to_check = host.strip_prefix("*.").unwrap_or(&host);
    if host != "*" && !is_host(host_to_check) {
        let hint = if host_to_check.ends_with('.') {
            "; remove the trailing dot"
        } else if host_to_check.contains('*') {
            "; a wildcard may only stand for whole leading labels, as in \"https://*.example.com\""
        } else {
            ""
        };
        return Err(ValueError::new(format!(
            "{input:?} has an invalid host {host:?}{hint}"
        )));
    }
    Ok(ConfiguredParts {
        scheme: scheme.to_ascii_lowercase(),
        host,
        port,
    })
}

/// Parses a configured port; `Ok(None)` when it is the scheme's default, which
/// browsers leave out.
pub(crate) fn checked_port(
    input: &str,
    scheme: &str,
    digits: &str,
) -> Result<Option<u16>, ValueError> {
    let port = digits
        .parse::<u16>()
        .ok()
        .filter(|_| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            ValueError::new(format!(
                "{input:?} has an invalid port {digits:?}; a port is a number from 0 to 65535, or * for any port"
            ))
        })?;
    Ok(if default_port(scheme) == Some(port) {
        None
    } else {
        Some(port)
    })
}

/// The port a browser leaves out of the serialised origin for this scheme.
pub fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

/// The length of the lower-case scheme that starts `bytes` and that a `:`
/// ends: a letter, then letters, digits, `+`, `-` and `.`.
fn lowercase_scheme_len(bytes: &[u8]) -> Option<usize> {
    if !bytes.first()?.is_ascii_lowercase() {
        return None;
    }
    for (i, &b) in bytes.iter().enumerate().skip(1) {
        match b {
            b':' => return Some(i),
            b'a'..=b'z' | b'0'..=b'9' | b'+' | b'-' | b'.' => {}
            _ => return None,
        }
    }
    None
}

fn is_scheme(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// Splits a request's authority (a `Host` header, or the request target's
/// authority) into its host and port: `None` when it is not `host[:port]`
/// with a non-empty host and a decimal port. No case is changed.
pub fn split_authority(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = split_host_port(authority)?;
    if host.is_empty() {
        return None;
    }
    let port = match port {
        None => None,
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            Some(digits.parse().ok()?)
        }
        Some(_) => return None,
    };
    Some((host, port))
}

/// Splits `host[:port]`, keeping IPv6 brackets with the host.
fn split_host_port(rest: &str) -> Option<(&str, Option<&str>)> {
    if rest.starts_with('[') {
        let close = rest.find(']')?;
        let (host, after) = rest.split_at(close + 1);
        return match after {
            "" => Some((host, None)),
            _ => after.strip_prefix(':').map(|port| (host, Some(port))),
        };
    }
    match rest.split_once(':') {
        Some((host, port)) if !port.contains(':') => Some((host, Some(port))),
        Some(_) => None,
        None => Some((rest, None)),
    }
}

fn parse_port(digits: &str) -> Option<u16> {
    let canonical = !digits.is_empty()
        && digits.len() <= 5
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if canonical {
        digits.parse().ok()
    } else {
        None
    }
}

/// [`is_host`] without upper-case letters: the host of a canonical origin.
fn is_lowercase_host(host: &str) -> bool {
    host_shape(host, &LABEL_BYTE_LOWERCASE)
}

/// A host as it appears in a serialised origin: a bracketed IPv6 address, or
/// dot-separated non-empty labels of letters, digits, `-` and `_`.
fn is_host(host: &str) -> bool {
    host_shape(host, &LABEL_BYTE)
}

/// A bracketed IPv6 address, or labels of 1 to 63 bytes that `label_byte`
/// allows, between dots, at most 253 bytes in all: one pass over the bytes,
/// one table lookup each (this runs for every request origin a table lookup
/// did not settle).
fn host_shape(host: &str, label_byte: &[bool; 256]) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        // Hex digits in the table's case, `:` and `.` (an embedded IPv4).
        return inner.len() >= 2
            && inner.contains(':')
            && inner.bytes().all(|b| {
                b == b':' || b == b'.' || (b.is_ascii_hexdigit() && label_byte[usize::from(b)])
            });
    }
    host_len(host.as_bytes(), label_byte) == Some(host.len())
}

/// The length of the host of dot-separated labels that starts `bytes` and
/// ends at a `:` or the end: labels of 1 to 63 bytes that `label_byte`
/// allows, at most 253 bytes in all; `None` for anything else before that.
fn host_len(bytes: &[u8], label_byte: &[bool; 256]) -> Option<usize> {
    let mut label_len = 0;
    let mut end = bytes.len();
    for (i, &b) in bytes.iter().enumerate() {
        if label_byte[usize::from(b)] {
            label_len += 1;
            if label_len > 63 {
                return None;
            }
        } else if b == b'.' {
            if label_len == 0 {
                return None;
            }
            label_len = 0;
        } else if b == b':' {
            end = i;
            break;
        } else {
            return None;
        }
    }
    (label_len > 0 && end <= 253).then_some(end)
}

/// Whether a byte may appear in a host label: letters, digits, `-`, `_`.
const LABEL_BYTE: [bool; 256] = label_bytes(false);
/// The same, lower-case letters only (a canonical host).
const LABEL_BYTE_LOWERCASE: [bool; 256] = label_bytes(true);

const fn label_bytes(lowercase_only: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_lowercase()
            || (c.is_ascii_uppercase() && !lowercase_only)
            || c.is_ascii_digit()
            || c == b'-'
            || c == b'_';
        b += 1;
    }
    table
}

#[cfg(test)]
mod tests {

    #[test]
    fn messages_point_at_the_real_mistake() {
        let err = |input: &str| canonicalize_origin(input).unwrap_err().to_string();
        let list = err("https://a.example,https://b.example");
        assert!(
            list.contains(r#"["https://a.example", "https://b.example"]"#),
            "{list}"
        );
        assert!(!list.contains("did you mean"), "{list}");
        let file = err("file://");
        assert!(
            file.contains("Origin: null") && file.contains("http://localhost"),
            "{file}"
        );
        assert!(!file.contains("invalid host"), "{file}");
        assert!(err("FILE:///home/me/page.html").contains("Origin: null"));
    }

    #[test]
    fn the_lowercase_host_check_is_the_host_check_without_upper_case() {
        // Every string of up to three bytes from an alphabet that covers each
        // branch, and some longer ones.
        let alphabet = ["a", "Z", "0", "-", "_", ".", ":", "[", "]", "é", " ", "1f"];
        let mut hosts = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = hosts
                .iter()
                .flat_map(|h| alphabet.iter().map(move |c| format!("{h}{c}")))
                .collect();
            hosts.extend(longer);
        }
        hosts.extend([
            "a".repeat(63),
            "a".repeat(64),
            format!("{}.b", "a".repeat(63)),
            "x.".repeat(126) + "y",
            "x.".repeat(127) + "y",
            "[::1]".into(),
            "[::A]".into(),
            "[fe80::1]".into(),
        ]);
        for host in hosts {
            let expected = super::is_host(&host) && !host.bytes().any(|b| b.is_ascii_uppercase());
            assert_eq!(super::is_lowercase_host(&host), expected, "{host:?}");
        }
    }

    use super::*;

    #[test]
    fn parses_canonical_origins() {
        let o = RequestOrigin::parse("https://app.example.com").unwrap();
        assert_eq!(
            (o.scheme, o.host, o.port),
            ("https", "app.example.com", None)
        );
        let o = RequestOrigin::parse("http://localhost:8080").unwrap();
        assert_eq!(
            (o.scheme, o.host, o.port),
            ("http", "localhost", Some(8080))
        );
        let o = RequestOrigin::parse("http://[::1]:3000").unwrap();
        assert_eq!((o.host, o.port), ("[::1]", Some(3000)));
        assert!(RequestOrigin::parse("http://127.0.0.1").is_some());
    }

    #[test]
    fn refuses_what_no_browser_sends() {
        for bad in [
            "null",
            "",
            "https://",
            "https://Example.com",
            "HTTPS://example.com",
            "https://example.com:443",
            "http://example.com:80",
            "https://example.com:0443",
            "https://example.com:99999",
            "https://example.com:",
            "https://example.com/",
            "https://example.com.",
            "https://a..example.com",
            "https://user@example.com",
            "https://exa mple.com",
            "https://example.com\n",
            "https://bücher.example",
            "example.com",
            "https://example.com:80:80",
            "https://*.example.com",
        ] {
            assert!(RequestOrigin::parse(bad).is_none(), "{bad:?} accepted");
        }
        let long = format!("https://{}.com", "a".repeat(MAX_ORIGIN_LEN));
        assert!(RequestOrigin::parse(&long).is_none());
    }

    #[test]
    fn canonicalizes_configured_origins() {
        assert_eq!(
            canonicalize_origin("https://App.EXAMPLE.com").unwrap(),
            "https://app.example.com"
        );
        assert_eq!(
            canonicalize_origin("http://localhost:80").unwrap(),
            "http://localhost"
        );
        assert_eq!(
            canonicalize_origin("http://localhost:8080").unwrap(),
            "http://localhost:8080"
        );
        assert_eq!(canonicalize_origin("null").unwrap(), "null");
    }

    #[test]
    fn explains_configuration_mistakes() {
        let cases = [
            ("https://a.com/", "did you mean \"https://a.com\""),
            ("https://a.com/api?x=1", "did you mean \"https://a.com\""),
            ("a.com", "has no scheme"),
            ("https://user:pw@a.com", "user name or password"),
            ("https://a.com:http", "invalid port"),
            ("https://bücher.de", "punycode"),
            ("https://a.com.", "trailing dot"),
            (" https://a.com", "whitespace"),
            ("https://*.a.com", "is a pattern"),
            ("", "empty string"),
        ];
        for (input, expected) in cases {
            let err = canonicalize_origin(input).unwrap_err().to_string();
            assert!(err.contains(expected), "{input:?}: {err}");
        }
    }
}
