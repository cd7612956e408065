//! [`OriginList`]: allowed origins the application replaces while the server
//! runs (tenants' domains added from an admin endpoint, a file watcher, a
//! message bus).

use std::fmt;
use std::sync::{Arc, Mutex};

use actix_web::dev::RequestHead;
use actix_web::http::header::HeaderValue;
use arc_swap::ArcSwap;
use cors_actix_core::check_every_origin;
use cors_actix_core::OriginPattern;

use crate::allow_origin::OriginMatcher;
use crate::CorsConfigError;

/// A list of allowed origins and origin patterns that can be replaced at run
/// time, atomically and without locks on the request path: a request sees
/// either the old list or the new one, never a mix. Give it to any number of
/// policies with [`CorsBuilder::allow_origin_list`](crate::CorsBuilder::allow_origin_list)
/// (also a `#[cors(policy = ..)]` function's, or a builder made from a
/// [`CorsConfig`](crate::CorsConfig)); a clone is a handle to the same list.
///
/// Every replacement is checked with exactly the rules of `build()`: a list
/// with one bad entry is refused whole, with the same message, and the old
/// list stays. A policy that allows credentials or private network access
/// also refuses, in its lists, the patterns `build()` refuses with them
/// (`https://*`), now and in every later replacement.
///
/// ```
/// use cors_actix::{Cors, OriginList};
///
/// let tenants = OriginList::new(["https://app.example.com"])?;
/// let cors = Cors::builder()
///     .allow_origin_list(&tenants)
///     .allow_credentials(true)
///     .build()?;
///
/// // Later, from an admin endpoint: takes effect for the next request.
/// tenants.replace(["https://app.example.com", "https://shop.customer.example"])?;
/// // A bad list is refused whole; the old one stays.
/// assert!(tenants.replace(["https://ok.example", "https://*"]).is_err());
/// assert_eq!(tenants.origins().len(), 2);
/// # drop(cors);
/// # Ok::<(), cors_actix::CorsConfigError>(())
/// ```
#[derive(Clone)]
pub struct OriginList {
    shared: Arc<Shared>,
}

struct Shared {
    current: ArcSwap<Contents>,
    /// What the policies using this list forbid in it; replacements are
    /// checked against it under this lock, so a policy being built and a
    /// replacement never miss each other.
    requirements: Mutex<Requirements>,
}

#[derive(Clone, Copy, Default)]
struct Requirements {
    credentials: bool,
    private_network: bool,
}

struct Contents {
    matcher: OriginMatcher,
    origins: Vec<String>,
}

