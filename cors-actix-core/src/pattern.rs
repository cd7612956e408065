//! Allowed-origin patterns: `*`, `null`, an exact origin, any subdomain
//! (`https://*.example.com`), any port (`http://localhost:*`) or any host of a
//! scheme (`https://*`).
//!
//! Patterns are parsed into parts once, at configuration time, and matched
//! against a request origin's parts: never by substring search on the raw
//! string, which is how prefix and suffix lookalikes
//! (`https://example.com.evil.net`, `https://evilexample.com`) get in.

use std::fmt;

use crate::origin::{canonicalize_origin, checked_port, split_configured, RequestOrigin};
use crate::ValueError;

/// One allowed-origin pattern, as configured.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OriginPattern {
    /// `*`: every origin, including `null`.
    Any,
    /// `null`: the opaque origin of sandboxed frames, `data:` URLs and some
    /// redirects. Only ever allowed when written out explicitly.
    Null,
    /// One canonical origin, e.g. `https://app.example.com`.
    Exact(String),
    /// A scheme with a host pattern and a port pattern, at least one of which
    /// is a wildcard.
    Wildcard {
        /// Lower-case scheme; never a wildcard.
        scheme: String,
        /// Which hosts match.
        host: HostPattern,
        /// Which ports match.
        port: PortPattern,
    },
}

/// The host part of a wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HostPattern {
    /// `*`: any host.
    Any,
    /// One host, e.g. `localhost`.
    Exact(String),
    /// `*.example.com`: any host with at least one more label in front of the
    /// domain, at any depth; never the domain itself.
    SubdomainsOf(String),
}

/// The port part of a wildcard pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PortPattern {
    /// No port written: only the scheme's default port.
    Default,
    /// One explicit, non-default port.
    Exact(u16),
    /// `:*`: any port, or none.
    Any,
}

impl OriginPattern {
    /// Parses a configured pattern, or explains what is wrong with it.
    ///
    /// ```
    /// use cors_actix_core::OriginPattern;
    /// let p = OriginPattern::parse("https://*.example.com").unwrap();
    /// assert!(p.matches("https://a.b.example.com"));
    /// assert!(!p.matches("https://example.com"));
    /// assert!(!p.matches("https://a.example.com.evil.net"));
    /// assert!(OriginPattern::parse("https://*.co.uk").is_err());
    /// ```
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        match input {
            "*" => return Ok(Self::Any),
            "null" => return Ok(Self::Null),
            _ => {}
        }
        let parts = split_configured(input, "origin pattern")?;
        let port = match parts.port {
            None => PortPattern::Default,
            Some("*") => PortPattern::Any,
            Some(digits) => match checked_port(input, &parts.scheme, digits)? {
                Some(port) => PortPattern::Exact(port),
                None => PortPattern::Default,
            },
        };
        let host = if parts.host == "*" {
            HostPattern::Any
        } else if let Some(domain) = parts.host.strip_prefix("*.") {
            check_wildcard_domain(input, domain)?;
            HostPattern::SubdomainsOf(domain.to_owned())
        } else if port == PortPattern::Any {
            HostPattern::Exact(parts.host)
        } else {
            return canonicalize_origin(input).map(Self::Exact);
        };
        Ok(Self::Wildcard {
            scheme: parts.scheme,
            host,
            port,
        })
    }

    /// Whether a request's `Origin` value matches. Values that are not in the
    /// canonical form browsers send never match, except `null` for
    /// [`OriginPattern::Null`] and [`OriginPattern::Any`].
    pub fn matches(&self, origin: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Null => origin == "null",
            Self::Exact(exact) => exact == origin,
            Self::Wildcard { .. } => {
                RequestOrigin::parse(origin).is_some_and(|parsed| self.matches_parsed(&parsed))
            }
        }
    }

    /// Whether an already parsed (hence canonical, non-`null`) origin matches.
    pub fn matches_parsed(&self, origin: &RequestOrigin<'_>) -> bool {
        match self {
            Self::Any => true,
            Self::Null => false,
            Self::Exact(exact) => {
                // Rebuild nothing: compare the three parts of the stored string.
                RequestOrigin::parse(exact).is_some_and(|own| own == *origin)
            }
            Self::Wildcard { scheme, host, port } => {
                scheme == origin.scheme && host.matches(origin.host) && port.matches(origin.port)
            }
        }
    }

    /// True for patterns that let in any host at all (`*`, `https://*`).
    /// Browsers read `*` literally when credentials are included, and
    /// reflecting every origin with credentials lets any site read users'
    /// data, so such patterns cannot be combined with credentials or with
    /// private network access.
    pub fn matches_every_host(&self) -> bool {
        matches!(
            self,
            Self::Any
                | Self::Wildcard {
                    host: HostPattern::Any,
                    ..
                }
        )
    }
}

