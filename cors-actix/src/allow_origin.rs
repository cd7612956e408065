//! `Access-Control-Allow-Origin`: which origins a policy grants, and the value
//! it sends them.

use std::collections::{HashMap, HashSet};

/// Configured origins are the keys; a request's origin is only looked up.
/// A fixed seed keeps instruction counts repeatable from run to run.
type Hasher = foldhash::fast::FixedState;
use std::fmt;
use std::sync::Arc;

use actix_web::dev::RequestHead;
use actix_web::http::header::HeaderValue;
use cors_actix_core::{check_every_origin, no_origin_error, risky_with_credentials};
use cors_actix_core::{
    HostPattern, OriginPattern, PatternKind, PortPattern, RequestOrigin, MAX_ORIGIN_LEN,
};

use crate::headers::ANY;
#[cfg(feature = "regex")]
use crate::origin_regex::OriginRegex;
use crate::CorsConfigError;

/// A user predicate deciding on origins no pattern matched.
pub(crate) type OriginPredicate = Arc<dyn Fn(&str, &RequestHead) -> bool + Send + Sync>;

/// The origin settings of a builder, as given.
pub(crate) struct OriginSettings<'a> {
    /// `allow_origin` and `allow_origins`.
    pub(crate) origins: &'a [String],
    /// `allow_any_origin`.
    pub(crate) any: bool,
    /// `allow_origin_regex`.
    pub(crate) regexes: &'a [String],
    /// `allow_origin_fn`.
    pub(crate) predicates: &'a [OriginPredicate],
    /// `allow_origin_list`.
    pub(crate) lists: &'a [crate::OriginList],
    /// `allow_origin_async` and `allow_origin_lookup`.
    #[cfg(feature = "async-origins")]
    pub(crate) lookups: &'a [crate::OriginLookup],
}

/// The origins of a policy; built only by [`from_config`](Self::from_config),
/// so it allows some origin, and every origin only where that is safe.
pub(crate) struct AllowOrigin(Origins);

enum Origins {
    /// Every origin, answered with the literal `*`: the answer does not depend
    /// on the request, so no `Vary: Origin` is needed. Never combined with
    /// credentials (browsers read `*` literally then).
    Any,
    /// The origins a matcher accepts, each answered with its own value.
    Matching(OriginMatcher),
}

impl AllowOrigin {
    /// Checks the origin settings, in the order given, together with the
    /// credentials and private network settings they must agree with, and
    /// builds the matcher; a warning is added for each risky origin.
    pub(crate) fn from_config(
        settings: OriginSettings<'_>,
        credentials: bool,
        private_network: bool,
        warnings: &mut Vec<String>,
    ) -> Result<Self, CorsConfigError> {
        // Refuses "every origin" together with settings that browsers or
        // safety forbid for it.
        let check_not_every_origin = |what: &str| {
            check_every_origin(what, credentials, private_network)
                .map_err(|e| CorsConfigError::Conflict(e.to_string()))
        };
        let mut any_origin = settings.any;
        let mut matcher = OriginMatcher::default();
        for input in settings.origins {
            let pattern =
                OriginPattern::parse(input).map_err(|e| CorsConfigError::Origin(e.to_string()))?;
            if credentials {
                warnings.extend(risky_with_credentials(&pattern, input));
            }
            if pattern.is_any() {
                any_origin = true;
                continue;
            }
            if pattern.matches_every_host() {
                check_not_every_origin(&format!("the pattern {input:?}"))?;
            }
            matcher.add_pattern(&pattern);
        }
        for input in settings.regexes {
            #[cfg(feature = "regex")]
            matcher.add_regex(OriginRegex::compile(input)?);
            #[cfg(not(feature = "regex"))]
            let _ = input;
        }
        for predicate in settings.predicates {
            matcher.add_predicate(predicate.clone());
        }
        for list in settings.lists {
            list.require(credentials, private_network)?;
            matcher.add_list(list.clone());
        }
        #[cfg(feature = "async-origins")]
        for lookup in settings.lookups {
            matcher.add_lookup(lookup.clone());
        }
        if any_origin {
            check_not_every_origin("allow_any_origin() (or \"*\")")?;
            Ok(Self(Origins::Any))
        } else if matcher.is_empty() {
            Err(CorsConfigError::Conflict(
                no_origin_error(
                    "call allow_origin(), allow_origins(), allow_origin_fn(), allow_origin_list(), \
                     allow_origin_async() or allow_any_origin()",
                )
                .to_string(),
            ))
        } else {
            Ok(Self(Origins::Matching(matcher)))
        }
    }

