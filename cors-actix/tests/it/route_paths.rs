//! Which policy a request gets is decided by the handler actix really runs
//! for it: `#[cors]` routes inside scopes, tail patterns, and request paths
//! spelled to get a public policy applied to a restricted handler.

use crate::support::*;
use actix_web::http::StatusCode;
use actix_web::middleware::NormalizePath;
use actix_web::{delete, get, test, web, App, HttpResponse, Responder};
use cors_actix::{cors, Cors};

const ADMIN: &str = "https://admin.example.com";
const EVIL: &str = "https://evil.test";

#[cors(origins = ["https://admin.example.com"], credentials = true)]
#[delete("/admin/items/{id}")]
async fn restricted_delete(req: actix_web::HttpRequest) -> impl Responder {
    let id = req.match_info().get("id").unwrap_or_default();
    HttpResponse::Ok().body(format!("restricted {id}"))
}

#[cors(origins = "*")]
#[get("/public/{name}")]
async fn public_read(name: web::Path<String>) -> impl Responder {
    HttpResponse::Ok().body(format!("public {name}"))
}

#[cors(origins = "*")]
#[delete("/public/{name}")]
async fn public_delete(name: web::Path<String>) -> impl Responder {
    HttpResponse::Ok().body(format!("public delete {name}"))
}

#[cors(origins = ["https://admin.example.com"])]
#[delete("/files/{tail}*")]
async fn restricted_files(tail: web::Path<String>) -> impl Responder {
    HttpResponse::Ok().body(format!("restricted files {tail}"))
}

#[cors(origins = ["https://admin.example.com"])]
#[delete("/raw{rest}*")]
async fn restricted_raw(rest: web::Path<String>) -> impl Responder {
    HttpResponse::Ok().body(format!("restricted raw {rest}"))
}

#[cors(origins = ["https://admin.example.com"])]
#[delete("/regex/{id:[0-9]+}")]
async fn restricted_regex(id: web::Path<String>) -> impl Responder {
    HttpResponse::Ok().body(format!("restricted regex {id}"))
}

#[cors(origins = ["https://admin.example.com"])]
#[delete("")]
async fn restricted_scope_root() -> impl Responder {
    HttpResponse::Ok().body("restricted root")
}

#[cors(origins = ["https://admin.example.com"])]
#[delete("/")]
async fn restricted_scope_slash() -> impl Responder {
    HttpResponse::Ok().body("restricted slash")
}

/// Any origin, any method, any header: the most a global policy can give.
fn public_global() -> Cors {
    Cors::builder()
        .allow_any_origin()
        .allow_any_method()
        .allow_any_header()
        .build()
        .unwrap()
}

fn api() -> actix_web::Scope {
    web::scope("/api")
        .service(restricted_delete)
        .service(public_read)
        .service(public_delete)
        .service(restricted_files)
        .service(restricted_raw)
        .service(restricted_regex)
        .service(web::scope("/root").service(restricted_scope_root))
        .service(web::scope("/slash").service(restricted_scope_slash))
}

/// Request paths that a browser page can make, aimed at the restricted
/// handlers. Whatever each one ends up running, the preflight must have been
/// answered by that handler's policy.
const SPELLINGS: &[&str] = &[
    "/api/admin/items/1",
    "/api/admin/items/1/",
    "/api/admin/items/1?x=1",
    "/api/Admin/items/1",
    "/API/admin/items/1",
    "/api/admin/ITEMS/1",
    "//api/admin/items/1",
    "/api//admin/items/1",
    "/api/admin//items/1",
    "/api/admin/./items/1",
    "/api/./admin/items/1",
    "/api/x/../admin/items/1",
    "/api/public/../admin/items/1",
    "/api/public/%2e%2e/admin/items/1",
    "/api/public/%2E%2E/admin/items/1",
    "/api/public/..%2Fadmin/items/1",
    "/api/public/..%2fadmin%2fitems%2f1",
    "/api/%61dmin/items/1",
    "/api/admin/items/%31",
    "/api/admin%2Fitems/1",
    "/api/admin/items/1+",
    "/api/admin+/items/1",
    "/api/admin/items/+",
    "/api/admin/items/1%20",
    "/api/admin/items/1%00",
    "/api/admin/items/1;x=y",
    "/api/admin/items/1%2F",
    "/api/admin/items/1/%1Fcors-actix-preflight%1FDELETE",
    "/api/admin/items/%1Fcors-actix-preflight%1FDELETE",
    "/api/public/x/..",
    "/api/public/%2e%2e",
    "/api/public/1%2F..%2Fadmin",
    "/api/files",
    "/api/files/",
    "/api/files/a",
    "/api/files/a/b/c",
    "/api/files/../public/x",
    "/api/files/%2e%2e/public/x",
    "/api/files/a%2Fb",
    "/api/files/a%1Fb",
    "/api/files/a/%1Fcors-actix-preflight%1FDELETE",
    "/api/raw",
    "/api/rawx/y",
    "/api/raw/",
    "/api/regex/12",
    "/api/regex/12a",
    "/api/regex/%31%32",
    "/api/root",
    "/api/root/",
    "/api/slash",
    "/api/slash/",
    "/api/slash//",
];

