//! `CorsBuilder`: collects settings and, at `build()`, has each header's
//! file check its own and build its value (`AllowOrigin::from_config` and
//! its siblings), in a fixed order: the first problem found is reported.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::RequestHead;
use actix_web::http::StatusCode;
use cors_actix_core::check_preflight_status;

use crate::allow_headers::AllowHeaders;
use crate::allow_methods::AllowMethods;
use crate::allow_origin::{AllowOrigin, OriginPredicate, OriginSettings};
use crate::expose_headers::ExposeHeaders;
use crate::max_age::MaxAge;
use crate::policy::CorsPolicy;
use crate::{Cors, CorsConfigError};

/// Builds a [`Cors`] policy. Every setter only records its input; `build()`
/// checks all of it and reports the first problem.
///
/// ```
/// use cors_actix::Cors;
/// use std::time::Duration;
///
/// let cors = Cors::builder()
///     .allow_origin("https://app.example.com")
///     .allow_origins(["https://*.example.com", "http://localhost:*"])
///     .allow_methods(["GET", "POST", "DELETE"])
///     .allow_headers(["content-type", "x-custom-header"])
///     .expose_headers(["x-request-id"])
///     .allow_credentials(true)
///     .max_age(Duration::from_secs(600))
///     .build()?;
/// # Ok::<(), cors_actix::CorsConfigError>(())
/// ```
#[must_use = "a builder does nothing until `build()` is called"]
#[derive(Clone)]
pub struct CorsBuilder {
    origins: Vec<String>,
    any_origin: bool,
    regexes: Vec<String>,
    predicates: Vec<OriginPredicate>,
    lists: Vec<crate::OriginList>,
    #[cfg(feature = "async-origins")]
    lookups: Vec<crate::OriginLookup>,
    methods: Option<Vec<String>>,
    any_method: bool,
    headers: Vec<String>,
    any_header: bool,
    expose: Vec<String>,
    expose_any: bool,
    credentials: bool,
    max_age: Option<Duration>,
    private_network: bool,
    preflight_status: StatusCode,
    passthrough: bool,
    block_disallowed: bool,
    diagnostic_preflights: bool,
    trust_forwarded_headers: bool,
}

impl Default for CorsBuilder {
    fn default() -> Self {
        Self {
            origins: Vec::new(),
            any_origin: false,
            regexes: Vec::new(),
            predicates: Vec::new(),
            lists: Vec::new(),
            #[cfg(feature = "async-origins")]
            lookups: Vec::new(),
            methods: None,
            any_method: false,
            headers: Vec::new(),
            any_header: false,
            expose: Vec::new(),
            expose_any: false,
            credentials: false,
            max_age: None,
            private_network: false,
            preflight_status: StatusCode::NO_CONTENT,
            passthrough: false,
            block_disallowed: false,
            diagnostic_preflights: true,
            trust_forwarded_headers: false,
        }
    }
}

impl CorsBuilder {
    /// Allows one origin or origin pattern: an exact origin
    /// (`https://app.example.com`), any subdomain at any depth
    /// (`https://*.example.com`, never `https://example.com` itself), any port
    /// or none (`http://localhost:*`), `null` (only ever when written out), or
    /// `*` (same as [`allow_any_origin`](Self::allow_any_origin)).
    ///
    /// ```
    /// use cors_actix::Cors;
    /// let cors = Cors::builder().allow_origin("https://app.example.com").build();
    /// assert!(cors.is_ok());
    /// // A path is a mistake, reported at build():
    /// let err = Cors::builder().allow_origin("https://app.example.com/").build().unwrap_err();
    /// assert!(err.to_string().contains("did you mean \"https://app.example.com\""));
    /// ```
    pub fn allow_origin(mut self, origin: impl AsRef<str>) -> Self {
        self.origins.push(origin.as_ref().to_owned());
        self
    }

    /// Allows several origins or patterns; see [`allow_origin`](Self::allow_origin).
    ///
    /// ```
    /// use cors_actix::Cors;
    /// let cors = Cors::builder()
    ///     .allow_origins(["https://*.example.com", "http://localhost:*"])
    ///     .build();
    /// assert!(cors.is_ok());
    /// // A wildcard over a public suffix would let anyone in:
    /// assert!(Cors::builder().allow_origins(["https://*.co.uk"]).build().is_err());
    /// ```
    pub fn allow_origins<I>(mut self, origins: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.origins
            .extend(origins.into_iter().map(|o| o.as_ref().to_owned()));
        self
    }

