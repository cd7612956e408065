#[cors_actix::cors(origins = ["https://app.example.com"])]
async fn handler() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

fn main() {}