    /// The `Access-Control-Allow-Origin` value for a request origin, or `None`
    /// when the origin is not allowed.
    pub(crate) fn grant(&self, origin: &HeaderValue, head: &RequestHead) -> Option<HeaderValue> {
        match &self.0 {
            Origins::Any => Some(ANY),
            // Cloning the request's own value shares its bytes: no copy.
            Origins::Matching(matcher) => matcher.matches(origin, head).then(|| origin.clone()),
        }
    }

    pub(crate) fn is_any(&self) -> bool {
        matches!(self.0, Origins::Any)
    }

    /// The matcher that decides, `None` when every origin is allowed.
    #[inline]
    pub(crate) fn matcher(&self) -> Option<&OriginMatcher> {
        match &self.0 {
            Origins::Any => None,
            Origins::Matching(matcher) => Some(matcher),
        }
    }
}

/// Decides whether an origin is allowed, cheapest test first: a hash lookup
/// for exact origins, then hash lookups per host label for wildcard patterns,
/// then regular expressions, then user predicates.
#[derive(Default)]
pub(crate) struct OriginMatcher {
    exact: ExactOrigins,
    null: bool,
    wildcards: Vec<SchemeWildcards>,
    #[cfg(feature = "regex")]
    regexes: Vec<OriginRegex>,
    predicates: Vec<OriginPredicate>,
    lists: Vec<crate::OriginList>,
    #[cfg(feature = "async-origins")]
    lookups: Vec<crate::OriginLookup>,
}

/// The wildcard patterns of one scheme, indexed by host so that matching
/// costs a few hash lookups (one per label of the request's host) however
/// many patterns there are.
struct SchemeWildcards {
    scheme: Box<str>,
    any_host: PortSet,
    /// `http://localhost:*`: one host, some ports.
    hosts: HostTable,
    /// `https://*.example.com`: keyed by `example.com`.
    subdomains_of: HostTable,
}

/// Hosts or domains and their ports, with the lengths of the keys: a host or
/// domain of a length no key has (most of those a refused origin's host
/// yields) is turned away without being hashed.
#[derive(Default)]
struct HostTable {
    ports: HashMap<HostKey, PortSet, Hasher>,
    /// Bit `n` set when some key is `n` bytes long (bit 63: 63 or more).
    lengths: u64,
}

impl HostTable {
    fn entry(&mut self, key: &str) -> &mut PortSet {
        self.lengths |= length_bit(key.len());
        self.ports.entry(HostKey(key.into())).or_default()
    }

    #[inline]
    fn get(&self, key: &[u8]) -> Option<(&HostKey, &PortSet)> {
        if self.lengths & length_bit(key.len()) == 0 {
            return None;
        }
        self.ports.get_key_value(key)
    }

    fn is_empty(&self) -> bool {
        self.lengths == 0
    }
}

#[inline]
fn length_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// A host or domain of the wildcard tables, looked up by bytes: the
/// prefilter reads a request's host as sent, and a text check first cost
/// more than the lookup.
#[derive(PartialEq, Eq)]
struct HostKey(Box<str>);

impl std::hash::Hash for HostKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // As `[u8]` hashes, so that `Borrow<[u8]>` finds it.
        self.0.as_bytes().hash(state);
    }
}

