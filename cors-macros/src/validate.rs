//! Step 2: check every value with the rules `Cors::builder().build()` uses
//! (from `cors-actix-core`), pointing each error at the token that caused it
//! and recording every one in [`Errors`].

use cors_actix_core::validate_header_name;
use cors_actix_core::validate_max_age;
use cors_actix_core::validate_method;
use cors_actix_core::OriginPattern;
use cors_actix_core::{
    check_every_origin, check_preflight_status, never_readable_response_header,
    never_sent_request_header, no_origin_error,
};
use proc_macro2::Span;
use syn::{ItemFn, LitStr, Path};

use crate::errors::Errors;
use crate::parse::{CorsArgs, Parsed, RouteAttr, StringList};

/// A route every value of which `build()` accepts.
pub(crate) struct Validated<'a> {
    pub policy: Policy,
    pub route: &'a RouteAttr,
    /// The route attribute's path as written.
    pub route_attr: &'a Path,
    /// The handler, without its route attribute.
    pub handler: &'a ItemFn,
}

pub(crate) enum Policy {
    /// `policy = path`: the user's function builds the whole policy at run
    /// time.
    RunTime(Path),
    /// The other keys, checked here.
    Keys(Settings),
}

/// The checked values of the keys; the builder's defaults where a key is
/// absent.
pub(crate) struct Settings {
    pub origins: Vec<LitStr>,
    pub origin_fn: Option<Path>,
    pub headers: Option<StringList>,
    pub expose: Option<StringList>,
    pub credentials: bool,
    pub max_age: Option<u64>,
    pub private_network: bool,
    pub preflight_status: Option<u16>,
    pub block_disallowed: bool,
    pub diagnostic_preflights: bool,
}

/// Checks everything that was read; `None` when something could not be
/// (an error is then recorded already).
pub(crate) fn validate<'a>(parsed: &'a Parsed, errors: &mut Errors) -> Option<Validated<'a>> {
    if let Some(route) = &parsed.route {
        check_route(route, errors);
    }
    let policy = parsed.args.as_ref().and_then(|args| policy(args, errors));
    Some(Validated {
        policy: policy?,
        route: parsed.route.as_ref()?,
        route_attr: parsed.route_attr.as_ref()?,
        handler: &parsed.handler,
    })
}

fn policy(args: &CorsArgs, errors: &mut Errors) -> Option<Policy> {
    if args.given("policy").is_none() {
        return Some(Policy::Keys(settings(args, errors)));
    }
    // The function builds the whole policy: any other key would be
    // silently ignored, so each one is an error.
    for (key, span) in args.given.iter().filter(|(key, _)| *key != "policy") {
        errors.push(syn::Error::new(
            *span,
            format!(
                "`{key}` cannot be combined with `policy = ..`: the function builds the \
                 whole policy; set {key} in its builder (or remove `policy`)"
            ),
        ));
    }
    args.policy.clone().map(Policy::RunTime)
}