/// Sends a preflight and the actual request for each spelling and checks that
/// a restricted handler never runs for a request whose preflight an evil
/// origin passed, and that what answered the preflight is the policy of the
/// handler that runs.
macro_rules! check_spellings {
    ($app:expr) => {
        for path in SPELLINGS {
            let preflight_res = send_to($app, preflight(EVIL, "DELETE").uri(path)).await;
            let actual_res = send_to($app, actual("DELETE", EVIL).uri(path)).await;
            let ran = actual_res.body_str();
            if ran.starts_with("restricted") {
                // The restricted policy refuses the evil origin, on the
                // preflight as on the actual response.
                assert_eq!(
                    preflight_res.allow_origin(),
                    None,
                    "{path}: {preflight_res:?}"
                );
                assert!(!actual_res.has_cors_headers(), "{path}: {actual_res:?}");
            } else {
                // Not a restricted handler: the public policy (global, or a
                // public route) may answer.
                let preflight_allowed = preflight_res.allow_origin().is_some();
                let actual_allowed = actual_res.allow_origin().is_some();
                assert_eq!(
                    preflight_allowed, actual_allowed,
                    "{path}: preflight {preflight_res:?} but actual {actual_res:?}"
                );
            }
            // The admin origin: allowed on the preflight exactly when the
            // actual request runs a handler that allows it.
            let preflight_res = send_to($app, preflight(ADMIN, "DELETE").uri(path)).await;
            let actual_res = send_to($app, actual("DELETE", ADMIN).uri(path)).await;
            if actual_res.body_str().starts_with("restricted") {
                assert_eq!(preflight_res.allow_origin(), Some(ADMIN), "{path}");
                assert!(
                    preflight_res.status.is_success(),
                    "{path}: {preflight_res:?}"
                );
                assert_eq!(actual_res.allow_origin(), Some(ADMIN), "{path}");
            }
        }
    };
}

#[actix_web::test]
async fn spellings_under_a_public_global_policy() {
    let app = test::init_service(App::new().wrap(public_global()).service(api())).await;
    check_spellings!(&app);
}

#[actix_web::test]
async fn spellings_without_a_global_policy() {
    let app = test::init_service(App::new().service(api())).await;
    check_spellings!(&app);
}

/// Path normalisation outside the global middleware: both see the same path.
#[actix_web::test]
async fn spellings_with_path_normalisation_outside() {
    let app = test::init_service(
        App::new()
            .wrap(public_global())
            .wrap(NormalizePath::trim())
            .service(api()),
    )
    .await;
    check_spellings!(&app);
}

#[actix_web::test]
async fn canonical_paths_run_what_they_should() {
    let app = test::init_service(App::new().wrap(public_global()).service(api())).await;
    let cases = [
        ("/api/admin/items/1", "restricted 1"),
        ("/api/public/1", "public delete 1"),
        ("/api/files/a/b", "restricted files a/b"),
        ("/api/files/", "restricted files "),
        ("/api/raw", "restricted raw "),
        ("/api/raw/x", "restricted raw /x"),
        ("/api/regex/12", "restricted regex 12"),
        ("/api/root", "restricted root"),
        ("/api/slash/", "restricted slash"),
    ];
    for (path, body) in cases {
        let res = send_to(&app, actual("DELETE", ADMIN).uri(path)).await;
        assert_eq!(res.body_str(), body, "{path}");
        let restricted = body.starts_with("restricted");
        let res = send_to(&app, preflight(EVIL, "DELETE").uri(path)).await;
        if restricted {
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}: {res:?}");
        } else {
            res.assert_preflight_allowed("*");
        }
        let res = send_to(&app, preflight(ADMIN, "DELETE").uri(path)).await;
        res.assert_preflight_allowed(if restricted { ADMIN } else { "*" });
    }
}