impl HostPattern {
    /// Whether a lower-case host matches.
    pub fn matches(&self, host: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Exact(exact) => exact == host,
            Self::SubdomainsOf(domain) => is_subdomain_of(host, domain),
        }
    }
}

impl PortPattern {
    /// Whether an origin's port (`None` for the default) matches.
    pub fn matches(self, port: Option<u16>) -> bool {
        match self {
            Self::Default => port.is_none(),
            Self::Exact(expected) => port == Some(expected),
            Self::Any => true,
        }
    }
}

/// `host` is `domain` with one or more labels in front, separated by a dot.
pub fn is_subdomain_of(host: &str, domain: &str) -> bool {
    host.len() > domain.len() + 1
        && host.ends_with(domain)
        && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
}

fn check_wildcard_domain(input: &str, domain: &str) -> Result<(), ValueError> {
    if domain.starts_with('[')
        || domain
            .split('.')
            .all(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(ValueError::new(format!(
            "{input:?}: a subdomain wildcard needs a domain name, not an IP address"
        )));
    }
    // A wildcard rule of the list (`*.ck`, `*.compute.amazonaws.com`) makes
    // every name directly under `domain` a public suffix, though `domain`
    // itself is not one: `*.domain` then covers every registrable domain
    // under those. A probe name one label below tells (an exception rule,
    // `!www.ck`, frees only the names it lists).
    let probe = format!("cors-actix-probe.{domain}");
    if psl::suffix(probe.as_bytes())
        .is_some_and(|s| s.is_known() && s.as_bytes() == probe.as_bytes())
    {
        return Err(ValueError::new(format!(
            "{input:?} covers every name directly under {domain:?}, and the public-suffix list \
             makes each of those a public suffix (its rule \"*.{domain}\"), under which anyone \
             can register a domain; name the hosts you own instead, e.g. \
             \"{}://*.yourname.region.{domain}\" or the exact origins",
            &input[..input.find("://").unwrap_or(0)]
        )));
    }
    if psl::suffix(domain.as_bytes())
        .is_some_and(|s| s.is_known() && s.as_bytes() == domain.as_bytes())
    {
        let scheme = &input[..input.find("://").unwrap_or(0)];
        return Err(ValueError::new(format!(
            "{input:?} covers the whole public suffix {domain:?}, where anyone can register a \
             domain (and with it a matching origin); name a domain you own, e.g. \
             \"{scheme}://*.yourcompany.{domain}\". For deployments that live directly under a \
             shared suffix (preview URLs such as \"{scheme}://my-app-git-branch.{domain}\"), list \
             each origin, or match only your project's names with a regular expression \
             (allow_origin_regex(r\"^{scheme}://my-app-[a-z0-9-]+\\.{}$\")) or a function \
             (allow_origin_fn; `origin_fn = ..` in #[cors])",
            domain.replace('.', "\\.")
        )));
    }
    Ok(())
}

