#[cors_actix::cors(origins = ["https://app.example.com"])]
#[actix_web::route("/x")]
async fn handler() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

fn main() {}