impl std::borrow::Borrow<[u8]> for HostKey {
    fn borrow(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

#[derive(Default, Clone)]
struct PortSet {
    default: bool,
    any: bool,
    exact: Vec<u16>,
}

impl PortSet {
    fn add(&mut self, port: PortPattern) {
        match port {
            PortPattern::Default => self.default = true,
            PortPattern::Any => self.any = true,
            PortPattern::Exact(p) => {
                if !self.exact.contains(&p) {
                    self.exact.push(p)
                }
            }
        }
    }

    fn matches(&self, port: Option<u16>) -> bool {
        self.any
            || match port {
                None => self.default,
                Some(p) => self.exact.contains(&p),
            }
    }

    fn is_empty(&self) -> bool {
        !self.default && !self.any && self.exact.is_empty()
    }
}

impl OriginMatcher {
    pub(crate) fn add_pattern(&mut self, pattern: &OriginPattern) {
        match pattern.kind() {
            // `*` is turned into `AllowOrigin`'s any origin or an "any host"
            // pattern by `AllowOrigin::from_config` before it gets here;
            // treat it as both schemes' any-host to stay correct if it ever
            // does.
            PatternKind::Any => {
                for scheme in ["http", "https"] {
                    self.scheme_mut(scheme).any_host.add(PortPattern::Any);
                }
            }
            PatternKind::Null => self.null = true,
            PatternKind::Exact(origin) => self.exact.insert(origin.to_owned()),
            PatternKind::Wildcard { scheme, host, port } => {
                let table = self.scheme_mut(scheme);
                match host {
                    HostPattern::Any => table.any_host.add(port),
                    HostPattern::Exact(h) => table.hosts.entry(h).add(port),
                    HostPattern::SubdomainsOf(d) => table.subdomains_of.entry(d).add(port),
                }
            }
        }
    }

    #[cfg(feature = "regex")]
    pub(crate) fn add_regex(&mut self, regex: OriginRegex) {
        self.regexes.push(regex);
    }

    pub(crate) fn add_predicate(&mut self, predicate: OriginPredicate) {
        self.predicates.push(predicate);
    }

    pub(crate) fn add_list(&mut self, list: crate::OriginList) {
        self.lists.push(list);
    }

    #[cfg(feature = "async-origins")]
    pub(crate) fn add_lookup(&mut self, lookup: crate::OriginLookup) {
        self.lookups.push(lookup);
    }

    pub(crate) fn is_empty(&self) -> bool {
        #[cfg(feature = "regex")]
        let no_regex = self.regexes.is_empty();
        #[cfg(not(feature = "regex"))]
        let no_regex = true;
        self.exact.is_empty()
            && !self.null
            && self.wildcards.is_empty()
            && no_regex
            && self.predicates.is_empty()
            && self.lists.is_empty()
            && self.no_lookups()
    }

    /// Whether no [`OriginLookup`](crate::OriginLookup) decides.
    fn no_lookups(&self) -> bool {
        #[cfg(feature = "async-origins")]
        return self.lookups.is_empty();
        #[cfg(not(feature = "async-origins"))]
        true
    }

    fn scheme_mut(&mut self, scheme: &str) -> &mut SchemeWildcards {
        let index = match self.wildcards.iter().position(|t| &*t.scheme == scheme) {
            Some(index) => index,
            None => {
                self.wildcards.push(SchemeWildcards {
                    scheme: scheme.into(),
                    any_host: PortSet::default(),
                    hosts: HostTable::default(),
                    subdomains_of: HostTable::default(),
                });
                self.wildcards.len() - 1
            }
        };
        &mut self.wildcards[index]
    }

    /// Whether nothing but exact origins and wildcard patterns decides.
    fn patterns_only(&self) -> bool {
        #[cfg(feature = "regex")]
        if !self.regexes.is_empty() {
            return false;
        }
        self.predicates.is_empty() && self.no_lookups()
    }

    /// Whether an [`OriginLookup`](crate::OriginLookup) decides some
    /// origins.
    #[cfg(feature = "async-origins")]
    #[inline]
    pub(crate) fn looks_up(&self) -> bool {
        !self.lookups.is_empty()
    }

    /// The lookups a request from `origin` must wait for before it can be
    /// decided: the origin is canonical, nothing else allows it, and these
    /// [`OriginLookup`](crate::OriginLookup)s have no answer for it yet
    /// (asked in turn until one allows it).
    #[cfg(feature = "async-origins")]
    pub(crate) fn pending_lookup(
        &self,
        origin: &HeaderValue,
        head: &RequestHead,
    ) -> Option<crate::origin_lookup::Pending> {
        // Cheap first: an answer in the cache, as nearly always.
        if self.lookup_answers(origin) != Err(true) {
            return None;
        }
        if !matches!(self.rule(origin, head), Err(OriginMiss::Unanswered)) {
            return None;
        }
        let origin = origin.to_str().ok()?;
        let unanswered = self
            .lookups
            .iter()
            .filter(|lookup| lookup.cached(origin).is_none())
            .cloned()
            .collect();
        Some(crate::OriginLookup::look_up(unanswered, origin))
    }

    /// Whether a request's `Origin` value is allowed.
    pub(crate) fn matches(&self, origin: &HeaderValue, head: &RequestHead) -> bool {
        self.rule(origin, head).is_ok()
    }

    /// The rule that allows a request's `Origin` value, or why none does.
    pub(crate) fn rule(
        &self,
        origin: &HeaderValue,
        head: &RequestHead,
    ) -> Result<OriginRule<'_>, OriginMiss> {
        let bytes = origin.as_bytes();
        if bytes == b"null" {
            // Sandboxed frames, `data:` URLs and some redirects all have the
            // origin `null`: only an explicit "null" lets it in, never a
            // wildcard, a regex or a predicate.
            return if self.null || self.lists.iter().any(|l| l.matches(origin, head)) {
                Ok(OriginRule::Null)
            } else {
                Err(OriginMiss::Null)
            };
        }
        // Configured origins are canonical text: an equal value needs no
        // check of its own.
        if self.exact.contains(bytes) {
            return Ok(OriginRule::Exact);
        }
        if self.lists.iter().any(|list| list.matches(origin, head)) {
            return Ok(OriginRule::Listed);
        }
        // Lookups are asked, and their answers cached, only for canonical
        // origins: an allowing answer needs no parse. Whether a lookup has no
        // answer yet is kept for the end.
        #[cfg(feature = "async-origins")]
        let unanswered = if self.looks_up() {
            match self.lookup_answers(origin) {
                Ok(rule) => return Ok(rule),
                Err(unanswered) => unanswered,
            }
        } else {
            false
        };
        // Longer than any origin a browser sends (the parse below refuses it
        // too): turned away before the prefilter, whose work grows with the
        // length (a lookup of every suffix after a dot).
        if bytes.len() > MAX_ORIGIN_LEN {
            return Err(OriginMiss::NotCanonical);
        }
        // A policy of patterns only turns most origins away by their scheme
        // and host, looked up as sent, before checking the whole origin.
        if self.patterns_only() && !self.wildcards.iter().any(|t| t.may_match(bytes)) {
            return Err(OriginMiss::NoRule);
        }
        // Everything below works on origins in the canonical form browsers
        // send; anything else can only come from a non-browser client.
        // (UTF-8 checked, not `to_str`'s visible ASCII byte by byte: the
        // parse accepts visible ASCII only.)
        let Some((origin, parsed)) = std::str::from_utf8(origin.as_bytes())
            .ok()
            .and_then(|origin| Some((origin, RequestOrigin::parse(origin)?)))
        else {
            return Err(OriginMiss::NotCanonical);
        };
        if let Some(rule) = self.wildcards.iter().find_map(|table| table.rule(&parsed)) {
            return Ok(rule);
        }
        #[cfg(feature = "regex")]
        if let Some(re) = self.regexes.iter().find(|re| re.is_match(origin)) {
            return Ok(OriginRule::Regex(re.source()));
        }
        if self.predicates.iter().any(|allow| allow(origin, head)) {
            return Ok(OriginRule::Predicate);
        }
        #[cfg(feature = "async-origins")]
        if unanswered {
            return Err(OriginMiss::Unanswered);
        }
        Err(OriginMiss::NoRule)
    }

    /// What the lookups say of `origin` without waiting: allowed by one of
    /// them, or else whether one has no answer yet.
    #[cfg(feature = "async-origins")]
    fn lookup_answers(&self, origin: &HeaderValue) -> Result<OriginRule<'_>, bool> {
        let Ok(origin) = origin.to_str() else {
            return Err(false);
        };
        let mut unanswered = false;
        for lookup in &self.lookups {
            match lookup.cached(origin) {
                Some(true) => return Ok(OriginRule::LookedUp),
                Some(false) => {}
                None => unanswered = true,
            }
        }
        Err(unanswered)
    }
}