    /// Allows every origin. Answered with the literal `*`, so it cannot be
    /// combined with credentials or private network access.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// assert!(Cors::builder().allow_any_origin().build().is_ok());
    /// // `*` with credentials is refused:
    /// assert!(Cors::builder().allow_any_origin().allow_credentials(true).build().is_err());
    /// ```
    pub fn allow_any_origin(mut self) -> Self {
        self.any_origin = true;
        self
    }

    /// Allows origins that a regular expression matches *as a whole* (the
    /// crate anchors it). A `.` must be escaped (`\.`): an unescaped dot
    /// matches any character, which is how `pr-1\.preview\.example\.com`
    /// written with plain dots lets `pr-1xpreviewxexample.com` in, so it is a
    /// configuration error. Requires the `regex` feature.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// let cors = Cors::builder().allow_origin_regex(r"https://pr-\d+\.preview\.example\.com").build();
    /// assert!(cors.is_ok());
    /// // Unescaped dots match any character, so they are refused:
    /// assert!(Cors::builder().allow_origin_regex(r"https://pr-\d+.preview.example.com").build().is_err());
    /// ```
    #[cfg(feature = "regex")]
    #[cfg_attr(docsrs, doc(cfg(feature = "regex")))]
    pub fn allow_origin_regex(mut self, regex: impl AsRef<str>) -> Self {
        self.regexes.push(regex.as_ref().to_owned());
        self
    }

    /// Allows origins a function accepts. It is asked last, only for origins
    /// in the canonical form browsers send, and never for `null`.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// let cors = Cors::builder()
    ///     .allow_origin_fn(|origin, _head| origin.ends_with(".internal.test"))
    ///     .build();
    /// assert!(cors.is_ok());
    /// ```
    pub fn allow_origin_fn<F>(mut self, allow: F) -> Self
    where
        F: Fn(&str, &RequestHead) -> bool + Send + Sync + 'static,
    {
        self.predicates.push(Arc::new(allow));
        self
    }

    /// The methods a preflight may ask for, compared case-sensitively.
    /// Defaults to GET, HEAD and POST.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// use actix_web::http::Method;
    /// assert!(Cors::builder().allow_origin("https://a.example").allow_methods(["GET", "PATCH"]).build().is_ok());
    /// assert!(Cors::builder().allow_origin("https://a.example").allow_methods([Method::DELETE]).build().is_ok());
    /// // Browsers never send TRACE: allowing it is a mistake.
    /// assert!(Cors::builder().allow_origin("https://a.example").allow_methods(["TRACE"]).build().is_err());
    /// ```
    pub fn allow_methods<I>(mut self, methods: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.methods
            .get_or_insert_with(Vec::new)
            .extend(methods.into_iter().map(|m| m.as_ref().to_owned()));
        self
    }

    /// Allows any method except the forbidden CONNECT, TRACE and TRACK.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// assert!(Cors::builder().allow_origin("https://a.example").allow_any_method().build().is_ok());
    /// ```
    pub fn allow_any_method(mut self) -> Self {
        self.any_method = true;
        self
    }

    /// The request headers a preflight may ask for (case-insensitive).
    ///
    /// ```
    /// use cors_actix::Cors;
    /// assert!(Cors::builder().allow_origin("https://a.example").allow_headers(["Content-Type", "x-custom"]).build().is_ok());
    /// assert!(Cors::builder().allow_origin("https://a.example").allow_headers(["x custom"]).build().is_err());
    /// ```
    pub fn allow_headers<I>(mut self, headers: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.headers
            .extend(headers.into_iter().map(|h| h.as_ref().to_owned()));
        self
    }

    /// Allows any request header. Answered with `*` (plus `authorization`,
    /// which `*` never covers, when it is requested), or with the requested
    /// list when credentials are on.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// assert!(Cors::builder().allow_origin("https://a.example").allow_any_header().build().is_ok());
    /// ```
    pub fn allow_any_header(mut self) -> Self {
        self.any_header = true;
        self
    }

    /// Response headers page script may read besides the safelisted ones.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// assert!(Cors::builder().allow_origin("https://a.example").expose_headers(["x-request-id"]).build().is_ok());
    /// ```
    pub fn expose_headers<I>(mut self, headers: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.expose
            .extend(headers.into_iter().map(|h| h.as_ref().to_owned()));
        self
    }