impl OriginList {
    /// A list holding `origins` (exact origins and patterns, as for
    /// `allow_origins`; not `*`). An empty list allows nothing until
    /// replaced.
    pub fn new<I>(origins: I) -> Result<Self, CorsConfigError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let contents = compile(origins, Requirements::default())?;
        Ok(Self {
            shared: Arc::new(Shared {
                current: ArcSwap::from_pointee(contents),
                requirements: Mutex::new(Requirements::default()),
            }),
        })
    }

    /// Replaces the whole list. Checked first, as `build()` checks
    /// origins; on an error nothing changes.
    pub fn replace<I>(&self, origins: I) -> Result<(), CorsConfigError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let requirements = self.lock();
        let contents = compile(origins, *requirements)?;
        self.shared.current.store(Arc::new(contents));
        drop(requirements);
        Ok(())
    }

    /// The list's entries now, as given (for an admin page, or to add one
    /// and replace).
    pub fn origins(&self) -> Vec<String> {
        self.shared.current.load().origins.clone()
    }

    /// Records what a policy using this list forbids in it, checking the
    /// current entries.
    pub(crate) fn require(
        &self,
        credentials: bool,
        private_network: bool,
    ) -> Result<(), CorsConfigError> {
        let mut requirements = self.lock();
        let wanted = Requirements {
            credentials: requirements.credentials || credentials,
            private_network: requirements.private_network || private_network,
        };
        compile(self.origins(), wanted)?;
        *requirements = wanted;
        Ok(())
    }

    /// Whether the list allows `origin` now: one atomic load, then the same
    /// lookups as for origins configured in code.
    pub(crate) fn matches(&self, origin: &HeaderValue, head: &RequestHead) -> bool {
        self.shared.current.load().matcher.matches(origin, head)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Requirements> {
        self.shared
            .requirements
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Checks every entry as `build()` does and builds the matcher.
fn compile<I>(origins: I, requirements: Requirements) -> Result<Contents, CorsConfigError>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let mut matcher = OriginMatcher::default();
    let mut given = Vec::new();
    for input in origins {
        let input = input.as_ref();
        let pattern =
            OriginPattern::parse(input).map_err(|e| CorsConfigError::Origin(e.to_string()))?;
        if pattern.is_any() {
            return Err(CorsConfigError::Origin(format!(
                "{input:?} in an origin list would allow every origin; a list holds origins and \
                 patterns (for every origin, use allow_any_origin())"
            )));
        }
        if pattern.matches_every_host() {
            check_every_origin(
                &format!("the pattern {input:?} in an origin list"),
                requirements.credentials,
                requirements.private_network,
            )
            .map_err(|e| CorsConfigError::Conflict(e.to_string()))?;
        }
        matcher.add_pattern(&pattern);
        given.push(input.to_owned());
    }
    Ok(Contents {
        matcher,
        origins: given,
    })
}

impl fmt::Debug for OriginList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OriginList").field(&self.origins()).finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use actix_web::test::TestRequest;

    use super::*;

    fn allows(list: &OriginList, origin: &str) -> bool {
        let req = TestRequest::default().to_http_request();
        list.matches(&HeaderValue::from_str(origin).unwrap(), req.head())
    }

    #[test]
    fn a_replacement_is_whole_or_nothing() {
        let list = OriginList::new(["https://a.example"]).unwrap();
        assert!(allows(&list, "https://a.example"));
        list.replace(["https://b.example", "https://*.c.example"])
            .unwrap();
        assert!(!allows(&list, "https://a.example"));
        assert!(allows(&list, "https://b.example"));
        assert!(allows(&list, "https://x.c.example"));
        for bad in [
            vec!["https://d.example", "https://d.example/"],
            vec!["https://d.example", "*"],
            vec!["https://*.com"],
        ] {
            let err = list.replace(&bad).unwrap_err().to_string();
            assert!(!err.is_empty());
            assert_eq!(list.origins(), ["https://b.example", "https://*.c.example"]);
            assert!(!allows(&list, "https://d.example"), "{bad:?}");
        }
    }

    #[test]
    fn a_credentials_policy_forbids_every_host_patterns_now_and_later() {
        let list = OriginList::new(["https://*"]).unwrap();
        assert!(list.require(true, false).is_err());
        let list = OriginList::new(["https://a.example"]).unwrap();
        list.require(true, false).unwrap();
        let err = list.replace(["https://*"]).unwrap_err().to_string();
        assert!(err.contains("credentials"), "{err}");
        assert_eq!(list.origins(), ["https://a.example"]);
    }

    /// Readers racing a writer see one list or the other, never a mix: the
    /// two lists share no origin, so a mix would allow both or neither.
    #[test]
    fn readers_never_see_a_partial_list() {
        let first: Vec<String> = (0..50).map(|i| format!("https://a{i}.example")).collect();
        let second: Vec<String> = (0..50).map(|i| format!("https://b{i}.example")).collect();
        let list = OriginList::new(&first).unwrap();
        let stop = AtomicBool::new(false);
        std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| {
                    let req = TestRequest::default().to_http_request();
                    let a = HeaderValue::from_static("https://a7.example");
                    let b = HeaderValue::from_static("https://b7.example");
                    while !stop.load(Ordering::Relaxed) {
                        // Load once and ask both questions of one list.
                        let current = list.shared.current.load();
                        let (in_a, in_b) = (
                            current.matcher.matches(&a, req.head()),
                            current.matcher.matches(&b, req.head()),
                        );
                        assert!(in_a != in_b, "a partial list: a {in_a}, b {in_b}");
                    }
                });
            }
            for round in 0..500 {
                let next = if round % 2 == 0 { &second } else { &first };
                list.replace(next).unwrap();
            }
            stop.store(true, Ordering::Relaxed);
        });
    }
}