/// What allowed an origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OriginRule<'a> {
    /// `"null"`, written out.
    Null,
    /// An exact origin.
    Exact,
    /// A pattern for every host of a scheme (`https://*`).
    AnyHost { scheme: &'a str },
    /// A pattern for one host and some ports (`http://localhost:*`).
    Host { scheme: &'a str, host: &'a str },
    /// A pattern for every subdomain of a domain (`https://*.example.com`).
    SubdomainOf { scheme: &'a str, domain: &'a str },
    /// A regular expression (its source, matched as a whole).
    #[cfg_attr(not(feature = "regex"), allow(dead_code))]
    Regex(&'a str),
    /// A predicate given to `allow_origin_fn`.
    Predicate,
    /// An entry of a reloadable [`OriginList`](crate::OriginList).
    Listed,
    /// An [`OriginLookup`](crate::OriginLookup)'s answer.
    #[cfg(feature = "async-origins")]
    LookedUp,
}

impl fmt::Display for OriginRule<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("the origin \"null\", allowed explicitly"),
            Self::Exact => f.write_str("an exact allowed origin"),
            Self::AnyHost { scheme } => write!(f, "the pattern {scheme}://*"),
            Self::Host { scheme, host } => {
                write!(f, "a pattern for {scheme}://{host} and its ports")
            }
            Self::SubdomainOf { scheme, domain } => write!(f, "the pattern {scheme}://*.{domain}"),
            Self::Regex(re) => write!(f, "the regular expression {re}"),
            Self::Predicate => f.write_str("the allow_origin_fn predicate"),
            Self::Listed => f.write_str("an entry of a reloadable origin list"),
            #[cfg(feature = "async-origins")]
            Self::LookedUp => f.write_str("the answer of an origin lookup (allow_origin_async)"),
        }
    }
}