    /// Exposes every response header: `*`; with credentials (where browsers
    /// read `*` as a header named "*") the names of the response's own
    /// headers, each once, except `Set-Cookie` (script can never read it,
    /// whatever is listed) and the `Access-Control-*` headers (they describe
    /// the response to the browser; listing them exposes nothing a page
    /// needs). That list is built for each response, the one case where the
    /// middleware allocates on a response: a fixed list avoids it.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// assert!(Cors::builder().allow_origin("https://a.example").expose_any_header().build().is_ok());
    /// ```
    pub fn expose_any_header(mut self) -> Self {
        self.expose_any = true;
        self
    }

    /// Lets pages send cookies and HTTP authentication and read the answer.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// assert!(Cors::builder().allow_origin("https://a.example").allow_credentials(true).build().is_ok());
    /// ```
    pub fn allow_credentials(mut self, allow: bool) -> Self {
        self.credentials = allow;
        self
    }

    /// How long browsers may cache a preflight answer, in whole seconds, at
    /// most 24 hours (Chromium caps it at 2 hours).
    ///
    /// ```
    /// use cors_actix::Cors;
    /// use std::time::Duration;
    /// assert!(Cors::builder().allow_origin("https://a.example").max_age(Duration::from_secs(600)).build().is_ok());
    /// assert!(Cors::builder().allow_origin("https://a.example").max_age(Duration::from_secs(100_000)).build().is_err());
    /// ```
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Answers `Access-Control-Request-Private-Network: true` with
    /// `Access-Control-Allow-Private-Network: true`. Off by default.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// assert!(Cors::builder().allow_origin("https://a.example").allow_private_network(true).build().is_ok());
    /// assert!(Cors::builder().allow_any_origin().allow_private_network(true).build().is_err());
    /// ```
    pub fn allow_private_network(mut self, allow: bool) -> Self {
        self.private_network = allow;
        self
    }

    /// The status of allowed preflights; 204 unless set. Some legacy clients
    /// need 200. Must be a 2xx status: browsers fail any other.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// use actix_web::http::StatusCode;
    /// assert!(Cors::builder().allow_origin("https://a.example").preflight_status(StatusCode::OK).build().is_ok());
    /// assert!(Cors::builder().allow_origin("https://a.example").preflight_status(StatusCode::FOUND).build().is_err());
    /// ```
    pub fn preflight_status(mut self, status: StatusCode) -> Self {
        self.preflight_status = status;
        self
    }

    /// Lets the app's own OPTIONS handler answer preflights, with the CORS
    /// headers added to its response. Off by default.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// assert!(Cors::builder().allow_origin("https://a.example").preflight_passthrough(true).build().is_ok());
    /// ```
    pub fn preflight_passthrough(mut self, passthrough: bool) -> Self {
        self.passthrough = passthrough;
        self
    }

    /// Answers actual requests from disallowed origins with 403 instead of
    /// running the handler. Off by default: the handler runs and the browser
    /// blocks the read.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// assert!(Cors::builder().allow_origin("https://a.example").block_disallowed(true).build().is_ok());
    /// ```
    pub fn block_disallowed(mut self, block: bool) -> Self {
        self.block_disallowed = block;
        self
    }

    /// How a preflight from an allowed origin is refused when it asks for a
    /// method or a header the policy does not allow. On (the default), it is
    /// answered 200 with the origin's grant and the lists of the allowed
    /// methods and headers (and the reason as its body): the browser then
    /// refuses the request itself, and its console says the method or header
    /// is the problem (Chromium names either: "Method PUT is not allowed by
    /// Access-Control-Allow-Methods in preflight response"; Firefox names the
    /// header, not the method). Off, it is answered 403 without any grant,
    /// and the console only says that no `Access-Control-Allow-Origin`
    /// header was present. Preflights from origins the policy refuses always get the 403.
    ///
    /// Either way the request is refused: the browser enforces what the
    /// answer lists, as the Fetch standard intends.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// let strict = Cors::builder()
    ///     .allow_origin("https://a.example")
    ///     .diagnostic_preflights(false)
    ///     .build();
    /// assert!(strict.is_ok());
    /// ```
    pub fn diagnostic_preflights(mut self, diagnostic: bool) -> Self {
        self.diagnostic_preflights = diagnostic;
        self
    }