/// The same handler registered in two scopes: its policy in both.
#[actix_web::test]
async fn one_handler_in_several_scopes() {
    let app = test::init_service(
        App::new()
            .wrap(public_global())
            .service(web::scope("/v1").service(restricted_delete))
            .service(web::scope("/v2/{tenant}").service(restricted_delete))
            .service(web::scope("/v3").service(web::scope("/nested").service(restricted_delete))),
    )
    .await;
    for path in [
        "/v1/admin/items/1",
        "/v2/acme/admin/items/1",
        "/v3/nested/admin/items/1",
    ] {
        let res = send_to(&app, preflight(EVIL, "DELETE").uri(path)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
        let res = send_to(&app, preflight(ADMIN, "DELETE").uri(path)).await;
        res.assert_preflight_allowed(ADMIN);
        assert_eq!(res.one(ALLOW_CREDENTIALS), Some("true"));
        let res = send_to(&app, actual("DELETE", ADMIN).uri(path)).await;
        assert_eq!(res.body_str(), "restricted 1", "{path}");
        assert_eq!(res.allow_origin(), Some(ADMIN));
    }
    // Outside the scopes, the global policy.
    let res = send_to(&app, preflight(EVIL, "DELETE").uri("/admin/items/1")).await;
    res.assert_preflight_allowed("*");
    let res = send_to(&app, actual("DELETE", EVIL).uri("/admin/items/1")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

/// Two scopes with the same prefix: actix routes into the first only, and so
/// does the policy lookup.
#[actix_web::test]
async fn two_scopes_with_one_prefix() {
    let app = test::init_service(
        App::new()
            .wrap(public_global())
            .service(web::scope("/api").route("/other", web::get().to(HttpResponse::Ok)))
            .service(web::scope("/api").service(restricted_delete)),
    )
    .await;
    check_spellings!(&app);
    let res = send_to(&app, actual("DELETE", ADMIN).uri("/api/admin/items/1")).await;
    assert_eq!(
        res.status,
        StatusCode::NOT_FOUND,
        "shadowed by the first scope"
    );
    let res = send_to(&app, preflight(EVIL, "DELETE").uri("/api/admin/items/1")).await;
    res.assert_preflight_allowed("*");
}

#[cors(origins = "*")]
#[get("/blobs/{tail}*")]
async fn blobs_read(tail: web::Path<String>) -> impl Responder {
    HttpResponse::Ok().body(format!("public blob {tail}"))
}

#[cors(origins = ["https://admin.example.com"])]
#[delete("/blobs/{tail}*")]
async fn blobs_delete(tail: web::Path<String>) -> impl Responder {
    HttpResponse::Ok().body(format!("restricted blob {tail}"))
}

#[cors(origins = ["https://admin.example.com"])]
#[delete("/blobs/special")]
async fn blobs_special() -> impl Responder {
    HttpResponse::Ok().body("restricted special")
}

#[cors(origins = "*")]
#[get("/docs/{p:.*}")]
async fn docs_read(p: web::Path<String>) -> impl Responder {
    HttpResponse::Ok().body(format!("public blob {p}"))
}

#[cors(origins = ["https://admin.example.com"])]
#[delete("/docs/{p:.*}")]
async fn docs_delete(p: web::Path<String>) -> impl Responder {
    HttpResponse::Ok().body(format!("restricted blob {p}"))
}

/// Two handlers on one tail path, each with its own policy, and a route under
/// that path registered after them: each answers its own preflights.
#[actix_web::test]
async fn tail_routes_sharing_a_path() {
    for (name, app) in [
        ("global", App::new().wrap(public_global())),
        (
            "no global",
            App::new().wrap(Cors::builder().allow_origin(EVIL).build().unwrap()),
        ),
    ] {
        let app = test::init_service(
            app.service(blobs_read)
                .service(blobs_delete)
                .service(blobs_special)
                .service(docs_read)
                .service(docs_delete),
        )
        .await;
        for path in [
            "/blobs/",
            "/blobs/a",
            "/blobs/a/b",
            "/blobs/special",
            "/docs/",
            "/docs/a/b",
        ] {
            let res = send_to(&app, preflight(EVIL, "GET").uri(path)).await;
            res.assert_preflight_allowed("*");
            let res = send_to(&app, actual("GET", EVIL).uri(path)).await;
            assert!(res.body_str().starts_with("public blob"), "{name} {path}");
            assert_eq!(res.allow_origin(), Some("*"));

            let res = send_to(&app, preflight(EVIL, "DELETE").uri(path)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{name} {path}: {res:?}");
            let res = send_to(&app, preflight(ADMIN, "DELETE").uri(path)).await;
            res.assert_preflight_allowed(ADMIN);
            let res = send_to(&app, actual("DELETE", ADMIN).uri(path)).await;
            assert!(
                res.body_str().starts_with("restricted blob"),
                "{name} {path}"
            );
            assert_eq!(res.allow_origin(), Some(ADMIN));
        }
        // The tail captures what actix's own `{tail}*` does (and `Path`
        // decodes it).
        let res = send_to(&app, actual("GET", EVIL).uri("/blobs/a/b%2Fc%20d")).await;
        assert_eq!(res.body_str(), "public blob a/b/c d");
    }
}