/// Why no rule allows an origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OriginMiss {
    /// `null`, not written out in the policy.
    Null,
    /// Not a serialised origin in the form browsers send (upper case, a
    /// path, a default port...): only a non-browser client sends that.
    NotCanonical,
    /// No exact origin, pattern, regex or predicate matches.
    NoRule,
    /// Nothing else allows it, and the [`OriginLookup`](crate::OriginLookup)
    /// has no answer for it yet.
    #[cfg(feature = "async-origins")]
    Unanswered,
}

impl fmt::Display for OriginMiss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Null => {
                "the origin null (sandboxed frames, file: pages, some redirects) is allowed only \
                 when \"null\" is listed"
            }
            Self::NotCanonical => {
                "it is not an origin in the form browsers send (scheme://host[:port], lower case, \
                 no default port, no path, at most 512 bytes)"
            }
            Self::NoRule => "no allowed origin, pattern, regex or predicate matches it",
            #[cfg(feature = "async-origins")]
            Self::Unanswered => {
                "no allowed origin, pattern, regex or predicate matches it, and the origin lookup \
                 (allow_origin_async) has no cached answer for it yet: a request waits for one"
            }
        })
    }
}

/// The exact origins of a policy, compared byte for byte with the request's
/// `Origin`. A few are compared one by one (the length decides most
/// comparisons at once), more are hashed, so that the cost stays flat from
/// one origin to thousands.
enum ExactOrigins {
    Few(Vec<Box<[u8]>>),
    Many(HashSet<Box<[u8]>, Hasher>),
}

impl ExactOrigins {
    /// Past this many origins, a hash lookup costs less than comparing.
    const FEW: usize = 8;

