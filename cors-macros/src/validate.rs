//! Step 2: check every value with the rules `Cors::builder().build()` uses
//! (from `cors-actix-core`), pointing each error at the token that caused it.

use cors_actix_core::header_name::validate_header_name;
use cors_actix_core::max_age::validate_max_age;
use cors_actix_core::method::validate_method;
use cors_actix_core::policy_rules::{
    check_every_origin, check_preflight_status, never_readable_response_header,
    never_sent_request_header, no_origin_error,
};
use cors_actix_core::OriginPattern;
use syn::{ItemFn, LitStr, Path};

use crate::parse::{Parsed, RouteAttr, StringList};

/// A route policy every value of which `build()` accepts.
pub(crate) struct Validated {
    pub origins: Vec<LitStr>,
    pub origin_fn: Option<Path>,
    pub headers: ListSetting,
    pub expose: ListSetting,
    pub credentials: bool,
    pub max_age: Option<u64>,
    pub private_network: bool,
    pub preflight_status: Option<u16>,
    pub block_disallowed: bool,
    /// `policy = path`: the whole policy, built at run time.
    pub policy: Option<Path>,
    pub path: LitStr,
    pub methods: Vec<LitStr>,
    pub resource_name: String,
    pub route_attr_path: Path,
    pub handler: ItemFn,
}

pub(crate) enum ListSetting {
    Any,
    List(Vec<LitStr>),
}

