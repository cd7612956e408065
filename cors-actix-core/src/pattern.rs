//! Allowed-origin patterns: `*`, `null`, an exact origin, any subdomain
//! (`https://*.example.com`), any port (`http://localhost:*`) or any host of a
//! scheme (`https://*`).
//!
//! Patterns are parsed into parts once, at configuration time, and matched
//! against a request origin's parts: never by substring search on the raw
//! string, which is how prefix and suffix lookalikes
//! (`https://example.com.evil.net`, `https://evilexample.com`) get in.

use std::fmt;

use crate::origin::{canonicalize_origin, checked_port, split_configured};
use crate::ValueError;

/// One allowed-origin pattern, as configured. Built only by
/// [`parse`](Self::parse), so every pattern has passed its checks; read it
/// through [`kind`](Self::kind).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OriginPattern(Repr);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Repr {
    Any,
    Null,
    Exact(String),
    Wildcard {
        scheme: String,
        host: HostRepr,
        port: PortPattern,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum HostRepr {
    Any,
    Exact(String),
    SubdomainsOf(String),
}

/// What a pattern allows, borrowed from it (a view: no pattern can be made
/// from one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternKind<'a> {
    /// `*`: every origin, including `null`.
    Any,
    /// `null`: the opaque origin of sandboxed frames, `data:` URLs and some
    /// redirects. Only ever allowed when written out explicitly.
    Null,
    /// One canonical origin, e.g. `https://app.example.com`.
    Exact(&'a str),
    /// A scheme with a host pattern and a port pattern, at least one of which
    /// is a wildcard.
    Wildcard {
        /// Lower-case scheme; never a wildcard.
        scheme: &'a str,
        /// Which hosts match.
        host: HostPattern<'a>,
        /// Which ports match.
        port: PortPattern,
    },
}

/// The host part of a wildcard pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostPattern<'a> {
    /// `*`: any host.
    Any,
    /// One host, e.g. `localhost`.
    Exact(&'a str),
    /// `*.example.com`: any host with at least one more label in front of the
    /// domain, at any depth; never the domain itself.
    SubdomainsOf(&'a str),
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
    /// use cors_actix_core::{HostPattern, OriginPattern, PatternKind};
    /// let p = OriginPattern::parse("https://*.example.com").unwrap();
    /// assert!(matches!(
    ///     p.kind(),
    ///     PatternKind::Wildcard { host: HostPattern::SubdomainsOf("example.com"), .. }
    /// ));
    /// assert!(OriginPattern::parse("https://*.co.uk").is_err());
    /// ```
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        match input {
            "*" => return Ok(Self(Repr::Any)),
            "null" => return Ok(Self(Repr::Null)),
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
            HostRepr::Any
        } else if let Some(domain) = parts.host.strip_prefix("*.") {
            check_wildcard_domain(input, domain)?;
            HostRepr::SubdomainsOf(domain.to_owned())
        } else if port == PortPattern::Any {
            HostRepr::Exact(parts.host)
        } else {
            return canonicalize_origin(input).map(|origin| Self(Repr::Exact(origin)));
        };
        Ok(Self(Repr::Wildcard {
            scheme: parts.scheme,
            host,
            port,
        }))
    }

    /// What the pattern allows.
    pub fn kind(&self) -> PatternKind<'_> {
        match &self.0 {
            Repr::Any => PatternKind::Any,
            Repr::Null => PatternKind::Null,
            Repr::Exact(origin) => PatternKind::Exact(origin),
            Repr::Wildcard { scheme, host, port } => PatternKind::Wildcard {
                scheme,
                host: match host {
                    HostRepr::Any => HostPattern::Any,
                    HostRepr::Exact(host) => HostPattern::Exact(host),
                    HostRepr::SubdomainsOf(domain) => HostPattern::SubdomainsOf(domain),
                },
                port: *port,
            },
        }
    }

    /// `*`.
    pub fn is_any(&self) -> bool {
        self.0 == Repr::Any
    }

    /// True for patterns that let in any host at all (`*`, `https://*`).
    /// Browsers read `*` literally when credentials are included, and
    /// reflecting every origin with credentials lets any site read users'
    /// data, so such patterns cannot be combined with credentials or with
    /// private network access.
    pub fn matches_every_host(&self) -> bool {
        matches!(
            self.kind(),
            PatternKind::Any
                | PatternKind::Wildcard {
                    host: HostPattern::Any,
                    ..
                }
        )
    }
}

/// `host` is `domain` with one or more labels in front, separated by a dot.
#[cfg(test)]
fn is_subdomain_of(host: &str, domain: &str) -> bool {
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
        match self.kind() {
            PatternKind::Any => f.write_str("*"),
            PatternKind::Null => f.write_str("null"),
            PatternKind::Exact(origin) => f.write_str(origin),
            PatternKind::Wildcard { scheme, host, port } => {
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
    fn exact_patterns_are_canonical_origins() {
        assert_eq!(
            p("https://App.Example.com:443").kind(),
            PatternKind::Exact("https://app.example.com")
        );
        assert_eq!(p("null").kind(), PatternKind::Null);
        assert_eq!(p("*").kind(), PatternKind::Any);
        assert!(p("*").is_any() && !p("null").is_any());
    }

    #[test]
    fn wildcards_are_split_into_their_parts() {
        assert_eq!(
            p("https://*.Example.com:*").kind(),
            PatternKind::Wildcard {
                scheme: "https",
                host: HostPattern::SubdomainsOf("example.com"),
                port: PortPattern::Any,
            }
        );
        assert_eq!(
            p("http://localhost:*").kind(),
            PatternKind::Wildcard {
                scheme: "http",
                host: HostPattern::Exact("localhost"),
                port: PortPattern::Any,
            }
        );
        assert_eq!(
            p("https://*:443").kind(),
            PatternKind::Wildcard {
                scheme: "https",
                host: HostPattern::Any,
                port: PortPattern::Default,
            }
        );
    }

    #[test]
    fn subdomains_need_a_label_and_a_dot() {
        assert!(is_subdomain_of("a.example.com", "example.com"));
        assert!(is_subdomain_of("a.b.example.com", "example.com"));
        for bad in ["example.com", "evilexample.com", ".example.com", "com"] {
            assert!(!is_subdomain_of(bad, "example.com"), "{bad}");
        }
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