    fn insert(&mut self, origin: String) {
        let origin = origin.into_bytes().into_boxed_slice();
        match self {
            Self::Few(few) if few.contains(&origin) => {}
            Self::Few(few) if few.len() < Self::FEW => few.push(origin),
            Self::Few(few) => {
                let mut many: HashSet<_, _> = few.drain(..).collect();
                many.insert(origin);
                *self = Self::Many(many);
            }
            Self::Many(many) => {
                many.insert(origin);
            }
        }
    }

    fn contains(&self, origin: &[u8]) -> bool {
        match self {
            Self::Few(few) => few.iter().any(|exact| **exact == *origin),
            Self::Many(many) => many.contains(origin),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Self::Few(few) => few.is_empty(),
            Self::Many(many) => many.is_empty(),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        let (few, many) = match self {
            Self::Few(few) => (Some(few.iter()), None),
            Self::Many(many) => (None, Some(many.iter())),
        };
        few.into_iter()
            .flatten()
            .chain(many.into_iter().flatten())
            .map(|origin| &**origin)
    }
}

impl Default for ExactOrigins {
    fn default() -> Self {
        Self::Few(Vec::new())
    }
}

impl SchemeWildcards {
    /// Whether these patterns may match `origin`, judged by its scheme and
    /// host as sent, unchecked: `false` only when [`matches`] is `false` for
    /// every canonical origin with those bytes.
    ///
    /// [`matches`]: Self::matches
    fn may_match(&self, origin: &[u8]) -> bool {
        let Some(rest) = origin
            .strip_prefix(self.scheme.as_bytes())
            .and_then(|rest| rest.strip_prefix(b"://"))
        else {
            return false;
        };
        if !self.any_host.is_empty() {
            return true;
        }
        // The host ends at the port's `:`; a bracketed IPv6 host holds
        // colons of its own and is looked up whole.
        let host = match rest.first() {
            Some(b'[') => rest
                .iter()
                .position(|&b| b == b']')
                .map_or(rest, |close| &rest[..=close]),
            _ => rest
                .iter()
                .position(|&b| b == b':')
                .map_or(rest, |colon| &rest[..colon]),
        };
        self.hosts.get(host).is_some()
            || (!self.subdomains_of.is_empty()
                && host
                    .iter()
                    .enumerate()
                    .any(|(i, &b)| b == b'.' && self.subdomains_of.get(&host[i + 1..]).is_some()))
    }

    fn rule(&self, origin: &RequestOrigin<'_>) -> Option<OriginRule<'_>> {
        let scheme = &*self.scheme;
        if scheme != origin.scheme() {
            return None;
        }
        if !self.any_host.is_empty() && self.any_host.matches(origin.port()) {
            return Some(OriginRule::AnyHost { scheme });
        }
        if let Some((host, _)) = self
            .hosts
            .get(origin.host().as_bytes())
            .filter(|(_, ports)| ports.matches(origin.port()))
        {
            return Some(OriginRule::Host {
                scheme,
                host: &host.0,
            });
        }
        if self.subdomains_of.is_empty() {
            return None;
        }
        // Try every proper suffix that starts after a dot: for
        // `a.b.example.com` that is `b.example.com`, `example.com`, `com`.
        let host = origin.host();
        host.bytes().enumerate().find_map(|(i, b)| {
            if b != b'.' {
                return None;
            }
            let (domain, _) = self
                .subdomains_of
                .get(&host.as_bytes()[i + 1..])
                .filter(|(_, ports)| ports.matches(origin.port()))?;
            Some(OriginRule::SubdomainOf {
                scheme,
                domain: &domain.0,
            })
        })
    }
}

impl fmt::Debug for AllowOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Origins::Any => f.write_str("Any"),
            Origins::Matching(m) => m.fmt(f),
        }
    }
}

/// How many configured origins and patterns `Debug` lists before saying how
/// many more there are: enough for an operator to check what was loaded,
/// not a log line per tenant.
const DEBUG_ORIGINS: usize = 32;