fn settings(args: &CorsArgs, errors: &mut Errors) -> Settings {
    let credentials = args.credentials.as_ref().is_some_and(|b| b.value);
    let private_network = args.private_network.as_ref().is_some_and(|b| b.value);

    let origins = args.origins.clone().unwrap_or_default();
    for lit in &origins {
        check_origin(lit, args, errors);
    }
    // An `origins` or `origin_fn` value that could not be read is reported
    // already; saying that no origin is allowed would only repeat it.
    let refused = (args.origins.is_none() && args.given("origins").is_some())
        || (args.origin_fn.is_none() && args.given("origin_fn").is_some());
    if origins.is_empty() && args.origin_fn.is_none() && !refused {
        errors.push(syn::Error::new(
            // Errors about the attribute as a whole point at all of it.
            args.given("origins").unwrap_or_else(Span::call_site),
            no_origin_error(
                "add origins = [\"https://app.example.com\", …] or origin_fn = path::to::fn",
            ),
        ));
    }

    // A name that can never have an effect is certainly a mistake here; the
    // builder only warns (it cannot tell configuration from code).
    check_header_list(&args.headers, never_sent_request_header, errors);
    check_header_list(&args.expose, never_readable_response_header, errors);

    let max_age = args.max_age.as_ref().and_then(|lit| {
        let secs: u64 = errors.ok(lit.base10_parse().map_err(|_| {
            syn::Error::new(
                lit.span(),
                format!(
                    "max_age of {} s is out of range: it is a number of seconds from 0 \
                     (no caching) to 86400, e.g. max_age = 600",
                    lit.base10_digits()
                ),
            )
        }))?;
        errors.ok(validate_max_age(secs).map_err(|e| syn::Error::new(lit.span(), e)))?;
        Some(secs)
    });
    let preflight_status = args.preflight_status.as_ref().and_then(|lit| {
        let status: u16 = errors.ok(lit.base10_parse().map_err(|_| {
            syn::Error::new(
                lit.span(),
                format!(
                    "{} is not an HTTP status code; preflight_status is a 2xx status, \
                     204 (the default) or 200",
                    lit.base10_digits()
                ),
            )
        }))?;
        errors.ok(check_preflight_status(status).map_err(|e| syn::Error::new(lit.span(), e)))?;
        Some(status)
    });

    Settings {
        origins,
        origin_fn: args.origin_fn.clone(),
        headers: args.headers.clone(),
        expose: args.expose.clone(),
        credentials,
        max_age,
        private_network,
        preflight_status,
        block_disallowed: args.block_disallowed.as_ref().is_some_and(|b| b.value),
        diagnostic_preflights: args.diagnostic_preflights.as_ref().is_none_or(|b| b.value),
    }
}

/// Checks one origin pattern, and that one matching every host is not
/// combined with credentials or private network access.
fn check_origin(lit: &LitStr, args: &CorsArgs, errors: &mut Errors) {
    let Some(pattern) =
        errors.ok(OriginPattern::parse(&lit.value()).map_err(|e| syn::Error::new(lit.span(), e)))
    else {
        return;
    };
    if !pattern.matches_every_host() {
        return;
    }
    let credentials = args.credentials.as_ref().filter(|b| b.value);
    let private_network = args.private_network.as_ref().filter(|b| b.value);
    let Err(e) = check_every_origin(
        &format!("the origin {:?}", lit.value()),
        credentials.is_some(),
        private_network.is_some(),
    ) else {
        return;
    };
    // Point at both halves of the conflict, reported together.
    let mut error = syn::Error::new(lit.span(), e);
    let conflict = match (credentials, private_network) {
        (Some(setting), _) => Some(("credentials", setting)),
        (None, setting) => setting.map(|setting| ("private_network", setting)),
    };
    if let Some((key, setting)) = conflict {
        error.combine(syn::Error::new(
            setting.span,
            format!(
                "`{key} = true` is set here; it needs a list of origins, \
                 so replace {:?} with the origins that need it (or remove `{key} = true`)",
                lit.value()
            ),
        ));
    }
    errors.push(error);
}

/// Checks the route attribute's methods and path.
fn check_route(route: &RouteAttr, errors: &mut Errors) {
    for method in &route.methods {
        errors.ok(validate_method(&method.value()).map_err(|e| syn::Error::new(method.span(), e)));
    }
    let path = route.path.value();
    if !path.is_empty() && !path.starts_with('/') {
        errors.push(syn::Error::new(
            route.path.span(),
            "a route path starts with '/', e.g. \"/api/posts\"",
        ));
    }
}

fn check_header_list(
    list: &Option<StringList>,
    never_works: fn(&str) -> Option<String>,
    errors: &mut Errors,
) {
    let Some(StringList::List(lits)) = list else {
        return;
    };
    for lit in lits {
        let Some(name) = errors
            .ok(validate_header_name(&lit.value()).map_err(|e| syn::Error::new(lit.span(), e)))
        else {
            continue;
        };
        if let Some(why) = never_works(&name) {
            errors.push(syn::Error::new(lit.span(), why));
        }
    }
}