    /// Judges which requests are same-origin (never blocked by
    /// [`block_disallowed`](Self::block_disallowed)) by the scheme and host
    /// that `Forwarded`, `X-Forwarded-Host` and `X-Forwarded-Proto` report,
    /// as actix's `ConnectionInfo` does, instead of the request's own `Host`.
    /// Off by default: any client can send those headers. Turn it on only
    /// behind a proxy you control that sets them; answers that blocking
    /// applies to then name them in `Vary`, so that shared caches keep them
    /// apart. Without `block_disallowed` it changes nothing.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// let behind_proxy = Cors::builder()
    ///     .allow_origin("https://app.example.com")
    ///     .block_disallowed(true)
    ///     .trust_forwarded_headers(true)
    ///     .build();
    /// assert!(behind_proxy.is_ok());
    /// ```
    pub fn trust_forwarded_headers(mut self, trust: bool) -> Self {
        self.trust_forwarded_headers = trust;
        self
    }

    /// Allows the origins of a reloadable [`OriginList`](crate::OriginList),
    /// as they are when each request arrives. The list may be empty now.
    /// With credentials or private network access, `build()` checks the
    /// list's entries as its own, and the list refuses such entries from
    /// then on.
    ///
    /// ```
    /// use cors_actix::{Cors, OriginList};
    /// let tenants = OriginList::new(Vec::<String>::new())?;
    /// let cors = Cors::builder().allow_origin_list(&tenants).build()?;
    /// tenants.replace(["https://tenant-1.example"])?;
    /// # drop(cors);
    /// # Ok::<(), cors_actix::CorsConfigError>(())
    /// ```
    pub fn allow_origin_list(mut self, list: &crate::OriginList) -> Self {
        self.lists.push(list.clone());
        self
    }

    /// Allows the origins an asynchronous check accepts (a database or
    /// service lookup), with the default cache settings of
    /// [`OriginLookup`](crate::OriginLookup): answers cached for 60 s, at
    /// most 10,000 of them, one lookup in flight per origin, a 2 s timeout
    /// that refuses the request. The check is asked only about origins that
    /// nothing else in the policy allows, in the canonical form browsers
    /// send, never `null`. It returns `bool` or `Result<bool, E>` (an error
    /// refuses the request, is logged and is not cached).
    ///
    /// ```
    /// use cors_actix::Cors;
    /// # async fn tenant_exists(_: &str) -> Result<bool, std::io::Error> { Ok(true) }
    /// let cors = Cors::builder()
    ///     .allow_origin_async(|origin: String| async move { tenant_exists(&origin).await })
    ///     .build()?;
    /// # drop(cors);
    /// # Ok::<(), cors_actix::CorsConfigError>(())
    /// ```
    #[cfg(feature = "async-origins")]
    #[cfg_attr(docsrs, doc(cfg(feature = "async-origins")))]
    pub fn allow_origin_async<F, Fut>(self, check: F) -> Self
    where
        F: Fn(String) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future + 'static,
        Fut::Output: crate::origin_lookup::LookupAnswer,
    {
        self.allow_origin_lookup(&crate::OriginLookup::new(check))
    }

    /// Allows the origins an [`OriginLookup`](crate::OriginLookup) accepts:
    /// [`allow_origin_async`](Self::allow_origin_async) with cache settings
    /// of your own, and a handle to invalidate its answers.
    #[cfg(feature = "async-origins")]
    #[cfg_attr(docsrs, doc(cfg(feature = "async-origins")))]
    pub fn allow_origin_lookup(mut self, lookup: &crate::OriginLookup) -> Self {
        self.lookups.push(lookup.clone());
        self
    }