impl fmt::Debug for OriginMatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut listed: Vec<String> = Vec::new();
        let mut total = 0;
        let mut list = |origin: String| {
            total += 1;
            if listed.len() < DEBUG_ORIGINS {
                listed.push(origin);
            }
        };
        if self.null {
            list("null".to_owned());
        }
        for origin in self.exact.iter() {
            list(String::from_utf8_lossy(origin).into_owned());
        }
        for table in &self.wildcards {
            table.patterns(&mut list);
        }
        let mut d = f.debug_struct("Origins");
        d.field("origins", &listed);
        if total > listed.len() {
            d.field("more_origins", &(total - listed.len()));
        }
        #[cfg(feature = "regex")]
        d.field(
            "regexes",
            &self
                .regexes
                .iter()
                .map(OriginRegex::source)
                .collect::<Vec<_>>(),
        );
        d.field("predicates", &self.predicates.len())
            .field("lists", &self.lists);
        #[cfg(feature = "async-origins")]
        d.field("lookups", &self.lookups);
        d.finish()
    }
}

impl SchemeWildcards {
    /// Gives `list` each pattern these tables hold, as it would be written.
    fn patterns(&self, list: &mut impl FnMut(String)) {
        let scheme = &self.scheme;
        self.any_host
            .ports(|port| list(format!("{scheme}://*{port}")));
        for (HostKey(host), ports) in &self.hosts.ports {
            ports.ports(|port| list(format!("{scheme}://{host}{port}")));
        }
        for (HostKey(domain), ports) in &self.subdomains_of.ports {
            ports.ports(|port| list(format!("{scheme}://*.{domain}{port}")));
        }
    }
}