impl fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Any => f.write_str("*"),
            Self::Null => f.write_str("null"),
            Self::Exact(origin) => f.write_str(origin),
            Self::Wildcard { scheme, host, port } => {
                write!(f, "{scheme}://")?;
                match host {
                    HostPattern::Any => f.write_str("*")?,
                    HostPattern::Exact(h) => f.write_str(h)?,
                    HostPattern::SubdomainsOf(d) => write!(f, "*.{d}")?,
                }
                match port {
                    PortPattern::Default => Ok(()),
                    PortPattern::Exact(p) => write!(f, ":{p}"),
                    PortPattern::Any => f.write_str(":*"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn names_under_a_wildcard_rule_of_the_public_suffix_list_are_refused() {
        for bad in [
            "https://*.compute.amazonaws.com",
            "https://*.ck",
            "https://*.sch.uk",
            "https://*.kawasaki.jp",
            "https://*.nom.br",
        ] {
            let err = OriginPattern::parse(bad).unwrap_err().to_string();
            assert!(err.contains("public suffix"), "{bad}: {err}");
        }
        // One label further down is a registrable domain: fine.
        for fine in [
            "https://*.mybox.eu-west-1.compute.amazonaws.com",
            "https://*.myschool.area.sch.uk",
            "https://*.city.kawasaki.jp",
        ] {
            assert!(OriginPattern::parse(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn a_shared_suffix_points_at_regex_and_fn() {
        let err = OriginPattern::parse("https://*.vercel.app")
            .unwrap_err()
            .to_string();
        for part in [
            "public suffix \"vercel.app\"",
            "allow_origin_regex(r\"^https://my-app-[a-z0-9-]+\\.vercel\\.app$\")",
            "allow_origin_fn",
            "origin_fn",
        ] {
            assert!(err.contains(part), "{part} not in {err}");
        }
    }

    use super::*;

    fn p(s: &str) -> OriginPattern {
        OriginPattern::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn subdomain_wildcard_refuses_lookalikes() {
        let pat = p("https://*.example.com");
        assert!(pat.matches("https://a.example.com"));
        assert!(pat.matches("https://a.b.c.example.com"));
        for bad in [
            "https://example.com",
            "https://evilexample.com",
            "https://a.example.com.evil.net",
            "http://a.example.com",
            "https://a.example.com:8443",
            "https://A.example.com",
            "https://a.example.com.",
            "https://.example.com",
            "null",
        ] {
            assert!(!pat.matches(bad), "{bad} matched");
        }
    }

    #[test]
    fn any_port_matches_only_that_host() {
        let pat = p("http://localhost:*");
        assert!(pat.matches("http://localhost"));
        assert!(pat.matches("http://localhost:3000"));
        assert!(!pat.matches("http://localhost.evil.com"));
        assert!(!pat.matches("http://localhost.evil.com:3000"));
        assert!(!pat.matches("https://localhost:3000"));
        assert!(!pat.matches("http://evil-localhost:3000"));
    }

    #[test]
    fn exact_patterns_are_canonical_origins() {
        assert_eq!(
            p("https://App.Example.com:443"),
            OriginPattern::Exact("https://app.example.com".into())
        );
        assert_eq!(p("null"), OriginPattern::Null);
        assert_eq!(p("*"), OriginPattern::Any);
        assert!(!p("https://foo.com").matches("https://barfoo.com"));
        assert!(!p("https://foo.com").matches("null"));
    }

    #[test]
    fn wildcard_port_and_subdomain_combine() {
        let pat = p("https://*.example.com:*");
        assert!(pat.matches("https://a.example.com:8443"));
        assert!(pat.matches("https://a.example.com"));
        let pat = p("https://*.example.com:8443");
        assert!(pat.matches("https://a.example.com:8443"));
        assert!(!pat.matches("https://a.example.com"));
    }

    #[test]
    fn every_host_patterns_are_recognised() {
        assert!(p("*").matches_every_host());
        assert!(p("https://*").matches_every_host());
        assert!(p("https://*:*").matches_every_host());
        assert!(!p("https://*.example.com").matches_every_host());
        assert!(!p("null").matches_every_host());
    }

    #[test]
    fn public_suffix_wildcards_are_refused() {
        for bad in ["https://*.com", "https://*.co.uk", "https://*.github.io"] {
            let err = OriginPattern::parse(bad).unwrap_err().to_string();
            assert!(err.contains("public suffix"), "{bad}: {err}");
        }
        assert!(OriginPattern::parse("https://*.example.co.uk").is_ok());
        assert!(OriginPattern::parse("http://*.localhost:*").is_ok());
    }

    #[test]
    fn malformed_wildcards_are_explained() {
        for (bad, expected) in [
            ("https://a*.example.com", "wildcard"),
            ("https://*example.com", "wildcard"),
            ("https://*.127.0.0.1", "IP address"),
            ("https://*.example.com/", "did you mean"),
            ("*://example.com", "invalid scheme"),
        ] {
            let err = OriginPattern::parse(bad).unwrap_err().to_string();
            assert!(err.contains(expected), "{bad}: {err}");
        }
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "*",
            "null",
            "https://a.com",
            "https://*.a.com:*",
            "http://localhost:*",
            "https://*:8443",
        ] {
            assert_eq!(p(s).to_string(), s);
        }
    }
}
