//! Allowed origins from configuration:
//! `CORS_CONFIG='{"allow_origins":["https://app.example.com"]}' cargo run -p cors-examples --example from_config`
//! or `cargo run -p cors-examples --example from_config -- cors.json`.
//!
//! The JSON keys are the builder's names (see `CorsConfig`); a misspelt key
//! or an invalid origin stops start-up with a message saying what to fix.

use actix_web::{web, App, HttpResponse, HttpServer};
use cors_actix::{Cors, CorsConfig};

fn load() -> Result<Cors, String> {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?,
        None => std::env::var("CORS_CONFIG")
            .unwrap_or_else(|_| r#"{"allow_origins": ["http://localhost:*"]}"#.to_owned()),
    };
    let config: CorsConfig =
        serde_json::from_str(&text).map_err(|e| format!("CORS configuration: {e}"))?;
    Cors::try_from(config).map_err(|e| e.to_string())
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("cors_actix=debug"))
        .init();
    let cors = match load() {
        Ok(cors) => cors,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    println!("listening on http://127.0.0.1:8080");
    HttpServer::new(move || {
        App::new().wrap(cors.clone()).route(
            "/hello",
            web::get().to(|| async { HttpResponse::Ok().body("hello") }),
        )
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}