impl PortSet {
    /// Calls `f` with each port suffix of the set (`""`, `":*"`, `":8080"`).
    fn ports(&self, mut f: impl FnMut(String)) {
        if self.default {
            f(String::new());
        }
        if self.any {
            f(":*".to_owned());
        }
        for port in &self.exact {
            f(format!(":{port}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn debug_lists_the_configured_origins_up_to_a_bound() {
        let m = matcher(&[
            "https://app.example.com",
            "https://*.example.org",
            "http://localhost:*",
            "https://api.example.net:8443",
            "null",
        ]);
        let shown = format!("{m:?}");
        for origin in [
            "\"https://app.example.com\"",
            "\"https://*.example.org\"",
            "\"http://localhost:*\"",
            "\"https://api.example.net:8443\"",
            "\"null\"",
        ] {
            assert!(shown.contains(origin), "{origin} in {shown}");
        }
        assert!(!shown.contains("more_origins"), "{shown}");
        let many: Vec<String> = (0..100).map(|i| format!("https://t{i}.example")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let shown = format!("{:?}", matcher(&many));
        assert_eq!(shown.matches("https://t").count(), DEBUG_ORIGINS, "{shown}");
        assert!(shown.contains("more_origins: 68"), "{shown}");
    }

    fn matcher(patterns: &[&str]) -> OriginMatcher {
        let mut m = OriginMatcher::default();
        for p in patterns {
            m.add_pattern(&OriginPattern::parse(p).unwrap());
        }
        m
    }

    fn allows(m: &OriginMatcher, origin: &str) -> bool {
        let req = TestRequest::default().to_http_request();
        m.matches(&HeaderValue::from_str(origin).unwrap(), req.head())
    }

    /// Hosts and domains are found whatever their length: short, long,
    /// and past the 63 bytes whose lengths share one bit of the table.
    #[test]
    fn wildcard_tables_find_keys_of_every_length() {
        let long = format!("{}.{}.example", "a".repeat(63), "b".repeat(40));
        let longer = format!("{}.{}.example", "c".repeat(63), "d".repeat(50));
        let m = matcher(&[
            "https://*.a.io",
            &format!("https://*.{long}"),
            &format!("http://{longer}:*"),
        ]);
        assert!(allows(&m, "https://x.a.io"));
        assert!(allows(&m, &format!("https://x.{long}")));
        assert!(allows(&m, &format!("http://{longer}:8080")));
        assert!(!allows(&m, "https://a.io"));
        assert!(!allows(&m, "https://x.b.io"));
        assert!(!allows(&m, &format!("https://x.{longer}")));
        assert!(!allows(&m, &format!("http://{long}:8080")));
        assert!(!allows(&m, &format!("https://x.{long}x")));
    }

    #[test]
    fn subdomain_wildcard_refuses_lookalikes() {
        let m = matcher(&["https://*.example.com"]);
        assert!(allows(&m, "https://a.example.com"));
        assert!(allows(&m, "https://a.b.c.example.com"));
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
            assert!(!allows(&m, bad), "{bad} matched");
        }
    }

    #[test]
    fn any_port_matches_only_that_host() {
        let m = matcher(&["http://localhost:*"]);
        assert!(allows(&m, "http://localhost"));
        assert!(allows(&m, "http://localhost:3000"));
        for bad in [
            "http://localhost.evil.com",
            "http://localhost.evil.com:3000",
            "https://localhost:3000",
            "http://evil-localhost:3000",
        ] {
            assert!(!allows(&m, bad), "{bad} matched");
        }
    }

    #[test]
    fn exact_origins_match_only_themselves() {
        let m = matcher(&["https://Foo.com:443"]);
        assert!(allows(&m, "https://foo.com"));
        assert!(!allows(&m, "https://barfoo.com"));
        assert!(!allows(&m, "null"));
    }

    #[test]
    fn wildcard_port_and_subdomain_combine() {
        let m = matcher(&["https://*.example.com:*"]);
        assert!(allows(&m, "https://a.example.com:8443"));
        assert!(allows(&m, "https://a.example.com"));
        let m = matcher(&["https://*.example.com:8443"]);
        assert!(allows(&m, "https://a.example.com:8443"));
        assert!(!allows(&m, "https://a.example.com"));
    }

    #[test]
    fn many_exact_origins_are_hashed_alike() {
        let origins: Vec<String> = (0..ExactOrigins::FEW * 3)
            .map(|i| format!("https://app{i}.example.com"))
            .collect();
        let m = matcher(&origins.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(matches!(m.exact, ExactOrigins::Many(_)));
        for origin in &origins {
            assert!(allows(&m, origin), "{origin}");
        }
        assert!(!allows(&m, "https://app.example.com"));
        let few = matcher(&["https://a.test", "https://a.test"]);
        assert!(matches!(&few.exact, ExactOrigins::Few(f) if f.len() == 1));
        let shown = format!("{few:?}");
        assert_eq!(shown.matches("https://a.test").count(), 1, "{shown}");
    }

    #[test]
    fn exact_origins_do_not_mix() {
        let m = matcher(&["https://foo.com", "https://bar.com"]);
        assert!(allows(&m, "https://foo.com"));
        assert!(allows(&m, "https://bar.com"));
        for bad in [
            "https://barfoo.com",
            "https://foo.com.bar.com",
            "https://foobar.com",
            "http://foo.com",
            "null",
        ] {
            assert!(!allows(&m, bad), "{bad}");
        }
    }

    #[test]
    fn wildcard_table_matches_by_label() {
        let m = matcher(&[
            "https://*.example.com",
            "https://*.other.org:8443",
            "http://localhost:*",
        ]);
        assert!(allows(&m, "https://a.example.com"));
        assert!(allows(&m, "https://x.y.example.com"));
        assert!(allows(&m, "https://a.other.org:8443"));
        assert!(allows(&m, "http://localhost:1234"));
        for bad in [
            "https://example.com",
            "https://evilexample.com",
            "https://a.example.com.evil.net",
            "http://a.example.com",
            "https://a.example.com:8443",
            "https://a.other.org",
            "http://localhost.evil.com",
            "https://localhost:1234",
        ] {
            assert!(!allows(&m, bad), "{bad}");
        }
    }

    #[test]
    fn null_needs_explicit_configuration() {
        assert!(!allows(&matcher(&["https://*"]), "null"));
        assert!(allows(&matcher(&["null"]), "null"));
    }

    #[test]
    fn predicates_run_last_and_never_see_null() {
        let mut m = matcher(&[]);
        m.add_predicate(Arc::new(|origin: &str, _: &RequestHead| {
            origin.ends_with(".internal.test") || origin == "null"
        }));
        assert!(allows(&m, "https://svc.internal.test"));
        assert!(!allows(&m, "null"));
        assert!(!allows(&m, "https://svc.internal.test.evil"));
    }
}
