fn is_allowed(origin: &str) -> bool {
    origin.ends_with(".example.com")
}

#[cors_actix::cors(origin_fn = is_allowed)]
#[actix_web::get("/x")]
async fn handler() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

fn main() {}