    /// Validates every setting and builds the policy.
    ///
    /// ```
    /// use cors_actix::Cors;
    /// match Cors::builder().allow_origin("https://a.example").build() {
    ///     Ok(cors) => drop(cors),
    ///     Err(e) => panic!("invalid CORS policy: {e}"),
    /// }
    /// // Nothing allowed at all is an error too:
    /// assert!(Cors::builder().build().is_err());
    /// ```
    pub fn build(self) -> Result<Cors, CorsConfigError> {
        let mut warnings = Vec::new();
        let origins = OriginSettings {
            origins: &self.origins,
            any: self.any_origin,
            regexes: &self.regexes,
            predicates: &self.predicates,
            lists: &self.lists,
            #[cfg(feature = "async-origins")]
            lookups: &self.lookups,
        };
        let origin = AllowOrigin::from_config(
            origins,
            self.credentials,
            self.private_network,
            &mut warnings,
        )?;
        let methods = AllowMethods::from_config(self.methods.as_deref(), self.any_method)?;
        let headers = AllowHeaders::from_config(&self.headers, self.any_header, &mut warnings)?;
        let expose = ExposeHeaders::from_config(&self.expose, self.expose_any, &mut warnings)?;
        let max_age = MaxAge::from_config(self.max_age)?;
        check_preflight_status(self.preflight_status.as_u16())
            .map_err(|e| CorsConfigError::PreflightStatus(e.to_string()))?;

        for warning in &warnings {
            log::warn!("CORS policy: {warning}");
        }
        Ok(Cors::from_policy(
            CorsPolicy {
                origin,
                methods,
                headers,
                expose,
                credentials: self.credentials,
                max_age,
                private_network: self.private_network,
                preflight_status: self.preflight_status,
                passthrough: self.passthrough,
                block_disallowed: self.block_disallowed,
                diagnostic_preflights: self.diagnostic_preflights,
                trust_forwarded_headers: self.trust_forwarded_headers,
            },
            warnings,
        ))
    }
}

impl fmt::Debug for CorsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut builder = f.debug_struct("CorsBuilder");
        builder
            .field("origins", &self.origins)
            .field("any_origin", &self.any_origin)
            .field("regexes", &self.regexes)
            .field("predicates", &self.predicates.len())
            .field("lists", &self.lists);
        #[cfg(feature = "async-origins")]
        builder.field("lookups", &self.lookups);
        builder
            .field("methods", &self.methods)
            .field("any_method", &self.any_method)
            .field("headers", &self.headers)
            .field("any_header", &self.any_header)
            .field("expose", &self.expose)
            .field("expose_any", &self.expose_any)
            .field("credentials", &self.credentials)
            .field("max_age", &self.max_age)
            .field("private_network", &self.private_network)
            .field("preflight_status", &self.preflight_status)
            .field("passthrough", &self.passthrough)
            .field("block_disallowed", &self.block_disallowed)
            .field("diagnostic_preflights", &self.diagnostic_preflights)
            .field("trust_forwarded_headers", &self.trust_forwarded_headers)
            .finish()
    }
}

#[cfg(test)]
mod warning_tests {
    use crate::Cors;

    fn warnings(builder: super::CorsBuilder) -> Vec<String> {
        builder.build().unwrap().warnings().to_vec()
    }

    #[test]
    fn settings_that_never_work_or_are_risky_are_warned_about() {
        let base = || Cors::builder().allow_origin("https://app.example.com");
        let cookie = warnings(base().allow_headers(["content-type", "Cookie"]));
        assert_eq!(cookie.len(), 1, "{cookie:?}");
        assert!(cookie[0].contains("\"cookie\"") && cookie[0].contains("enable credentials"));

        let set_cookie = warnings(base().expose_headers(["Set-Cookie", "x-request-id"]));
        assert_eq!(set_cookie.len(), 1, "{set_cookie:?}");
        assert!(set_cookie[0].contains("never let script read Set-Cookie"));

        let null = warnings(base().allow_origin("null").allow_credentials(true));
        assert_eq!(null.len(), 1, "{null:?}");
        assert!(null[0].contains("sandboxed frame"));

        let sub = warnings(
            base()
                .allow_origin("https://*.example.com")
                .allow_credentials(true),
        );
        assert_eq!(sub.len(), 1, "{sub:?}");
        assert!(sub[0].contains("taken over") && sub[0].contains("list the subdomains"));
    }

    #[test]
    fn ordinary_policies_have_no_warning() {
        for builder in [
            Cors::builder()
                .allow_origins(["https://app.example.com", "https://*.example.com", "null"])
                .allow_headers(["content-type", "authorization"])
                .expose_headers(["x-request-id"]),
            Cors::builder()
                .allow_origins(["https://app.example.com", "http://localhost:*"])
                .allow_credentials(true),
            Cors::builder()
                .allow_any_origin()
                .allow_any_method()
                .allow_any_header()
                .expose_any_header(),
        ] {
            assert_eq!(
                warnings(builder.clone()),
                Vec::<String>::new(),
                "{builder:?}"
            );
        }
    }
}
