//! Tenants' origins added while the server runs:
//! `cargo run -p cors-examples --example multi_tenant`, then
//!
//! ```sh
//! curl -i -H 'Origin: https://shop.tenant.example' http://127.0.0.1:8080/api/orders   # no grant
//! curl -i -X POST -d 'https://shop.tenant.example' http://127.0.0.1:8080/admin/tenants  # 201
//! curl -i -H 'Origin: https://shop.tenant.example' http://127.0.0.1:8080/api/orders   # granted
//! curl -i -X POST -d 'https://shop.tenant.example/' http://127.0.0.1:8080/admin/tenants # 400, says why
//! ```
//!
//! The API's policy reads a reloadable `OriginList`; the admin endpoint
//! replaces the list (checked with the builder's rules: a bad origin is
//! refused and the list stays as it was) and the next request sees it. The
//! admin endpoint is outside the CORS policy and would sit behind your own
//! authentication.

use std::sync::Mutex;

use actix_web::{web, App, HttpResponse, HttpServer};
use cors_actix::{Cors, OriginList};

/// Serialises additions, so that two admins adding at once both land.
struct Admin {
    tenants: OriginList,
    adding: Mutex<()>,
}

async fn add_tenant(admin: web::Data<Admin>, origin: String) -> HttpResponse {
    let _one_at_a_time = admin.adding.lock().unwrap_or_else(|p| p.into_inner());
    let mut origins = admin.tenants.origins();
    let origin = origin.trim().to_owned();
    if origins.contains(&origin) {
        return HttpResponse::Ok().body("already a tenant\n");
    }
    origins.push(origin);
    match admin.tenants.replace(&origins) {
        Ok(()) => HttpResponse::Created().body(format!("tenants: {origins:?}\n")),
        Err(e) => HttpResponse::BadRequest().body(format!("{e}\n")),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("cors_actix=debug"))
        .init();
    let tenants = OriginList::new(["https://app.example.com"]).expect("a valid list");
    let cors = Cors::builder()
        .allow_origin_list(&tenants)
        .allow_methods(["GET", "POST"])
        .allow_credentials(true)
        .build()
        .expect("a valid policy");
    let admin = web::Data::new(Admin {
        tenants,
        adding: Mutex::new(()),
    });
    println!("API on http://127.0.0.1:8080/api/orders, admin on POST /admin/tenants");
    HttpServer::new(move || {
        App::new()
            .app_data(admin.clone())
            .route("/admin/tenants", web::post().to(add_tenant))
            .service(web::scope("/api").wrap(cors.clone()).route(
                "/orders",
                web::get().to(|| async { HttpResponse::Ok().json(["o-1"]) }),
            ))
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}