pub(crate) fn validate(parsed: Parsed) -> syn::Result<Validated> {
    let Parsed {
        args,
        args_span,
        route,
        handler,
    } = parsed;
    if let Some(policy) = &args.policy {
        // The function builds the whole policy: any other key would be
        // silently ignored, so each one is an error.
        let others = [
            ("origins", args.origins.as_ref().map(|(span, _)| *span)),
            (
                "origin_fn",
                args.origin_fn.as_ref().map(syn::spanned::Spanned::span),
            ),
            ("headers", args.headers.as_ref().map(StringList::span)),
            ("expose", args.expose.as_ref().map(StringList::span)),
            ("credentials", args.credentials.as_ref().map(|b| b.span)),
            ("max_age", args.max_age.as_ref().map(|i| i.span())),
            (
                "private_network",
                args.private_network.as_ref().map(|b| b.span),
            ),
            (
                "preflight_status",
                args.preflight_status.as_ref().map(|i| i.span()),
            ),
            (
                "block_disallowed",
                args.block_disallowed.as_ref().map(|b| b.span),
            ),
        ];
        let mut error: Option<syn::Error> = None;
        for (key, span) in others {
            if let Some(span) = span {
                let e = syn::Error::new(
                    span,
                    format!(
                        "`{key}` cannot be combined with `policy = ..`: the function builds the \
                         whole policy; set {key} in its builder (or remove `policy`)"
                    ),
                );
                match &mut error {
                    Some(error) => error.combine(e),
                    None => error = Some(e),
                }
            }
        }
        if let Some(error) = error {
            return Err(error);
        }
        check_route(&route)?;
        let resource_name = route
            .name
            .map(|n| n.value())
            .unwrap_or_else(|| handler.sig.ident.to_string());
        return Ok(Validated {
            origins: Vec::new(),
            origin_fn: None,
            headers: ListSetting::List(Vec::new()),
            expose: ListSetting::List(Vec::new()),
            credentials: false,
            max_age: None,
            private_network: false,
            preflight_status: None,
            block_disallowed: false,
            policy: Some(policy.clone()),
            path: route.path,
            methods: route.methods,
            resource_name,
            route_attr_path: route.attr_path,
            handler,
        });
    }
    let credentials = args.credentials.as_ref().is_some_and(|b| b.value);
    let private_network = args.private_network.as_ref().is_some_and(|b| b.value);

    let (origins_span, origins) = match args.origins {
        Some((span, lits)) => (span, lits),
        None => (args_span, Vec::new()),
    };
    for lit in &origins {
        let pattern =
            OriginPattern::parse(&lit.value()).map_err(|e| syn::Error::new(lit.span(), e))?;
        if pattern.matches_every_host() {
            if let Err(e) = check_every_origin(
                &format!("the origin {:?}", lit.value()),
                credentials,
                private_network,
            ) {
                // Point at both halves of the conflict.
                let mut error = syn::Error::new(lit.span(), e);
                let (key, setting) = if credentials {
                    ("credentials", &args.credentials)
                } else {
                    ("private_network", &args.private_network)
                };
                if let Some(setting) = setting {
                    error.combine(syn::Error::new(
                        setting.span,
                        format!(
                            "`{key} = true` is set here; it needs a list of origins, \
                             so replace {:?} with the origins that need it (or remove `{key} = true`)",
                            lit.value()
                        ),
                    ));
                }
                return Err(error);
            }
        }
    }
    if origins.is_empty() && args.origin_fn.is_none() {
        return Err(syn::Error::new(
            origins_span,
            no_origin_error(
                "add origins = [\"https://app.example.com\", …] or origin_fn = path::to::fn",
            ),
        ));
    }

    // A name that can never have an effect is certainly a mistake here; the
    // builder only warns (it cannot tell configuration from code).
    let headers = header_list(args.headers, never_sent_request_header)?;
    let expose = header_list(args.expose, never_readable_response_header)?;

    let max_age = match &args.max_age {
        None => None,
        Some(lit) => {
            let secs: u64 = lit.base10_parse().map_err(|_| {
                syn::Error::new(
                    lit.span(),
                    format!(
                        "max_age of {} s is out of range: it is a number of seconds from 0 \
                         (no caching) to 86400, e.g. max_age = 600",
                        lit.base10_digits()
                    ),
                )
            })?;
            validate_max_age(secs).map_err(|e| syn::Error::new(lit.span(), e))?;
            Some(secs)
        }
    };
    let preflight_status = match &args.preflight_status {
        None => None,
        Some(lit) => {
            let status: u16 = lit.base10_parse().map_err(|_| {
                syn::Error::new(
                    lit.span(),
                    format!(
                        "{} is not an HTTP status code; preflight_status is a 2xx status, \
                         204 (the default) or 200",
                        lit.base10_digits()
                    ),
                )
            })?;
            check_preflight_status(status).map_err(|e| syn::Error::new(lit.span(), e))?;
            Some(status)
        }
    };

    check_route(&route)?;
    let path = route.path;
    let resource_name = route
        .name
        .map(|n| n.value())
        .unwrap_or_else(|| handler.sig.ident.to_string());
    let _ = route.kind;

    Ok(Validated {
        origins,
        origin_fn: args.origin_fn,
        headers,
        expose,
        credentials,
        max_age,
        private_network,
        preflight_status,
        block_disallowed: args.block_disallowed.is_some_and(|b| b.value),
        policy: None,
        path,
        methods: route.methods,
        resource_name,
        route_attr_path: route.attr_path,
        handler,
    })
}

/// Checks the route attribute's methods and path.
pub(crate) fn check_route(route: &RouteAttr) -> syn::Result<()> {
    for method in &route.methods {
        validate_method(&method.value()).map_err(|e| syn::Error::new(method.span(), e))?;
    }
    let path = route.path.value();
    if !path.is_empty() && !path.starts_with('/') {
        return Err(syn::Error::new(
            route.path.span(),
            "a route path starts with '/', e.g. \"/api/posts\"",
        ));
    }
    Ok(())
}

fn header_list(
    list: Option<StringList>,
    never_works: fn(&str) -> Option<String>,
) -> syn::Result<ListSetting> {
    match list {
        None => Ok(ListSetting::List(Vec::new())),
        Some(StringList::Any(_)) => Ok(ListSetting::Any),
        Some(StringList::List(lits)) => {
            for lit in &lits {
                let name = validate_header_name(&lit.value())
                    .map_err(|e| syn::Error::new(lit.span(), e))?;
                if let Some(why) = never_works(&name) {
                    return Err(syn::Error::new(lit.span(), why));
                }
            }
            Ok(ListSetting::List(lits))
        }
    }
}
