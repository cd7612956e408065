//! Tenants' origins checked against a (simulated) database as requests
//! arrive, the answers cached: `cargo run -p cors-examples --example
//! tenant_lookup`, then
//!
//! ```sh
//! curl -i -H 'Origin: https://shop.tenant.example' http://127.0.0.1:8080/api/orders  # granted, after a 200 ms lookup
//! curl -i -H 'Origin: https://shop.tenant.example' http://127.0.0.1:8080/api/orders  # granted from the cache
//! curl -i -H 'Origin: https://evil.example' http://127.0.0.1:8080/api/orders         # no grant (cached too)
//! curl -i -X POST -d 'https://new.other.example' http://127.0.0.1:8080/admin/tenants  # sign-up: 201
//! curl -i -H 'Origin: https://new.other.example' http://127.0.0.1:8080/api/orders     # granted at once
//! ```
//!
//! The "database" is a set behind a mutex with a 200 ms delay per query; in
//! your app the check would run a query. The sign-up endpoint adds a row and
//! remembers the answer for that origin at once (a refusal cached earlier
//! would otherwise stand until it expires). The debug log shows each lookup.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpResponse, HttpServer};
use cors_actix::{Cors, OriginLookup};

type Database = Arc<Mutex<HashSet<String>>>;

/// A tenant query: slow, like a real one.
async fn tenant_exists(db: Database, origin: String) -> Result<bool, String> {
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    log::info!("database asked about {origin}");
    let tenants = db.lock().map_err(|_| "database poisoned".to_owned())?;
    // Only https origins are tenants: with credentials, an http page on a
    // tenant's name could be anyone on the network path.
    Ok(origin.starts_with("https://")
        && (tenants.contains(&origin) || origin.ends_with(".tenant.example")))
}

async fn sign_up(
    db: web::Data<Database>,
    lookup: web::Data<OriginLookup>,
    origin: String,
) -> HttpResponse {
    let origin = origin.trim().to_owned();
    db.lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(origin.clone());
    // Known now: cached at once (or refused if not an origin at all).
    match lookup.remember(&origin, origin.starts_with("https://")) {
        Ok(()) => HttpResponse::Created().body(format!("{origin} is a tenant\n")),
        Err(e) => HttpResponse::BadRequest().body(format!("{e}\n")),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("cors_actix=debug,tenant_lookup=info"),
    )
    .init();
    let db: Database = Arc::default();
    let query_db = Arc::clone(&db);
    let lookup =
        OriginLookup::new(move |origin: String| tenant_exists(Arc::clone(&query_db), origin))
            .time_to_live(Duration::from_secs(300))
            .timeout(Duration::from_secs(1));
    let cors = Cors::builder()
        .allow_origin("https://app.example.com")
        .allow_origin_lookup(&lookup)
        .allow_methods(["GET", "POST"])
        .allow_credentials(true)
        .build()
        .expect("a valid policy");
    let (db, lookup) = (web::Data::new(db), web::Data::new(lookup));
    println!("API on http://127.0.0.1:8080/api/orders, sign-up on POST /admin/tenants");
    HttpServer::new(move || {
        App::new()
            .app_data(db.clone())
            .app_data(lookup.clone())
            .route("/admin/tenants", web::post().to(sign_up))
            .service(web::scope("/api").wrap(cors.clone()).route(
                "/orders",
                web::get().to(|| async { HttpResponse::Ok().json(["o-1"]) }),
            ))
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}
